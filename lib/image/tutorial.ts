/**
 * The tutorial's whole grayscale picture in one pass: Modality LUT, VOI LUT (or window),
 * then `np.maximum(x, 0) / x.max() * 255` and `np.uint8`, for integer pixels folded into
 * one lookup table over the stored values, with results identical to the float64 chain
 * `scaleTutorial(applyVoiLut(applyModalityLut(arr, ds), ds, { index }))`.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { PixelArray, type PixelTypedArray } from "../pixels/pixel_array.ts";
import { applyColorLut } from "../lut/palette.ts";
import { applyModalityLut } from "../lut/modality.ts";
import { applyVoiLut, applyWindow } from "../lut/voi.ts";
import { scale, scaleTutorial } from "./scale.ts";
import { isWindow, type Window } from "./render_options.ts";
import { ValueError } from "../core/errors.ts";

/** Options of {@linkcode renderTutorial8} and {@linkcode voiStage}. */
export interface RenderTutorialOptions {
  /**
   * The VOI step: a number picks the dataset's window (a value of Window Center/Width)
   * or VOI LUT Sequence item; a window of your own `{ center, width }` replaces it by
   * `applyWindow(x, { center, width, ds })` (LINEAR, onto the output range the dataset's
   * window would have).
   *
   * @default {0}
   */
  window?: number | Window;
  /**
   * Where to write the picture (then the result's `data`): an array of
   * `arr.data.length` values. A converter that reuses one array per image size allocates
   * nothing per image.
   *
   * @default {undefined} a new array
   */
  out?: Uint8Array;
}

/**
 * The tutorial's steps on `arr`, the pixels of `ds`, up to the VOI output: the palette
 * (PALETTE COLOR), the modality LUT, then the dataset's window or VOI LUT item
 * `options.window`, or a window of your own with the dataset's output range (as
 * pydicom's `apply_windowing` applies a window of these values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pixelArray } from "../pixels/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { voiStage } from "./mod.ts";
 * const ds = makeCtSlice(0, { size: 16 }); // window 40/80, output -1024..3071
 * const voi = voiStage(pixelArray(ds), ds);
 * assert.equal(voi.dtype, "float64");
 * assert.deepEqual([voi.min(), voi.max()], [-1024, 3071]);
 * ```
 */
export function voiStage(
  arr: PixelArray,
  ds: Dataset,
  options: Pick<RenderTutorialOptions, "window"> = {},
): PixelArray {
  return voi(applyModalityLut(palette(arr, ds), ds), ds, options.window);
}

function voi(a: PixelArray, ds: Dataset, window: number | Window | undefined): PixelArray {
  return isWindow(window)
    ? applyWindow(a, { center: window.center, width: window.width, ds })
    : applyVoiLut(a, ds, { index: window ?? 0 });
}

/**
 * The bottom of the VOI output range of a grayscale dataset (pydicom's `y_min`: the
 * range of Bits Stored through Rescale Slope/Intercept, or of the Modality LUT), taken
 * from `applyWindow` itself so that both agree; undefined when it cannot be known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { outputMinimum } from "./mod.ts";
 * assert.equal(outputMinimum(makeCtSlice(0, { size: 4 })), -1024);
 * assert.equal(outputMinimum(new Dataset()), undefined);
 * ```
 */
