/**
 * The monitor's meters drawn on 2D canvases: a chroma wheel (chords outside, bass inside), scrolling onset
 * envelopes per band with event ticks and the section ribbon, level bars, the beat/bar clock and timing sparklines.
 * The history rings are pushed once per state snapshot (recordState) and drawn on the next animation frame.
 */
import type { FeaturesSnapshot, StateMessage } from '../../protocol.js';
import { $ } from './dom.js';

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
const BANDS = ['all', 'kick', 'snare', 'hats'] as const;
const BAND_COLOURS: Record<(typeof BANDS)[number], string> = {
  all: '#9aa4b1',
  kick: '#ff5a4e',
  snare: '#ffc23d',
  hats: '#4ec9ff',
};
const HISTORY = 240; // samples in the scrolling plots (8 s at 30 snapshots per second)

// ---- history rings for the plots ----
export class Ring {
  readonly v: Float32Array;
  i = 0;
  constructor(n = HISTORY) {
    this.v = new Float32Array(n);
  }
  push(x: number): void {
    this.v[this.i] = x;
    this.i = (this.i + 1) % this.v.length;
  }
  /** k-th oldest value. */
  at(k: number): number {
    return this.v[(this.i + k) % this.v.length]!;
  }
  max(): number {
    let m = 0;
    for (const x of this.v) m = Math.max(m, x);
    return m;
  }
}
const onsetHist = Object.fromEntries(BANDS.map((b) => [b, new Ring()])) as Record<(typeof BANDS)[number], Ring>;
const tickHist = Object.fromEntries(BANDS.map((b) => [b, new Ring()])) as Record<(typeof BANDS)[number], Ring>;
const beatHist = new Ring();
const sectionHist = new Ring();
sectionHist.v.fill(-1);
const latencyHist = new Ring();
const fpsHist = new Ring();

/** Pushes one snapshot into the plots' history. */
export function recordState(s: StateMessage): void {
  const f = s.features;
  for (const b of BANDS) {
    onsetHist[b].push(f ? f.onsetMax[b] : 0);
    tickHist[b].push(f && f.events.includes(b === 'all' ? 'onset' : b) ? 1 : 0);
  }
  beatHist.push(f && f.events.includes('beat') ? 1 : 0);
  sectionHist.push(f ? f.section : -1);
  latencyHist.push(s.output.audioToDisplayMs.n ? s.output.audioToDisplayMs.last : s.output.sendToDisplayMs.last);
  fpsHist.push(s.output.fpsPresented);
}

// ---- canvases ----
function ctx2d(id: string): CanvasRenderingContext2D {
  const c = $<HTMLCanvasElement>(id);
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(c.clientWidth * dpr);
  c.height = Math.round(c.clientHeight * dpr);
  const g = c.getContext('2d');
  if (!g) throw new Error(`no 2d context for #${id}`);
  g.scale(dpr, dpr);
  return g;
}
const size = (g: CanvasRenderingContext2D) => ({ w: g.canvas.clientWidth, h: g.canvas.clientHeight });

const gChroma = ctx2d('chroma');
const gOnsets = ctx2d('onsets');
const gLevels = ctx2d('levels');
const gTempo = ctx2d('tempo');
const gTiming = ctx2d('timing');

