/**
 * `--queue redis://[user:password@]host:port/name`: where BullMQ keeps the chunks. The path names the queue,
 * so several farms can share one Redis.
 */
import { UserError } from '../errors.js';

export interface QueueAddress {
  host: string;
  port: number;
  name: string;
  username?: string;
  password?: string;
  /** The URL without the password, for logs. */
  display: string;
}

export function parseQueueUrl(url: string, flag = '--queue'): QueueAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`${flag} ${url}: expected redis://host:port/name`);
  }
  if (u.protocol !== 'redis:') throw new UserError(`${flag} ${url}: expected a redis:// URL (redis://host:port/name), not ${u.protocol}`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new UserError(`${flag} ${url}: no host (expected redis://host:port/name)`);
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`${flag} ${url}: port ${u.port} is not 1–65535`);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) throw new UserError(`${flag} ${url}: the queue name '${name}' must be 1–100 letters, digits, '.', '_' or '-' (redis://host:port/name)`);
  return {
    host,
    port,
    name,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    display: `redis://${u.host}/${name}`,
  };
}

/** ioredis options for BullMQ: blocking commands must never give up (BullMQ's requirement for workers). */
export function connectionOptions(a: QueueAddress): Record<string, unknown> {
  return {
    host: a.host,
    port: a.port,
    ...(a.username ? { username: a.username } : {}),
    ...(a.password ? { password: a.password } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Fails fast with one line when nothing answers at the address (BullMQ's client would retry forever, silently):
 * a TCP connect and a PING, with a timeout.
 */
export async function probeRedis(a: QueueAddress, flag = '--queue', timeoutMs = 5000): Promise<void> {
  const { connect } = await import('node:net');
  const reason = await new Promise<string | null>((resolve) => {
    const s = connect({ host: a.host, port: a.port });
    let reply = '';
    const done = (r: string | null): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    s.on('connect', () => s.write(a.password ? `AUTH ${a.username ? `${a.username} ` : ''}${a.password}\r\nPING\r\n` : 'PING\r\n'));
    s.on('data', (b: Buffer) => {
      reply += b.toString('latin1');
      if (/\+PONG\r\n/.test(reply)) done(null);
      else if (/^-/m.test(reply)) done(`Redis says: ${reply.split('\r\n').find((l) => l.startsWith('-'))!.slice(1)}`);
      else if (reply.length > 256) done('not a Redis server (unexpected reply)');
    });
  });
  if (reason) throw new UserError(`${flag} ${a.display}: cannot reach Redis at ${a.host}:${a.port} (${reason})`);
}
