import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { UserError } from './errors.js';

/**
 * Reads a YAML or JSON file (JSON is YAML) and validates it with a zod schema. Every problem is reported as
 * `file:line:col: key.path: what was expected`, so a performer can fix a mapping or config in one look.
 */
export function loadSchemaFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return parseSchemaText(readUserFile(file), file, schema);
}

/** The text of a file the user named; a missing or unreadable one is one UserError line naming it. */
export function readUserFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
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
  const value: unknown = doc.toJS() ?? {};
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
