/**
 * `Volume`: the voxels of a series in one typed array, C order
 * `[slice][row][column]` (`[time][slice][row][column]` for 4-D), with the geometry that
 * puts each voxel in the patient's frame of reference.
 *
 * @module
 */

import { apply, flipLpsRas } from "./_geometry.ts";
import type { PixelTypedArray } from "../pixels/pixel_array.ts";

/** The typed arrays a volume's voxels come in: those a decoded frame comes in. */
export type VolumeArray = PixelTypedArray;

/** What {@linkcode Volume} is made of. */
export interface VolumeInit {
  /** The voxels, C order `[slice][row][column]` or `[time][slice][row][column]`. */
  data: VolumeArray;
  /** `[slices, rows, columns]` or `[times, slices, rows, columns]`. */
  shape: readonly number[];
  /**
   * The 4x4 affine from voxel index `(column, row, slice)` to patient LPS millimetres,
   * rows of the matrix.
   */
  affine: readonly (readonly number[])[];
  /** Real value = stored * slope + intercept (default 1). */
  slope?: number;
  /** Real value = stored * slope + intercept (default 0). */
  intercept?: number;
  /** What was wrong or odd with the series. */
  warnings?: readonly string[];
  /** Series Description, Modality... for file headers (default empty). */
  description?: string;
  /** Repetition time or time-point spacing in seconds, for 4-D (default 0). */
  timeStep?: number;
}

function copyMatrix(m: readonly (readonly number[])[]): number[][] {
  return m.map((r) => [...r]);
}

/**
 * A 3-D or 4-D image with its place in the patient: the array a deep-learning pipeline
 * wants and the affine NIfTI stores.
 *
 * - `data` is C order `[slice][row][column]` (`[time][slice][row][column]`); the real
 *   values are `data * slope + intercept` (slope 1 and intercept 0 unless the slices
 *   share one DICOM rescale that the integers keep).
 * - `affine` maps voxel index `(column, row, slice)` (note the order: x fastest, as
 *   NIfTI) to patient LPS millimetres (DICOM's axes: x to the patient's left, y to the
 *   back, z to the head); `affineRas` is the same in RAS (NIfTI's, nibabel's).
 * - `spacing` is `(column, row, slice)` in mm, `direction` the unit vectors of the three
 *   index axes (columns of the matrix), `origin` the centre of voxel (0, 0, 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Volume } from "./mod.ts";
 * const v = new Volume({
 *   data: new Int16Array(2 * 3 * 4),
 *   shape: [2, 3, 4],
 *   affine: [[0.5, 0, 0, -10], [0, 0.5, 0, -20], [0, 0, 2, 30], [0, 0, 0, 1]],
 * });
 * assert.deepEqual(v.spacing, [0.5, 0.5, 2]);
 * assert.deepEqual(v.origin, [-10, -20, 30]);
 * assert.deepEqual(v.position(2, 1, 1), [-9, -19.5, 32]);
 * assert.deepEqual(v.affineRas[0], [-0.5, 0, 0, 10]);
 * ```
 */
export class Volume {
  /** The voxels. */
  readonly data: VolumeArray;
  /** `[slices, rows, columns]` or `[times, slices, rows, columns]`. */
  readonly shape: readonly number[];
  /** Voxel `(column, row, slice)` to patient LPS mm, 4x4. */
  readonly affine: number[][];
  /** Real value = `data * slope + intercept`. */
  readonly slope: number;
  /** Real value = `data * slope + intercept`. */
  readonly intercept: number;
  /** What was wrong or odd with the series (missing slices, tilt...). */
  readonly warnings: string[];
  /** A short description for file headers. */
  readonly description: string;
  /** Seconds between time points of a 4-D volume (0 when unknown). */
  readonly timeStep: number;

  /** A volume from its data, shape and geometry (`data.length` must equal the shape's product). */
  constructor(init: VolumeInit) {
    const count = init.shape.reduce((a, b) => a * b, 1);
    if (init.data.length !== count) {
      throw new RangeError(`volume data has ${init.data.length} values, shape needs ${count}`);
    }
    this.data = init.data;
    this.shape = [...init.shape];
    this.affine = copyMatrix(init.affine);
    this.slope = init.slope ?? 1;
    this.intercept = init.intercept ?? 0;
    this.warnings = [...(init.warnings ?? [])];
    this.description = init.description ?? "";
    this.timeStep = init.timeStep ?? 0;
  }

