/**
 * The mapping now running (file, version, load time) in the header, and the error of a refused save as a banner
 * across the page until a good save clears it: the terminal that logs it is usually hidden behind the output.
 */
import type { MappingView } from './apiState.js';
import { $, text } from './dom.js';

const clock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const baseName = (file: string): string => file.split(/[\\/]/).pop() ?? file;

export function drawMapping(m: MappingView | undefined): void {
  const banner = $<HTMLDivElement>('mapping-banner');
  if (!m) {
    text('mapping-file', '—');
    banner.hidden = true;
    return;
  }
  text('mapping-file', baseName(m.file));
  $<HTMLElement>('mapping-file').title = m.file;
  text('mapping-version', `v${m.version} · loaded ${clock(m.loadedAtMs)}`);
  const e = m.error;
  banner.hidden = e === null;
  if (!e) return;
  const where = `${e.file}${e.line !== null ? `:${e.line}` : ''}${e.col !== null ? `:${e.col}` : ''}`;
  text('mapping-error-where', where);
  text('mapping-error-text', e.text);
  text('mapping-error-note', `save refused at ${clock(e.atMs)}; version ${m.version} keeps running until the file loads`);
}
