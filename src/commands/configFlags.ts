/**
 * The CLI flags that set config keys, as one table. Each entry names a key of the config schema (src/config.ts);
 * its value kind, range, help text and default are read from that schema, so a range or default changed there
 * changes the flag's check and its `--help` line with it. live, trace and analyze register their config flags from
 * here; what a flag was given becomes the nested config shape that `resolveConfig` merges over the config file.
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { configSchema } from '../config.js';
import { UserError } from '../errors.js';

export interface ConfigFlag {
  /** Commander's spelling: '-p, --port <port>', '--no-osc' (turns a default-on boolean off), '--midi <inputs...>'. */
  flags: string;
  /** The config key it sets, dotted. */
  path: string;
  /** A list given as one comma-separated word (`--channels 1,2`) rather than several words (`--midi a b`). */
  commaList?: boolean;
  /** `host:port` or `port` into an object with `enabled`, `host` and `port` (`--osc-out`). */
  hostPort?: boolean;
}

/** Every CLI flag that is a config key. Order is the order of `live --help`. */
export const CONFIG_FLAGS = [
  { flags: '-a, --audio <source>', path: 'audio.source' },
  { flags: '--sample-rate <hz>', path: 'audio.sampleRate' },
  { flags: '--channels <list>', path: 'audio.channels', commaList: true },
  { flags: '--block-size <frames>', path: 'audio.blockSize' },
  { flags: '--gain-db <db>', path: 'audio.gainDb' },
  { flags: '--fps <n>', path: 'fps' },
  { flags: '-m, --mapping <file|preset>', path: 'mapping' },
  { flags: '--model <dir>', path: 'generator.model' },
  { flags: '--ep <provider>', path: 'generator.ep' },
  { flags: '--threads <n>', path: 'generator.threads' },
  { flags: '--host <host>', path: 'output.host' },
  { flags: '-p, --port <port>', path: 'output.port' },
  { flags: '--osc-host <host>', path: 'control.oscHost' },
  { flags: '--osc-port <port>', path: 'control.oscPort' },
  { flags: '--no-osc', path: 'control.oscEnabled' },
  { flags: '--osc-out <host:port>', path: 'control.oscOut', hostPort: true },
  { flags: '--midi <inputs...>', path: 'control.midiInputs' },
  { flags: '--no-window', path: 'output.window' },
  { flags: '--display <n|name>', path: 'output.display' },
  { flags: '--fit <mode>', path: 'output.fit' },
  { flags: '--allow-origin <origins...>', path: 'output.allowedOrigins' },
] as const satisfies readonly ConfigFlag[];

/** What a schema field takes, as far as a flag needs to know. */
export type ValueKind =
  | { type: 'number'; int: boolean; min: number; max: number }
  | { type: 'string' }
  | { type: 'boolean' }
  | { type: 'enum'; options: string[] }
  /** A number or a name (`--display 1` or `--display HDMI`, `--midi 0` or `--midi nano`). */
  | { type: 'indexOrName'; min: number }
  | { type: 'object'; shape: Record<string, z.ZodType> };

