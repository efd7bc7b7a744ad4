/**
 * From a `PixelArray` to image file bytes: {@linkcode toImage} picks a frame, runs the
 * tutorial's LUT steps when given the dataset, scales it to 8 bits (the tutorial's recipe
 * by default) or keeps 16 bits (the 16-bit rule), applies a colormap and encodes PNG or
 * JPEG; {@linkcode saveImage} writes the result to a file, atomically.
 *
 * @module
 */

import { UnsupportedError, ValueError } from "../core/errors.ts";
import type { PixelArray } from "../pixels/pixel_array.ts";
import type { Dataset } from "../dataset/dataset.ts";
import { writeAtomic, writeAtomicSync } from "../io/files.ts";
import { applyColormap } from "./colormap.ts";
import { encodeJpeg, type JpegEncoderName } from "./jpeg.ts";
import { encodePng, type EncodePngOptions } from "./png.ts";
import { scale } from "./scale.ts";
import {
  checkRenderOptions,
  colormapOf,
  isWindow,
  type RenderOptions,
  type Window,
} from "./render_options.ts";
import { renderTutorial8, to16Bit, voiStage } from "./tutorial.ts";

/** An image file format. */
export type ImageFormat = "png" | "jpeg";

/** Options of {@linkcode toImage} and {@linkcode saveImage}. */
export interface ToImageOptions extends RenderOptions {
  /**
   * `"png"` or `"jpeg"`. {@linkcode saveImage} takes it from the file name.
   *
   * @default {"png"}
   */
  format?: ImageFormat;
  /**
   * JPEG quality, 1-100 (Pillow's default).
   *
   * @default {75}
   */
  quality?: number;
  /**
   * The dataset `arr` comes from: then `arr` holds its stored values and `toImage` runs
   * the tutorial's steps first (palette, modality LUT, the VOI step of `window`), so that
   * the picture is `convertFileSet`'s, byte for byte. Without it `arr` is taken as
   * already processed.
   *
   * @default {undefined} (`arr` is already processed)
   */
  dataset?: Dataset;
  /**
   * The frame of a multi-frame array.
   *
   * @default {0}
   */
  frame?: number;
  /**
   * PNG encoder settings (zlib level, row filter, zlib strategy).
   *
   * @default {undefined} (`encodePng`'s defaults)
   */
  png?: Pick<EncodePngOptions, "level" | "filter" | "strategy">;
  /**
   * JPEG encoder choice (see `encodeJpeg`).
   *
   * @default {"auto"}
   */
  jpegEncoder?: JpegEncoderName;
}

/** The 16-bit picture: the 16-bit rule by default, or min-max or a window over 0-65535. */
function to16(arr: PixelArray, options: ToImageOptions): Uint16Array {
  const ds = options.dataset;
  const window = options.window;
  const scaling = options.scaling ?? "none";
  if (scaling === "tutorial") {
    throw new ValueError(`image: "tutorial" scaling gives 8-bit values, not 16-bit`);
  }
  if (ds) {
    const voi = voiStage(arr, ds, { window });
    const out = scaling === "none" ? to16Bit(voi, ds) : scale(voi, { scaling, bitDepth: 16 });
    return out.data instanceof Uint16Array ? out.data : Uint16Array.from(out.data);
  }
  const out = scale(arr, { scaling, bitDepth: 16, window: windowOf(window) });
  return out.data instanceof Uint16Array ? out.data : Uint16Array.from(out.data);
}

/** The 8-bit picture: the tutorial's recipe by default, from every input type. */
function to8(arr: PixelArray, options: ToImageOptions): PixelArray {
  const ds = options.dataset;
  const window = options.window;
  const scaling = options.scaling ?? "tutorial";
  if (ds) {
    if (scaling === "tutorial") return renderTutorial8(arr, ds, { window });
    return scale(voiStage(arr, ds, { window }), { scaling });
  }
  return scale(arr, { scaling, window: windowOf(window) });
}

function windowOf(window: ToImageOptions["window"]): Window | undefined {
  if (window === undefined || isWindow(window)) return window;
  throw new ValueError(
    `image: window ${window} is an index into a dataset's windows: pass the dataset ` +
      `(dataset: ds) or a window { center, width }`,
  );
}

