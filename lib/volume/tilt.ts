/**
 * `tiltCorrect`: a gantry-tilted (sheared) volume resampled onto an orthogonal grid, as
 * dcm2niix does for CT.
 *
 * @module
 */

import { cross, dot, normalize, scale, sub } from "./_geometry.ts";
import { isFloat, Volume, type VolumeArray } from "./volume.ts";

/**
 * Resamples a volume whose slice axis is not orthogonal to its planes (a gantry tilt)
 * onto the orthogonal grid with the same first slice, rows, columns and slice
 * distance along the normal: each slice is shifted in its plane by bilinear
 * interpolation; voxels that come from outside the slice get the volume's minimum.
 * Integer data stays integer (rounded). A volume without shear comes back unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tiltCorrect, Volume } from "./mod.ts";
 * // 2 slices of 1 row x 4 columns; the second slice is shifted 1 mm along x
 * const v = new Volume({
 *   data: new Int16Array([0, 10, 20, 30, 0, 10, 20, 30]),
 *   shape: [2, 1, 4],
 *   affine: [[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
 * });
 * const out = tiltCorrect(v);
 * assert.deepEqual(out.affine[0], [1, 0, 0, 0]);
 * assert.deepEqual(Array.from(out.data), [0, 10, 20, 30, 0, 0, 10, 20]);
 * ```
 */
export function tiltCorrect(volume: Volume): Volume {
  const a = volume.affine;
  const c1 = [a[0][0], a[1][0], a[2][0]];
  const c2 = [a[0][1], a[1][1], a[2][1]];
  const v = [a[0][2], a[1][2], a[2][2]];
  const n = normalize(cross(c1, c2));
  const along = dot(v, n);
  const shear = sub(v, scale(n, along));
  const di = dot(shear, c1) / dot(c1, c1);
  const dj = dot(shear, c2) / dot(c2, c2);
  if (Math.abs(di) < 1e-9 && Math.abs(dj) < 1e-9) return volume;
  const { rows, columns, slices, times } = volume;
  const src = volume.data;
  let lo = Infinity;
  for (let i = 0; i < src.length; i++) if (src[i] < lo) lo = src[i];
  const Ctor = src.constructor as new (n: number) => VolumeArray;
  const out = new Ctor(src.length);
  const round = !isFloat(src);
  const plane = rows * columns;
  for (let t = 0; t < times; t++) {
    for (let k = 0; k < slices; k++) {
      const base = (t * slices + k) * plane;
      // output voxel (i, j) of slice k sits at source (i + k*di', j + k*dj') where the
      // source slice is shifted by +k*shear: source index = (i, j) - k*(di, dj)
      const si = -k * di, sj = -k * dj;
      for (let j = 0; j < rows; j++) {
        const y = j + sj;
        const y0 = Math.floor(y), fy = y - y0;
        for (let i = 0; i < columns; i++) {
          const x = i + si;
          const x0 = Math.floor(x), fx = x - x0;
          let value = lo;
          if (x > -1 && x < columns && y > -1 && y < rows) {
            const at = (xx: number, yy: number) =>
              xx >= 0 && xx < columns && yy >= 0 && yy < rows ? src[base + yy * columns + xx] : lo;
            value = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
              fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
            if (fx < 1e-9 && fy < 1e-9) value = at(x0, y0);
          }
          out[base + j * columns + i] = round ? Math.round(value) : value;
        }
      }
    }
  }
  const affine = a.map((r) => [...r]);
  for (let i = 0; i < 3; i++) affine[i][2] = n[i] * along;
  return new Volume({
    data: out,
    shape: volume.shape,
    affine,
    slope: volume.slope,
    intercept: volume.intercept,
    warnings: [
      ...volume.warnings,
      "resampled to an orthogonal grid (tilt correction, bilinear in each slice)",
    ],
    description: volume.description,
    timeStep: volume.timeStep,
  });
}
