/**
 * Contact sheets: pictures in a grid, each with a label strip underneath, drawn with a 3×5 bitmap font of our
 * own (digits and the few signs a label needs), so a sheet needs no font files or canvas library.
 */

/** 3×5 glyphs, one string of 5 rows of 3 pixels each ('#' = ink). */
const GLYPHS: Readonly<Record<string, string>> = {
  '0': '###' + '#.#' + '#.#' + '#.#' + '###',
  '1': '.#.' + '##.' + '.#.' + '.#.' + '###',
  '2': '###' + '..#' + '###' + '#..' + '###',
  '3': '###' + '..#' + '.##' + '..#' + '###',
  '4': '#.#' + '#.#' + '###' + '..#' + '..#',
  '5': '###' + '#..' + '###' + '..#' + '###',
  '6': '###' + '#..' + '###' + '#.#' + '###',
  '7': '###' + '..#' + '.#.' + '.#.' + '.#.',
  '8': '###' + '#.#' + '###' + '#.#' + '###',
  '9': '###' + '#.#' + '###' + '..#' + '###',
  '-': '...' + '...' + '###' + '...' + '...',
  '+': '...' + '.#.' + '###' + '.#.' + '...',
  '.': '...' + '...' + '...' + '...' + '.#.',
  ':': '...' + '.#.' + '...' + '.#.' + '...',
  ' ': '...' + '...' + '...' + '...' + '...',
  c: '...' + '###' + '#..' + '#..' + '###',
  d: '..#' + '..#' + '###' + '#.#' + '###',
  s: '...' + '.##' + '##.' + '.##' + '##.',
};

export const GLYPH_W = 3;
export const GLYPH_H = 5;

/** Characters the label font draws; others are drawn as a blank. */
export const LABEL_CHARS = Object.keys(GLYPHS).join('');

/** Draws `text` into an RGBA image at (x, y) with pixel size `scale`, clipped to the image. */
export function drawText(rgba: Uint8Array, width: number, height: number, text: string, x: number, y: number, scale: number, color: readonly [number, number, number]): void {
  let cx = x;
  for (const ch of text) {
    const g = GLYPHS[ch] ?? GLYPHS[' ']!;
    for (let gy = 0; gy < GLYPH_H; gy++) {
      for (let gx = 0; gx < GLYPH_W; gx++) {
        if (g[gy * GLYPH_W + gx] !== '#') continue;
        for (let py = 0; py < scale; py++) {
          const yy = y + gy * scale + py;
          if (yy < 0 || yy >= height) continue;
          for (let px = 0; px < scale; px++) {
            const xx = cx + gx * scale + px;
            if (xx < 0 || xx >= width) continue;
            const o = (yy * width + xx) * 4;
            rgba[o] = color[0];
            rgba[o + 1] = color[1];
            rgba[o + 2] = color[2];
            rgba[o + 3] = 255;
          }
        }
      }
    }
    cx += (GLYPH_W + 1) * scale;
  }
}

/** Width in pixels of `text` at `scale` (one blank column between glyphs, none after the last). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_W + 1) - 1) * scale;
}

/** Shrinks an RGBA picture by an integer factor (box filter: each output pixel the mean of a factor² block). */
export function shrink(rgba: Uint8Array, width: number, height: number, factor: number): { rgba: Uint8Array; width: number; height: number } {
  if (factor <= 1) return { rgba, width, height };
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Uint8Array(w * h * 4);
  const n = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += rgba[((y * factor + dy) * width + x * factor + dx) * 4 + c]!;
        out[(y * w + x) * 4 + c] = Math.round(sum / n);
      }
    }
  }
  return { rgba: out, width: w, height: h };
}

export interface SheetLayout {
  columns: number;
  rows: number;
  tileW: number;
  tileH: number;
  /** Height of the label strip under each tile. */
  labelH: number;
  /** Font pixel size. */
  scale: number;
  gap: number;
  width: number;
  height: number;
}

/** The grid for n tiles: about square, the label strip about 1/12 of the tile's height (at least 7 px). */
export function sheetLayout(n: number, tileW: number, tileH: number, columns?: number): SheetLayout {
  const cols = Math.max(1, Math.min(n, columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const scale = Math.max(1, Math.floor(tileH / 64));
  const labelH = (GLYPH_H + 2) * scale;
  const gap = Math.max(1, scale);
  return { columns: cols, rows, tileW, tileH, labelH, scale, gap, width: cols * tileW + (cols + 1) * gap, height: rows * (tileH + labelH) + (rows + 1) * gap };
}

/** Places tiles (all tileW × tileH RGBA) and their labels on a dark sheet; returns the sheet's RGBA. */
export function composeSheet(tiles: readonly Uint8Array[], labels: readonly string[], layout: SheetLayout): Uint8Array {
  const { tileW, tileH, labelH, gap, width, height, scale } = layout;
  const sheet = new Uint8Array(width * height * 4);
  for (let i = 0; i < sheet.length; i += 4) {
    sheet[i] = 24;
    sheet[i + 1] = 24;
    sheet[i + 2] = 24;
    sheet[i + 3] = 255;
  }
  tiles.forEach((tile, i) => {
    if (tile.length !== tileW * tileH * 4) throw new Error(`composeSheet: tile ${i} holds ${tile.length} bytes, not ${tileW}×${tileH} RGBA`);
    const col = i % layout.columns;
    const row = Math.floor(i / layout.columns);
    const x0 = gap + col * (tileW + gap);
    const y0 = gap + row * (tileH + labelH + gap);
    for (let y = 0; y < tileH; y++) sheet.set(tile.subarray(y * tileW * 4, (y + 1) * tileW * 4), ((y0 + y) * width + x0) * 4);
    const label = labels[i] ?? '';
    drawText(sheet, width, height, label, x0 + Math.max(0, Math.floor((tileW - textWidth(label, scale)) / 2)), y0 + tileH + scale, scale, [235, 235, 235]);
  });
  return sheet;
}