function drawChroma(f: FeaturesSnapshot | null): void {
  const g = gChroma;
  const { w, h } = size(g);
  g.clearRect(0, 0, w, h);
  const cx = w / 2;
  const cy = h / 2;
  const R = Math.min(w, h) / 2 - 14;
  const rInner = R * 0.42;
  for (let i = 0; i < 12; i++) {
    // Circle of fifths order, so neighbouring segments are related keys and chords read as shapes.
    const pos = (i * 7) % 12;
    const a0 = (pos / 12) * Math.PI * 2 - Math.PI / 2 - Math.PI / 12;
    const a1 = a0 + (Math.PI * 2) / 12 - 0.03;
    const hue = (pos / 12) * 360;
    const chord = f?.chroma[i] ?? 0;
    const bass = f?.bassChroma[i] ?? 0;
    g.fillStyle = '#1a1d22';
    g.beginPath();
    g.arc(cx, cy, R, a0, a1);
    g.arc(cx, cy, rInner + 2, a1, a0, true);
    g.fill();
    g.fillStyle = `hsl(${hue} 85% ${35 + chord * 30}%)`;
    g.beginPath();
    g.arc(cx, cy, rInner + 2 + (R - rInner - 2) * chord, a0, a1);
    g.arc(cx, cy, rInner + 2, a1, a0, true);
    g.fill();
    g.fillStyle = `hsl(${hue} 70% ${25 + bass * 35}%)`;
    g.beginPath();
    g.moveTo(cx, cy);
    g.arc(cx, cy, rInner * Math.max(0.08, bass), a0, a1);
    g.fill();
    const am = (a0 + a1) / 2;
    g.fillStyle = '#8a929c';
    g.font = '10px system-ui';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(NOTE_NAMES[i]!, cx + Math.cos(am) * (R + 8), cy + Math.sin(am) * (R + 8));
  }
}

function drawOnsets(): void {
  const g = gOnsets;
  const { w, h } = size(g);
  g.clearRect(0, 0, w, h);
  const ribbonH = 10;
  const laneH = (h - ribbonH - 2) / BANDS.length;
  BANDS.forEach((band, lane) => {
    const y0 = lane * laneH;
    const base = y0 + laneH - 2;
    g.fillStyle = '#15181c';
    g.fillRect(0, y0 + 1, w, laneH - 2);
    const ring = onsetHist[band];
    g.fillStyle = BAND_COLOURS[band] + '99';
    g.beginPath();
    g.moveTo(0, base);
    for (let k = 0; k < HISTORY; k++) {
      g.lineTo((k / (HISTORY - 1)) * w, base - Math.min(1, ring.at(k)) * (laneH - 6));
    }
    g.lineTo(w, base);
    g.closePath();
    g.fill();
    g.fillStyle = BAND_COLOURS[band];
    const ticks = tickHist[band];
    for (let k = 0; k < HISTORY; k++) if (ticks.at(k) > 0) g.fillRect((k / (HISTORY - 1)) * w - 1, y0 + 2, 2, laneH - 4);
    g.fillStyle = '#c9d1d9';
    g.font = '10px system-ui';
    g.textAlign = 'left';
    g.textBaseline = 'top';
    g.fillText(band, 4, y0 + 4);
  });
  // Section ribbon: one colour per section index, so a section change is a visible edge in time.
  const y = h - ribbonH;
  for (let k = 0; k < HISTORY; k++) {
    const sec = sectionHist.at(k);
    g.fillStyle = sec < 0 ? '#15181c' : `hsl(${(sec * 67) % 360} 60% 45%)`;
    g.fillRect((k / HISTORY) * w, y, w / HISTORY + 1, ribbonH);
  }
}

function bar(g: CanvasRenderingContext2D, x: number, w: number, h: number, v: number, colour: string, label: string): void {
  g.fillStyle = '#15181c';
  g.fillRect(x, 0, w, h - 14);
  g.fillStyle = colour;
  const bh = Math.min(1, Math.max(0, v)) * (h - 14);
  g.fillRect(x, h - 14 - bh, w, bh);
  g.fillStyle = '#8a929c';
  g.font = '10px system-ui';
  g.textAlign = 'center';
  g.textBaseline = 'bottom';
  g.fillText(label, x + w / 2, h);
}

function drawLevels(f: FeaturesSnapshot | null): void {
  const g = gLevels;
  const { w, h } = size(g);
  g.clearRect(0, 0, w, h);
  const bw = w / 6 - 6;
  const vals: Array<[number, string, string]> = [
    [f?.rms ?? 0, '#7ee787', 'rms'],
    [f?.rmsSlow ?? 0, '#3fb950', 'slow'],
    [f?.bandRms.low ?? 0, '#ff5a4e', 'low'],
    [f?.bandRms.mid ?? 0, '#ffc23d', 'mid'],
    [f?.bandRms.high ?? 0, '#4ec9ff', 'high'],
    [f?.novelty ?? 0, '#d2a8ff', 'novel'],
  ];
  vals.forEach(([v, c, l], i) => bar(g, 3 + i * (bw + 6), bw, h, v, c, l));
}

