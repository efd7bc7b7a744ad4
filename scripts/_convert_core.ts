/**
 * The convert job for one instance: the tutorial's pipeline (palette, modality LUT, VOI
 * LUT, 8-bit scaling) and the encoding, then an atomic write (temporary name, rename).
 * Shared by `convert.ts`'s workers and its tests.
 *
 * @module
 */

import { read } from "../lib/io/read.ts";
import type { Dataset } from "../lib/dataset/dataset.ts";
import { pixelArray, pixelInfo } from "../lib/pixels/decode.ts";
import { PixelArray, type PixelTypedArray } from "../lib/pixels/pixel_array.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyVoiLut, applyWindow } from "../lib/lut/voi.ts";
import { scaleTutorial } from "../lib/image/scale.ts";
import { toImage } from "../lib/image/to_image.ts";
import { renderTutorial8 } from "../lib/image/tutorial.ts";
import { DicomError } from "../lib/core/errors.ts";

/** How each image is made. */
export interface ConvertSettings {
  /** Output format. */
  format: "jpeg" | "png";
  /** JPEG quality 1-100 (default 75, Pillow's). */
  quality: number;
  /** PNG bit depth: 8 (the tutorial's scaling) or 16 (the VOI output, see {@linkcode to16Bit}). */
  bitDepth: 8 | 16;
  /** Which VOI window or VOI LUT item to use (default 0, as the tutorial). */
  window: number;
  /** A window of the user's instead of the dataset's. */
  center?: number;
  /** Width of the user's window. */
  width?: number;
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
 * An image that could not be written: names the image and keeps the OS error's kind.
 *
 * @example
 * ```ts
 * import { OutputError } from "./_convert_core.ts";
 * const e = new OutputError("out/1.jpg", new Deno.errors.PermissionDenied("denied"));
 * console.log(e.kind, e.message); // PermissionDenied cannot write out/1.jpg: denied
 * ```
 */
export class OutputError extends Error {
  /** The OS error's class (`PermissionDenied`, `NotADirectory`) or code (`ENOSPC`). */
  readonly kind: string;
  /** An error writing `path`, caused by the OS error `cause`. */
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "OutputError";
    this.kind = errorKind(cause);
  }
}

/**
 * The kind of an error for the report: the `DicomError` subclass, the Deno error class
 * (`NotFound`, `PermissionDenied`), else the OS error code (`ENOSPC`), else the name.
 *
 * @example
 * ```ts
 * import { errorKind } from "./_convert_core.ts";
 * import { CodecError } from "../lib/core/errors.ts";
 * console.log(errorKind(new CodecError("jpeg: no SOF marker"))); // CodecError
 * console.log(errorKind(new Deno.errors.NotFound("gone"))); // NotFound
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

/**
 * The tutorial's steps on one frame, up to the VOI output: the palette (PALETTE COLOR),
 * the modality LUT, then the dataset's window or VOI LUT number `settings.window`, or the
 * user's window (`center`, `width`) with the dataset's output range, as pydicom's
 * `apply_windowing` would apply a window of these values.
 *
 * @example
 * ```ts
 * import { voiStage } from "./_convert_core.ts";
 * import { makeCtSlice } from "../lib/sample/phantom.ts";
 * import { pixelArray } from "../lib/pixels/decode.ts";
 * const ds = makeCtSlice(0, { size: 16 });
 * const settings = { format: "png", quality: 75, bitDepth: 8, window: 0 } as const;
 * const voi = voiStage(pixelArray(ds), ds, settings); // window 40/80 over -1024..3071
 * console.log(voi.dtype, Math.min(...voi.data), Math.max(...voi.data)); // float64 -1024 3071
 * ```
 */
export function voiStage(arr: PixelArray, ds: Dataset, settings: ConvertSettings): PixelArray {
  let out = arr;
  if (ds.get("PhotometricInterpretation") === "PALETTE COLOR") out = applyColorLut(out, ds);
  out = applyModalityLut(out, ds);
  if (settings.center !== undefined && settings.width !== undefined) {
    return applyWindow(out, { center: settings.center, width: settings.width, ds });
  }
  return applyVoiLut(out, ds, { index: settings.window });
}

/**
 * The bottom of the VOI output range of a grayscale dataset (pydicom's `y_min`: the
 * range of Bits Stored through Rescale Slope/Intercept, or of the Modality LUT), taken
 * from `applyWindow` itself so that both agree; undefined when it cannot be known.
 */
