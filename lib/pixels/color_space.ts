/**
 * Color space conversion between YBR_FULL / YBR_FULL_422 and RGB (PS3.3 C.7.6.3.1.2,
 * ITU-T T.871), as pydicom 2.3's `convert_color_space`.
 *
 * @module
 */

import { PixelArray, type PixelTypedArray } from "./pixel_array.ts";
import { UnsupportedError, ValueError } from "../core/errors.ts";

/** The color spaces {@linkcode convertColorSpace} knows. */
export type ColorSpace = "RGB" | "YBR_FULL" | "YBR_FULL_422";

const f32 = Math.fround;

// pydicom's matrices, computed in float64 then stored as float32
const CB_G = f32(-0.114 * 1.772 / 0.587);
const CB_B = f32(1.772);
const CR_R = f32(1.402);
const CR_G = f32(-0.299 * 1.402 / 0.587);

const R_Y = f32(0.299), G_Y = f32(0.587), B_Y = f32(0.114);
const R_CB = f32(-0.299 / 1.772), G_CB = f32(-0.587 / 1.772), B_CB = f32(0.886 / 1.772);
const R_CR = f32(0.701 / 1.402), G_CR = f32(-0.587 / 1.402), B_CR = f32(-0.114 / 1.402);

/** Options for {@linkcode convertColorSpace}. */
export interface ConvertColorSpaceOptions {
  /**
   * The colour space wanted.
   *
   * @default {"RGB"}
   */
  to?: string;
}

/**
 * Converts interleaved 3-sample pixels between color spaces, with pydicom 2.3.1's
 * float32 arithmetic, rounding (`floor(x + 0.5)`) and clipping to 0..255:
 *
 * - `YBR_FULL` or `YBR_FULL_422` to `RGB`: `R = Y + 1.402 (Cr - 128)`,
 *   `G = Y - 0.114·1.772/0.587 (Cb - 128) - 0.299·1.402/0.587 (Cr - 128)`,
 *   `B = Y + 1.772 (Cb - 128)`.
 * - `RGB` to `YBR_FULL` or `YBR_FULL_422`: the inverse matrix, plus 128 for Cb and Cr.
 * - Between the same or the two YBR spaces: `arr` itself (YBR_FULL_422 pixels are
 *   expected already upsampled, as `pixelArray` returns them).
 *
 * The result keeps the input's type. `uint8` is pydicom's case, reproduced exactly; for
 * `uint16` the offset is 32768 and the clip 65535, in float64.
 *
 * Throws `UnsupportedError` for other pairs and `ValueError` for a last axis other
 * than 3 or a type other than uint8/uint16.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertColorSpace, PixelArray } from "./mod.ts";
 * const ybr = new PixelArray(new Uint8Array([76, 85, 255, 150, 44, 21]), [1, 2, 3]);
 * const rgb = convertColorSpace(ybr, "YBR_FULL", { to: "RGB" });
 * assert.deepEqual(Array.from(rgb.data), [254, 0, 0, 0, 255, 1]);
 * assert.deepEqual(rgb.shape, [1, 2, 3]);
 * ```
 */
export function convertColorSpace(
  arr: PixelArray,
  from: string,
  options: ConvertColorSpaceOptions = {},
): PixelArray {
  const to = options.to ?? "RGB";
  const src = norm(from), dst = norm(to);
  if (!src || !dst) {
    throw new UnsupportedError(`conversion from ${from} to ${to} is not supported`);
  }
  if (src === dst || (src !== "RGB" && dst !== "RGB")) return arr;
  if (arr.shape[arr.shape.length - 1] !== 3) {
    throw new ValueError(
      `color conversion needs 3 samples per pixel, shape is [${arr.shape.join(", ")}]`,
    );
  }
  const data = arr.data;
  let out: PixelTypedArray;
  if (data instanceof Uint8Array) {
    out = src === "RGB" ? rgbToYbr8(data) : ybrToRgb8(data);
  } else if (data instanceof Uint16Array) {
    out = src === "RGB" ? rgbToYbr16(data) : ybrToRgb16(data);
  } else {
    throw new ValueError(`color conversion needs uint8 or uint16 pixels, found ${arr.dtype}`);
  }
  return new PixelArray(out, arr.shape, { multiFrame: arr.multiFrame });
}

function norm(space: string): ColorSpace | undefined {
  const s = space.trim().toUpperCase();
  return s === "RGB" || s === "YBR_FULL" || s === "YBR_FULL_422" ? s : undefined;
}

function clip8(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : v;
}

/**
 * YBR to RGB as numpy's float32 `matmul` (OpenBLAS sgemm: products accumulated with
 * fused multiply-adds in the order Y, Cb, Cr), then `+ 0.5`, `floor`, clip.
 */
function ybrToRgb8(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const y = src[i], cb = src[i + 1] - 128, cr = src[i + 2] - 128;
    const r = f32(y + cr * CR_R);
    const g = f32(f32(y + cb * CB_G) + cr * CR_G);
    const b = f32(y + cb * CB_B);
    out[i] = clip8(Math.floor(f32(r + 0.5)));
    out[i + 1] = clip8(Math.floor(f32(g + 0.5)));
    out[i + 2] = clip8(Math.floor(f32(b + 0.5)));
  }
  return out;
}

/** RGB to YBR as numpy's float32 `matmul`, then `+ [0.5, 128.5, 128.5]`, `floor`, clip. */
function rgbToYbr8(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const r = src[i], g = src[i + 1], b = src[i + 2];
    const y = f32(f32(f32(r * R_Y) + g * G_Y) + b * B_Y);
    const cb = f32(f32(f32(r * R_CB) + g * G_CB) + b * B_CB);
    const cr = f32(f32(f32(r * R_CR) + g * G_CR) + b * B_CR);
    out[i] = clip8(Math.floor(f32(y + 0.5)));
    out[i + 1] = clip8(Math.floor(f32(cb + 128.5)));
    out[i + 2] = clip8(Math.floor(f32(cr + 128.5)));
  }
  return out;
}

function clip16(v: number): number {
  return v <= 0 ? 0 : v >= 65535 ? 65535 : v;
}

function ybrToRgb16(src: Uint16Array): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const y = src[i], cb = src[i + 1] - 32768, cr = src[i + 2] - 32768;
    out[i] = clip16(Math.floor(y + 1.402 * cr + 0.5));
    out[i + 1] = clip16(
      Math.floor(y + (-0.114 * 1.772 / 0.587) * cb + (-0.299 * 1.402 / 0.587) * cr + 0.5),
    );
    out[i + 2] = clip16(Math.floor(y + 1.772 * cb + 0.5));
  }
  return out;
}

function rgbToYbr16(src: Uint16Array): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const r = src[i], g = src[i + 1], b = src[i + 2];
    out[i] = clip16(Math.floor(0.299 * r + 0.587 * g + 0.114 * b + 0.5));
    out[i + 1] = clip16(
      Math.floor((-0.299 / 1.772) * r + (-0.587 / 1.772) * g + (0.886 / 1.772) * b + 32768.5),
    );
    out[i + 2] = clip16(
      Math.floor((0.701 / 1.402) * r + (-0.587 / 1.402) * g + (-0.114 / 1.402) * b + 32768.5),
    );
  }
  return out;
}
