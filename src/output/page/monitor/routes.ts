/** The mapping's routes (target values) as live bars; clicking one selects it for MIDI learn. */
import { $ } from './dom.js';

const routesEl = $<HTMLDivElement>('routes');
const routeRows = new Map<string, { fill: HTMLDivElement; value: HTMLSpanElement }>();
/** Observed range per target, so values in real units (bpm, radians) still draw as a bar. */
const ranges = new Map<string, { lo: number; hi: number }>();

export function drawRoutes(targets: Record<string, number>, onSelect: (name: string) => void): void {
  for (const [name, v] of Object.entries(targets)) {
    let row = routeRows.get(name);
    if (!row) {
      const el = document.createElement('div');
      el.className = 'route';
      el.title = 'click to select for MIDI learn';
      el.innerHTML = '<span class="name"></span><div class="track"><div class="fill"></div></div><span class="value"></span>';
      (el.querySelector('.name') as HTMLSpanElement).textContent = name;
      el.addEventListener('click', () => {
        for (const r of routesEl.querySelectorAll('.route.selected')) r.classList.remove('selected');
        el.classList.add('selected');
        onSelect(name);
      });
      routesEl.appendChild(el);
      row = { fill: el.querySelector('.fill') as HTMLDivElement, value: el.querySelector('.value') as HTMLSpanElement };
      routeRows.set(name, row);
    }
    const r = ranges.get(name) ?? { lo: Math.min(0, v), hi: Math.max(1, v) };
    r.lo = Math.min(r.lo, v);
    r.hi = Math.max(r.hi, v);
    ranges.set(name, r);
    row.fill.style.width = `${(((v - r.lo) / (r.hi - r.lo || 1)) * 100).toFixed(1)}%`;
    row.value.textContent = Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
  }
  $<HTMLSpanElement>('routes-empty').style.display = routeRows.size ? 'none' : 'block';
}

