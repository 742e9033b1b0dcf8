/**
 * Who may talk to the engine's port. Browsers will send requests to 127.0.0.1 on behalf of any web page the
 * performer has open, so the port checks what the browser says about where a request comes from:
 *
 * - Host: a page on a foreign host name that resolves to this machine (DNS rebinding) reaches us with its own name
 *   in Host. Only IP literals, localhost, this machine's own names and the configured `allowedHosts` are answered.
 * - Origin: a browser names the page behind every ws upgrade, POST and CORS read. The engine's own pages are same
 *   origin (Origin's host equals Host); any other origin is refused unless listed in `allowedOrigins` (a web client
 *   the performer runs elsewhere, e.g. TouchDesigner's web render). Requests without Origin come from programs,
 *   not from web pages, and pass (control from the LAN still needs the token: src/control/api.ts).
 * - A POST must say it carries JSON: an HTML form or a `no-cors` fetch cannot send `application/json`.
 *
 * Pure over the request's headers, so the rules are tested without sockets.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export interface AccessPolicy {
  /** Extra host names this engine answers to (besides IP literals, localhost and this machine's names). */
  allowedHosts: readonly string[];
  /** Origins of web pages other than the engine's own that may read and drive it ('*' for any). */
  allowedOrigins: readonly string[];
}

export const defaultAccessPolicy = (): AccessPolicy => ({ allowedHosts: [], allowedOrigins: [] });

export interface RequestFacts {
  method: string;
  /** Path of the request (routes under /api/ and ws paths are guarded; pages are not). */
  path: string;
  upgrade: boolean;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface Refusal {
  status: number;
  error: string;
}

const header = (h: RequestFacts['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The host name of a Host header value ('[::1]:7878' → '::1', 'Example.com:80' → 'example.com'). */
export function hostNameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

let machineNames: Set<string> | null = null;
function ownNames(): Set<string> {
  if (!machineNames) {
    const n = hostname().toLowerCase();
    machineNames = new Set(['localhost', n, `${n}.local`, n.split('.')[0]!]);
  }
  return machineNames;
}

/** Whether a Host header names this engine: an IP literal, localhost (and *.localhost), this machine, or a listed name. */
export function hostAllowed(hostHeader: string | undefined, policy: AccessPolicy): boolean {
  if (!hostHeader) return false;
  const name = hostNameOf(hostHeader).replace(/\.$/, '');
  if (name === '') return false;
  if (isIP(name) !== 0) return true;
  if (name.endsWith('.localhost')) return true; // resolved to loopback by browsers themselves, never by DNS
  if (ownNames().has(name)) return true;
  return policy.allowedHosts.some((h) => h.toLowerCase() === name);
}

/** Same origin: the page's scheme is http(s) and its host:port is the one the request was sent to. */
function sameOrigin(origin: string, hostHeader: string): boolean {
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host.toLowerCase() === hostHeader.trim().toLowerCase();
  } catch {
    return false; // 'null' (sandboxed frames, file://) is never the engine's page
  }
}

/** Whether a cross-origin page is let in by the policy; the origin to echo in CORS headers, or null. */
export function listedOrigin(origin: string | undefined, policy: AccessPolicy): string | null {
  if (!origin) return null;
  return policy.allowedOrigins.includes('*') || policy.allowedOrigins.includes(origin) ? origin : null;
}

/** Whether a path is part of the API surface (state, control, frames) rather than a page. */
const guarded = (f: RequestFacts): boolean => f.upgrade || f.path.startsWith('/api/') || (f.method !== 'GET' && f.method !== 'HEAD');

/** Null when the request may proceed, else the status and a message that says what to change. */
export function checkAccess(f: RequestFacts, policy: AccessPolicy): Refusal | null {
  const host = header(f.headers, 'host');
  if (!hostAllowed(host, policy)) {
    return {
      status: 403,
      error: `unknown Host ${JSON.stringify(host ?? '')}: this engine answers to its IP addresses, localhost and this machine's name; add other names to output.allowedHosts`,
    };
  }
  if (!guarded(f)) return null;
  const origin = header(f.headers, 'origin');
  if (origin !== undefined && !sameOrigin(origin, host!) && !listedOrigin(origin, policy)) {
    return {
      status: 403,
      error: `requests from the web page ${JSON.stringify(origin)} are refused: only the engine's own pages may use ${f.path}; allow that origin with output.allowedOrigins (or --allow-origin)`,
    };
  }
  // Browsers mark cross-site requests they send without Origin (no-cors GETs): not one of our pages either.
  const site = header(f.headers, 'sec-fetch-site');
  if (origin === undefined && (site === 'cross-site' || site === 'same-site')) {
    return { status: 403, error: `cross-site requests to ${f.path} are refused; allow the page's origin with output.allowedOrigins` };
  }
  if (f.method === 'POST') {
    const type = (header(f.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return { status: 415, error: `POST ${f.path} needs Content-Type: application/json (got ${JSON.stringify(type || 'none')})` };
    }
  }
  return null;
}