export function outputMinimum(ds: Dataset): number | undefined {
  try {
    const ends = new PixelArray(new Float64Array([-Infinity, Infinity]), [1, 2]);
    const [a, b] = applyWindow(ends, { center: 0, width: 2, ds }).data;
    const lo = Math.min(a, b);
    return Number.isFinite(lo) ? lo : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The VOI output of `ds` as 16-bit values, by the 16-bit rule (`scale`'s `"none"` at 16
 * bits): unsigned integer output (a VOI LUT, a palette, unsigned data without rescale)
 * is kept as it is; other output (a window's float64, rescaled or signed values) is
 * rounded to the nearest integer and, when the bottom of its output range
 * ({@linkcode outputMinimum}) is negative, shifted up by that much, so that nothing is
 * clamped: a CT window with Rescale Intercept -1024 and 12 bits stored gives 0..4095
 * (value + 1024). Without a known range signed integer types are shifted by their half
 * range (int16 +32768) and float values only rounded. Values still outside 0..65535 are
 * clamped; NaN gives 0. `toImage(arr, { dataset, bitDepth: 16 })` and
 * `convertFileSet(..., { bitDepth: 16 })` write this.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { to16Bit } from "./mod.ts";
 * const ds = makeCtSlice(0, { size: 16 }); // intercept -1024, 12 bits stored
 * const voi = new PixelArray(new Float64Array([-1024, -0.6, 2047.5, 3071]), [2, 2]);
 * assert.deepEqual(to16Bit(voi, ds).data, new Uint16Array([0, 1023, 3072, 4095]));
 * ```
 */
export function to16Bit(voi: PixelArray, ds: Dataset): PixelArray {
  const data = voi.data;
  if (data instanceof Uint16Array || data instanceof Uint8Array) return voi;
  return scale(voi, { scaling: "none", bitDepth: 16, minimum: outputMinimum(ds) });
}

/** The range of 32-bit integer values still rendered through a table. */
const TABLE_LIMIT = 1 << 16;

/**
 * The tutorial's 8-bit picture of `arr`, the pixels of `ds`:
 *
 * ```py
 * arr = apply_color_lut(arr, ds)          # PALETTE COLOR only
 * arr = apply_modality_lut(arr, ds)
 * arr = apply_voi_lut(arr, ds, index=0)
 * x = arr.astype(float)
 * x = np.uint8(np.maximum(x, 0) / x.max() * 255.0)
 * ```
 *
 * Equal, value for value, to `scaleTutorial(voiStage(arr, ds, { window }))`, that is
 * `scaleTutorial(applyVoiLut(applyModalityLut(arr, ds), ds, { index: window }))` (with
 * `applyColorLut` first for PALETTE COLOR, and `applyWindow(x, { center, width, ds })` in
 * place of `applyVoiLut` when `window` is a window of your own). Grayscale integer pixels (8, 16 or
 * 32 bits, at most 65536 levels) take a fast path: the chain runs once on the stored
 * values present, the maximum is the chain's largest output over those values (as numpy's
 * `x.max()` over the image, NaN included), and each pixel is one table lookup. Float,
 * colour and palette data go through the chain itself. The shape is kept; the maximum is
 * taken over the whole array (every frame), as `scaleTutorial`'s.
 *
 * Throws what the chain throws (a `ValueError` for an empty array, a window on colour
 * data, an `index` past the windows present...).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { renderTutorial8 } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("BitsStored", 12);
 * ds.set("PixelRepresentation", 0);
 * ds.set("RescaleSlope", 1);
 * ds.set("RescaleIntercept", -1024);
 * ds.set("WindowCenter", 40);
 * ds.set("WindowWidth", 80);
 * const arr = new PixelArray(new Uint16Array([0, 1024, 1064, 1080, 4095]), [1, 5]);
 * assert.deepEqual(renderTutorial8(arr, ds).data, new Uint8Array([0, 0, 87, 156, 255]));
 * ```
 */
export function renderTutorial8(
  arr: PixelArray,
  ds: Dataset,
  options: RenderTutorialOptions = {},
): PixelArray {
  const window = options.window;
  const chain = (a: PixelArray) => voi(applyModalityLut(a, ds), ds, window);
  const data = arr.data;
  const out = options.out;
  if (out && out.length !== data.length) {
    throw new ValueError(
      `renderTutorial8: out has ${out.length} values, the image ${data.length}`,
    );
  }
  const slow = (a: PixelArray) => {
    const picture = scaleTutorial(chain(a));
    if (!out) return picture;
    out.set(picture.data);
    return new PixelArray(out, picture.shape, { multiFrame: picture.multiFrame });
  };
  if (
    ds.get("PhotometricInterpretation") === "PALETTE COLOR" || arr.samples !== 1 ||
    data.length === 0 || data instanceof Float32Array || data instanceof Float64Array
  ) {
    return slow(palette(arr, ds));
  }
  const target = out ?? new Uint8Array(data.length);
  const done = data instanceof Uint8Array || data instanceof Int8Array
    ? render8(data, chain, target)
    : data instanceof Uint16Array || data instanceof Int16Array
    ? render16(data, chain, target)
    : render32(data as Uint32Array | Int32Array, chain, target);
  if (!done) return slow(arr);
  return new PixelArray(target, arr.shape, { multiFrame: arr.multiFrame });
}

// Tables kept between calls (the function is synchronous, so never shared by two calls).
const SEEN = new Uint8Array(1 << 16);
const LUT = new Uint8Array(1 << 16);

type Chain = (a: PixelArray) => PixelArray;

function palette(arr: PixelArray, ds: Dataset): PixelArray {
  return ds.get("PhotometricInterpretation") === "PALETTE COLOR" ? applyColorLut(arr, ds) : arr;
}

/**
 * The chain's output for each stored value `lo..hi` (typed as the input), or undefined
 * when the chain does not give one value per value (colour output).
 */
function stageTable(
  like: PixelTypedArray,
  lo: number,
  hi: number,
  chain: Chain,
): PixelTypedArray | undefined {
  const size = hi - lo + 1;
  const Ctor = like.constructor as new (n: number) => PixelTypedArray;
  const values = new Ctor(size);
  for (let i = 0; i < size; i++) values[i] = lo + i;
  const table = chain(new PixelArray(values, [size], { multiFrame: false })).data;
  return table.length === size ? table : undefined;
}

/**
 * numpy's maximum of the table over the values present (`seen[(lo + i) & mask]`): NaN as
 * soon as one of them is NaN.
 */
function presentMax(
  table: PixelTypedArray,
  lo: number,
  seen: Uint8Array,
  mask: number,
): number {
  let m = -Infinity;
  for (let i = 0; i < table.length; i++) {
    if (seen[(lo + i) & mask] === 0) continue;
    const t = table[i];
    if (t !== t) return NaN;
    if (t > m) m = t;
  }
  return m;
}

/**
 * The 8-bit table indexed by the stored bit pattern (`(lo + i) & mask`): the tutorial's
 * `uint8(max(t, 0) / m * 255)` of each table entry, all 0 when `m` is not positive (numpy
 * casts the NaNs of 0/0 to 0).
 */
function scaleTable(
  table: PixelTypedArray,
  lo: number,
  m: number,
  mask: number,
): Uint8Array {
  const lut = LUT.subarray(0, mask + 1);
  if (!(m > 0)) return lut.fill(0);
  for (let i = 0; i < table.length; i++) {
    const t = table[i];
    lut[(lo + i) & mask] = t > 0 ? (t / m * 255.0) | 0 : 0;
  }
  return lut;
}

/** First and last value present, in value order, for 8/16-bit patterns. */
function presentRange(seen: Uint8Array, signed: boolean): [number, number] {
  const n = seen.length;
  const half = n >> 1;
  const first = signed ? -half : 0;
  const last = signed ? half - 1 : n - 1;
  const mask = n - 1;
  let lo = first;
  while (lo <= last && seen[lo & mask] === 0) lo++;
  let hi = last;
  while (hi >= lo && seen[hi & mask] === 0) hi--;
  return [lo, hi];
}

/** True on little-endian hosts, where a 32-bit word holds pixels `2k` (low) and `2k+1`. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A 32-bit view of 16-bit pixels when aligned on a little-endian host (2 pixels a word). */
function words(u: Uint16Array): Uint32Array | undefined {
  return LITTLE_ENDIAN && u.byteOffset % 4 === 0
    ? new Uint32Array(u.buffer, u.byteOffset, u.length >> 1)
    : undefined;
}

/** `out[i] = lut[u[i]]`, four pixels per 32-bit store when it can. */
function gather16(u: Uint16Array, lut: Uint8Array, out: Uint8Array): void {
  const w = words(u);
  let done = 0;
  if (w) {
    const o = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
    for (let i = 0, j = 0; j < o.length; i += 2, j++) {
      const a = w[i], b = w[i + 1];
      o[j] = lut[a & 0xffff] | (lut[a >>> 16] << 8) | (lut[b & 0xffff] << 16) |
        (lut[b >>> 16] << 24);
    }
    done = o.length * 4;
  }
  for (let i = done; i < u.length; i++) out[i] = lut[u[i]];
}

function gather8(u: Uint8Array, lut: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < u.length; i++) out[i] = lut[u[i]];
}

/** `seen[v] = 1` for every pixel value, two pixels per 32-bit load when it can. */
function mark16(u: Uint16Array, seen: Uint8Array): void {
  const w = words(u);
  let done = 0;
  if (w) {
    for (let i = 0; i < w.length; i++) {
      const x = w[i];
      seen[x & 0xffff] = 1;
      seen[x >>> 16] = 1;
    }
    done = w.length * 2;
  }
  for (let i = done; i < u.length; i++) seen[u[i]] = 1;
}

function mark8(u: Uint8Array, seen: Uint8Array): void {
  for (let i = 0; i < u.length; i++) seen[u[i]] = 1;
}

function render16(
  data: Uint16Array | Int16Array,
  chain: Chain,
  out: Uint8Array,
): boolean {
  const u = data instanceof Uint16Array
    ? data
    : new Uint16Array(data.buffer, data.byteOffset, data.length);
  const seen = SEEN.fill(0);
  mark16(u, seen);
  const [lo, hi] = presentRange(seen, data instanceof Int16Array);
  const table = stageTable(data, lo, hi, chain);
  if (!table) return false;
  gather16(u, scaleTable(table, lo, presentMax(table, lo, seen, 0xffff), 0xffff), out);
  return true;
}

function render8(data: Uint8Array | Int8Array, chain: Chain, out: Uint8Array): boolean {
  const u = data instanceof Uint8Array
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const seen = SEEN.subarray(0, 1 << 8).fill(0);
  mark8(u, seen);
  const [lo, hi] = presentRange(seen, data instanceof Int8Array);
  const table = stageTable(data, lo, hi, chain);
  if (!table) return false;
  gather8(u, scaleTable(table, lo, presentMax(table, lo, seen, 0xff), 0xff), out);
  return true;
}

function render32(data: Uint32Array | Int32Array, chain: Chain, out: Uint8Array): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo + 1 > TABLE_LIMIT) return false;
  const seen = SEEN.fill(0);
  for (let i = 0; i < data.length; i++) seen[data[i] - lo] = 1;
  const table = stageTable(data, lo, hi, chain);
  if (!table) return false;
  // indexes relative to lo: (0 + i) & mask
  const lut = scaleTable(table, 0, presentMax(table, 0, seen, TABLE_LIMIT - 1), TABLE_LIMIT - 1);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i] - lo];
  return true;
}