function outputMinimum(ds: Dataset): number | undefined {
  try {
    const ends = new PixelArray(new Float64Array([-Infinity, Infinity]), [1, 2]);
    const [a, b] = applyWindow(ends, { center: 0, width: 2, ds }).data;
    const lo = Math.min(a, b);
    return Number.isFinite(lo) ? lo : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The VOI output as 16-bit values, for `--bit-depth 16`: unsigned integer output (a VOI
 * LUT, a palette, unsigned data without rescale) is kept as it is; other output (a
 * window's float64, rescaled or signed values) is rounded to the nearest integer and,
 * when the bottom of its output range is negative, shifted up by that much, so that
 * nothing is clamped: a CT window with Rescale Intercept -1024 and 12 bits stored gives
 * 0..4095 (value + 1024), where `toImage`'s `"none"` would clamp every value below 0.
 * Without a known range (no Bits Stored, not MONOCHROME) signed integer types are
 * shifted by their half range (int16 +32768) and float values are only rounded. Values
 * still outside 0..65535 are clamped; NaN gives 0.
 *
 * @example
 * ```ts
 * import { to16Bit } from "./_convert_core.ts";
 * import { makeCtSlice } from "../lib/sample/phantom.ts";
 * import { PixelArray } from "../lib/pixels/pixel_array.ts";
 * const ds = makeCtSlice(0, { size: 16 }); // intercept -1024, 12 bits stored
 * const voi = new PixelArray(new Float64Array([-1024, -0.6, 2047.5, 3071]), [2, 2]);
 * console.log(to16Bit(voi, ds).data); // Uint16Array(4) [0, 1023, 3072, 4095]
 * ```
 */
export function to16Bit(voi: PixelArray, ds: Dataset): PixelArray {
  const data = voi.data;
  if (data instanceof Uint16Array || data instanceof Uint8Array) return voi;
  let lo = outputMinimum(ds);
  if (lo === undefined) {
    lo = data instanceof Int16Array
      ? -32768
      : data instanceof Int8Array
      ? -128
      : data instanceof Int32Array
      ? -2147483648
      : 0;
  }
  const offset = lo < 0 ? -lo : 0;
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Math.floor(data[i] + offset + 0.5);
    out[i] = v > 0 ? (v < 65535 ? v : 65535) : 0;
  }
  return new PixelArray(out, voi.shape, { multiFrame: voi.multiFrame });
}

/**
 * Encodes one frame's VOI output as image bytes: the tutorial's 8-bit scaling
 * (`max(x, 0) / max(x) * 255`, truncated) then JPEG or PNG, or with `bitDepth` 16 a
 * 16-bit PNG of {@linkcode to16Bit}'s values.
 *
 * @example
 * ```ts
 * import { encodeFrame, voiStage } from "./_convert_core.ts";
 * import { makeCtSlice } from "../lib/sample/phantom.ts";
 * import { pixelArray } from "../lib/pixels/decode.ts";
 * const ds = makeCtSlice(0, { size: 16 });
 * const settings = { format: "jpeg", quality: 90, bitDepth: 8, window: 0 } as const;
 * const jpg = encodeFrame(voiStage(pixelArray(ds), ds, settings), ds, settings);
 * console.log(jpg[0] === 0xff && jpg[1] === 0xd8); // true
 * ```
 */
export function encodeFrame(voi: PixelArray, ds: Dataset, settings: ConvertSettings): Uint8Array {
  if (settings.format === "png" && settings.bitDepth === 16) {
    return toImage(to16Bit(voi, ds), { format: "png", bitDepth: 16, scaling: "none" });
  }
  const scaled = scaleTutorial(voi);
  return toImage(scaled, { format: settings.format, quality: settings.quality, scaling: "none" });
}

/**
 * The temporary name an image is written under before it is renamed to `path`.
 *
 * @example
 * ```ts
 * import { partialName } from "./_convert_core.ts";
 * console.log(partialName("out/1.jpg")); // out/1.jpg.partial
 * ```
 */
export function partialName(path: string): string {
  return `${path}.partial`;
}

/** The 8-bit picture array, reused from image to image of the same size. */
let picture = new Uint8Array(0);

/**
 * One frame's image file: the tutorial's 8-bit picture (palette, modality LUT, VOI LUT
 * or window, `max(x,0)/max(x)*255`) through `renderTutorial8`, which is exactly
 * `encodeFrame(voiStage(arr, ds, settings), ds, settings)` in one table and one pass; a
 * 16-bit PNG keeps the VOI output through {@linkcode to16Bit}.
 *
 * @example
 * ```ts ignore
 * const bytes = renderFrame(pixelArray(ds), ds, settings);
 * ```
 */
export function renderFrame(arr: PixelArray, ds: Dataset, settings: ConvertSettings): Uint8Array {
  if (settings.format === "png" && settings.bitDepth === 16) {
    return encodeFrame(voiStage(arr, ds, settings), ds, settings);
  }
  if (picture.length !== arr.data.length) picture = new Uint8Array(arr.data.length);
  const { window: index, center, width } = settings;
  const image = renderTutorial8(arr, ds, { index, center, width, out: picture });
  return toImage(image, { format: settings.format, quality: settings.quality, scaling: "none" });
}

/**
 * Writes bytes to `path` through a temporary name in the same folder
 * ({@linkcode partialName}), then renames: `path` is never half-written, and a failure
 * removes the temporary file and throws an {@linkcode OutputError}.
 *
 * @example
 * ```ts
 * import { writeAtomic } from "./_convert_core.ts";
 * const dir = Deno.makeTempDirSync();
 * await writeAtomic(`${dir}/a/b/1.jpg`, new Uint8Array([1, 2, 3]));
 * console.log([...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name)); // ["1.jpg"]
 * ```
 */
export function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  try {
    writeAtomicSync(path, bytes);
    return Promise.resolve();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Folders made or found by {@linkcode writeAtomicSync}, not to be made again. */
const madeDirs = new Set<string>();

/**
 * {@linkcode writeAtomic} with synchronous calls: a few times cheaper per image than the
 * asynchronous ones (0.05 against 0.2-0.35 ms here, more when the cores are busy, as each
 * asynchronous call waits for a thread of the runtime's pool), and each folder is made
 * once per thread.
 *
 * @example
 * ```ts
 * import { writeAtomicSync } from "./_convert_core.ts";
 * const dir = Deno.makeTempDirSync();
 * writeAtomicSync(`${dir}/a/b/1.jpg`, new Uint8Array([1, 2, 3]));
 * console.log([...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name)); // ["1.jpg"]
 * ```
 */
export function writeAtomicSync(path: string, bytes: Uint8Array): void {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const tmp = partialName(path);
  try {
    if (dir && !madeDirs.has(dir)) {
      Deno.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    try {
      Deno.writeFileSync(tmp, bytes);
    } catch (e) {
      // the folder went away since it was made: make it again, once
      if (!dir || !(e instanceof Deno.errors.NotFound)) throw e;
      Deno.mkdirSync(dir, { recursive: true });
      Deno.writeFileSync(tmp, bytes);
    }
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* not there */ }
    throw new OutputError(path, e);
  }
}

let fileBuffer = new Uint8Array(0);
let fileBufferBusy = false;
/** The decoded pixels, reused from image to image (each is rendered before any await). */
let pixels: PixelTypedArray | undefined;

/**
 * The bytes of the file at `path` in the reused buffer (valid until the next call), or
 * undefined when it cannot be read that way (then `read(path)` says why).
 */
function fileBytes(path: string): Uint8Array | undefined {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path);
    const size = file.statSync().size;
    if (size > 1 << 26) return undefined; // a big file gets its own bytes, not kept
    if (fileBuffer.length < size) {
      fileBuffer = new Uint8Array(Math.max(size, Math.min(2 * fileBuffer.length, 1 << 28)));
    }
    let got = 0;
    while (got < size) {
      const n = file.readSync(fileBuffer.subarray(got, size));
      if (!n) break;
      got += n;
    }
    return fileBuffer.subarray(0, got);
  } catch {
    return undefined;
  } finally {
    file?.close();
  }
}

/** True when something (a file, a folder, a link) is at `path`. */
export function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
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
 * import { convertOne } from "./_convert_core.ts";
 * const out = Deno.makeTempDirSync();
 * const r = await convertOne(
 *   { id: 0, path: "fixtures/ct_phantom/IM000001", outBase: `${out}/1`, existing: "fail" },
 *   { format: "png", quality: 75, bitDepth: 8, window: 0 },
 * );
 * console.log(r.written.length, r.errors); // 1 []
 * ```
 */
export async function convertOne(
  task: ConvertTask,
  settings: ConvertSettings,
  options: ConvertOneOptions = {},
): Promise<ConvertResult> {
  const ext = settings.format === "png" ? "png" : "jpg";
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
        const arr = pixelArray(ds, multi ? { frame: f, out: pixels } : { out: pixels });
        pixels = arr.data;
        const bytes = renderFrame(arr, ds, settings);
        await writeAtomic(path, bytes);
        result.written.push(path);
      } catch (e) {
        result.errors.push(failure(e, multi ? f : undefined));
      }
    }
    return result;
  } finally {
    if (lease) fileBufferBusy = false;
  }
}
