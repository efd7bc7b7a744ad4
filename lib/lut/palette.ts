/**
 * PALETTE COLOR (PS3.3 C.7.6.3.1.5, C.7.9) and Supplemental Palette Color LUTs
 * (C.7.6.19): stored values to RGB(A), as pydicom 2.3's `apply_color_lut`.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { PixelArray, PixelTypedArray } from "../pixels/pixel_array.ts";
import { ValueError } from "../core/errors.ts";
import {
  bytesToWords,
  indexLut,
  like,
  lutDescriptor,
  lutRaw,
  viaTable,
  voiOutputRange,
  wordsToBytes,
} from "./_lut.ts";
import { expandSegmentedLut } from "./_segmented.ts";
import { WELL_KNOWN_PALETTES } from "./_palettes.ts";
import { applyGrayscaleLuts } from "./voi.ts";

const CHANNELS = ["Red", "Green", "Blue", "Alpha"] as const;
const DESCRIPTOR_TAG = 0x00281101;
const DATA_TAGS = [0x00281201, 0x00281202, 0x00281203, 0x00281204];
const SEGMENTED_TAGS = [0x00281221, 0x00281222, 0x00281223, 0x00281224];

/** Options of {@linkcode applyColorLut}. */
export interface ApplyColorLutOptions {
  /**
   * A well-known palette (PS3.6 Annex B) to use instead of the dataset's: its name
   * (`HOT_IRON`, `PET`, `HOT_METAL_BLUE`, `PET_20_STEP`, `SPRING`, `SUMMER`, `FALL`,
   * `WINTER`) or its SOP Instance UID (1.2.840.10008.1.5.1 to .8).
   *
   * @default {undefined} the dataset's palette
   */
  palette?: string;
}

/** The palette tables of a dataset, ready to index. */
interface Palette {
  luts: (Uint8Array | Uint16Array)[];
  entries: number;
  firstMapped: number;
  wide: boolean;
}

/**
 * Applies the Palette Color Lookup Table of `ds` (or a well-known `palette`) to stored
 * values, as pydicom 2.3.1's `apply_color_lut`, giving RGB, or RGBA when the alpha
 * table is present, as a new last axis: `[rows, cols, 3]` or `[frames, rows, cols, 3]`.
 *
 * - Tables: Red/Green/Blue (and Alpha) Palette Color Lookup Table Data (0028,1201-1204),
 *   whose entry size (8 or 16 bits) is the data length divided by the number of entries,
 *   or the Segmented tables (0028,1221-1224), whose entry size is the descriptor's third
 *   value. The result is `uint8` for 8-bit entries, else `uint16`.
 * - Values below the first value mapped take the first entry; values past the end, the
 *   last entry (pydicom 2.3 wraps such values modulo the entry type instead; the
 *   standard clamps, as here).
 * - Supplemental palettes (Pixel Presentation `COLOR` or `MIXED`, which pydicom 2.3
 *   refuses): values within the palette's range are colored; the others are rendered in
 *   gray through the Modality and VOI stages, scaled to the entry range, R = G = B.
 *
 * Throws `ValueError` "No suitable Palette Color Lookup Table Module found" (pydicom's
 * message) when there is no palette, and for unequal table lengths, bad entry sizes or
 * an unknown `palette`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyColorLut } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const rgb = applyColorLut(new PixelArray(new Uint8Array([0, 255]), [1, 2]), new Dataset(), {
 *   palette: "HOT_IRON",
 * });
 * assert.deepEqual(rgb.shape, [1, 2, 3]);
 * assert.deepEqual(Array.from(rgb.data), [0, 0, 0, 255, 255, 255]);
 * ```
 */
export function applyColorLut(
  arr: PixelArray,
  ds: Dataset,
  options: ApplyColorLutOptions = {},
): PixelArray {
  const palette = options.palette !== undefined
    ? wellKnownPalette(options.palette)
    : datasetPalette(ds);
  const presentation = ds.get("PixelPresentation");
  const supplemental = options.palette === undefined &&
    (presentation === "COLOR" || presentation === "MIXED");
  if (supplemental) return applySupplemental(arr, ds, palette);
  const run = (a: PixelArray) => like(a, mapColors(a.data, palette), palette.luts.length);
  return viaTable(arr, run) ?? run(arr);
}

function mapColors(src: PixelTypedArray, p: Palette): Uint8Array | Uint16Array {
  const channels = p.luts.length;
  const n = src.length;
  const out = p.wide ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  let entries = p.entries;
  for (const lut of p.luts) entries = Math.min(entries, lut.length);
  for (let c = 0; c < channels; c++) {
    indexLut(src, p.luts[c] as typeof out, p.firstMapped, entries, out, {
      stride: channels,
      offset: c,
    });
  }
  return out;
}

