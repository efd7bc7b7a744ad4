/**
 * Values cut to Bits Stored: what `pixelArray` does to every decoded frame (unless
 * `keepUnusedBits`), shared with the decode workers of `lib/volume`, which load codecs
 * without the dataset reader.
 *
 * @module
 */

import type { FrameInfo, PixelTypedArray } from "./codecs/types.ts";

/**
 * Masks (unsigned) or sign-extends (signed) decoded values to Bits Stored, in place:
 * the bits above Bits Stored are not part of the value. Nothing happens when Bits Stored
 * fills Bits Allocated, for 1-bit and for float data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitBitsStored } from "./bits_stored.ts";
 * const info = {
 *   rows: 1, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 12,
 *   pixelRepresentation: 1, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * const signed = new Int16Array([0x0fff, 0x7001]);
 * fitBitsStored(signed, info);
 * assert.deepEqual(signed, new Int16Array([-1, 1]));
 * const unsigned = new Uint16Array([0xf123, 0x0fff]);
 * fitBitsStored(unsigned, { ...info, pixelRepresentation: 0 });
 * assert.deepEqual(unsigned, new Uint16Array([0x123, 0xfff]));
 * ```
 */
export function fitBitsStored(data: PixelTypedArray, info: FrameInfo): void {
  const bits = info.bitsStored;
  if (bits >= info.bitsAllocated || info.bitsAllocated === 1) return;
  if (data instanceof Float32Array || data instanceof Float64Array) return;
  if (info.pixelRepresentation === 1) {
    const shift = 32 - bits;
    for (let i = 0; i < data.length; i++) data[i] = (data[i] << shift) >> shift;
  } else {
    const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
    for (let i = 0; i < data.length; i++) data[i] = (data[i] & mask) >>> 0;
  }
}
