/**
 * `PixelArray`: decoded pixels as one typed array plus a numpy-like shape.
 *
 * @module
 */

import type { PixelTypedArray } from "./codecs/types.ts";

export type { PixelTypedArray };

/** Options of the {@linkcode PixelArray} constructor. */
export interface PixelArrayInit {
  /**
   * True when the first axis is frames. By default a 4-axis shape is multi-frame, and a
   * 3-axis shape whose last axis is longer than 4 (frames, rows, columns rather than
   * rows, columns, samples).
   *
   * @default {undefined} guessed from the shape
   */
  multiFrame?: boolean;
}

/**
 * Decoded pixel values, C order, samples interleaved. `shape` is numpy's:
 * `[rows, cols]`, `[rows, cols, samples]`, `[frames, rows, cols]` or
 * `[frames, rows, cols, samples]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "./mod.ts";
 * const arr = new PixelArray(new Uint16Array([0, 1, 2, 3]), [2, 2]);
 * assert.equal(arr.rows, 2);
 * assert.equal(arr.columns, 2);
 * assert.equal(arr.frames, 1);
 * assert.equal(arr.samples, 1);
 * assert.equal(arr.max(), 3);
 * ```
 */
export class PixelArray {
  /** The values. */
  readonly data: PixelTypedArray;
  /** numpy-like shape. */
  readonly shape: readonly number[];
  /** True when the first axis is frames (a multi-frame array). */
  readonly multiFrame: boolean;

  /** Wraps `data` with its shape; throws a RangeError when the sizes disagree. */
  constructor(
    data: PixelTypedArray,
    shape: readonly number[],
    options: PixelArrayInit = {},
  ) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) {
      throw new RangeError(
        `shape [${shape.join(", ")}] needs ${n} values, data has ${data.length}`,
      );
    }
    this.data = data;
    this.shape = shape;
    this.multiFrame = options.multiFrame ??
      (shape.length === 4 || (shape.length === 3 && shape[2] > 4));
  }

  /** Number of frames (1 for a single-frame array). */
  get frames(): number {
    return this.multiFrame ? this.shape[0] : 1;
  }
  /** Rows of each frame. */
  get rows(): number {
    return this.shape[this.multiFrame ? 1 : 0];
  }
  /** Columns of each frame. */
  get columns(): number {
    return this.shape[this.multiFrame ? 2 : 1];
  }
  /** Samples per pixel (1 for grayscale, 3 for colour). */
  get samples(): number {
    const s = this.shape[this.multiFrame ? 3 : 2];
    return s ?? 1;
  }
  /** numpy's dtype name of the data: `uint16`, `int16`, `float64`... */
  get dtype(): string {
    return DTYPES.get(this.data.constructor) ?? "unknown";
  }
  /** The smallest value (NaN ignored). */
  min(): number {
    let m = Infinity;
    const d = this.data;
    for (let i = 0; i < d.length; i++) if (d[i] < m) m = d[i];
    return m;
  }
  /** The largest value (NaN ignored). */
  max(): number {
    let m = -Infinity;
    const d = this.data;
    for (let i = 0; i < d.length; i++) if (d[i] > m) m = d[i];
    return m;
  }
  /** One frame as its own array (a view, no copy). */
  frame(index: number): PixelArray {
    if (!this.multiFrame) {
      if (index !== 0) throw new RangeError(`frame ${index} of a single-frame array`);
      return this;
    }
    if (index < 0 || index >= this.frames) {
      throw new RangeError(`frame ${index} out of range 0..${this.frames - 1}`);
    }
    const per = this.data.length / this.frames;
    const shape = this.shape.slice(1);
    return new PixelArray(
      this.data.subarray(index * per, (index + 1) * per) as PixelTypedArray,
      shape,
      { multiFrame: false },
    );
  }
}

const DTYPES = new Map<unknown, string>([
  [Uint8Array, "uint8"],
  [Int8Array, "int8"],
  [Uint16Array, "uint16"],
  [Int16Array, "int16"],
  [Uint32Array, "uint32"],
  [Int32Array, "int32"],
  [Float32Array, "float32"],
  [Float64Array, "float64"],
]);