export interface FieldInfo {
  kind: ValueKind;
  /** Set for a list: the kind of each element. */
  element: ValueKind | null;
  /** The schema's `.describe()`: a flag's help text. */
  description: string | null;
  /** The schema's default (undefined: none). */
  defaultValue: unknown;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  element?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string>;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** Strips default/prefault/optional wrappers, keeping the outermost description and default. */
function unwrap(s: z.ZodType): { core: z.ZodType; description: string | undefined; defaultValue: unknown } {
  let description = s.description;
  let defaultValue: unknown;
  let core = s;
  for (;;) {
    const d = defOf(core);
    if (d.type === 'default' && defaultValue === undefined) defaultValue = d.defaultValue;
    if (d.type !== 'default' && d.type !== 'prefault' && d.type !== 'optional') break;
    core = d.innerType!;
    description ??= core.description;
  }
  return { core, description, defaultValue };
}

function kindOf(s: z.ZodType, path: string): ValueKind {
  const d = defOf(s);
  switch (d.type) {
    case 'number': {
      const n = s as z.ZodNumber;
      const bounded = (v: number | null): number => (v === null || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? NaN : v);
      return { type: 'number', int: n.isInt === true, min: bounded(n.minValue), max: bounded(n.maxValue) };
    }
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'enum', options: Object.values(d.entries!) };
    case 'object':
      return { type: 'object', shape: d.shape! };
    case 'union': {
      const [a, b] = d.options!.map((o) => kindOf(unwrap(o).core, path));
      if (d.options!.length === 2 && a?.type === 'number' && b?.type === 'string') return { type: 'indexOrName', min: Number.isNaN(a.min) ? 0 : a.min };
      break;
    }
  }
  throw new Error(`config key ${path}: a ${d.type} cannot be a CLI flag (configFlags.ts knows numbers, strings, booleans, enums, lists and index-or-name)`);
}

/** The schema field at a dotted path. Throws for a path the schema lacks (a table typo fails at start and in tests). */
export function fieldInfo(path: string): FieldInfo {
  let s: z.ZodType = configSchema;
  let info = unwrap(s);
  for (const key of path.split('.')) {
    const d = defOf(info.core);
    const next = d.type === 'object' ? d.shape![key] : undefined;
    if (!next) throw new Error(`config key ${path}: no '${key}' in the config schema`);
    s = next;
    info = unwrap(s);
  }
  const core = defOf(info.core);
  const isList = core.type === 'array';
  const kind = kindOf(isList ? unwrap(core.element!).core : info.core, path);
  const description = info.description ?? null;
  return isList
    ? { kind: { type: 'string' }, element: kind, description, defaultValue: info.defaultValue }
    : { kind, element: null, description, defaultValue: info.defaultValue };
}

/** The long name of a flag ('--sample-rate'). */
export const longName = (flag: ConfigFlag): string => /--[a-z-]+/.exec(flag.flags)![0];
const negated = (flag: ConfigFlag): boolean => flag.flags.startsWith('--no-');

/** The range a value must lie in, in words ('an integer from 8000 to 192000'), or null when any value goes. */
export function rangeText(kind: ValueKind): string | null {
  switch (kind.type) {
    case 'number': {
      const what = kind.int ? 'an integer' : 'a number';
      const lo = Number.isNaN(kind.min) ? null : kind.min;
      const hi = Number.isNaN(kind.max) ? null : kind.max;
      if (lo !== null && hi !== null) return `${what} from ${lo} to ${hi}`;
      if (lo !== null) return `${what} of at least ${lo}`;
      if (hi !== null) return `${what} of at most ${hi}`;
      return what;
    }
    case 'enum':
      return `one of ${kind.options.join(', ')}`;
    case 'indexOrName':
      return `an index from ${kind.min}, or a name`;
    default:
      return null;
  }
}

/** A default as it would be typed: numbers of a list comma-separated (`1,2`), names space-separated. */
function showDefault(v: unknown): string {
  if (!Array.isArray(v)) return String(v);
  return v.length === 0 ? 'none' : v.join(v.every((x) => typeof x === 'number') ? ',' : ' ');
}

/** The `--help` line of a flag: the schema's description, the range and the default. */
export function helpText(flag: ConfigFlag): string {
  const f = fieldInfo(flag.path);
  if (f.description === null) throw new Error(`config key ${flag.path}: a flag's help is the schema's .describe(); this key has none`);
  if (negated(flag)) return `turn off: ${f.description} [default: ${f.defaultValue === false ? 'off' : 'on'}]`;
  if (flag.hostPort) {
    const port = fieldInfo(`${flag.path}.port`);
    const host = fieldInfo(`${flag.path}.host`);
    return `${f.description}, to host:port or port [port ${rangeText(port.kind)}; default: off; host ${showDefault(host.defaultValue)} when only a port is given]`;
  }
  const range = rangeText(f.element ?? f.kind);
  const each = f.element ? (flag.commaList ? 'comma-separated, each ' : 'each ') : '';
  const parts = [range ? `${each}${range}` : null, f.defaultValue !== undefined ? `default: ${showDefault(f.defaultValue)}` : null].filter((p) => p !== null);
  return parts.length ? `${f.description} [${parts.join('; ')}]` : f.description;
}

