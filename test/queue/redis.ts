/**
 * A real redis-server for a test: started on a free loopback port with no persistence, stopped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface TestRedis {
  port: number;
  /** The server's process id (the bench reads its CPU time). */
  pid: number;
  url(name: string): string;
  stop(): Promise<void>;
}

/** A loopback port that was free a moment ago (bound, then closed): nobody listens on it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const ready = await new Promise<boolean>((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`redis-server: cannot start (${e.message}); install Debian's redis-server`)));
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    if (!ready) {
      // Another process took the port between our probe and redis' bind: try another.
      if (tries < 5) continue;
      throw new Error(`redis-server did not start: ${out.slice(-500)}`);
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    return {
      port,
      pid: child.pid!,
      url: (name) => `redis://127.0.0.1:${port}/${name}`,
      async stop() {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
}
