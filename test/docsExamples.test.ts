/**
 * Every YAML / JSON example in the docs (docs/*.md, README.md) parses and validates: a whole config file against the
 * config schema, a mapping (or a few of its sections) against the mapping schema section by section, a list of
 * routes route by route. An example the test cannot classify fails too, so a new kind of example needs a rule here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { PACKAGE_ROOT } from '../src/paths.js';
import { configSchema } from '../src/config.js';
import { mappingSchema, routeSchema } from '../src/mapping/schema.js';
import { explainIssue } from '../src/mapping/load.js';
import { SESSION_FORMAT, SESSION_VERSION } from '../src/session/format.js';

interface Example {
  file: string;
  /** 1-based line of the first line of the block's content. */
  line: number;
  text: string;
}

function examples(): Example[] {
  const files = [
    join(PACKAGE_ROOT, 'README.md'),
    ...readdirSync(join(PACKAGE_ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(PACKAGE_ROOT, 'docs', f)),
  ];
  const out: Example[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)```(yaml|yml|json)\s*$/.exec(lines[i]!);
      if (!open) continue;
      const indent = open[1]!.length;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
      out.push({ file: file.slice(PACKAGE_ROOT.length + 1), line: i + 2, text: body.join('\n') });
      i = j;
    }
  }
  return out;
}

/** The issues worded as the mapping loader words them (unknown keys, the union branch that got furthest). */
const issuesText = (ex: Example, what: string, error: z.ZodError): string =>
  `${ex.file}:${ex.line}: ${what}: ` +
  error.issues
    .map((i) => {
      const { path, message } = explainIssue(i);
      return `${path.join('.')}: ${message}`;
    })
    .join('; ');

const CONFIG_KEYS = new Set(Object.keys(configSchema.shape));
const MAPPING_KEYS = new Set(Object.keys(mappingSchema.shape));

/** Problems with one example; empty when it is valid. */
function check(ex: Example): string[] {
  const lc = new LineCounter();
  const doc = parseDocument(ex.text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => `${ex.file}:${ex.line + (e.linePos?.[0].line ?? 1) - 1}: YAML: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (Array.isArray(value)) {
    // Route items shown on their own (an excerpt of `routes:`).
    return value.flatMap((r, i) => {
      const res = routeSchema.safeParse(r);
      return res.success ? [] : [issuesText(ex, `route ${i}`, res.error)];
    });
  }
  if (!value || typeof value !== 'object') return [`${ex.file}:${ex.line}: neither a mapping, a config nor a list of routes`];
  const keys = Object.keys(value);
  // A session folder's header (docs/session.md): the format and version the reader takes.
  if ((value as { format?: unknown }).format === SESSION_FORMAT) {
    const version = (value as { version?: unknown }).version;
    return version === SESSION_VERSION ? [] : [`${ex.file}:${ex.line}: session header version ${String(version)}; the reader takes ${SESSION_VERSION}`];
  }
  if (keys.every((k) => CONFIG_KEYS.has(k)) && !keys.every((k) => MAPPING_KEYS.has(k))) {
    const res = configSchema.safeParse(value);
    return res.success ? [] : [issuesText(ex, 'config', res.error)];
  }
  if (keys.every((k) => MAPPING_KEYS.has(k))) {
    // The outline of a file leaves sections empty (a comment in place of the value): those show the key only.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null);
    const whole = mappingSchema.safeParse(Object.fromEntries(entries));
    if (whole.success) return [];
    // An excerpt may name banks or generators declared elsewhere on the page: each section must still be valid.
    return entries.flatMap(([k, v]) => {
      const res = (mappingSchema.shape as Record<string, z.ZodType>)[k]!.safeParse(v);
      return res.success ? [] : [issuesText(ex, `mapping section '${k}'`, res.error)];
    });
  }
  return [`${ex.file}:${ex.line}: keys ${keys.join(', ')} are neither a config's nor a mapping's`];
}

test('the docs have YAML examples (the extraction finds them)', () => {
  const all = examples();
  assert.ok(all.length >= 10, `only ${all.length} examples found`);
  assert.ok(all.some((e) => e.file === 'docs/control.md'));
  assert.ok(all.some((e) => e.file === 'docs/mapping.md'));
});

test('every YAML / JSON example in the docs parses and validates', () => {
  const problems = examples().flatMap(check);
  assert.deepEqual(problems, []);
});

test('a broken example is reported with its file and line', () => {
  const bad = check({ file: 'docs/x.md', line: 10, text: 'routes:\n  - source: onset.kik\n    target: truncation\n' });
  assert.equal(bad.length, 1);
  assert.match(bad[0]!, /^docs\/x\.md:10: .*unknown source 'onset\.kik'; did you mean 'onset\.kick'/);
  assert.match(check({ file: 'docs/x.md', line: 3, text: 'control:\n  oscPort: nope\n' })[0]!, /^docs\/x\.md:3: config: control\.oscPort/);
  assert.match(check({ file: 'docs/x.md', line: 3, text: 'a: [\n' })[0]!, /^docs\/x\.md:\d+: YAML/);
  assert.match(check({ file: 'docs/x.md', line: 3, text: 'colour: red\n' })[0]!, /neither a config's nor a mapping's/);
});