function drawTempo(f: FeaturesSnapshot | null): void {
  const g = gTempo;
  const { w, h } = size(g);
  g.clearRect(0, 0, w, h);
  const t = f?.tempo;
  const cx = h / 2;
  const cy = h / 2;
  const r = h / 2 - 6;
  // Beat clock: a sweep that fills once per beat, flashing at the downbeat of each beat.
  const beat = t?.beatPhase ?? 0;
  g.fillStyle = '#15181c';
  g.beginPath();
  g.arc(cx, cy, r, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = `rgba(255, 90, 78, ${0.35 + 0.65 * (1 - beat)})`;
  g.beginPath();
  g.moveTo(cx, cy);
  g.arc(cx, cy, r, -Math.PI / 2, -Math.PI / 2 + beat * Math.PI * 2);
  g.fill();
  // Bar: four boxes, the current beat of the bar lit.
  const bar4 = Math.floor((t?.barPhase ?? 0) * 4) % 4;
  const bx = h + 8;
  const bw = (w - bx - 8) / 4 - 4;
  for (let i = 0; i < 4; i++) {
    g.fillStyle = i === bar4 ? (i === 0 ? '#ffc23d' : '#ff5a4e') : '#15181c';
    g.fillRect(bx + i * (bw + 4), h - 26, bw, 20);
  }
  // Confidence as a thin bar under the BPM.
  g.fillStyle = '#15181c';
  g.fillRect(bx, h - 36, w - bx - 12, 4);
  g.fillStyle = '#7ee787';
  g.fillRect(bx, h - 36, (w - bx - 12) * Math.min(1, t?.confidence ?? 0), 4);
  g.fillStyle = '#e6edf3';
  g.font = 'bold 28px system-ui';
  g.textAlign = 'left';
  g.textBaseline = 'top';
  g.fillText(t && t.bpm > 0 ? t.bpm.toFixed(1) : '—', bx, 6);
  g.font = '11px system-ui';
  g.fillStyle = '#8a929c';
  g.fillText(`BPM ${t?.source ?? ''}`, bx, 38);
}

function sparkline(g: CanvasRenderingContext2D, ring: Ring, y0: number, hh: number, colour: string, label: string, value: string): void {
  const { w } = size(g);
  const max = Math.max(1e-6, ring.max());
  g.strokeStyle = colour;
  g.lineWidth = 1.5;
  g.beginPath();
  for (let k = 0; k < HISTORY; k++) {
    const x = (k / (HISTORY - 1)) * w;
    const y = y0 + hh - (ring.at(k) / max) * (hh - 14);
    if (k === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  }
  g.stroke();
  g.fillStyle = '#8a929c';
  g.font = '10px system-ui';
  g.textAlign = 'left';
  g.textBaseline = 'top';
  g.fillText(`${label} ${value}`, 4, y0 + 1);
}

function drawTiming(s: StateMessage | null): void {
  const g = gTiming;
  const { w, h } = size(g);
  g.clearRect(0, 0, w, h);
  const lat = s?.output.audioToDisplayMs;
  sparkline(g, latencyHist, 0, h / 2 - 2, '#d2a8ff', 'audio→display ms', lat && lat.n ? `${lat.median.toFixed(0)} (p95 ${lat.p95.toFixed(0)})` : '—');
  sparkline(g, fpsHist, h / 2 + 2, h / 2 - 2, '#7ee787', 'display fps', s ? s.output.fpsPresented.toFixed(0) : '—');
}

/** Every meter, from the last snapshot (null before the first). */
export function drawMeters(s: StateMessage | null): void {
  drawChroma(s?.features ?? null);
  drawOnsets();
  drawLevels(s?.features ?? null);
  drawTempo(s?.features ?? null);
  drawTiming(s);
}
