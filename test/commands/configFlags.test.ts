/**
 * The CLI flags that are config keys come from one table read against the config schema: every one shows its
 * range and the schema's default in `--help`, a value out of range is one line naming the flag and the range (exit
 * 2), only flags typed on the command line override the config file, and no default of the schema is declared a
 * second time anywhere in src/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { z } from 'zod';
import { configSchema, defaultConfig, resolveConfig } from '../../src/config.js';
import { CONFIG_FLAGS, addConfigFlags, fieldInfo, givenConfig, helpText, longName, rangeText, type ConfigFlag, type ValueKind } from '../../src/commands/configFlags.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/latentvj.js', ...args], { encoding: 'utf8', timeout: 60_000 });
/** Help as one line: commander wraps long descriptions at the terminal width. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');
const at = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
const shown = (v: unknown): string => (Array.isArray(v) ? (v.length ? v.join(v.every((x) => typeof x === 'number') ? ',' : ' ') : 'none') : String(v));

test('every config flag shows its schema default and range in --help of each command that takes it', async () => {
  const defaults = defaultConfig();
  // live's help through a real command line, the others through main() here.
  const helpOf = async (cmd: string): Promise<string> => flat((await cliInProcess(cmd, '--help')).stdout);
  const liveHelp = cli('live', '--help').stdout;
  assert.equal((await cliInProcess('live', '--help')).stdout, liveHelp, 'the same help in and out of process');
  const help = {
    live: flat(liveHelp),
    trace: await helpOf('trace'),
    analyze: await helpOf('analyze'),
    meter: await helpOf('meter'),
    learn: await helpOf('learn'),
  };
  const takes = { live: CONFIG_FLAGS.map((f) => longName(f)), trace: ['--mapping', '--model', '--fps'], analyze: ['--block-size'], meter: ['--audio'], learn: ['--mapping', '--midi'] };
  for (const f of CONFIG_FLAGS as readonly ConfigFlag[]) {
    const info = fieldInfo(f.path);
    const line = flat(helpText(f));
    assert.ok(info.description, `${f.path} has a description in the schema`);
    assert.ok(line.includes(flat(info.description!)), `${longName(f)}: help is the schema's description`);
    if (f.flags.startsWith('--no-')) assert.match(line, at(defaults, f.path) === true ? /\[default: on\]/ : /\[default: off\]/);
    else if (f.hostPort) assert.ok(line.includes(`port ${rangeText(fieldInfo(`${f.path}.port`).kind)!}`), line);
    else {
      assert.ok(line.includes(`default: ${shown(at(defaults, f.path))}`), `${longName(f)}: '${line}' shows the default ${shown(at(defaults, f.path))}`);
      const range = rangeText(info.element ?? info.kind);
      if (range) assert.ok(line.includes(range), `${longName(f)}: '${line}' shows the range ${range}`);
    }
    for (const [cmd, names] of Object.entries(takes)) {
      if (names.includes(longName(f))) assert.ok(help[cmd as keyof typeof help].includes(line), `${cmd} --help has ${longName(f)}: ${line}`);
    }
  }
  // The ranges are the schema's: the numbers are read, not written again.
  assert.equal(rangeText(fieldInfo('fps').kind), 'a number from 1 to 240');
  assert.equal(rangeText(fieldInfo('audio.sampleRate').kind), 'an integer from 8000 to 192000');
  assert.match(help.live, /--fps <n> frames per second of the picture \[a number from 1 to 240; default: 30\]/);
});

/** A value just outside the schema's range for this kind. */
function outside(kind: ValueKind): string | null {
  switch (kind.type) {
    case 'number':
      return String(Number.isNaN(kind.max) ? kind.min - 1 : kind.max + 1);
    case 'enum':
      return 'nope';
    case 'indexOrName':
      return String(kind.min - 1);
    default:
      return null;
  }
}

