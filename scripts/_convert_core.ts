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
import type { PixelArray } from "../lib/pixels/pixel_array.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyVoiLut, applyWindow } from "../lib/lut/voi.ts";
import { scaleTutorial } from "../lib/image/scale.ts";
import { toImage } from "../lib/image/to_image.ts";
import { DicomError } from "../lib/io/errors.ts";

/** How each image is made. */
export interface ConvertSettings {
  /** Output format. */
  format: "jpeg" | "png";
  /** JPEG quality 1-100 (default 75, Pillow's). */
  quality: number;
  /** PNG bit depth: 8 (the tutorial's scaling) or 16 (the VOI output kept). */
  bitDepth: 8 | 16;
  /** Which VOI window or VOI LUT item to use (default 0, as the tutorial). */
  window: number;
  /** A window of the user's instead of the dataset's. */
  center?: number;
  /** Width of the user's window. */
  width?: number;
}

/** One instance to convert: the input file and the output path without extension. */
export interface ConvertTask {
  /** Index in record order. */
  id: number;
  /** The DICOM file. */
  path: string;
  /** Output path without extension (`{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}`). */
  outBase: string;
}

/** What happened to one instance. */
export interface ConvertResult {
  /** The task's id. */
  id: number;
  /** Files written (one per frame). */
  written: string[];
  /** Why it failed, if it did. */
  error?: { kind: string; message: string };
}

/** The tutorial's steps on one frame, up to the VOI output. */
export function voiStage(arr: PixelArray, ds: Dataset, settings: ConvertSettings): PixelArray {
  let out = arr;
  if (ds.get("PhotometricInterpretation") === "PALETTE COLOR") out = applyColorLut(out, ds);
  out = applyModalityLut(out, ds);
  if (settings.center !== undefined && settings.width !== undefined) {
    return applyWindow(out, { center: settings.center, width: settings.width });
  }
  return applyVoiLut(out, ds, { index: settings.window });
}

/** Encodes one frame's VOI output as image bytes. */
export function encodeFrame(voi: PixelArray, settings: ConvertSettings): Uint8Array {
  if (settings.format === "png" && settings.bitDepth === 16) {
    return toImage(voi, { format: "png", bitDepth: 16, scaling: "none" });
  }
  const scaled = scaleTutorial(voi);
  return toImage(scaled, { format: settings.format, quality: settings.quality, scaling: "none" });
}

/** Writes bytes to `path` through a temporary name in the same folder, then renames. */
export async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.partial`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Converts one instance: every frame to `{outBase}.{ext}` (single frame) or
 * `{outBase}_{frame}.{ext}` (multi-frame). Never throws: failures are in the result.
 */
export async function convertOne(
  task: ConvertTask,
  settings: ConvertSettings,
): Promise<ConvertResult> {
  const ext = settings.format === "png" ? "png" : "jpg";
  const written: string[] = [];
  try {
    const ds = read(task.path);
    const info = pixelInfo(ds);
    for (let f = 0; f < info.frameCount; f++) {
      const arr = pixelArray(ds, info.frameCount > 1 ? { frame: f } : {});
      const bytes = encodeFrame(voiStage(arr, ds, settings), settings);
      const path = info.frameCount > 1 ? `${task.outBase}_${f}.${ext}` : `${task.outBase}.${ext}`;
      await writeAtomic(path, bytes);
      written.push(path);
    }
    return { id: task.id, written };
  } catch (e) {
    const kind = e instanceof DicomError
      ? e.name
      : e instanceof Deno.errors.NotFound
      ? "NotFound"
      : (e as Error).name ?? "Error";
    return { id: task.id, written, error: { kind, message: (e as Error).message } };
  }
}