function applySupplemental(arr: PixelArray, ds: Dataset, p: Palette): PixelArray {
  const color = mapColors(arr.data, p);
  const gray = applyGrayscaleLuts(arr, ds).data;
  const [lo, hi] = voiOutputRange(arr, ds, {});
  const top = p.wide ? 65535 : 255;
  const scale = hi > lo ? top / (hi - lo) : 0;
  const channels = p.luts.length;
  const first = p.firstMapped;
  const end = first + p.entries - 1;
  const src = arr.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v >= first && v <= end) continue;
    let g = Math.floor((gray[i] - lo) * scale + 0.5);
    g = g < 0 ? 0 : g > top ? top : g;
    const o = i * channels;
    color[o] = color[o + 1] = color[o + 2] = g;
    if (channels === 4) color[o + 3] = top;
  }
  return like(arr, color, channels);
}

function datasetPalette(ds: Dataset): Palette {
  if (!ds.has("RedPaletteColorLookupTableDescriptor")) {
    throw new ValueError("No suitable Palette Color Lookup Table Module found");
  }
  const desc = lutDescriptor(ds, "RedPaletteColorLookupTableDescriptor", DESCRIPTOR_TAG);
  const { entries, firstMapped } = desc;
  const luts: (Uint8Array | Uint16Array)[] = [];
  let wide: boolean;
  if (ds.has("RedPaletteColorLookupTableData")) {
    // The entry size comes from the red table's length (pydicom: bytes / entries * 8)
    let depth = 0;
    for (let c = 0; c < 4; c++) {
      const keyword = `${CHANNELS[c]}PaletteColorLookupTableData`;
      const value = ds.get(keyword);
      const raw = lutRaw(ds, keyword);
      if (!raw) {
        if (c < 3) throw new ValueError(`${keyword} is missing or empty`, { tag: DATA_TAGS[c] });
        continue;
      }
      if (typeof value === "number" || Array.isArray(value)) {
        // US values: one entry each, sized by the descriptor
        if (c === 0) depth = desc.bits <= 8 ? 8 : 16;
        luts.push(depth === 8 ? Uint8Array.from(raw.words!, (w) => w & 0xff) : raw.words!);
        continue;
      }
      const bytes = raw.bytes ?? wordsToBytes(raw.words!);
      if (c === 0) {
        depth = (bytes.length / entries) * 8;
        if (bytes.length === entries + 1) depth = 8; // an odd 8-bit table padded to even
        if (depth !== 8 && depth !== 16) {
          throw new ValueError(
            `the bit depth of the LUT data '${depth.toFixed(1)}' is invalid ` +
              "(only 8 or 16 bits per entry allowed)",
            { tag: DATA_TAGS[c] },
          );
        }
      }
      luts.push(depth === 16 ? bytesToWords(bytes, true) : bytes.subarray(0, entries));
    }
    wide = depth === 16;
  } else if (ds.has("SegmentedRedPaletteColorLookupTableData")) {
    wide = desc.bits > 8;
    for (let c = 0; c < 4; c++) {
      const keyword = `Segmented${CHANNELS[c]}PaletteColorLookupTableData`;
      const raw = lutRaw(ds, keyword);
      if (!raw) {
        if (c < 3) {
          throw new ValueError(`${keyword} is missing or empty`, { tag: SEGMENTED_TAGS[c] });
        }
        continue;
      }
      let data: Uint8Array | Uint16Array;
      if (wide) data = raw.words ?? bytesToWords(raw.bytes!, raw.littleEndian);
      else data = raw.bytes ?? wordsToBytes(raw.words!);
      const values = expandSegmentedLut(data, { tag: SEGMENTED_TAGS[c] });
      luts.push(wide ? Uint16Array.from(values) : Uint8Array.from(values));
    }
  } else {
    throw new ValueError("No suitable Palette Color Lookup Table Module found");
  }
  if (luts.some((l) => l.length !== luts[0].length)) {
    throw new ValueError("LUT data must be the same length", { tag: DATA_TAGS[0] });
  }
  return { luts, entries, firstMapped, wide };
}

function wellKnownPalette(name: string): Palette {
  const key = name.trim();
  const found = WELL_KNOWN_PALETTES.find((p) => p.uid === key || p.name === key.toUpperCase());
  if (!found) throw new ValueError(`unknown palette ${JSON.stringify(name)}`);
  const bin = atob(found.rgb);
  const r = new Uint8Array(256), g = new Uint8Array(256), b = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    r[i] = bin.charCodeAt(3 * i);
    g[i] = bin.charCodeAt(3 * i + 1);
    b[i] = bin.charCodeAt(3 * i + 2);
  }
  return { luts: [r, g, b], entries: 256, firstMapped: 0, wide: false };
}
