/**
 * Test helpers for the codec tests: the frames of an encapsulated corpus file, its
 * `FrameInfo` from `manifest.tsv`, oracle arrays and comparisons.
 */
import type { FrameInfo } from "../lib/pixels/codecs/types.ts";
import { frameBytes, frameFragments, pixelInfo } from "../lib/pixels/mod.ts";
import { read } from "../mod.ts";
import { CORPUS, type ManifestRow, type NpyArray, ORACLE, oracleJson, readNpy } from "./_corpus.ts";

/**
 * The frames of a corpus file's encapsulated pixel data, split as `pixelArray` splits
 * them (offset tables, fragments per frame, end-of-image markers).
 */
export function corpusFrames(file: ManifestRow | string): Uint8Array[] {
  const path = typeof file === "string" ? file : `${CORPUS}/${file.path}`;
  const ds = read(path);
  const info = pixelInfo(ds);
  const enc = info.element.encapsulated;
  if (!enc) throw new Error(`${path}: no encapsulated pixel data`);
  return frameFragments(enc, info.frameCount, {
    extendedOffsets: ds.get(0x7fe00001) as ArrayLike<bigint> | undefined,
  }).map(frameBytes);
}

/** `FrameInfo` from a manifest row. */
export function frameInfoOf(row: ManifestRow): FrameInfo {
  const [rows, columns] = row.rows_x_cols.split("x").map(Number);
  return {
    rows,
    columns,
    samplesPerPixel: Number(row.samples_per_pixel),
    bitsAllocated: Number(row.bits_allocated),
    bitsStored: Number(row.bits_stored),
    pixelRepresentation: Number(row.pixel_representation),
    planarConfiguration: Number(row.planar_configuration || 0),
    photometricInterpretation: row.photometric,
  };
}

/** Max absolute difference between two equal-length numeric arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) max = d;
  }
  return max;
}

/** The oracle `pixel_array` of a manifest row, as read from `oracle/dev`. */
export function oraclePixels(row: ManifestRow): NpyArray {
  const name = row.path.replace(/^files\/dev\//, "");
  const json = oracleJson(name) as { arrays: Record<string, { file: string }> };
  return readNpy(`${ORACLE}/${json.arrays.pixel_array.file}`);
}

/** Index of the first differing element, or -1 when equal (lengths must match). */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
