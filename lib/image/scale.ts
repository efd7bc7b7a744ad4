/**
 * From pixel values to display values: the tutorial's exact 8-bit recipe
 * ({@linkcode scaleTutorial}) and the other scalings ({@linkcode scale}: min-max, a DICOM
 * window, none and the 16-bit rule), to 8 or 16 bits.
 *
 * Integer input of up to 65536 distinct levels goes through a lookup table built with the
 * very same float64 arithmetic as the per-pixel formula, so the result is identical and
 * one pass over the pixels is all it costs.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import { PixelArray, type PixelTypedArray } from "../pixels/pixel_array.ts";
import type { Scaling, Window } from "./render_options.ts";

/** The largest integer range that goes through a lookup table instead of the formula. */
const LUT_LIMIT = 1 << 16;

function isFloat(data: PixelTypedArray): boolean {
  return data instanceof Float32Array || data instanceof Float64Array;
}

function isSigned(data: PixelTypedArray): boolean {
  return data instanceof Int8Array || data instanceof Int16Array ||
    data instanceof Int32Array;
}

/**
 * The bytes of 8- and 16-bit data seen as unsigned: every hot loop below then meets one
 * array type only and stays fast whatever mix of types a program scales.
 */
function unsignedView(data: PixelTypedArray): Uint8Array | Uint16Array | undefined {
  if (data instanceof Uint8Array || data instanceof Uint16Array) return data;
  if (data instanceof Int8Array) return new Uint8Array(data.buffer, data.byteOffset, data.length);
  if (data instanceof Int16Array) {
    return new Uint16Array(data.buffer, data.byteOffset, data.length);
  }
  return undefined;
}

