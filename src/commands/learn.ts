/**
 * `latentvj learn <target>`: MIDI learn from the command line. Opens the MIDI inputs (the config's, --midi, or all),
 * waits for one control to move, and writes the route into the mapping file with a comment (in place, comments kept,
 * validated before writing). The same flow runs from the monitor page through the ws API while `live` runs.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { resolveConfig } from '../config.js';
import { UserError } from '../errors.js';
import type { GlobalOptions } from './options.js';
import { createControl } from '../control/index.js';
import { addLearnedRoute, writeLearnedRoute } from '../mapping/learnFile.js';
import { ALL_INPUTS, loadNativeMidi, type MidiBackend } from '../control/midiPorts.js';
import { resolveMappingPath } from '../mapping/load.js';
import { readFileSync } from 'node:fs';
import { logger } from '../log.js';
import { addConfigFlags, configFlags, givenConfig } from './configFlags.js';

const log = logger('learn');

interface LearnFlags {
  timeout: number;
}

/** The config keys learn takes as flags, as live does: the mapping to write into and the inputs to open. */
const LEARN_FLAGS = configFlags('--mapping', '--midi');

const seconds = (v: string): number => {
  const n = Number(v);
  if (!(n > 0 && n <= 3600)) throw new InvalidArgumentError(`--timeout takes seconds in (0, 3600], got '${v}'`);
  return n;
};

export interface LearnOptions {
  target: string;
  mappingFile: string;
  /** Inputs by name substring or index; empty = every input there is. */
  inputs: Array<string | number>;
  timeoutS: number;
  /** The MIDI layer (tests); default @julusian/midi. */
  midi?: MidiBackend | string;
}

/** Learn one route; resolves with the line printed on stdout. */
export async function learnOnce(o: LearnOptions): Promise<string> {
  // Refuse an unknown target or a broken file before asking the performer to touch anything.
  addLearnedRoute(readMapping(o.mappingFile), o.mappingFile, { target: o.target, source: 'midi:cc:1:1', id: null, port: '', relative: false });
  const midi = o.midi ?? (await loadNativeMidi());
  if (typeof midi === 'string') throw new UserError(`MIDI learn needs MIDI: ${midi}`);
  const available = midi.inputNames();
  if (available.length === 0) throw new UserError('MIDI learn: no MIDI input ports (check the cable and `latentvj devices`)');
  const inputs = o.inputs.length > 0 ? o.inputs : [ALL_INPUTS];
  const control = await createControl({ oscEnabled: false, midiInputs: inputs, midiRescanS: 1 }, { midi });
  try {
    const opened = control.midi?.status().inputs.filter((i) => i.state === 'open').map((i) => `'${i.name}'`) ?? [];
    if (opened.length === 0) {
      const what = inputs.length === 1 && inputs[0] === ALL_INPUTS ? 'no controller among the inputs' : `no input matches ${inputs.map((i) => JSON.stringify(i)).join(', ')}`;
      throw new UserError(`MIDI learn: ${what} (inputs: ${available.join(', ')})`);
    }
    log.info(`move a control on ${opened.join(', ')} for '${o.target}' (${o.timeoutS} s)…`);
    let learned;
    try {
      learned = await control.learn.arm(o.target, o.timeoutS * 1000);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    const r = writeLearnedRoute(o.mappingFile, learned);
    return `learned ${learned.source} → ${learned.target} (${r.action} route ${r.index} in ${r.file})`;
  } finally {
    await control.close();
  }
}

function readMapping(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function register(program: Command): void {
  const learn = program
    .command('learn')
    .description('MIDI learn: move a control and its route to <target> is written into the mapping file')
    .argument('<target>', 'mapping target, e.g. truncation, post.brightness, bend.zoom');
  addConfigFlags(learn, LEARN_FLAGS)
    .option('--timeout <s>', 'give up after this many seconds', seconds, 30)
    .action(async (target: string, flags: LearnFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const cfg = resolveConfig(g.config, givenConfig(cmd, LEARN_FLAGS));
      const mappingFile = resolveMappingPath(cfg.mapping);
      const inputs = cfg.control.midiInputs.map((s) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s));
      const line = await learnOnce({ target, mappingFile, inputs, timeoutS: flags.timeout });
      process.stdout.write(line + '\n');
    });
}
