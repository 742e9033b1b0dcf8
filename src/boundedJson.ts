/**
 * JSON from a socket, bounded before it is parsed. `JSON.parse` itself copes with deep nesting, but whatever
 * touches the value afterwards (JSON.stringify of an echoed id, `x * 1000` on an array, zod) recurses and a few
 * kilobytes of `[[[[…` overflow the stack. So the text is measured first: bytes, then nesting depth by one scan
 * over brackets outside strings, which is linear and never recurses.
 */

export interface JsonLimits {
  /** Largest accepted text, bytes (UTF-8). */
  maxBytes: number;
  /** Deepest accepted nesting of arrays and objects (a flat object is depth 1). */
  maxDepth: number;
}

/** Our own messages are flat: an object with a record inside at most. */
export const WIRE_JSON_LIMITS: JsonLimits = { maxBytes: 64 * 1024, maxDepth: 8 };

export type BoundedJson = { ok: true; value: unknown } | { ok: false; error: string };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of arrays/objects in JSON text, stopping early once past `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return max;
}

/** Parse socket text within limits; never throws. */
export function parseBoundedJson(raw: string | Buffer, limits: JsonLimits = WIRE_JSON_LIMITS): BoundedJson {
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (bytes > limits.maxBytes) return { ok: false, error: `message too large: ${bytes} bytes > ${limits.maxBytes}` };
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth) {
    return { ok: false, error: `JSON nested deeper than ${limits.maxDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `bad JSON: ${(e as Error).message}` };
  }
}

/** A value safe to echo back: a short string or a finite number; anything else is dropped. */
export function echoable(v: unknown, maxChars = 100): string | number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return v.length <= maxChars ? v : undefined;
  return undefined;
}

/** A finite number or undefined; never coerces (coercing an array calls its toString, which recurses). */
export function finiteOr(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The first characters of socket text for a log line, with control characters escaped. */
export function logSnippet(raw: unknown, maxChars = 80): string {
  const s = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.subarray(0, maxChars * 4).toString('utf8') : '';
  return JSON.stringify(s.slice(0, maxChars));
}

/** How much of an oversized request body is read and dropped before the socket is cut instead. */
export const OVERSIZE_DRAIN_BYTES = 64 << 20;

export type BoundedBody = { ok: true; body: Buffer } | { ok: false; tooLarge: boolean; bytes: number };

/**
 * A request body of at most `maxBytes`. An oversized one is read to its end and dropped, so the 413 goes out after
 * the client has finished sending: answering and cutting the socket mid-upload makes the kernel reset the
 * connection, and the client sees "connection reset" instead of the reason. A sender that goes on past
 * `drainBytes` more is cut off (no answer can reach it then).
 */
export function readBoundedBody(
  req: NodeJS.ReadableStream & { destroy(): void },
  maxBytes: number,
  drainBytes = OVERSIZE_DRAIN_BYTES,
): Promise<BoundedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes <= maxBytes) chunks.push(c);
      else if (bytes > maxBytes + drainBytes) {
        req.destroy();
        resolve({ ok: false, tooLarge: true, bytes });
      }
    });
    req.on('error', () => resolve({ ok: false, tooLarge: bytes > maxBytes, bytes }));
    req.on('end', () => resolve(bytes > maxBytes ? { ok: false, tooLarge: true, bytes } : { ok: true, body: Buffer.concat(chunks) }));
  });
}
