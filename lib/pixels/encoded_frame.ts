/**
 * The stored bytes of one frame of encapsulated pixel data, as the file holds them (a
 * JPEG, JPEG-LS, JPEG 2000 or RLE stream), without decoding.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { PixelDataError } from "../core/errors.ts";
import { pixelInfo } from "./decode.ts";
import { frameBytes, frameFragments } from "./encapsulation.ts";

/** (7FE0,0010) Pixel Data. */
const PIXEL_DATA = 0x7fe00010;

/**
 * The encoded bytes of frame `index` of `ds`'s encapsulated Pixel Data: its fragments
 * joined (found by the Extended or Basic Offset Table, one fragment per frame, or the
 * JPEG end-of-image marker), the same bytes `pixelArray` decodes. A JPEG Baseline
 * frame is a `.jpg` file as it is (pydicom#1744). Throws a `PixelDataError` when the
 * pixel data is not encapsulated or the frame is not there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataElement, Dataset } from "../dataset/mod.ts";
 * import { encodedFrame } from "./mod.ts";
 * const ds = new Dataset();
 * const meta = new Dataset();
 * meta.set(0x00020010, "1.2.840.10008.1.2.4.50", { vr: "UI" });
 * ds.fileMeta = meta;
 * for (const [k, v] of [["Rows", 1], ["Columns", 1], ["BitsAllocated", 8], ["BitsStored", 8],
 *   ["HighBit", 7], ["PixelRepresentation", 0], ["SamplesPerPixel", 1], ["NumberOfFrames", 2]] as const) {
 *   ds.set(k, v);
 * }
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * const el = new DataElement(0x7fe00010, "OB");
 * const a = new Uint8Array([0xff, 0xd8, 1, 0xff, 0xd9]), b = new Uint8Array([0xff, 0xd8, 2, 0xff, 0xd9]);
 * el.encapsulated = { basicOffsetTable: new Uint32Array(0), fragments: [a, b], fragmentPositions: [0, 13] };
 * ds.add(el);
 * assert.deepEqual(encodedFrame(ds, 1), b);
 * assert.throws(() => encodedFrame(ds, 2), /frame 2/);
 * ```
 */
export function encodedFrame(ds: Dataset, index = 0): Uint8Array {
  const el = ds.element(PIXEL_DATA);
  if (!el?.encapsulated) {
    throw new PixelDataError("pixel data is not encapsulated: no encoded frame", {
      tag: PIXEL_DATA,
    });
  }
  const { frameCount } = pixelInfo(ds);
  if (!Number.isInteger(index) || index < 0 || index >= frameCount) {
    throw new PixelDataError(`no frame ${index}: ${frameCount} frame(s)`, { tag: PIXEL_DATA });
  }
  const ext = el.dataset?.element(0x7fe00001)?.value;
  const frames = frameFragments(el.encapsulated, frameCount, {
    extendedOffsets: ArrayBuffer.isView(ext) || Array.isArray(ext)
      ? ext as unknown as ArrayLike<number | bigint>
      : undefined,
  });
  if (index >= frames.length) {
    throw new PixelDataError(`no frame ${index}: ${frames.length} found`, { tag: PIXEL_DATA });
  }
  return frameBytes(frames[index]);
}