/**
 * Encodes one frame of `arr` (grayscale or RGB) as a PNG or JPEG file's bytes. By default
 * 8-bit output is the tutorial's picture, `max(x, 0) / max(x) * 255`, whatever the input
 * type (a 0/1 mask in 8 bits becomes 0/255); `scaling: "none"` keeps 8-bit values as
 * they are. 16-bit PNGs follow the 16-bit rule (see `to16Bit`): values kept, rounded,
 * shifted up by the bottom of their range, never scaled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { decodePng, toImage } from "./mod.ts";
 * const ct = new PixelArray(new Int16Array([-1000, 0, 40, 1200]), [2, 2]);
 * assert.deepEqual(decodePng(toImage(ct)).data, new Uint8Array([0, 0, 8, 255]));
 * const jpg = toImage(ct, { format: "jpeg", window: { center: 40, width: 400 }, quality: 90 });
 * assert.deepEqual([jpg[0], jpg[1]], [0xff, 0xd8]);
 * assert.equal(decodePng(toImage(ct, { cmap: "hot" })).channels, 3);
 * const raw = decodePng(toImage(ct, { bitDepth: 16 })); // int16 + 32768
 * assert.deepEqual(raw.data, new Uint16Array([31768, 32768, 32808, 33968]));
 * const mask = new PixelArray(new Uint8Array([0, 1, 1, 0]), [2, 2]);
 * assert.deepEqual(decodePng(toImage(mask)).data, new Uint8Array([0, 255, 255, 0]));
 * ```
 */
export function toImage(arr: PixelArray, options: ToImageOptions = {}): Uint8Array {
  checkRenderOptions(options);
  const format = options.format ?? "png";
  const bitDepth = options.bitDepth ?? 8;
  if (bitDepth === 16 && format === "jpeg") {
    throw new UnsupportedError("image: baseline JPEG holds 8-bit samples only, not 16");
  }
  const frame = arr.frame(options.frame ?? 0);
  const samples = options.dataset?.get("PhotometricInterpretation") === "PALETTE COLOR"
    ? 3
    : frame.samples;
  if (samples !== 1 && samples !== 3) {
    throw new UnsupportedError(`image: ${samples} samples per pixel, only 1 (gray) or 3 (RGB)`);
  }
  const width = frame.columns;
  const height = frame.rows;
  const colormap = colormapOf(options);
  if (bitDepth === 16) {
    if (colormap !== "gray") {
      throw new UnsupportedError(`image: colormap "${colormap}" needs 8-bit output`);
    }
    const pixels = to16(frame, options);
    return encodePng(pixels, { ...options.png, width, height, channels: samples });
  }
  let image = to8(frame, options);
  if (colormap !== "gray") {
    if (image.samples !== 1) {
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

/**
 * Encodes `arr` with {@linkcode toImage} and writes it to `path`; the format comes from the
 * extension (`.png`, `.jpg`, `.jpeg`). The bytes go to a temporary file in the same folder
 * (`writeAtomic`), which is then renamed: `path` is never left half-written, and a failure leaves no file
 * behind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { saveImage } from "./mod.ts";
 * const arr = new PixelArray(new Uint16Array([0, 1000, 2000, 4095]), [2, 2]);
 * const dir = await Deno.makeTempDir();
 * await saveImage(`${dir}/slice.jpg`, arr, { quality: 90 });
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["slice.jpg"]);
 * ```
 */
export async function saveImage(
  path: string,
  arr: PixelArray,
  options: ToImageOptions = {},
): Promise<void> {
  const bytes = toImage(arr, { ...options, format: formatOf(path, options) });
  await writeAtomic(path, bytes, { mkdir: false });
}

/**
 * The synchronous {@linkcode saveImage}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { decodePng, saveImageSync } from "./mod.ts";
 * const arr = new PixelArray(new Uint8Array([0, 64, 128, 255]), [2, 2]);
 * const dir = Deno.makeTempDirSync();
 * saveImageSync(`${dir}/slice.png`, arr, { colormap: "viridis" });
 * assert.equal(decodePng(Deno.readFileSync(`${dir}/slice.png`)).channels, 3);
 * ```
 */
export function saveImageSync(path: string, arr: PixelArray, options: ToImageOptions = {}): void {
  const bytes = toImage(arr, { ...options, format: formatOf(path, options) });
  writeAtomicSync(path, bytes, { mkdir: false });
}
