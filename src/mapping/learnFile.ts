/**
 * Writes a learned MIDI route into a mapping file (src/mapping's format: `routes: [{ source, target, … }]`) through
 * yaml's Document API, so the performer's comments, order and formatting survive. The new text is validated with
 * the mapping schema before it replaces the file (atomically: temp file + rename), so learn never leaves a mapping
 * the engine would refuse.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
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
  const how = `${learned.relative ? 'relative encoder ' : ''}${learned.source} on '${learned.port}'`;
  const note = `MIDI learn ${when.toISOString().slice(0, 16).replace('T', ' ')}: ${how}`;
  const source = /^[A-Za-z0-9:_./-]+$/.test(learned.source) ? learned.source : JSON.stringify(learned.source);
  const target = /^[A-Za-z0-9:_./<>-]+$/.test(learned.target) ? learned.target : JSON.stringify(learned.target);

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
      edits.push({ at: above ? prev : ls, end: ls, insert: `${' '.repeat(Math.max(0, dash))}# ${note}\n` });
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
      edits.push({ at, end: at, insert: `\n${pad}# ${note}\n${pad}- source: ${source}\n${pad}  target: ${target}` });
      index = routes.items.length;
      action = 'added';
    }
  } else if (routes === undefined || routes === null || (isScalar(routes) && routes.value === null)) {
    if (isScalar(routes)) {
      throw new UserError(`${file}: 'routes' is empty; write 'routes: []' or remove it before learning`);
    }
    const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    edits.push({ at: text.length, end: text.length, insert: `${sep}routes:\n  # ${note}\n  - source: ${source}\n    target: ${target}\n` });
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
    return { text: out, action, index };
  } else {
    throw new UserError(`${file}: 'routes' must be a list`);
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.end);
  parseMapping(out, file); // throws a file:line:col UserError if the result is not a valid mapping
  return { text: out, action, index };
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
