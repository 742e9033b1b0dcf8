import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODIFIERS } from './modifiers.js';
import { SOURCES } from './sources.js';
import { TARGETS } from './targets.js';
import { PACKAGE_ROOT } from './load.js';

/**
 * The reference tables of docs/mapping.md, generated from the same source / modifier / target tables the
 * schema and the compiler use. The prose around them is hand-written; the tables live between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers and a test checks they are current.
 */
export const DOCS_FILE = join(PACKAGE_ROOT, 'docs', 'mapping.md');

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function generatedTables(): Record<string, string> {
  const sources = ['| source | values | what |', '| --- | --- | --- |'];
  for (const s of SOURCES) {
    const name = s.example ? `\`${s.name}\` (e.g. \`${s.example}\`)` : `\`${s.name}\``;
    sources.push(`| ${cell(name)} | ${s.width} | ${cell(s.doc)} |`);
  }
  sources.push('| a number, e.g. `0.5` | 1 | A constant. |');
  const modifiers = ['| modifier | example | what |', '| --- | --- | --- |'];
  for (const m of MODIFIERS) modifiers.push(`| \`${m.key}\` | \`${cell(m.example)}\` | ${cell(m.doc)} |`);
  const targets = ['| target | per | base | default smoothing | what |', '| --- | --- | --- | --- | --- |'];
  for (const t of TARGETS) {
    const per = t.shape === 'layers' ? (t.elements === 'wRow' ? 'W+ row (`layers:`)' : `layer (\`layers:\`, ${t.elements!.replace('Index', '')} inputs)`) : t.shape === 'bank' ? 'latent of the bank' : '—';
    targets.push(`| \`${t.name}\` | ${per} | ${t.base} | ${t.smoothMs ? `${t.smoothMs} ms` : '—'} | ${cell(t.doc)} |`);
  }
  return { sources: sources.join('\n'), modifiers: modifiers.join('\n'), targets: targets.join('\n') };
}

/** The docs text with every generated block replaced by the current tables. */
export function withGeneratedTables(text: string): string {
  let out = text;
  for (const [name, table] of Object.entries(generatedTables())) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`${DOCS_FILE}: missing the <!-- generated:${name} --> … <!-- /generated:${name} --> block`);
    out = out.replace(re, `$1${table}\n$2`);
  }
  return out;
}

export function docsAreCurrent(): boolean {
  const text = readFileSync(DOCS_FILE, 'utf8');
  return withGeneratedTables(text) === text;
}
