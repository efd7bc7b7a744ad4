/**
 * The Clean Pixel Data Option's work: rectangles blanked in every frame. It brings the
 * pixel decoders, so `deidentify` gets it when this module loads (`./mod.ts` loads it; a
 * file-set job loads it only when regions are given).
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { DataElement } from "../dataset/element.ts";
import { pixelArray } from "../pixels/decode.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntax } from "../core/transfer_syntax.ts";
import type { Region } from "./regions.ts";
import { installBlanker } from "./deidentify.ts";

/**
 * Writes into `out` the pixels of `source` with the regions set to 0 in every frame and
 * sample, in native form (compressed data is decoded; YBR colour becomes RGB), and
 * returns the transfer syntax the result must be written in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { blankRegions } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("Rows", 2);
 * ds.set("Columns", 3);
 * ds.set("BitsAllocated", 8);
 * ds.set("BitsStored", 8);
 * ds.set("SamplesPerPixel", 1);
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("PixelData", new Uint8Array([1, 2, 3, 4, 5, 6]));
 * const out = new Dataset();
 * blankRegions(out, ds, [{ x: 1, y: 0, width: 5, height: 1 }]);
 * assert.deepEqual([...(out.get("PixelData") as Uint8Array)], [1, 0, 0, 4, 5, 6]);
 * ```
 */
export function blankRegions(
  out: Dataset,
  source: Dataset,
  regions: readonly Region[],
): string {
  const arr = pixelArray(source, { keepUnusedBits: true, asRgb: true });
  const data = arr.data;
  const frames = arr.multiFrame ? arr.shape[0] : 1;
  const rows = arr.rows, columns = arr.columns;
  const samples = data.length / (frames * rows * columns);
  for (let f = 0; f < frames; f++) {
    const base = f * rows * columns * samples;
    for (const r of regions) {
      const y1 = Math.min(rows, r.y + r.height), x1 = Math.min(columns, r.x + r.width);
      for (let y = r.y; y < y1; y++) {
        const from = base + (y * columns + r.x) * samples;
        const to = base + (y * columns + x1) * samples;
        if (to > from) data.fill(0 as never, from, to);
      }
    }
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const pi = String(source.get("PhotometricInterpretation") ?? "");
  if (samples === 3) {
    if (pi !== "RGB") out.add(DataElement.fromValue(0x00280004, "CS", "RGB"));
    out.add(DataElement.fromValue(0x00280006, "US", 0));
  }
  const ts = source.transferSyntaxUID;
  const syntax = ts ? transferSyntax(ts) : undefined;
  const native = syntax && !syntax.encapsulated && !syntax.deflated && syntax.littleEndian
    ? ts!
    : EXPLICIT_VR_LITTLE_ENDIAN;
  out.add(
    DataElement.fromValue(0x7fe00010, data.BYTES_PER_ELEMENT === 1 ? "OB" : "OW", bytes.slice()),
  );
  return native;
}

installBlanker(blankRegions);
