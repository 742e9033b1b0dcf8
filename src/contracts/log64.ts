/**
 * A correctly rounded natural logarithm of a double, for reproducing numpy's random normals bit for bit.
 * Math.log (V8's fdlibm port) may be off by one ulp where glibc's log (what numpy calls) is correctly rounded;
 * numpy's legacy Gaussian passes log(r²) straight into the value, so one ulp there changes the draw. Computed
 * in double-double arithmetic (Dekker / Knuth error-free transformations, about 106 bits), then rounded once.
 *   x = 2^e · m, m ∈ [√½, √2);  ln m = 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1), |s| < 0.172
 *   ln x = e·ln 2 + ln m
 */

type DD = [hi: number, lo: number];

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, mul(b, [-q1, 0]));
  const q2 = r[0] / b[0];
  const r2 = add(r, mul(b, [-q2, 0]));
  const q3 = r2[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}

/** ln 2 as a double-double. */
const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** 1/(2k+1) as double-doubles for the atanh series (enough terms for |s| < 0.172 to reach 2⁻¹⁰⁶). */
const INV_ODD: DD[] = Array.from({ length: 24 }, (_, k) => div([1, 0], [2 * k + 1, 0]));

/** ln x for a positive finite double, correctly rounded (ties and hard cases below 2⁻¹⁰⁰ relative aside). */
export function logCorrectlyRounded(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  if (x === 1) return 0;
  // Exponent and mantissa without Math.log: scale subnormals up first.
  let e = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) {
    m *= 2 ** 54;
    e -= 54;
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, m);
  const bits = view.getUint32(0);
  e += ((bits >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (bits & 0x800fffff) | (1023 << 20));
  m = view.getFloat64(0);
  if (m > Math.SQRT2) {
    m /= 2; // exact
    e += 1;
  }
  const num: DD = [m - 1, 0]; // exact (Sterbenz)
  const den = twoSum(m, 1);
  const s = div(num, den);
  const s2 = mul(s, s);
  let acc = INV_ODD[INV_ODD.length - 1]!;
  for (let k = INV_ODD.length - 2; k >= 0; k--) acc = add(mul(acc, s2), INV_ODD[k]!);
  let r = mul(mul(acc, s), [2, 0]);
  if (e !== 0) r = add(mul(LN2, [e, 0]), r);
  return r[0] + r[1];
}
