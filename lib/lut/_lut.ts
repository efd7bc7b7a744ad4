/**
 * Shared pieces of the LUT pipeline: reading LUT descriptors and LUT data
 * from a dataset, indexing a LUT with clamping, and the per-value lookup table used to
 * speed up any element-wise stage on integer pixels.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { PixelArray, type PixelTypedArray } from "../pixels/pixel_array.ts";
import { ValueError } from "../core/errors.ts";
import { numberValue, numberValues } from "../dataset/numbers.ts";

/**
 * The items of a sequence element, or an empty list when it is absent or empty; an element
 * of that keyword that holds no items (another VR, text) is a `ValueError` naming its tag.
 */
export function items(ds: Dataset, keyword: string): Dataset[] {
  const el = ds.element(keyword);
  if (!el) return [];
  if (el.items) return el.items as Dataset[];
  const v = el.value;
  const empty = v === null || v === undefined || v === "" ||
    (Array.isArray(v) && v.length === 0) || (ArrayBuffer.isView(v) && v.byteLength === 0);
  if (empty) return [];
  throw new ValueError(`${keyword} is not a sequence (VR ${el.vr})`, { tag: el.tag });
}

/** A LUT Descriptor (0028,3002) or Palette Color LUT Descriptor, decoded. */
export interface LutDescriptor {
  /** Number of entries: the first value, 0 meaning 65536. */
  entries: number;
  /** The first stored value mapped (second value); may be negative. */
  firstMapped: number;
  /** Bits per entry (third value). */
  bits: number;
}

/**
 * Reads a 3-valued LUT descriptor. A negative first value (read as SS) gets 65536 added,
 * as pydicom does; 0 entries means 65536.
 */
export function lutDescriptor(ds: Dataset, keyword: string, tag: number): LutDescriptor {
  const v = numberValues(ds.get(keyword));
  if (v.length < 3) {
    throw new ValueError(`${keyword} needs 3 values, found ${v.length}`, { tag });
  }
  let entries = v[0];
  if (entries < 0) entries += 65536;
  if (entries === 0) entries = 65536;
  return { entries, firstMapped: v[1], bits: v[2] };
}

/** Bytes of a 16-bit word array in little-endian order (the logical OW byte stream). */
export function wordsToBytes(words: Uint16Array): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  for (let i = 0; i < words.length; i++) {
    out[2 * i] = words[i] & 0xff;
    out[2 * i + 1] = words[i] >>> 8;
  }
  return out;
}

/** 16-bit words from bytes in the given byte order. */
export function bytesToWords(bytes: Uint8Array, littleEndian: boolean): Uint16Array {
  const n = bytes.length >>> 1;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const a = bytes[2 * i], b = bytes[2 * i + 1];
    out[i] = littleEndian ? a | (b << 8) : (a << 8) | b;
  }
  return out;
}

/**
 * The raw content of a LUT data element as either 16-bit words (OW, US values) or bytes
 * (OB/UN values), in the logical order of the standard (OW words already byte-swapped
 * from a big-endian file by the reader).
 */
export function lutRaw(
  ds: Dataset,
  keyword: string,
): { words?: Uint16Array; bytes?: Uint8Array; littleEndian: boolean } | undefined {
  const el = ds.element(keyword);
  if (!el) return undefined;
  const v = el.value;
  const littleEndian = el.source?.littleEndian ?? true;
  if (v === null || v === undefined) return undefined;
  if (v instanceof Uint16Array) return { words: v, littleEndian };
  if (v instanceof Uint8Array) return { bytes: v, littleEndian };
  const list = numberValues(v);
  if (!list.length) return undefined;
  return { words: Uint16Array.from(list, (x) => x & 0xffff), littleEndian };
}

/**
 * The entries of a Modality or VOI LUT: one per 16-bit word, or one per byte when the
 * element holds bytes of exactly `entries` length. Kept to `entries` values.
 */
export function lutEntries(
  ds: Dataset,
  keyword: string,
  entries: number,
  tag: number,
): Uint16Array {
  const raw = lutRaw(ds, keyword);
  if (!raw) throw new ValueError(`${keyword} is missing or empty`, { tag });
  let words: Uint16Array;
  if (raw.words) words = raw.words;
  else {
    const b = raw.bytes!;
    words = b.length === entries ? Uint16Array.from(b) : bytesToWords(b, raw.littleEndian);
  }
  if (words.length > entries) words = words.subarray(0, entries);
  if (words.length === 0) throw new ValueError(`${keyword} is empty`, { tag });
  return words;
}

/** The typed array constructors of the pipeline's integer outputs. */
export type IntArrayConstructor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor;

/** How {@linkcode indexLut} turns a value into an index and where it writes. */
export interface IndexLutOptions {
  /** Multiplies `v - firstMapped` before truncation (the Presentation LUT's input range). */
  scale?: number;
  /** Added after scaling (0.5 rounds to nearest). */
  bias?: number;
  /** Distance between outputs, for interleaved colour channels. */
  stride?: number;
  /** Index of the first output. */
  offset?: number;
}

/**
 * Maps each value through `lut` as the standard's LUTs do: the index is
 * `trunc((v - firstMapped) * scale + bias)`, clamped to the first and last entry
 * (`min(entries, lut.length) - 1`); NaN takes the first entry (as pydicom). The one
 * table-lookup loop of the Modality, VOI, palette and Presentation LUTs.
 */
