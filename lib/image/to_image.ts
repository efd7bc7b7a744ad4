/**
 * From a `PixelArray` to image file bytes: {@linkcode toImage} picks a frame, scales it to
 * 8 bits (the tutorial's recipe by default) or keeps 16 bits, applies a colormap and
 * encodes PNG or JPEG; {@linkcode saveImage} writes the result to a file, atomically.
 *
 * @module
 */

import { UnsupportedError, ValueError } from "../core/errors.ts";
import type { PixelArray } from "../pixels/pixel_array.ts";
import { applyColormap, type ColormapName } from "./colormap.ts";
import { encodeJpeg, type JpegEncoderName } from "./jpeg.ts";
import { encodePng, type EncodePngOptions } from "./png.ts";
import { scale, scaleTutorial } from "./scale.ts";

/** An image file format. */
export type ImageFormat = "png" | "jpeg";

/**
 * How values become 8-bit (or 16-bit) display values: `"tutorial"` ({@linkcode scaleTutorial}),
 * `"minmax"`, `"none"` (kept, clamped), or a DICOM window `{ center, width }` (see
 * {@linkcode scale}).
 */
export type Scaling = "tutorial" | "minmax" | "none" | { center: number; width: number };

/** Options of {@linkcode toImage} and {@linkcode saveImage}. */
export interface ToImageOptions {
  /** `"png"` (default) or `"jpeg"`. {@linkcode saveImage} takes it from the file name. */
  format?: ImageFormat;
  /**
   * 8 (default) or 16, PNG only. A 16-bit PNG keeps the values: unsigned data as is,
   * signed integer data offset by +32768 (−32768 → 0, 0 → 32768), anything outside
   * 0–65535 clamped and fractions truncated (see `scale`'s `bitDepth`). `scaling`
   * `"minmax"` or a window spread the values over 0–65535 instead.
   */
  bitDepth?: 8 | 16;
  /** JPEG quality, 1–100. Default 75 (Pillow's default). */
  quality?: number;
  /**
   * Default: `"none"` for uint8 data and for 16-bit output, otherwise `"tutorial"` (the
   * seed tutorial's `max(x, 0) / max(x) * 255`, applied to the chosen frame).
   */
  scaling?: Scaling;
  /**
   * A colormap for grayscale 8-bit output; the image becomes RGB. `"gray"` (or none)
   * keeps a grayscale image of the scaled values.
   */
  colormap?: ColormapName;
  /** The frame of a multi-frame array. Default 0. */
  frame?: number;
  /** PNG encoder settings (zlib level, row filter, zlib strategy). */
  png?: Pick<EncodePngOptions, "level" | "filter" | "strategy">;
  /** JPEG encoder choice (see `encodeJpeg`). Default `"auto"`. */
  jpegEncoder?: JpegEncoderName;
}

function to16(arr: PixelArray, scaling: Scaling): Uint16Array {
  if (scaling === "tutorial") {
    throw new ValueError(`image: "tutorial" scaling gives 8-bit values, not 16-bit`);
  }
  if (scaling === "none" && arr.data instanceof Uint16Array) return arr.data;
  const options = typeof scaling === "object"
    ? { mode: "window" as const, center: scaling.center, width: scaling.width }
    : { mode: scaling };
  return scale(arr, { ...options, bitDepth: 16 }).data as Uint16Array;
}

function to8(arr: PixelArray, scaling: Scaling): PixelArray {
  if (scaling === "tutorial") return scaleTutorial(arr);
  if (scaling === "none" && arr.data instanceof Uint8Array) return arr;
  if (typeof scaling === "object") {
    return scale(arr, { mode: "window", center: scaling.center, width: scaling.width });
  }
  return scale(arr, { mode: scaling });
}

/**
 * Encodes one frame of `arr` (grayscale or RGB) as a PNG or JPEG file's bytes.
 *
 * @example
 * ```ts
 * import { PixelArray, toImage } from "../../mod.ts";
 * const ct = new PixelArray(new Int16Array([-1000, 0, 40, 1200]), [2, 2]);
 * const png = toImage(ct); // the tutorial's 8-bit scaling, grayscale PNG
 * const jpg = toImage(ct, { format: "jpeg", scaling: { center: 40, width: 400 }, quality: 90 });
 * const hot = toImage(ct, { colormap: "hot" }); // RGB PNG
 * const raw = toImage(ct, { bitDepth: 16 }); // values + 32768, 16-bit PNG
 * console.log(png.length > 0, jpg[0] === 0xff, hot.length > 0, raw.length > 0);
 * ```
 */
