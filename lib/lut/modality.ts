/**
 * The Modality LUT stage (PS3.3 C.11.1): stored values to modality values (Hounsfield
 * units, optical density...), by the Modality LUT Sequence or Rescale Slope/Intercept,
 * as pydicom 2.3's `apply_modality_lut`.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { PixelArray } from "../pixels/pixel_array.ts";
import { indexLut, items, like, lutDescriptor, lutEntries } from "./_lut.ts";
import { numberValue } from "../dataset/numbers.ts";

const LUT_DESCRIPTOR = 0x00283002;
const LUT_DATA = 0x00283006;

/**
 * Applies the Modality LUT Sequence (0028,3000) or, failing that, Rescale Slope
 * (0028,1053) and Rescale Intercept (0028,1052), as pydicom 2.3.1's
 * `apply_modality_lut`:
 *
 * - Modality LUT Sequence: the first item's LUT maps each value; values below the first
 *   value mapped take the first entry, values past the last entry the last one (pydicom
 *   computes `value - first` in the input's type, which can wrap around for values near
 *   the type's limits; we clamp as the standard says). The result is `uint8` for 8-bit
 *   entries, else `uint16` (pydicom: `uint<bits>`, which fails for other sizes).
 * - Rescale: `value * slope + intercept` in float64, always `float64` (even for integer
 *   slope and intercept, as pydicom 2.3).
 * - Neither: `arr` itself is returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyModalityLut } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const ds = new Dataset();
 * ds.set("RescaleSlope", 2);
 * ds.set("RescaleIntercept", -1024);
 * const out = applyModalityLut(new PixelArray(new Int16Array([0, 1, 512]), [1, 3]), ds);
 * assert.equal(out.dtype, "float64");
 * assert.deepEqual(Array.from(out.data), [-1024, -1022, 0]);
 * ```
 */
export function applyModalityLut(arr: PixelArray, ds: Dataset): PixelArray {
  const seq = items(ds, "ModalityLUTSequence");
  if (seq.length) {
    const item = seq[0];
    const desc = lutDescriptor(item, "LUTDescriptor", LUT_DESCRIPTOR);
    const words = lutEntries(item, "LUTData", desc.entries, LUT_DATA);
    const lut = desc.bits <= 8 ? Uint8Array.from(words, (w) => w & 0xff) : words;
    const Out = desc.bits <= 8 ? Uint8Array : Uint16Array;
    const out = indexLut(arr.data, lut, desc.firstMapped, desc.entries, new Out(arr.data.length));
    return like(arr, out);
  }
  const slopeValue = ds.get("RescaleSlope");
  const interceptValue = ds.get("RescaleIntercept");
  if (slopeValue === undefined || interceptValue === undefined) return arr;
  const slope = numberValue(slopeValue);
  const intercept = numberValue(interceptValue);
  if (slope === undefined || intercept === undefined) return arr;
  return rescale(arr, slope, intercept);
}

/** `value * slope + intercept` in float64, element by element. */
function rescale(arr: PixelArray, slope: number, intercept: number): PixelArray {
  const src = arr.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] * slope + intercept;
  return like(arr, out);
}
