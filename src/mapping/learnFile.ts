/**
 * Writes a learned MIDI route into a mapping file (src/mapping's format: `routes: [{ source, target, … }]`) through
 * yaml's Document API, so the performer's comments, order and formatting survive. Every piece of new text (the
 * route, its comment, a replaced source) is serialised by the yaml library, never pasted from the names a device
 * reports: a MIDI port called "x\n- source: …" stays a comment. The result must parse to the old mapping plus
 * exactly the learned route, and validate with the mapping schema, before it replaces the file (atomically: temp
 * file + rename), so learn never leaves a mapping the engine would refuse or one it did not mean to write.
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { parseMapping } from './load.js';
import { UserError } from '../errors.js';
import type { LearnedControl } from '../control/learn.js';

export interface LearnWriteResult {
  file: string;
  /** 'added' a new route, or 'replaced' the MIDI source of the route(s) already driving the target. */
  action: 'added' | 'replaced';
  /** Index of the (first) route in `routes`. */
  index: number;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/** One scalar as yaml writes it (quoted when it must be), without the trailing newline. */
const yamlScalar = (v: string): string => new Document(v).toString({ lineWidth: 0 }).replace(/\n$/, '');

/** A device's name for a one-line comment: control characters escaped (a port name is chosen by the device). */
const printable = (s: string): string => JSON.stringify(s).slice(1, -1);

/** A route list item as yaml serialises it, with its comment, indented by `pad` (first line starts with `- `). */
function routeItem(source: string, target: string, note: string, pad: string): string {
  const doc = new Document({ source, target });
  (doc.contents as YAMLMap).commentBefore = ` ${note}`;
  const lines = doc.toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n');
  let first = true;
  return lines
    .map((l) => {
      if (l.startsWith('#')) return `${pad}${l}`;
      const out = `${pad}${first ? '- ' : '  '}${l}`;
      first = false;
      return out;
    })
    .join('\n');
}

/** The routes of a parsed mapping text, and the rest of it, as plain data. */
function plain(text: string): { routes: unknown[]; rest: Record<string, unknown> } {
  const js = (parseDocument(text).toJS() ?? {}) as Record<string, unknown>;
  const { routes, ...rest } = js;
  return { routes: Array.isArray(routes) ? routes : [], rest };
}

/**
 * The mapping text with the learned route in it. A route that already drives `target` from a MIDI source gets the
 * new source (learning re-assigns the parameter, as in every DAW); otherwise a route is appended to `routes`.
 * Edits are made in the text at the node positions yaml reports, so everything else stays byte for byte (a full
 * re-serialisation would re-space every flow list of the file); only a file without a block `routes:` list is
 * re-serialised.
 */
