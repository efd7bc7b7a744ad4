/**
 * Small vector and matrix helpers for slice geometry (private to lib/volume).
 *
 * @module
 */

/** A 3-vector. */
export type Vec3 = [number, number, number];

export function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: readonly number[], b: readonly number[]): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function sub(a: readonly number[], b: readonly number[]): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scale(a: readonly number[], s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function norm(a: readonly number[]): number {
  return Math.hypot(a[0], a[1], a[2]);
}

export function normalize(a: readonly number[]): Vec3 {
  const n = norm(a);
  return n ? [a[0] / n, a[1] / n, a[2] / n] : [0, 0, 0];
}

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The 4x4 matrix product `a * b`. */
export function matmul(a: readonly number[][], b: readonly number[][]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < b[0].length; j++) {
      let s = 0;
      for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
      row.push(s);
    }
    out.push(row);
  }
  return out;
}

/** LPS to RAS (or back): negate the first two rows. */
export function flipLpsRas(affine: readonly number[][]): number[][] {
  return affine.map((row, i) => i < 2 ? row.map((v) => v === 0 ? 0 : -v) : [...row]);
}

/** The inverse of a 4x4 affine (last row 0 0 0 1). */
export function invertAffine(m: readonly number[][]): number[][] {
  const [a, b, c] = [m[0], m[1], m[2]];
  const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
    a[2] * (b[0] * c[1] - b[1] * c[0]);
  const inv = [
    [
      (b[1] * c[2] - b[2] * c[1]) / det,
      (a[2] * c[1] - a[1] * c[2]) / det,
      (a[1] * b[2] - a[2] * b[1]) / det,
    ],
    [
      (b[2] * c[0] - b[0] * c[2]) / det,
      (a[0] * c[2] - a[2] * c[0]) / det,
      (a[2] * b[0] - a[0] * b[2]) / det,
    ],
    [
      (b[0] * c[1] - b[1] * c[0]) / det,
      (a[1] * c[0] - a[0] * c[1]) / det,
      (a[0] * b[1] - a[1] * b[0]) / det,
    ],
  ];
  const t = [m[0][3], m[1][3], m[2][3]];
  return [
    [...inv[0], -dot(inv[0], t)],
    [...inv[1], -dot(inv[1], t)],
    [...inv[2], -dot(inv[2], t)],
    [0, 0, 0, 1],
  ];
}

/** Applies a 4x4 affine to a point. */
export function apply(m: readonly number[][], p: readonly number[]): Vec3 {
  return [
    m[0][0] * p[0] + m[0][1] * p[1] + m[0][2] * p[2] + m[0][3],
    m[1][0] * p[0] + m[1][1] * p[1] + m[1][2] * p[2] + m[1][3],
    m[2][0] * p[0] + m[2][1] * p[1] + m[2][2] * p[2] + m[2][3],
  ];
}
