/**
 * The lookup-table steps of PS3.3 C.11 in the order a display applies them: modality
 * (rescale or Modality LUT), VOI (windows or VOI LUT), presentation, and the palette of
 * PALETTE COLOR images.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { applyWindow } from "./mod.ts";
 * const arr = new PixelArray(new Int16Array([-1000, 40, 1000]), [3]);
 * const out = applyWindow(arr, { center: 40, width: 400 });
 * assert.deepEqual(Array.from(out.data), [0, 127.81954887218045, 255]);
 * ```
 *
 * @module
 */

export { applyModalityLut } from "./modality.ts";
export {
  applyGrayscaleLuts,
  applyVoiLut,
  type ApplyVoiLutOptions,
  applyWindow,
  type ApplyWindowOptions,
  type WindowFunction,
} from "./voi.ts";
export { applyColorLut, type ApplyColorLutOptions } from "./palette.ts";
export { applyPresentationLut, type ApplyPresentationLutOptions } from "./presentation.ts";