/** One value for a flag of this kind, or a UserError naming the flag, the value and the range. */
export function parseValue(flag: string, v: string, kind: ValueKind): unknown {
  const bad = (): never => {
    throw new UserError(`${flag} ${v}: expected ${rangeText(kind) ?? 'a value'}`);
  };
  switch (kind.type) {
    case 'number': {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || (kind.int && !Number.isInteger(n)) || n < kind.min || n > kind.max) bad();
      return n;
    }
    case 'enum':
      return kind.options.includes(v) ? v : bad();
    case 'indexOrName': {
      if (!/^\s*-?\d+\s*$/.test(v)) return v;
      const n = Number(v);
      return n >= kind.min ? n : bad();
    }
    case 'string':
      return v.length > 0 ? v : bad();
    default:
      return bad();
  }
}

function hostPort(flag: ConfigFlag, v: string): { enabled: true; host?: string; port: number } {
  const port = fieldInfo(`${flag.path}.port`).kind;
  const m = /^(?:(.+):)?(\d+)$/.exec(v.trim());
  if (!m) throw new UserError(`${longName(flag)} ${v}: expected host:port or port (port ${rangeText(port)})`);
  const n = parseValue(longName(flag), m[2]!, port) as number;
  return m[1] !== undefined ? { enabled: true, host: m[1], port: n } : { enabled: true, port: n };
}

/** The commander Option for a flag: parsed and range-checked as commander reads it, no default of its own. */
export function configOption(flag: ConfigFlag): Option {
  const o = new Option(flag.flags, helpText(flag));
  if (negated(flag)) return o;
  const f = fieldInfo(flag.path);
  const name = longName(flag);
  if (flag.hostPort) return o.argParser((v) => hostPort(flag, v));
  if (f.element) {
    const el = f.element;
    if (flag.commaList) {
      return o.argParser((v: string) => {
        try {
          return v.split(',').map((s) => parseValue(name, s.trim(), el));
        } catch {
          throw new UserError(`${name} ${v}: expected a comma-separated list, each ${rangeText(el) ?? 'a value'}`);
        }
      });
    }
    return o.argParser((v: string, prev: unknown[] | undefined) => [...(prev ?? []), parseValue(name, v, el)]);
  }
  return o.argParser((v: string) => parseValue(name, v, f.kind));
}

/** The entries of these flags, by long name; a name the table lacks throws. */
export function configFlags(...names: string[]): ConfigFlag[] {
  return names.map((n) => {
    const f = (CONFIG_FLAGS as readonly ConfigFlag[]).find((c) => longName(c) === n);
    if (!f) throw new Error(`no config flag ${n} in CONFIG_FLAGS`);
    return f;
  });
}

/** Registers the flags on a command. */
export function addConfigFlags(cmd: Command, flags: readonly ConfigFlag[]): Command {
  for (const f of flags) cmd.addOption(configOption(f));
  return cmd;
}

/** The attribute commander stores a flag's value under ('--sample-rate' → sampleRate, '--no-osc' → osc). */
const attributeName = (flag: ConfigFlag): string => new Option(flag.flags).attributeName();

/**
 * The flags given on the command line as the nested config shape. Only what was typed counts (a negated flag's
 * implicit `true` does not), so the config file's values survive for every flag left out.
 */
export function givenConfig(cmd: Command, flags: readonly ConfigFlag[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const opts = cmd.opts();
  for (const f of flags) {
    const attr = attributeName(f);
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    const value = negated(f) ? false : opts[attr];
    const keys = f.path.split('.');
    let at = out;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = value;
  }
  return out;
}
