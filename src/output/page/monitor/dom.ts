/** Small DOM helpers the monitor's modules share. */
export const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Sets an element's text only when it changed (no layout work for a value that stays). */
export function text(id: string, value: string): void {
  const el = $<HTMLElement>(id);
  if (el.textContent !== value) el.textContent = value;
}
