import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { UserError } from './errors.js';

/**
 * Reads a YAML or JSON file (JSON is YAML) and validates it with a zod schema. Every problem is reported as
 * `file:line:col: key.path: what was expected`, so a performer can fix a mapping or config in one look.
 */
export function loadSchemaFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return parseSchemaText(readUserFile(file), file, schema);
}

/**
 * Mapping and config files are text a person writes: a few kilobytes. Anything far larger is a mistake (or an
 * attack) that would hold the engine while it parses; large data (latent banks, images) lives in its own files.
 */
export const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024;
/**
 * YAML aliases may repeat a node; nested, a few lines expand into billions of nodes ("alias bomb"). yaml's own
 * guard counts expanded alias nodes; this is its limit, named here so the error can say it.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

const tooBig = (file: string, size: number, max: number): UserError =>
  new UserError(
    `${file}: ${size} bytes is over the limit of ${max} bytes for a mapping or config file; keep large data (latent banks, images) in files of their own`,
  );
const unreadable = (file: string, e: unknown): UserError =>
  new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);

/** The text of a file the user named; a missing, unreadable or oversized one is one UserError line naming it. */
export function readUserFile(file: string, maxBytes = MAX_TEXT_FILE_BYTES): string {
  try {
    const size = statSync(file).size;
    if (size > maxBytes) throw tooBig(file, size, maxBytes);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw unreadable(file, e);
  }
}

/** readUserFile without blocking the event loop (hot reload while the show runs). */
export async function readUserFileAsync(file: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  try {
    const size = (await stat(file)).size;
    if (size > maxBytes) throw tooBig(file, size, maxBytes);
    const text = await readFile(file, 'utf8');
    // The file may have grown between stat and read.
    if (Buffer.byteLength(text) > maxBytes) throw tooBig(file, Buffer.byteLength(text), maxBytes);
    return text;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw unreadable(file, e);
  }
}

/** A parsed document as plain data; an alias bomb is a UserError naming the file and the limit. */
export function yamlToJs(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      throw new UserError(
        `${file}: YAML aliases (*name) expand to more than ${MAX_YAML_ALIAS_COUNT} nodes; write the repeated values out instead of nesting aliases`,
      );
    }
    throw e;
  }
}

export function parseSchemaText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = lineCounter.linePos(err.pos[0]);
    throw new UserError(`${file}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}`);
  }
  const value: unknown = yamlToJs(doc, file) ?? {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String);
    const where = locateYamlPath(doc.contents, path, lineCounter);
    const key = path.length ? path.join('.') : '(top level)';
    return `${file}:${where.line}:${where.col}: ${key}: ${describeIssue(issue)}`;
  });
  const more = result.error.issues.length > 5 ? ` (+${result.error.issues.length - 5} more)` : '';
  throw new UserError(lines.join('\n') + more);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return issue.message;
}

/**
 * Line and column of the deepest node along a key path (map keys, sequence indices) that exists in a parsed
 * YAML document; the document's start when not even the first key is there.
 */
export function locateYamlPath(root: unknown, path: readonly string[], lc: LineCounter): { line: number; col: number } {
  let node = root as YamlNode | null | undefined;
  let best = node;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === key);
      if (!pair) break;
      best = (pair.key as YamlNode) ?? best;
      node = pair.value as YamlNode;
      if (node) best = node;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as YamlNode | undefined;
      if (!item) break;
      node = item;
      best = item;
    } else break;
  }
  const offset = best && 'range' in best && best.range ? best.range[0] : 0;
  return lc.linePos(offset);
}
