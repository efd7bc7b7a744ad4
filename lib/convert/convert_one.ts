/**
 * The convert job for one instance: the tutorial's pipeline (palette, modality LUT, VOI
 * LUT, 8-bit scaling) and the encoding, then an atomic write (temporary name, rename).
 * Run by `convertFileSet`'s workers (and its main thread).
 *
 * @module
 */

import { read } from "../io/read.ts";
import { exists, readFileReusing, writeAtomicSync } from "../io/files.ts";
import type { Dataset } from "../dataset/dataset.ts";
import { pixelArray, pixelInfo } from "../pixels/decode.ts";
import { encodedFrame } from "../pixels/encoded_frame.ts";
import { canPassThrough } from "./passthrough.ts";
import type { PixelArray, PixelTypedArray } from "../pixels/pixel_array.ts";
import { toImage } from "../image/to_image.ts";
import { renderTutorial8 } from "../image/tutorial.ts";
import type { RenderOptions } from "../image/render_options.ts";
import { DicomError, OutputError } from "../core/errors.ts";

/** How each image is made: the shared rendering options, the format and its quality. */
export interface ConvertSettings extends RenderOptions {
  /** Output format. */
  format: "jpeg" | "png";
  /** JPEG quality 1-100 (75 is Pillow's default). */
  quality: number;
  /** Write JPEG Baseline frames that can be shown as they are without re-encoding them. */
  passthrough?: boolean;
}

/** What to do with an image that is already there. */
export type ExistingPolicy = "fail" | "skip" | "overwrite";

/** One instance to convert: the input file and the output path without extension. */
export interface ConvertTask {
  /** Index in record order. */
  id: number;
  /** The DICOM file. */
  path: string;
  /** Output path without extension (`{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}`). */
  outBase: string;
  /**
   * `"skip"`: frames whose image is already there are left alone (resuming a multi-frame
   * instance); otherwise every image is written (the caller has checked `"fail"`).
   */
  existing: ExistingPolicy;
}

/** One failure of one instance (or one of its frames). */
export interface ConvertError {
  /** Error class (`InvalidFileError`, `CodecError`...) or OS error (`PermissionDenied`, `ENOSPC`). */
  kind: string;
  /** What went wrong. */
  message: string;
  /** The frame, for a multi-frame instance whose other frames may have been written. */
  frame?: number;
}

/** What happened to one instance. */
export interface ConvertResult {
  /** The task's id. */
  id: number;
  /** Files written (one per frame). */
  written: string[];
  /** Frames left alone because their image was there (`existing: "skip"`). */
  skipped: number;
  /** The failures; empty when every frame was written or skipped. */
  errors: ConvertError[];
  /** True when the run was interrupted before every frame was done. */
  interrupted: boolean;
  /** True when the stored JPEG frames were written as they are (`passthrough`). */
  passedThrough?: boolean;
}

/**
 * The file name extension of a format.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extension } from "./mod.ts";
 * assert.deepEqual([extension("jpeg"), extension("png")], ["jpg", "png"]);
 * ```
 */
export function extension(format: "jpeg" | "png"): "jpg" | "png" {
  return format === "png" ? "png" : "jpg";
}

/** Options of {@linkcode convertOne}. */
export interface ConvertOneOptions {
  /** Polled before each frame: true stops the instance there (interrupt). */
  aborted?: () => boolean;
  /**
   * Awaited between two frames of a multi-frame instance: a converter running on the
   * main thread yields there to its event loop, so that an interrupt is seen.
   */
  between?: () => Promise<void>;
}

/**
 * The kind of an error for the report: the `DicomError` subclass, the Deno error class
 * (`NotFound`, `PermissionDenied`), else the OS error code (`ENOSPC`), else the name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CodecError } from "../core/mod.ts";
 * import { errorKind } from "./mod.ts";
 * assert.equal(errorKind(new CodecError("jpeg: no SOF marker")), "CodecError");
 * assert.equal(errorKind(new Deno.errors.NotFound("gone")), "NotFound");
 * ```
 */
export function errorKind(e: unknown): string {
  if (e instanceof OutputError) return e.kind;
  if (e instanceof DicomError) return e.name;
  if (!(e instanceof Error)) return "Error";
  const code = (e as Error & { code?: unknown }).code;
  if (e.name === "Error" && typeof code === "string" && code) return code;
  return e.name || "Error";
}

/** The 8-bit picture array, reused from image to image of the same size. */
let picture = new Uint8Array(0);

/**
 * One frame's image file: `toImage(arr, { ...settings, dataset: ds })`, that is the
 * tutorial's 8-bit picture (palette, modality LUT, VOI LUT or window,
 * `max(x,0)/max(x)*255`) by default, or a 16-bit PNG by the 16-bit rule. The default
 * 8-bit picture goes through `renderTutorial8` into an array reused from image to image.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pixelArray } from "../pixels/mod.ts";
 * import { toImage } from "../image/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { renderFrame } from "./mod.ts";
 * const ds = makeCtSlice(0, { size: 16 });
 * const settings = { format: "png", quality: 75 } as const;
 * const bytes = renderFrame(pixelArray(ds), ds, settings);
 * assert.deepEqual(bytes, toImage(pixelArray(ds), { ...settings, dataset: ds }));
 * ```
 */
