/**
 * From a dataset to pixels: `pixelArray` and `frames` for every transfer syntax, the
 * `PixelArray` they give, encapsulated fragments and frames, colour spaces and the codec
 * registry.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { codecFor } from "./mod.ts";
 * assert.equal(codecFor("1.2.840.10008.1.2.4.80")?.name, "JPEG-LS");
 * ```
 *
 * @module
 */

export { frames, pixelArray, type PixelArrayOptions, type PixelInfo, pixelInfo } from "./decode.ts";
export { PixelArray, type PixelArrayInit, type PixelTypedArray } from "./pixel_array.ts";
export {
  fragmentAt,
  frameBytes,
  frameFragmentIndices,
  frameFragments,
  type FrameFragmentsOptions,
} from "./encapsulation.ts";
export { encodedFrame } from "./encoded_frame.ts";
export {
  type ColorSpace,
  convertColorSpace,
  type ConvertColorSpaceOptions,
} from "./color_space.ts";
export { codecFor, CODECS } from "./codecs/registry.ts";
export type { Codec, FrameInfo } from "./codecs/types.ts";
export type { NativeKind } from "./codecs/native.ts";
export { type DecodedJpeg, decodeJpeg, type JpegDecodeOptions } from "./codecs/jpeg/mod.ts";
