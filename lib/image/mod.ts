/**
 * From pixels to pictures: scaling to 8 or 16 bits (the tutorial's recipe among them),
 * colormaps, PNG and JPEG encoders, `toImage` and `saveImage`.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { scaleTutorial } from "./mod.ts";
 * const out = scaleTutorial(new PixelArray(new Int16Array([-5, 0, 50, 100]), [2, 2]));
 * assert.deepEqual(Array.from(out.data), [0, 0, 127, 255]);
 * ```
 *
 * @module
 */

export { scale, type ScaleOptions, scaleTutorial } from "./scale.ts";
export {
  type CheckedImageOptions,
  checkRenderOptions,
  type RenderOptions,
  type Scaling,
  type Window,
} from "./render_options.ts";
export { applyColormap, type ColormapName, COLORMAPS, colormapTable } from "./colormap.ts";
export {
  type DecodedPng,
  decodePng,
  encodePng,
  type EncodePngOptions,
  type PngFilter,
} from "./png.ts";
export { encodeJpeg, type EncodeJpegOptions, type JpegEncoderName } from "./jpeg.ts";
export {
  type ImageFormat,
  saveImage,
  saveImageSync,
  toImage,
  type ToImageOptions,
} from "./to_image.ts";
export {
  outputMinimum,
  renderTutorial8,
  type RenderTutorialOptions,
  to16Bit,
  voiStage,
} from "./tutorial.ts";
