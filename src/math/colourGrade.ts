/**
 * The output's colour grade, as shaders/present.frag.glsl applies it: hue rotation in YIQ, then contrast about
 * mid-grey and brightness. One formula for every place that reproduces the shader on the CPU (the offline
 * render's post, the monitor's preview), so they cannot drift from each other.
 */
export interface ColourGrade {
  /** Whether the hue is rotated at all (skips the YIQ round trip). */
  hue: boolean;
  cos: number;
  sin: number;
  contrast: number;
  brightness: number;
}

/** The grade for these post values; `hueShift` in turns. */
export function colourGrade(hueShift: number, contrast: number, brightness: number): ColourGrade {
  const a = hueShift * 2 * Math.PI;
  return { hue: hueShift !== 0, cos: Math.cos(a), sin: Math.sin(a), contrast, brightness };
}

/** Grades one pixel (channels 0..1) into `out[0..2]`, unclamped: each caller clamps and quantises as its target does. */
export function gradePixel(r: number, g: number, b: number, grade: ColourGrade, out: Float64Array): void {
  if (grade.hue) {
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    const iq = 0.596 * r - 0.274 * g - 0.322 * b;
    const q = 0.211 * r - 0.523 * g + 0.312 * b;
    const i2 = iq * grade.cos - q * grade.sin;
    const q2 = iq * grade.sin + q * grade.cos;
    r = y + 0.956 * i2 + 0.621 * q2;
    g = y - 0.272 * i2 - 0.647 * q2;
    b = y - 1.106 * i2 + 1.703 * q2;
  }
  out[0] = (r - 0.5) * grade.contrast + 0.5 + grade.brightness;
  out[1] = (g - 0.5) * grade.contrast + 0.5 + grade.brightness;
  out[2] = (b - 0.5) * grade.contrast + 0.5 + grade.brightness;
}
