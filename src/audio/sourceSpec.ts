/**
 * What an audio source string names. Kept apart from open.ts so that offline users (the pipeline's virtual run,
 * render, the device kit) read the spec without loading the line-in's device layer.
 */
import type { DeviceSelector } from './portaudioProtocol.js';

export type ParsedSource = { kind: 'auto' } | { kind: 'demo' } | { kind: 'device'; selector: DeviceSelector } | { kind: 'file'; path: string };

/** 'auto' | 'demo' | 'device:<id|name substring>' | a file path. */
export function parseSourceSpec(spec: string): ParsedSource {
  if (spec === 'auto') return { kind: 'auto' };
  if (spec === 'demo') return { kind: 'demo' };
  if (spec.startsWith('device:')) {
    const rest = spec.slice('device:'.length).trim();
    if (rest === '' || rest === 'default') return { kind: 'device', selector: { kind: 'default' } };
    if (/^\d+$/.test(rest)) return { kind: 'device', selector: { kind: 'id', id: Number(rest) } };
    return { kind: 'device', selector: { kind: 'name', name: rest, exact: false } };
  }
  return { kind: 'file', path: spec };
}