  /** The same affine in RAS (NIfTI's and nibabel's patient axes). */
  get affineRas(): number[][] {
    return flipLpsRas(this.affine);
  }

  /** Voxel size along column, row and slice, in mm (lengths of the affine's columns). */
  get spacing(): [number, number, number] {
    const a = this.affine;
    const len = (j: number) => Math.hypot(a[0][j], a[1][j], a[2][j]);
    return [len(0), len(1), len(2)];
  }

  /** Patient LPS position of the centre of voxel (0, 0, 0). */
  get origin(): [number, number, number] {
    return [this.affine[0][3], this.affine[1][3], this.affine[2][3]];
  }

  /**
   * Unit vectors of the column, row and slice axes in LPS: `direction[i][j]` is the i-th
   * coordinate of axis j (the columns of the matrix, as ITK's direction).
   */
  get direction(): number[][] {
    const s = this.spacing;
    return [0, 1, 2].map((i) => [0, 1, 2].map((j) => this.affine[i][j] / s[j]));
  }

  /** Number of slices, rows, columns. */
  get slices(): number {
    return this.shape[this.shape.length - 3];
  }

  /** Rows of each slice. */
  get rows(): number {
    return this.shape[this.shape.length - 2];
  }

  /** Columns of each slice. */
  get columns(): number {
    return this.shape[this.shape.length - 1];
  }

  /** Time points (1 for 3-D). */
  get times(): number {
    return this.shape.length === 4 ? this.shape[0] : 1;
  }

  /** Patient LPS position (mm) of voxel (column, row, slice). */
  position(column: number, row: number, slice: number): [number, number, number] {
    return apply(this.affine, [column, row, slice]);
  }

  /** Index of voxel (column, row, slice, time) in `data`. */
  index(column: number, row: number, slice: number, time = 0): number {
    return ((time * this.slices + slice) * this.rows + row) * this.columns + column;
  }

  /** The real value (after slope and intercept) of voxel (column, row, slice, time). */
  value(column: number, row: number, slice: number, time = 0): number {
    return this.data[this.index(column, row, slice, time)] * this.slope + this.intercept;
  }

  /**
   * The real values as one array: `data` itself when slope is 1 and intercept 0, integers
   * when slope and intercept are integers and the values fit (Int16Array or Int32Array),
   * else Float32Array.
   */
  values(): VolumeArray {
    if (this.slope === 1 && this.intercept === 0) return this.data;
    const { slope, intercept, data } = this;
    if (Number.isInteger(slope) && Number.isInteger(intercept) && !isFloat(data)) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < data.length; i++) {
        if (data[i] < lo) lo = data[i];
        if (data[i] > hi) hi = data[i];
      }
      const a = lo * slope + intercept, b = hi * slope + intercept;
      const min = Math.min(a, b), max = Math.max(a, b);
      const Out = min >= -32768 && max <= 32767
        ? Int16Array
        : min >= -(2 ** 31) && max < 2 ** 31
        ? Int32Array
        : Float32Array;
      const out = new Out(data.length);
      for (let i = 0; i < data.length; i++) out[i] = data[i] * slope + intercept;
      return out;
    }
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] * slope + intercept;
    return out;
  }

  /** The numpy-style name of the data's type: `int16`, `float32`... */
  get dtype(): string {
    return dtypeOf(this.data);
  }
}

/** True for Float32Array and Float64Array. */
export function isFloat(a: VolumeArray): boolean {
  return a instanceof Float32Array || a instanceof Float64Array;
}

/** numpy's name of a typed array's element type. */
export function dtypeOf(a: VolumeArray): string {
  if (a instanceof Uint8Array) return "uint8";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint16Array) return "uint16";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Uint32Array) return "uint32";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Float32Array) return "float32";
  return "float64";
}
