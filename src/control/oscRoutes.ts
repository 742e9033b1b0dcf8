/**
 * The OSC address space (docs/control.md): `/latentvj/...` commands, tempo/beat addresses (AbletonOSC's replies
 * included), and every other address as a mapping source `osc:<address>`. Pure over a small sink, so the table is
 * tested without sockets.
 */
import type { ControlCommand, CommandResult } from './commands.js';
import type { OscArg } from './oscIn.js';

export interface OscRouteSink {
  command(cmd: ControlCommand): CommandResult;
  /** A tempo message (BPM) or a beat marker (with the host's beat count when it sends one). */
  tempo(bpm: number): void;
  beat(count: number | undefined): void;
  /** A non-latentvj address: its numeric arguments as sources; false or why when refused (too many distinct sources). */
  source(address: string, args: OscArg[]): boolean | string;
}

export interface OscRouteConfig {
  tempoAddresses: readonly string[];
  beatAddresses: readonly string[];
}

const PREFIX = '/latentvj/';

/** An argument as a number: ints/floats as they are, booleans 1/0, numeric strings parsed; else NaN. */
export function argNumber(a: OscArg | undefined): number {
  if (typeof a === 'number') return a;
  if (typeof a === 'boolean') return a ? 1 : 0;
  if (typeof a === 'string' && a.trim() !== '') return Number(a);
  return Number.NaN;
}

/** On/off: an argument of 0/false/'off' is off; no argument means on. */
function argOn(a: OscArg | undefined): boolean | null {
  if (a === undefined) return true;
  if (typeof a === 'string') return /^(1|on|true)$/i.test(a) ? true : /^(0|off|false)$/i.test(a) ? false : null;
  const n = argNumber(a);
  return Number.isFinite(n) ? n >= 0.5 : null;
}

/**
 * Route one message. Returns true when applied, false when not understood (unknown /latentvj address, bad
 * argument), or the reason the command was refused (a cap, an unknown target), so the log says which.
 */
export function routeOsc(address: string, args: OscArg[], cfg: OscRouteConfig, sink: OscRouteSink): boolean | string {
  if (cfg.tempoAddresses.includes(address)) {
    const bpm = argNumber(args[0]);
    if (!(bpm >= 20 && bpm <= 400)) return false;
    sink.tempo(bpm);
    return true;
  }
  if (cfg.beatAddresses.includes(address)) {
    const n = argNumber(args[0]);
    sink.beat(Number.isFinite(n) ? n : undefined);
    return true;
  }
  if (!address.startsWith(PREFIX)) return sink.source(address, args);
  const rest = address.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const head = slash < 0 ? rest : rest.slice(0, slash);
  const tail = slash < 0 ? '' : rest.slice(slash + 1);
  const ok = (r: CommandResult): true | string => (r.ok ? true : r.error);
  switch (head) {
    case 'param': {
      const value = argNumber(args[0]);
      if (!tail || !Number.isFinite(value)) return false;
      return ok(sink.command({ type: 'set', target: tail, value }));
    }
    case 'release':
      return tail !== '' ? ok(sink.command({ type: 'release', target: tail })) : false;
    case 'scene': {
      const a = args[0];
      if (tail) return ok(sink.command({ type: 'scene', scene: /^\d+$/.test(tail) ? Number(tail) : tail }));
      if (typeof a === 'number' && Number.isInteger(a) && a >= 0) return ok(sink.command({ type: 'scene', scene: a }));
      if (typeof a === 'string' && a !== '') return ok(sink.command({ type: 'scene', scene: a }));
      return false;
    }
    case 'cue': {
      const name = tail || (typeof args[0] === 'string' ? args[0] : '');
      return name !== '' ? ok(sink.command({ type: 'cue', name })) : false;
    }
    case 'tempo':
      if (tail === 'half' || tail === 'double' || tail === 'auto') return ok(sink.command({ type: 'tempo', op: tail }));
      return false;
    case 'tap':
      return tail === '' ? ok(sink.command({ type: 'tap' })) : false;
    case 'resync':
      return tail === '' ? ok(sink.command({ type: 'resync' })) : false;
    case 'record':
    case 'blackout':
    case 'freeze': {
      const on = argOn(args[0]);
      return tail === '' && on !== null ? ok(sink.command({ type: head, on })) : false;
    }
    default:
      return false;
  }
}