/** Smallest and largest of 8-bit samples, read as signed when `signed`. */
function range8(u: Uint8Array, signed: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  if (signed) {
    for (let i = 0; i < u.length; i++) {
      const v = (u[i] << 24) >> 24;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else {
    for (let i = 0; i < u.length; i++) {
      const v = u[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** Smallest and largest of 16-bit samples, read as signed when `signed`. */
function range16(u: Uint16Array, signed: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  if (signed) {
    for (let i = 0; i < u.length; i++) {
      const v = (u[i] << 16) >> 16;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else {
    for (let i = 0; i < u.length; i++) {
      const v = u[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** Largest of 8-bit samples, read as signed when `signed`. */
function max8(u: Uint8Array, signed: boolean): number {
  let hi = -Infinity;
  if (signed) {
    for (let i = 0; i < u.length; i++) {
      const v = (u[i] << 24) >> 24;
      if (v > hi) hi = v;
    }
  } else {
    for (let i = 0; i < u.length; i++) if (u[i] > hi) hi = u[i];
  }
  return hi;
}

/** Largest of 16-bit samples, read as signed when `signed`. */
function max16(u: Uint16Array, signed: boolean): number {
  let hi = -Infinity;
  if (signed) {
    for (let i = 0; i < u.length; i++) {
      const v = (u[i] << 16) >> 16;
      if (v > hi) hi = v;
    }
  } else {
    for (let i = 0; i < u.length; i++) if (u[i] > hi) hi = u[i];
  }
  return hi;
}

/** Smallest and largest value, NaN ignored (`[NaN, NaN]` when there is no number). */
function range(data: PixelTypedArray): [number, number] {
  const u = unsignedView(data);
  if (u instanceof Uint8Array) return range8(u, isSigned(data));
  if (u instanceof Uint16Array) return range16(u, isSigned(data));
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** numpy's `x.max()` of float data: NaN as soon as one value is NaN. */
function numpyMax(data: PixelTypedArray): number {
  let m = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

function gather8(u: Uint8Array, lut: Uint8Array | Uint16Array, out: Uint8Array | Uint16Array) {
  for (let i = 0; i < u.length; i++) out[i] = lut[u[i]];
}

function gather16(u: Uint16Array, lut: Uint8Array | Uint16Array, out: Uint8Array | Uint16Array) {
  for (let i = 0; i < u.length; i++) out[i] = lut[u[i]];
}

/**
 * Maps every value through `f`. 8- and 16-bit data goes through a table of `f` indexed by
 * the samples' bit patterns (same results, one float computation per level); wider
 * integers whose range spans at most 65536 levels through a table over that range.
 */
function mapValues<T extends Uint8Array | Uint16Array>(
  data: PixelTypedArray,
  out: T,
  f: (v: number) => number,
  known?: [number, number],
): T {
  const n = data.length;
  if (n === 0 || isFloat(data)) {
    for (let i = 0; i < n; i++) out[i] = f(data[i]);
    return out;
  }
  const make = out.constructor as new (n: number) => T;
  const [lo, hi] = known ?? range(data);
  const u = unsignedView(data);
  if (u) {
    const bits = u instanceof Uint8Array ? 8 : 16;
    const lut = new make(1 << bits);
    const mask = (1 << bits) - 1;
    for (let v = lo; v <= hi; v++) lut[v & mask] = f(v);
    if (u instanceof Uint8Array) gather8(u, lut, out);
    else gather16(u, lut, out);
    return out;
  }
  if (hi - lo < LUT_LIMIT) {
    const lut = new make(hi - lo + 1);
    for (let v = lo; v <= hi; v++) lut[v - lo] = f(v);
    for (let i = 0; i < n; i++) out[i] = lut[data[i] - lo];
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = f(data[i]);
  return out;
}

function like(arr: PixelArray, data: Uint8Array | Uint16Array): PixelArray {
  return new PixelArray(data, arr.shape, { multiFrame: arr.multiFrame });
}

/**
 * The tutorial's 8-bit scaling, bit for bit:
 *
 * ```py
 * x = arr.astype(float)
 * x = np.maximum(x, 0) / x.max() * 255.0
 * x = np.uint8(x)
 * ```
 *
 * Every value is computed in float64 exactly as numpy does (divide by the maximum, then
 * multiply by 255.0) and truncated toward zero. The maximum is taken over the whole array,
 * all frames together, as numpy's `x.max()` does: for the tutorial's picture of a
 * multi-frame array pass `arr.frame(0)`.
 *
 * Where numpy's float-to-uint8 cast meets NaN the result is 0, as numpy gives on x86-64
 * and ARM64: so an array whose maximum is 0 (0/0 is NaN) or negative, or a float array
 * holding a NaN (the maximum is then NaN), comes out all zeros; so does a value of +∞
 * (∞/∞).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { scaleTutorial } from "./mod.ts";
 * const arr = new PixelArray(new Int16Array([-1000, 0, 1000, 4095]), [2, 2]);
 * assert.deepEqual(scaleTutorial(arr).data, new Uint8Array([0, 0, 62, 255]));
 * ```
 */
export function scaleTutorial(arr: PixelArray): PixelArray {
  const data = arr.data;
  const out = new Uint8Array(data.length);
  if (data.length === 0) throw new ValueError("cannot scale an empty pixel array");
  let known: [number, number] | undefined;
  let m: number;
  const u = unsignedView(data);
  if (u) {
    // Only the maximum is needed: table entries of values <= 0 stay 0, which is f(v).
    m = u instanceof Uint8Array ? max8(u, isSigned(data)) : max16(u, isSigned(data));
    known = [1, m];
  } else if (!isFloat(data)) {
    known = range(data);
    m = known[1];
  } else m = numpyMax(data);
  // max <= 0 or NaN: every quotient is ±0 or NaN, and both cast to 0.
  if (!(m > 0)) return like(arr, out);
  if (isFloat(data)) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      out[i] = v > 0 ? (v / m * 255.0) | 0 : 0;
    }
    return like(arr, out);
  }
  return like(arr, mapValues(data, out, (v) => v > 0 ? (v / m * 255.0) | 0 : 0, known));
}

/** Options of {@linkcode scale}. */
export interface ScaleOptions {
  /**
   * `"minmax"`: the array's smallest value to 0 and largest to the top (255 or 65535),
   * linearly, rounded to nearest. `"tutorial"`: {@linkcode scaleTutorial} (8 bits only).
   * `"none"`: values kept; at 8 bits clamped to 0-255 and fractions truncated; at 16
   * bits the 16-bit rule: unsigned integer data (uint8, uint16) as it is, other data
   * rounded to the nearest integer and shifted up by `-minimum` when `minimum` is below
   * 0, then clamped to 0-65535 (NaN gives 0). Unused when `window` is given.
   *
   * @default {"minmax"}
   */
  scaling?: Scaling;
  /**
   * A DICOM window: the linear window function (PS3.3 C.11.2.1.2.1) of its center and
   * width (at least 1) maps the values to 0 and the top, rounded to nearest.
   *
   * @default {undefined} (no window: `scaling` decides)
   */
  window?: Window;
  /**
   * 8 (Uint8Array out, 0-255) or 16 (Uint16Array out, 0-65535).
   *
   * @default {8}
   */
  bitDepth?: 8 | 16;
  /**
   * The bottom of the values' range, for `"none"` at 16 bits (e.g. -1024 for CT with
   * Rescale Intercept -1024: -1024 becomes 0). Default: unknown, then signed integer
   * data is shifted by its type's half range (int8 +128, int16 +32768, int32 +2^31) and
   * float data only rounded.
   *
   * @default {undefined} (unknown)
   */
  minimum?: number;
}

/** The shift of the 16-bit rule: `-minimum` when below 0, else by the type. */
function offset16(data: PixelTypedArray, minimum: number | undefined): number {
  const lo = minimum ??
    (data instanceof Int16Array
      ? -32768
      : data instanceof Int8Array
      ? -128
      : data instanceof Int32Array
      ? -2147483648
      : 0);
  return lo < 0 ? -lo : 0;
}

/**
 * Scales `arr` to 8-bit (or 16-bit) display values: min-max, a DICOM window, the
 * tutorial's recipe, or none (at 16 bits, the 16-bit rule that `toImage` and
 * `convertFileSet` share). The shape (frames, samples) is kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { scale } from "./mod.ts";
 * const hu = new PixelArray(new Int16Array([-1000, 40, 80, 1000]), [2, 2]);
 * assert.deepEqual(scale(hu, { window: { center: 40, width: 80 } }).data, new Uint8Array([0, 129, 255, 255]));
 * assert.deepEqual(scale(hu).data, new Uint8Array([0, 133, 138, 255]));
 * const voi = new PixelArray(new Float64Array([-1024, -0.6, 2047.5, 3071]), [2, 2]);
 * const raw = scale(voi, { scaling: "none", bitDepth: 16, minimum: -1024 });
 * assert.deepEqual(raw.data, new Uint16Array([0, 1023, 3072, 4095]));
 * ```
 */
export function scale(arr: PixelArray, options: ScaleOptions = {}): PixelArray {
  const window = options.window;
  const scaling = options.scaling ?? "minmax";
  const bitDepth = options.bitDepth ?? 8;
  if (bitDepth !== 8 && bitDepth !== 16) {
    throw new ValueError(`scale: bit depth ${bitDepth} is not 8 or 16`);
  }
  const data = arr.data;
  if (!window && scaling === "tutorial") {
    if (bitDepth === 16) {
      throw new ValueError(`scale: "tutorial" scaling gives 8-bit values, not 16-bit`);
    }
    return scaleTutorial(arr);
  }
  if (
    !window && scaling === "none" &&
    (bitDepth === 8 ? data instanceof Uint8Array : data instanceof Uint16Array)
  ) {
    return arr; // kept as they are: nothing to clamp, shift or round
  }
  const top = bitDepth === 8 ? 255 : 65535;
  const out = bitDepth === 8 ? new Uint8Array(data.length) : new Uint16Array(data.length);
  let f: (v: number) => number;
  let known: [number, number] | undefined;
  if (window) {
    const { center, width } = window;
    if (!Number.isFinite(center + width)) {
      throw new ValueError("scale: a window needs a finite center and width");
    }
    if (width < 1) throw new ValueError(`scale: window width ${width} is less than 1`);
    const lower = center - 0.5 - (width - 1) / 2;
    const upper = center - 0.5 + (width - 1) / 2;
    f = (v) => {
      if (v !== v || v <= lower) return 0;
      if (v > upper) return top;
      return (((v - (center - 0.5)) / (width - 1) + 0.5) * top + 0.5) | 0;
    };
  } else if (scaling === "minmax") {
    const [lo, hi] = range(data);
    if (!isFloat(data)) known = [lo, hi];
    const k = hi > lo ? top / (hi - lo) : 0;
    f = (v) => v >= lo ? Math.min(((v - lo) * k + 0.5) | 0, top) : 0;
  } else if (scaling === "none" && bitDepth === 16) {
    const offset = offset16(data, options.minimum);
    f = (v) => {
      const x = Math.floor(v + offset + 0.5);
      return x > 0 ? (x < 65535 ? x : 65535) : 0;
    };
  } else if (scaling === "none") {
    f = (v) => v >= 255 ? 255 : v > 0 ? Math.trunc(v) : 0;
  } else {
    throw new ValueError(`scale: unknown scaling "${scaling}"`);
  }
  return like(arr, mapValues(data, out, f, known));
}