test('a value out of range is one line naming the flag and the range, exit 2, for every ranged flag', async () => {
  let checked = 0;
  for (const f of CONFIG_FLAGS as readonly ConfigFlag[]) {
    if (f.flags.startsWith('--no-')) continue;
    const info = fieldInfo(f.hostPort ? `${f.path}.port` : f.path);
    const kind = info.element ?? info.kind;
    const bad = outside(kind);
    if (bad === null) continue;
    // In this process (the parse fails before anything starts); the cases below go through the real command line.
    const r = await cliInProcess('live', '--no-window', '--port', '0', '--osc-port', '0', longName(f), bad);
    assert.equal(r.status, 2, `${longName(f)} ${bad}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.startsWith(`latentvj: ${longName(f)} ${bad}: expected `) && lines[0]!.endsWith(rangeText(kind)!), lines[0]);
    checked += 1;
  }
  assert.ok(checked >= 12, `${checked} flags checked`);
  const t = cli('trace', 'demo', '--fps', '241');
  assert.equal(t.status, 2);
  assert.equal(t.stderr, 'latentvj: --fps 241: expected a number from 1 to 240\n');
  const a = cli('analyze', 'x.wav', '--block-size', '8');
  assert.equal(a.status, 2);
  assert.equal(a.stderr, 'latentvj: --block-size 8: expected an integer from 16 to 16384\n');
  const c = cli('live', '--channels', '1,x');
  assert.equal(c.status, 2);
  assert.equal(c.stderr, 'latentvj: --channels 1,x: expected a comma-separated list, each an integer from 1 to 64\n');
});

test('only flags typed on the command line override the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-flags-'));
  try {
    const file = join(dir, 'show.yaml');
    writeFileSync(file, 'fps: 50\ncontrol:\n  oscEnabled: true\n  midiInputs: [nano]\naudio:\n  channels: [3]\n');
    const parse = (...argv: string[]): Record<string, unknown> => {
      let given: Record<string, unknown> = {};
      const program = new Command().exitOverride();
      addConfigFlags(program.command('live'), CONFIG_FLAGS).action((_o, cmd: Command) => {
        given = givenConfig(cmd, CONFIG_FLAGS);
      });
      program.parse(['node', 'latentvj', 'live', ...argv]);
      return given;
    };
    assert.deepEqual(parse(), {});
    const none = resolveConfig(file, parse());
    assert.equal(none.fps, 50);
    assert.equal(none.control.oscEnabled, true, "--no-osc's implicit true does not count as typed");
    assert.deepEqual(none.control.midiInputs, ['nano']);
    const typed = parse('--fps', '25', '--no-osc', '--midi', '0', 'Launch', '--channels', '1,2', '--osc-out', '9000', '--display', 'HDMI');
    assert.deepEqual(typed, {
      fps: 25,
      audio: { channels: [1, 2] },
      output: { display: 'HDMI' },
      control: { oscEnabled: false, midiInputs: [0, 'Launch'], oscOut: { enabled: true, port: 9000 } },
    });
    const cfg = resolveConfig(file, typed);
    assert.equal(cfg.fps, 25);
    assert.equal(cfg.control.oscOut.host, fieldInfo('control.oscOut.host').defaultValue, 'a port alone keeps the schema default host');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every schema leaf with a scalar default, by its key name. */
function scalarDefaults(): Array<{ path: string; key: string; value: string | number | boolean }> {
  const out: Array<{ path: string; key: string; value: string | number | boolean }> = [];
  const walk = (s: z.ZodType, path: string[]): void => {
    let core = s as unknown as { def: { type: string; innerType?: unknown; defaultValue?: unknown; shape?: Record<string, z.ZodType> } };
    let value: unknown;
    while (['default', 'prefault', 'optional'].includes(core.def.type)) {
      if (core.def.type === 'default' && value === undefined) value = core.def.defaultValue;
      core = core.def.innerType as typeof core;
    }
    if (core.def.type === 'object') for (const [k, v] of Object.entries(core.def.shape!)) walk(v, [...path, k]);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push({ path: path.join('.'), key: path.at(-1)!, value });
  };
  walk(configSchema, []);
  return out;
}

const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `key: value` in an object or a flag's help, `key = value` as a parameter default; not a type union. */
function repeated(l: { key: string; value: string | number | boolean }): RegExp {
  const lit = typeof l.value === 'string' ? `['"\`]${esc(l.value)}['"\`]` : esc(String(l.value));
  return new RegExp(`\\b${esc(l.key)}\\s*[:=]\\s*${lit}(?![\\w.]|\\s*\\|)`, 'g');
}

/** Places where a key is set to the value its default also has on purpose (not a second declaration of it). */
const SAME_VALUE_ON_PURPOSE: Array<{ file: string; path: string; why: string }> = [
  { file: 'src/pipeline/replay.ts', path: 'control.link.enabled', why: 'a replay turns Link off whatever the recorded config said' },
  { file: 'src/pipeline/replay.ts', path: 'control.oscOut.enabled', why: 'matched by key name: the same `enabled: false` on Link' },
  { file: 'src/pipeline/replay.ts', path: 'control.abletonOsc.enabled', why: 'matched by key name: the same `enabled: false` on Link' },
  { file: 'src/render/frameSource.ts', path: 'fps', why: 'an analysis-only run: no frames are stepped, the rate is unused' },
];

test('no default of the config schema is declared twice: src/ takes each from the schema', () => {
  const leaves = scalarDefaults();
  assert.ok(leaves.some((l) => l.path === 'generator.warmupRuns' && l.value === 2), 'the walk sees nested defaults');
  const files: string[] = [];
  const list = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) list(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  list(join(PACKAGE_ROOT, 'src'));
  const found: string[] = [];
  for (const file of files) {
    const rel = file.slice(PACKAGE_ROOT.length + 1);
    // The schema files declare the defaults (and what they derive from them).
    if (/(^|\/)config\.ts$/.test(rel)) continue;
    // Comments may name a default; code may not repeat it.
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    for (const l of leaves) {
      for (const m of code.matchAll(repeated(l))) {
        if (SAME_VALUE_ON_PURPOSE.some((s) => s.file === rel && s.path === l.path)) continue;
        found.push(`${rel}: ${m[0]} repeats the default of ${l.path}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

test('the scan catches a repeated default (the check can fail)', () => {
  const leaves = scalarDefaults();
  const find = (path: string, code: string): number => [...code.matchAll(repeated(leaves.find((l) => l.path === path)!))].length;
  assert.equal(find('generator.warmupRuns', 'const DEFAULTS = { warmupRuns: 2, spin: false };'), 1);
  assert.equal(find('output.fit', "  fit: 'fit',"), 1);
  assert.equal(find('generator.warmupRuns', 'warmupRuns: 20'), 0);
  assert.equal(find('output.fit', "fit: 'fit' | 'fill'"), 0);
});
