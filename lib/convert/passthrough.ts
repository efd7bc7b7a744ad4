/**
 * Frame pass-through (`passthrough: true`, `--passthrough`): a JPEG Baseline frame that
 * can be shown as it is stored is written as the `.jpg` itself, without decoding and
 * re-encoding. It is the stored picture, not the tutorial's rescaled one.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { numberValue } from "../dataset/numbers.ts";
import { JPEG_BASELINE } from "../core/transfer_syntax.ts";

/**
 * The colour transform a JPEG stream declares: `"ycbcr"` (a JFIF APP0, or an Adobe APP14
 * with transform 1), `"none"` (Adobe APP14 with transform 0), or undefined when it says
 * nothing (then only the component count and IDs tell, which viewers read differently).
 */
function colorTransform(jpeg: Uint8Array): "ycbcr" | "none" | undefined {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1];
    if (marker === 0xda || marker === 0xd9) break; // start of scan: no more headers
    const length = (jpeg[at + 2] << 8) | jpeg[at + 3];
    const body = jpeg.subarray(at + 4, at + 2 + length);
    const text = String.fromCharCode(...body.subarray(0, 5));
    if (marker === 0xe0 && text === "JFIF\0") return "ycbcr";
    if (marker === 0xee && text === "Adobe" && body.length >= 12) {
      return body[11] === 1 ? "ycbcr" : "none";
    }
    at += 2 + length;
  }
  return undefined;
}

/** True when the dataset has an element (any value) for `keyword`. */
function has(ds: Dataset, keyword: string): boolean {
  return ds.get(keyword) !== undefined;
}

/**
 * Whether the stored JPEG of `ds` (its first frame `frame`) can be shown as it is: JPEG
 * Baseline, 8 bits, and either MONOCHROME2 without a modality step (Rescale Slope 1,
 * Intercept 0, no Modality LUT) or VOI step (no window, no VOI LUT) or inverse
 * presentation, or YBR_FULL_422 / YBR_FULL colour, or RGB whose stream declares its
 * colour transform (JFIF, or Adobe with transform 1: viewers then decode it right).
 * An RGB-labelled stream without that marker, and everything else, goes the normal way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { canPassThrough } from "./mod.ts";
 * const ds = new Dataset();
 * const meta = new Dataset();
 * meta.set(0x00020010, "1.2.840.10008.1.2.4.50", { vr: "UI" });
 * ds.fileMeta = meta;
 * ds.set("BitsAllocated", 8);
 * ds.set("SamplesPerPixel", 1);
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
 * assert.equal(canPassThrough(ds, jpeg), true);
 * ds.set("WindowCenter", 40);
 * ds.set("WindowWidth", 400);
 * assert.equal(canPassThrough(ds, jpeg), false); // the VOI window changes it
 * ```
 */
export function canPassThrough(ds: Dataset, frame: Uint8Array): boolean {
  if (ds.transferSyntaxUID !== JPEG_BASELINE) return false;
  if (frame.length < 4 || frame[0] !== 0xff || frame[1] !== 0xd8) return false;
  if (numberValue(ds.get("BitsAllocated")) !== 8) return false;
  const samples = numberValue(ds.get("SamplesPerPixel")) ?? 1;
  const pi = String(ds.get("PhotometricInterpretation") ?? "").trim();
  if (pi === "MONOCHROME2") {
    const slope = numberValue(ds.get("RescaleSlope")) ?? 1;
    const intercept = numberValue(ds.get("RescaleIntercept")) ?? 0;
    return samples === 1 && slope === 1 && intercept === 0 &&
      !has(ds, "ModalityLUTSequence") && !has(ds, "WindowCenter") &&
      !has(ds, "VOILUTSequence") && ds.get("PresentationLUTShape") !== "INVERSE";
  }
  if (samples !== 3) return false;
  if (pi === "YBR_FULL_422" || pi === "YBR_FULL") return true;
  return pi === "RGB" && colorTransform(frame) === "ycbcr";
}
