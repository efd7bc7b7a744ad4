/**
 * The Presentation LUT stage (PS3.3 C.11.4, C.11.6): VOI output to P-values, including
 * the inversion of MONOCHROME1 images.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { PixelArray, PixelTypedArray } from "../pixels/pixel_array.ts";
import { UnsupportedError } from "../core/errors.ts";
import {
  indexLut,
  isIntegerArray,
  items,
  like,
  lutDescriptor,
  lutEntries,
  voiOutputRange,
} from "./_lut.ts";

const PRESENTATION_LUT_SHAPE = 0x20500020;
const LUT_DESCRIPTOR = 0x00283002;
const LUT_DATA = 0x00283006;

/** Options of {@linkcode applyPresentationLut}. */
export interface ApplyPresentationLutOptions {
  /**
   * The range `[min, max]` of the values entering this stage.
   *
   * @default {undefined} the output range of the VOI stage as {@linkcode applyVoiLut}
   * with the same `index` and `preferLut` produces it (see {@linkcode applyPresentationLut})
   */
  range?: readonly [number, number];
  /**
   * The VOI LUT Sequence item that was applied, for the default range.
   *
   * @default {0}
   */
  index?: number;
  /**
   * As in {@linkcode applyVoiLut}, for the default range.
   *
   * @default {true}
   */
  preferLut?: boolean;
}

/**
 * Applies the Presentation LUT: the Presentation LUT Sequence (2050,0010) if present,
 * else an inversion when Presentation LUT Shape (2050,0020) is `INVERSE`, or when it is
 * absent and Photometric Interpretation is `MONOCHROME1` (minimum is white). `IDENTITY`,
 * or nothing to do, returns `arr`.
 *
 * The inversion is `min + max - x` over the range of the values entering the stage, not
 * over the data's own extremes, so that a pixel keeps its meaning whatever else is in
 * the image. That range `[min, max]` is `options.range`, else:
 * - `0..2^bits-1` (bits from its LUT Descriptor) when the VOI LUT Sequence is what
 *   {@linkcode applyVoiLut} applies (it has a valid first item and there is no window,
 *   or `preferLut`);
 * - else the grayscale range the window maps onto, which is also the range of the
 *   Modality LUT output: `0..2^BitsStored-1` (or `-2^(BitsStored-1)..2^(BitsStored-1)-1`
 *   when Pixel Representation is 1, or `0..2^bits-1` of a Modality LUT Sequence),
 *   through Rescale Slope/Intercept when present;
 * - else, when Bits Stored is missing, the data's own minimum and maximum.
 *
 * Integer results are clamped to that range and keep the input's type; float input
 * gives float64. A Presentation LUT Sequence maps `min..max` linearly onto its entries
 * (rounded half up), giving `uint8` for entries of 8 bits or less, else `uint16`.
 *
 * pydicom 2.3 has no such function; pydicom 3's `apply_presentation_lut` inverts with
 * the data's maximum (`arr.max() - arr`) and ignores MONOCHROME1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyPresentationLut } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const ds = new Dataset();
 * ds.set("PhotometricInterpretation", "MONOCHROME1");
 * ds.set("BitsStored", 8);
 * ds.set("PixelRepresentation", 0);
 * const out = applyPresentationLut(new PixelArray(new Uint8Array([0, 10, 255]), [1, 3]), ds);
 * assert.deepEqual(Array.from(out.data), [255, 245, 0]);
 * ```
 */
export function applyPresentationLut(
  arr: PixelArray,
  ds: Dataset,
  options: ApplyPresentationLutOptions = {},
): PixelArray {
  const seq = items(ds, "PresentationLUTSequence");
  if (seq.length) return presentationSequence(arr, seq[0], voiOutputRange(arr, ds, options));
  const shapeValue = ds.get("PresentationLUTShape");
  const shape = typeof shapeValue === "string" ? shapeValue.trim().toUpperCase() : "";
  let invert: boolean;
  if (shape === "INVERSE") invert = true;
  else if (shape === "IDENTITY") invert = false;
  else if (shape === "") invert = ds.get("PhotometricInterpretation") === "MONOCHROME1";
  else {
    throw new UnsupportedError(
      `Presentation LUT Shape ${JSON.stringify(shapeValue)} is not supported`,
      { tag: PRESENTATION_LUT_SHAPE },
    );
  }
  if (!invert) return arr;
  const [lo, hi] = voiOutputRange(arr, ds, options);
  return like(arr, invertValues(arr.data, lo, hi));
}

function invertValues(src: PixelTypedArray, lo: number, hi: number): PixelTypedArray {
  const sum = lo + hi;
  if (!isIntegerArray(src)) {
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = sum - src[i];
    return out;
  }
  const Ctor = src.constructor as new (n: number) => PixelTypedArray;
  const out = new Ctor(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = sum - src[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

function presentationSequence(
  arr: PixelArray,
  item: Dataset,
  [lo, hi]: readonly [number, number],
): PixelArray {
  const desc = lutDescriptor(item, "LUTDescriptor", LUT_DESCRIPTOR);
  if (desc.bits < 1 || desc.bits > 16) {
    throw new UnsupportedError(`${desc.bits} bits per Presentation LUT entry is not supported`, {
      tag: LUT_DESCRIPTOR,
    });
  }
  const words = lutEntries(item, "LUTData", desc.entries, LUT_DATA);
  const small = desc.bits <= 8;
  const lut = small ? Uint8Array.from(words, (w) => w & 0xff) : words;
  const scale = hi > lo ? (desc.entries - 1) / (hi - lo) : 0;
  const n = arr.data.length;
  const out = small ? new Uint8Array(n) : new Uint16Array(n);
  indexLut(arr.data, lut as typeof out, lo, desc.entries, out, { scale, bias: 0.5 });
  return like(arr, out);
}