export function indexLut<T extends Uint8Array | Uint16Array>(
  src: PixelTypedArray,
  lut: T,
  firstMapped: number,
  entries: number,
  out: T,
  options: IndexLutOptions = {},
): T {
  const { scale = 1, bias = 0, stride = 1, offset = 0 } = options;
  const last = Math.min(entries, lut.length) - 1;
  const n = src.length;
  if (
    scale === 1 && bias === 0 && Number.isInteger(firstMapped) && isIntegerArray(src)
  ) {
    for (let i = 0, o = offset; i < n; i++, o += stride) {
      const k = src[i] - firstMapped;
      out[o] = lut[k <= 0 ? 0 : k >= last ? last : k];
    }
  } else {
    for (let i = 0, o = offset; i < n; i++, o += stride) {
      const k = (src[i] - firstMapped) * scale + bias;
      out[o] = lut[k >= 0 ? (k >= last ? last : Math.trunc(k)) : 0];
    }
  }
  return out;
}

/** True for the typed arrays holding integers. */
export function isIntegerArray(a: PixelTypedArray): boolean {
  return !(a instanceof Float32Array) && !(a instanceof Float64Array);
}

/** A new PixelArray with the same shape and frame layout as `like`. */
export function like(arr: PixelArray, data: PixelTypedArray, extra?: number): PixelArray {
  const shape = extra === undefined ? arr.shape : [...arr.shape, extra];
  return new PixelArray(data, shape, { multiFrame: arr.multiFrame });
}

/**
 * Applies an element-wise stage to integer pixels through a table over the values
 * present: the stage runs once on `min..max` (same dtype as the input) and each pixel
 * is looked up. The result is the stage's result exactly. Returns undefined when a
 * table would not pay (float input, or a value range wider than the pixel count).
 */
export function viaTable(
  arr: PixelArray,
  stage: (values: PixelArray) => PixelArray,
): PixelArray | undefined {
  const src = arr.data;
  if (!isIntegerArray(src) || src.length < 4096) return undefined;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const size = max - min + 1;
  if (size > src.length / 2) return undefined;
  const Ctor = src.constructor as new (n: number) => PixelTypedArray;
  const values = new Ctor(size);
  for (let i = 0; i < size; i++) values[i] = min + i;
  const table = stage(new PixelArray(values, [size], { multiFrame: false }));
  const t = table.data;
  const per = t.length / size;
  const OutCtor = t.constructor as new (n: number) => PixelTypedArray;
  const out = new OutCtor(src.length * per);
  if (per === 1) {
    for (let i = 0; i < src.length; i++) out[i] = t[src[i] - min];
  } else {
    for (let i = 0, o = 0; i < src.length; i++) {
      const b = (src[i] - min) * per;
      for (let c = 0; c < per; c++) out[o++] = t[b + c];
    }
  }
  return like(arr, out, per === 1 ? undefined : per);
}

/**
 * The range of the grayscale values entering the VOI stage, as pydicom's
 * `apply_windowing` computes it: `0..2^bits-1` of the Modality LUT when there is one,
 * else the range of Bits Stored (0028,0101) for the Pixel Representation (0028,0103);
 * then through Rescale Slope and Intercept when both are present.
 */
export function grayscaleRange(ds: Dataset): [number, number] {
  const bitsStored = numberValue(ds.get("BitsStored"));
  if (bitsStored === undefined) {
    throw new ValueError("BitsStored is missing: it sets the grayscale output range", {
      tag: 0x00280101,
    });
  }
  let yMin: number, yMax: number;
  const mlut = items(ds, "ModalityLUTSequence");
  if (mlut.length) {
    yMin = 0;
    yMax = 2 ** lutDescriptor(mlut[0], "LUTDescriptor", 0x00283002).bits - 1;
  } else {
    const rep = numberValue(ds.get("PixelRepresentation"));
    if (rep === undefined) {
      throw new ValueError(
        "PixelRepresentation is missing: it sets the grayscale output range",
        { tag: 0x00280103 },
      );
    }
    if (rep === 0) {
      yMin = 0;
      yMax = 2 ** bitsStored - 1;
    } else {
      yMin = -(2 ** (bitsStored - 1));
      yMax = 2 ** (bitsStored - 1) - 1;
    }
  }
  const slope = numberValue(ds.get("RescaleSlope"));
  const intercept = numberValue(ds.get("RescaleIntercept"));
  if (slope !== undefined && intercept !== undefined) {
    yMin = yMin * slope + intercept;
    yMax = yMax * slope + intercept;
  }
  return [yMin, yMax];
}

/**
 * The range of the values leaving the VOI stage as `applyVoiLut` with these options
 * produces them: `0..2^bits-1` of the VOI LUT Sequence item it applies, else
 * {@linkcode grayscaleRange}, else (no Bits Stored) the data's minimum and maximum.
 */
export function voiOutputRange(
  arr: PixelArray,
  ds: Dataset,
  options: { range?: readonly [number, number]; index?: number; preferLut?: boolean },
): readonly [number, number] {
  if (options.range) return options.range;
  const voi = items(ds, "VOILUTSequence");
  const hasWindow = ds.get("WindowCenter") != null && ds.get("WindowWidth") != null;
  const validVoi = voi.length > 0 && voi[0].get("LUTDescriptor") != null &&
    voi[0].get("LUTData") != null;
  if (validVoi && (!hasWindow || (options.preferLut ?? true))) {
    const index = options.index ?? 0;
    const item = voi[index];
    if (!item) {
      throw new ValueError(`VOI LUT Sequence has ${voi.length} item(s), no index ${index}`, {
        tag: 0x00283010,
      });
    }
    return [0, 2 ** lutDescriptor(item, "LUTDescriptor", 0x00283002).bits - 1];
  }
  if (ds.get("BitsStored") == null) return [arr.min(), arr.max()];
  return grayscaleRange(ds);
}