export function addLearnedRoute(
  text: string,
  file: string,
  learned: LearnedControl,
  when = new Date(),
): { text: string; action: 'added' | 'replaced'; index: number } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UserError(`${file}: cannot learn into a file that does not parse: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new UserError(`${file}: a mapping file is a YAML map at the top level`);
  const how = `${learned.relative ? 'relative encoder ' : ''}${printable(learned.source)} on '${printable(learned.port)}'`;
  const note = `MIDI learn ${when.toISOString().slice(0, 16).replace('T', ' ')}: ${how}`;
  const source = yamlScalar(learned.source);

  const root = doc.contents as YAMLMap | null;
  const routes: unknown = root?.get('routes', true);
  const edits: Array<{ at: number; end: number; insert: string }> = [];
  let index = -1;
  let action: 'added' | 'replaced' = 'replaced';
  const lineStart = (pos: number) => text.lastIndexOf('\n', pos - 1) + 1;

  if (isSeq(routes) && !routes.flow && routes.items.length > 0) {
    routes.items.forEach((item, i) => {
      if (!isMap(item) || !item.range) return;
      const src = item.get('source', true);
      const tgt = scalarValue(item.get('target', true));
      if (tgt !== learned.target || !isScalar(src) || typeof src.value !== 'string' || !src.value.startsWith('midi:') || !src.range) return;
      const ls = lineStart(item.range[0]);
      const dash = text.slice(ls, item.range[0]).indexOf('-');
      edits.push({ at: src.range[0], end: src.range[1], insert: source });
      // The comment of an earlier learn on the line above is replaced, not stacked.
      const prev = ls > 0 ? lineStart(ls - 1) : ls;
      const above = /^\s*# MIDI learn /.test(text.slice(prev, ls));
      const comment = new Document(null);
      comment.commentBefore = ` ${note}`;
      const commentLine = comment.toString().split('\n')[0]!; // '# …': yaml's own comment writer
      edits.push({ at: above ? prev : ls, end: ls, insert: `${' '.repeat(Math.max(0, dash))}${commentLine}\n` });
      if (index < 0) index = i;
    });
    if (index < 0) {
      const last = routes.items[routes.items.length - 1]!;
      const range = (last as { range?: [number, number, number] }).range!;
      const ls = lineStart(range[0]);
      const dash = Math.max(0, text.slice(ls, range[0]).indexOf('-'));
      // End of the last item's last line (its value end may sit just past the newline).
      let at = range[1];
      if (at > 0 && text[at - 1] === '\n') at -= 1;
      else {
        const nl = text.indexOf('\n', at);
        at = nl < 0 ? text.length : nl;
      }
      const pad = ' '.repeat(dash);
      edits.push({ at, end: at, insert: `\n${routeItem(learned.source, learned.target, note, pad)}` });
      index = routes.items.length;
      action = 'added';
    }
  } else if (routes === undefined || routes === null || (isScalar(routes) && routes.value === null)) {
    if (isScalar(routes)) {
      throw new UserError(`${file}: 'routes' is empty; write 'routes: []' or remove it before learning`);
    }
    const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    edits.push({ at: text.length, end: text.length, insert: `${sep}routes:\n${routeItem(learned.source, learned.target, note, '  ')}\n` });
    index = 0;
    action = 'added';
  } else if (isSeq(routes)) {
    // A flow list (`routes: []`): re-serialise this one list through the Document.
    const node = doc.createNode({ source: learned.source, target: learned.target }) as YAMLMap;
    node.commentBefore = ` ${note}`;
    routes.flow = false;
    routes.items.push(node);
    index = routes.items.length - 1;
    action = 'added';
    const out = doc.toString({ lineWidth: 0 });
    parseMapping(out, file);
    checkOnlyTheRoute(text, out, file, learned, action);
    return { text: out, action, index };
  } else {
    throw new UserError(`${file}: 'routes' must be a list`);
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.end);
  parseMapping(out, file); // throws a file:line:col UserError if the result is not a valid mapping
  checkOnlyTheRoute(text, out, file, learned, action);
  return { text: out, action, index };
}

/**
 * The written text must mean the old mapping plus the learned route and nothing else: the same keys, the same
 * routes, and one more route (or the same routes with the learned source on the target's MIDI routes).
 */
function checkOnlyTheRoute(before: string, after: string, file: string, learned: LearnedControl, action: 'added' | 'replaced'): void {
  const a = plain(before);
  const b = plain(after);
  const expected =
    action === 'added'
      ? [...a.routes, { source: learned.source, target: learned.target }]
      : a.routes.map((r) => {
          const route = r as Record<string, unknown>;
          return route.target === learned.target && typeof route.source === 'string' && route.source.startsWith('midi:') ? { ...route, source: learned.source } : r;
        });
  if (!isDeepStrictEqual(a.rest, b.rest) || !isDeepStrictEqual(expected, b.routes)) {
    throw new UserError(`${file}: learning ${printable(learned.source)} for '${printable(learned.target)}' would change more than that route; the file was left as it was`);
  }
}

/** Add the learned route to the mapping file on disk. */
export function writeLearnedRoute(file: string, learned: LearnedControl, when = new Date()): LearnWriteResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read the mapping to learn into (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = addLearnedRoute(text, file, learned, when);
  const tmp = `${file}.learn-${process.pid}.tmp`;
  writeFileSync(tmp, r.text);
  renameSync(tmp, file);
  return { file, action: r.action, index: r.index };
}