export function renderFrame(arr: PixelArray, ds: Dataset, settings: ConvertSettings): Uint8Array {
  const { format, quality } = settings;
  const bitDepth = format === "png" ? settings.bitDepth ?? 8 : 8;
  if (bitDepth === 8 && (settings.scaling ?? "tutorial") === "tutorial") {
    if (picture.length !== arr.data.length) picture = new Uint8Array(arr.data.length);
    const image = renderTutorial8(arr, ds, { window: settings.window, out: picture });
    return toImage(image, {
      format,
      quality,
      scaling: "none",
      colormap: settings.colormap,
      cmap: settings.cmap,
    });
  }
  return toImage(arr, { ...settings, bitDepth, dataset: ds });
}

let fileBuffer: Uint8Array = new Uint8Array(0);
let fileBufferBusy = false;
/** The decoded pixels, reused from image to image (each is rendered before any await). */
let pixels: PixelTypedArray | undefined;

/**
 * The bytes of the file at `path` in the reused buffer (valid until the next call), or
 * undefined when it cannot be read that way (then `read(path)` says why).
 */
function fileBytes(path: string): Uint8Array | undefined {
  try {
    // a big file gets its own bytes, not kept
    const bytes = readFileReusing(path, fileBuffer, { maxBytes: 1 << 26 });
    if (bytes) fileBuffer = new Uint8Array(bytes.buffer);
    return bytes;
  } catch {
    return undefined;
  }
}

/** {@linkcode writeAtomicSync}, its failure an {@linkcode OutputError} naming the image. */
function write(path: string, bytes: Uint8Array): Promise<void> {
  try {
    writeAtomicSync(path, bytes);
    return Promise.resolve();
  } catch (e) {
    return Promise.reject(new OutputError(path, e));
  }
}

function failure(e: unknown, frame?: number): ConvertError {
  const message = e instanceof Error ? e.message : String(e);
  return frame === undefined
    ? { kind: errorKind(e), message }
    : { kind: errorKind(e), message, frame };
}

/**
 * Converts one instance: every frame to `{outBase}.{ext}` (single frame) or
 * `{outBase}_{frame}.{ext}` (multi-frame). Never throws: failures are in the result.
 * A frame that fails does not stop the other frames.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { write } from "../io/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { convertOne } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeFileSync(`${dir}/in.dcm`, write(makeCtSlice(0, { size: 16 })));
 * const r = await convertOne(
 *   { id: 0, path: `${dir}/in.dcm`, outBase: `${dir}/out/1`, existing: "fail" },
 *   { format: "png", quality: 75 },
 * );
 * assert.deepEqual(r.written, [`${dir}/out/1.png`]);
 * assert.deepEqual(r.errors, []);
 * ```
 */
export async function convertOne(
  task: ConvertTask,
  settings: ConvertSettings,
  options: ConvertOneOptions = {},
): Promise<ConvertResult> {
  const ext = extension(settings.format);
  const result: ConvertResult = {
    id: task.id,
    written: [],
    skipped: 0,
    errors: [],
    interrupted: false,
  };
  if (options.aborted?.()) {
    result.interrupted = true;
    return result;
  }
  // the file's bytes go to a buffer reused from task to task (a second task running
  // meanwhile, as a test may start, reads its own)
  const lease = !fileBufferBusy;
  if (lease) fileBufferBusy = true;
  try {
    let ds: Dataset;
    let frameCount: number;
    try {
      if (!exists(task.path)) {
        result.errors.push({ kind: "NotFound", message: `missing file ${task.path}` });
        return result;
      }
      ds = read(lease ? fileBytes(task.path) ?? task.path : task.path);
      frameCount = pixelInfo(ds).frameCount;
      if (!(frameCount >= 1)) {
        result.errors.push({ kind: "PixelDataError", message: `no frames in ${task.path}` });
        return result;
      }
    } catch (e) {
      result.errors.push(failure(e));
      return result;
    }
    const multi = frameCount > 1;
    let pass = false;
    if (settings.passthrough && settings.format === "jpeg") {
      try {
        pass = canPassThrough(ds, encodedFrame(ds, 0));
      } catch { /* not encapsulated, or no first frame: the normal way says why */ }
    }
    for (let f = 0; f < frameCount; f++) {
      if (f > 0 && options.between) await options.between();
      if (options.aborted?.()) {
        result.interrupted = true;
        break;
      }
      const path = multi ? `${task.outBase}_${f}.${ext}` : `${task.outBase}.${ext}`;
      if (task.existing === "skip" && exists(path)) {
        result.skipped++;
        continue;
      }
      try {
        let bytes: Uint8Array;
        if (pass) bytes = encodedFrame(ds, f);
        else {
          const arr = pixelArray(ds, multi ? { frame: f, out: pixels } : { out: pixels });
          pixels = arr.data;
          bytes = renderFrame(arr, ds, settings);
        }
        await write(path, bytes);
        result.written.push(path);
      } catch (e) {
        result.errors.push(failure(e, multi ? f : undefined));
      }
    }
    if (pass && result.written.length) result.passedThrough = true;
    return result;
  } finally {
    if (lease) fileBufferBusy = false;
  }
}