export function toImage(arr: PixelArray, options: ToImageOptions = {}): Uint8Array {
  const format = options.format ?? "png";
  const bitDepth = options.bitDepth ?? 8;
  if (format !== "png" && format !== "jpeg") {
    throw new ValueError(`image: unknown format "${format}", expected "png" or "jpeg"`);
  }
  if (bitDepth !== 8 && bitDepth !== 16) {
    throw new ValueError(`image: bit depth ${bitDepth} is not 8 or 16`);
  }
  if (bitDepth === 16 && format === "jpeg") {
    throw new UnsupportedError("image: baseline JPEG holds 8-bit samples only, not 16");
  }
  const frame = arr.frame(options.frame ?? 0);
  const samples = frame.samples;
  if (samples !== 1 && samples !== 3) {
    throw new UnsupportedError(`image: ${samples} samples per pixel, only 1 (gray) or 3 (RGB)`);
  }
  const width = frame.columns;
  const height = frame.rows;
  const colormap = options.colormap ?? "gray";
  if (bitDepth === 16) {
    if (colormap !== "gray") {
      throw new UnsupportedError(`image: colormap "${colormap}" needs 8-bit output`);
    }
    const pixels = to16(frame, options.scaling ?? "none");
    return encodePng(pixels, { ...options.png, width, height, channels: samples });
  }
  const defaultScaling = frame.data instanceof Uint8Array ? "none" : "tutorial";
  let image = to8(frame, options.scaling ?? defaultScaling);
  if (colormap !== "gray") {
    if (samples !== 1) {
      throw new UnsupportedError(`image: colormap "${colormap}" applies to grayscale, not RGB`);
    }
    image = applyColormap(image, colormap);
  }
  const pixels = image.data as Uint8Array;
  const channels = image.samples as 1 | 3;
  if (format === "jpeg") {
    return encodeJpeg(pixels, {
      width,
      height,
      channels,
      quality: options.quality,
      encoder: options.jpegEncoder,
    });
  }
  return encodePng(pixels, { ...options.png, width, height, channels });
}

const EXTENSIONS: Record<string, ImageFormat> = { png: "png", jpg: "jpeg", jpeg: "jpeg" };

function formatOf(path: string, options: ToImageOptions): ImageFormat {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const format = dot > 0 ? EXTENSIONS[base.slice(dot + 1).toLowerCase()] : undefined;
  if (!format) {
    throw new ValueError(`image: cannot tell the format of "${path}": use .png, .jpg or .jpeg`);
  }
  if (options.format && options.format !== format) {
    throw new ValueError(`image: format "${options.format}" does not match the name "${path}"`);
  }
  return format;
}

function tempName(path: string): string {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  return `${dir}.${base}.${crypto.randomUUID().slice(0, 8)}.tmp`;
}

/**
 * Encodes `arr` with {@linkcode toImage} and writes it to `path`; the format comes from the
 * extension (`.png`, `.jpg`, `.jpeg`). The bytes go to a temporary file in the same folder,
 * which is then renamed: `path` is never left half-written, and a failure leaves no file
 * behind.
 *
 * @example
 * ```ts
 * import { PixelArray, saveImage } from "../../mod.ts";
 * const arr = new PixelArray(new Uint16Array([0, 1000, 2000, 4095]), [2, 2]);
 * const dir = await Deno.makeTempDir();
 * await saveImage(`${dir}/slice.jpg`, arr, { quality: 90 });
 * console.log((await Deno.stat(`${dir}/slice.jpg`)).size > 0); // true
 * ```
 */
export async function saveImage(
  path: string,
  arr: PixelArray,
  options: ToImageOptions = {},
): Promise<void> {
  const bytes = toImage(arr, { ...options, format: formatOf(path, options) });
  const temp = tempName(path);
  try {
    await Deno.writeFile(temp, bytes);
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
}

/**
 * The synchronous {@linkcode saveImage}.
 *
 * @example
 * ```ts
 * import { PixelArray, saveImageSync } from "../../mod.ts";
 * const arr = new PixelArray(new Uint8Array([0, 64, 128, 255]), [2, 2]);
 * const dir = Deno.makeTempDirSync();
 * saveImageSync(`${dir}/slice.png`, arr, { colormap: "viridis" });
 * console.log(Deno.statSync(`${dir}/slice.png`).size > 0); // true
 * ```
 */
export function saveImageSync(path: string, arr: PixelArray, options: ToImageOptions = {}): void {
  const bytes = toImage(arr, { ...options, format: formatOf(path, options) });
  const temp = tempName(path);
  try {
    Deno.writeFileSync(temp, bytes);
    Deno.renameSync(temp, path);
  } catch (e) {
    try {
      Deno.removeSync(temp);
    } catch {
      // the temporary file was never created
    }
    throw e;
  }
}
