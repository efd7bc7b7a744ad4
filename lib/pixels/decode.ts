/**
 * `pixelArray` and `frames`: the pixel data of a dataset as typed arrays, whatever the
 * transfer syntax, with a frame or a range of frames decoded alone.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { DataElement } from "../dataset/element.ts";
import { numberValue } from "../dataset/numbers.ts";
import {
  DicomError,
  type ErrorLocation,
  PixelDataError,
  UnsupportedError,
  ValueError,
} from "../core/errors.ts";
import { lookupUid, tagForKeyword } from "../dictionary/mod.ts";
import { PixelArray } from "./pixel_array.ts";
import { fitBitsStored } from "./bits_stored.ts";
import type { FrameInfo, PixelTypedArray } from "./codecs/types.ts";
import {
  allocate,
  decodeNativeFrame,
  frameBits,
  frameLength,
  type NativeKind,
} from "./codecs/native.ts";
import { codecFor } from "./codecs/registry.ts";
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from "../core/transfer_syntax.ts";
import { fragmentAt, frameBytes, frameFragmentIndices } from "./encapsulation.ts";
import { convertColorSpace } from "./color_space.ts";

/** Options for {@linkcode pixelArray}. */
export interface PixelArrayOptions {
  /**
   * Decode only this frame (0-based); the result has no frame axis.
   *
   * @default {undefined} every frame
   */
  frame?: number;
  /**
   * Decode only frames `[start, end)`; the result keeps the frame axis.
   *
   * @default {undefined} every frame
   */
  frames?: readonly [number, number];
  /**
   * Keep the bits above Bits Stored as stored instead of masking them (unsigned) or
   * sign-extending from the high bit (signed). By default pixel values are what Bits
   * Stored says (pydicom 2.3 keeps the extra bits, which is wrong; see the README).
   *
   * @default {false}
   */
  keepUnusedBits?: boolean;
  /**
   * An array to decode into (then the result's `data`) when it has the type and length
   * the pixels need; otherwise a new one is made. A converter reusing one array per image
   * size allocates nothing per image for native data, and one array less for compressed.
   *
   * @default {undefined} a new array
   */
  out?: PixelTypedArray;
  /**
   * Convert YBR_FULL and YBR_FULL_422 colour to RGB (pydicom's `convert_color_space`).
   * By default colour comes back as stored, as pydicom's `pixel_array` does.
   * JPEG 2000's YBR_RCT/YBR_ICT are always RGB (the codestream says so).
   *
   * @default {false}
   */
  asRgb?: boolean;
  /**
   * Throw a `PixelDataError` when the Basic Offset Table of compressed pixel data
   * disagrees with its fragments. Default false: the table is ignored, frames are found
   * from the fragments (one per frame, or split at end-of-image markers), and
   * `ds.warnings` says so once.
   *
   * @default {false}
   */
  strict?: boolean;
}

/** The pixel attributes of a dataset, checked. */
export interface PixelInfo extends FrameInfo {
  /** Number of Frames (1 when absent). */
  frameCount: number;
  /** Which element holds the pixels. */
  kind: NativeKind;
  /** The element with the pixel data. */
  element: DataElement;
  /** Transfer syntax UID (inferred for datasets without file meta). */
  transferSyntax: string;
}

/** A required number of the pixel description, or `fallback`, or a `ValueError`. */
function num(ds: Dataset, key: string, fallback?: number): number {
  const x = numberValue(ds.get(key));
  if (x !== undefined && Number.isFinite(x)) return x;
  if (fallback !== undefined) return fallback;
  throw new ValueError(`${key} is missing or not a number`, { tag: tagForKeyword(key) });
}

/**
 * Reads and checks the pixel description of a dataset: sizes, bits, photometric
 * interpretation, frame count, transfer syntax.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pixelInfo } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * const ds = new Dataset();
 * ds.set("SamplesPerPixel", 1);
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("NumberOfFrames", 2);
 * ds.set("Rows", 2);
 * ds.set("Columns", 2);
 * ds.set("BitsAllocated", 16);
 * ds.set("BitsStored", 12);
 * ds.set("HighBit", 11);
 * ds.set("PixelRepresentation", 0);
 * const stored = new Uint16Array([0, 1000, 2000, 4095, 1, 2, 3, 4]);
 * ds.set("PixelData", new Uint8Array(stored.buffer), { vr: "OW" });
 * const info = pixelInfo(ds);
 * assert.equal(info.rows, 2);
 * assert.equal(info.bitsStored, 12);
 * assert.equal(info.frameCount, 2);
 * assert.equal(info.kind, "int");
 * assert.equal(info.transferSyntax, "1.2.840.10008.1.2.1"); // inferred: no file meta
 * ```
 */
export function pixelInfo(ds: Dataset): PixelInfo {
  let element = ds.element(0x7fe00010);
  let kind: NativeKind = "int";
  if (!element) {
    element = ds.element(0x7fe00008);
    kind = "float";
  }
  if (!element) {
    element = ds.element(0x7fe00009);
    kind = "double";
  }
  if (!element) throw new PixelDataError("the dataset has no Pixel Data", { tag: 0x7fe00010 });
  const rows = num(ds, "Rows");
  const columns = num(ds, "Columns");
  const samplesPerPixel = num(ds, "SamplesPerPixel", 1);
  const bitsAllocated = num(ds, "BitsAllocated");
  const bitsStored = num(ds, "BitsStored", bitsAllocated);
  const pixelRepresentation = num(ds, "PixelRepresentation", 0);
  const planarConfiguration = num(ds, "PlanarConfiguration", 0);
  const frameCount = Math.max(1, num(ds, "NumberOfFrames", 1));
  const pi = ds.get("PhotometricInterpretation");
  const photometricInterpretation = (Array.isArray(pi) ? pi[0] : pi) as string ?? "";
  if (rows < 1 || columns < 1 || rows > 0xffff || columns > 0xffff) {
    throw new ValueError(`invalid image size ${rows}x${columns}`, { tag: 0x00280010 });
  }
  if (![1, 3, 4].includes(samplesPerPixel)) {
    throw new ValueError(`invalid Samples per Pixel ${samplesPerPixel}`, { tag: 0x00280002 });
  }
  if (kind === "int" && ![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new UnsupportedError(`Bits Allocated ${bitsAllocated} is not supported`, {
      tag: 0x00280100,
    });
  }
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new ValueError(
      `Bits Stored ${bitsStored} does not fit Bits Allocated ${bitsAllocated}`,
      { tag: 0x00280101 },
    );
  }
  let transferSyntax = ds.transferSyntaxUID ?? "";
  if (!transferSyntax) {
    if (element.encapsulated) {
      throw new UnsupportedError("compressed pixel data without a Transfer Syntax UID", {
        tag: 0x00020010,
      });
    }
    transferSyntax = ds.encoding.implicitVR
      ? IMPLICIT_VR_LITTLE_ENDIAN
      : ds.encoding.littleEndian
      ? EXPLICIT_VR_LITTLE_ENDIAN
      : EXPLICIT_VR_BIG_ENDIAN;
  }
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    pixelRepresentation,
    planarConfiguration,
    photometricInterpretation,
    frameCount,
    kind,
    element,
    transferSyntax,
  };
}

function frameRange(info: PixelInfo, options: PixelArrayOptions): [number, number] {
  if (options.frame !== undefined) {
    const f = options.frame;
    if (!Number.isInteger(f) || f < 0 || f >= info.frameCount) {
      throw new RangeError(`frame ${f} out of range 0..${info.frameCount - 1}`);
    }
    return [f, f + 1];
  }
  if (options.frames) {
    const [a, b] = options.frames;
    if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a < b && b <= info.frameCount)) {
      throw new RangeError(`frames [${a}, ${b}) out of range 0..${info.frameCount}`);
    }
    return [a, b];
  }
  return [0, info.frameCount];
}

/** The largest decoded output accepted (bytes), whatever the input claims. */
const MAX_OUTPUT_BYTES = 2 ** 31;

/** The value bytes of an element: as stored, or those of a value set in memory. */
function storedBytes(el: DataElement): Uint8Array {
  if (el.bytes) return el.bytes;
  const v = el.value;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return new Uint8Array(0);
}

/** Length of the value bytes, without reading a value left on disk. */
function storedLength(el: DataElement): number {
  const src = el.source;
  if (src?.range && src.length !== undefined) return src.length;
  return storedBytes(el).length;
}

/** Value bytes `[start, end)`: only those are read when the value was left on disk. */
function storedRange(el: DataElement, start: number, end: number): Uint8Array {
  const src = el.source;
  if (src?.range) return src.range(start, end);
  return storedBytes(el).subarray(start, end);
}

/** Where a problem that decoding works around is noted. */
type Warn = (message: string) => void;

/** Adds `message` to `ds.warnings` unless it is there already. */
function warnOnce(ds: Dataset): Warn {
  return (message) => {
    if (!ds.warnings.includes(message)) ds.warnings.push(message);
  };
}

function decodeFrames(
  info: PixelInfo,
  first: number,
  end: number,
  options: { target?: PixelTypedArray; strict?: boolean; warn?: Warn } = {},
): PixelTypedArray {
  const target = options.target;
  const perFrame = info.rows * info.columns * info.samplesPerPixel;
  const count = end - first;
  const el = info.element;
  const ts = info.transferSyntax;
  const bytesPerValue = info.kind === "double"
    ? 8
    : info.kind === "float"
    ? 4
    : Math.max(1, info.bitsAllocated / 8);
  if (perFrame * count * bytesPerValue > MAX_OUTPUT_BYTES) {
    throw new PixelDataError(
      `${count} frame(s) of ${info.rows}x${info.columns}x${info.samplesPerPixel} would need more than 2 GiB`,
      { tag: el.tag },
    );
  }
  if (el.encapsulated) {
    const codec = codecFor(ts);
    if (!codec) {
      const name = lookupUid(ts)?.name ?? ts;
      throw new UnsupportedError(`no decoder for transfer syntax ${name}`, { tag: el.tag });
    }
    const enc = el.encapsulated;
    const groups = frameFragmentIndices(enc, info.frameCount, {
      extendedOffsets: asArray(el.dataset?.element(0x7fe00001)?.value),
      strict: options.strict,
      onWarning: options.warn,
    });
    if (groups.length < end) {
      throw new PixelDataError(`${info.frameCount} frames announced, ${groups.length} found`, {
        tag: el.tag,
      });
    }
    // only the frames asked for are read (from disk, when the pixel data was deferred)
    const frames: Uint8Array[][] = [];
    for (let f = first; f < end; f++) frames[f] = groups[f].map((k) => fragmentAt(enc, k));
    // A compressed frame cannot expand beyond reason: refuse before allocating
    for (let f = first; f < end; f++) {
      let size = 0;
      for (const part of frames[f]) size += part.length;
      if (perFrame * bytesPerValue > 64 * 2 ** 20 && perFrame * bytesPerValue > size * 4096) {
        throw new PixelDataError(
          `${size} compressed bytes cannot hold a ${info.rows}x${info.columns} frame`,
          { frame: f, tag: el.tag },
        );
      }
    }
    // allocated once a frame has decoded: a stream that fails costs nothing
    let out = fits(target, allocate(info, 0), perFrame * count);
    for (let f = first; f < end; f++) {
      let decoded: PixelTypedArray;
      const slot = out?.subarray((f - first) * perFrame, (f - first + 1) * perFrame);
      try {
        decoded = codec.decode(frameBytes(frames[f]), info, slot);
      } catch (e) {
        throw inFrame(e, f, el.tag);
      }
      if (decoded.length !== perFrame) {
        throw new PixelDataError(
          `${codec.name} gave ${decoded.length} values, ${perFrame} expected`,
          { frame: f, tag: el.tag },
        );
      }
      out ??= allocate(info, perFrame * count);
      // the codec may have written into the slot already
      if (!slot || !sameMemory(decoded, slot)) out.set(decoded, (f - first) * perFrame);
    }
    return out!;
  }
  const stored = storedLength(el);
  const le = el.source?.littleEndian ?? true;
  if (info.bitsAllocated === 1 && info.kind === "int") {
    const bits = frameBits(info);
    const need = Math.ceil(bits * info.frameCount / 8);
    if (stored < need) {
      throw new PixelDataError(`pixel data has ${stored} bytes, ${need} expected`, {
        tag: el.tag,
      });
    }
    const out = fits(target, allocate(info, 0, info.kind), perFrame * count) ??
      allocate(info, perFrame * count, info.kind);
    for (let f = first; f < end; f++) {
      const startBit = f * bits;
      const view = storedRange(el, startBit >>> 3, Math.ceil((startBit + bits) / 8));
      const target = out.subarray((f - first) * perFrame, (f - first + 1) * perFrame);
      decodeNativeFrame(view, info, target as PixelTypedArray, {
        littleEndian: le,
        bitOffset: startBit & 7,
      });
    }
    return out;
  }
  const len = frameLength(info, info.kind);
  const need = len * info.frameCount;
  if (stored < need) {
    throw new PixelDataError(
      `pixel data has ${stored} bytes, ${need} expected for ${info.frameCount} frame(s) of ${info.rows}x${info.columns}`,
      { tag: el.tag },
    );
  }
  const out = fits(target, allocate(info, 0, info.kind), perFrame * count) ??
    allocate(info, perFrame * count, info.kind);
  for (let f = first; f < end; f++) {
    const target = out.subarray((f - first) * perFrame, (f - first + 1) * perFrame);
    decodeNativeFrame(storedRange(el, f * len, (f + 1) * len), info, target as PixelTypedArray, {
      littleEndian: le,
      kind: info.kind,
    });
  }
  return out;
}

/**
 * A codec's `DicomError` again, of the same class, naming the frame it failed on and the
 * pixel data element (the codec only knows the bytes of the frame).
 */
function inFrame(e: unknown, frame: number, tag: number): unknown {
  if (!(e instanceof DicomError) || e.frame !== undefined) return e;
  const suffix = new DicomError("", { offset: e.offset, tag: e.tag }).message;
  const base = e.message.endsWith(suffix)
    ? e.message.slice(0, e.message.length - suffix.length)
    : e.message;
  const Ctor = e.constructor as new (
    message: string,
    location: ErrorLocation,
    options?: ErrorOptions,
  ) => DicomError;
  return new Ctor(base, { offset: e.offset, tag: e.tag ?? tag, frame }, { cause: e });
}

/** `target` when it is an array of `n` values of the same type as `like`. */
/** True when two arrays are views of the same bytes. */
function sameMemory(a: PixelTypedArray, b: PixelTypedArray): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength;
}

function fits(
  target: PixelTypedArray | undefined,
  like: PixelTypedArray,
  n: number,
): PixelTypedArray | undefined {
  return target && target.constructor === like.constructor && target.length === n
    ? target
    : undefined;
}

function asArray(v: unknown): ArrayLike<number | bigint> | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number" || typeof v === "bigint") return [v];
  if (Array.isArray(v)) return v as (number | bigint)[];
  if (ArrayBuffer.isView(v)) return v as unknown as ArrayLike<number | bigint>;
  return undefined;
}

function shapeOf(info: FrameInfo, frames: number, multi: boolean): number[] {
  const shape = multi ? [frames, info.rows, info.columns] : [info.rows, info.columns];
  if (info.samplesPerPixel > 1) shape.push(info.samplesPerPixel);
  return shape;
}

/**
 * The pixels of a dataset as a {@linkcode PixelArray}: numpy-like shape (`[rows, cols]`,
 * `[rows, cols, samples]`, `[frames, rows, cols(, samples)]`), one typed array whose
 * type follows Bits Allocated and Pixel Representation (Float/Double Float Pixel Data
 * give Float32Array/Float64Array). Decodes every transfer syntax with a registered
 * codec; `{ frame }` or `{ frames: [start, end] }` decodes just those frames.
 *
 * Colour comes back as stored (YBR stays YBR, as pydicom); `{ asRgb: true }` converts
 * YBR_FULL and YBR_FULL_422 to RGB.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pixelArray } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * const ds = new Dataset();
 * ds.set("SamplesPerPixel", 1);
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("NumberOfFrames", 2);
 * ds.set("Rows", 2);
 * ds.set("Columns", 2);
 * ds.set("BitsAllocated", 16);
 * ds.set("BitsStored", 12);
 * ds.set("HighBit", 11);
 * ds.set("PixelRepresentation", 0);
 * const stored = new Uint16Array([0, 1000, 2000, 4095, 1, 2, 3, 4]);
 * ds.set("PixelData", new Uint8Array(stored.buffer), { vr: "OW" });
 * const arr = pixelArray(ds);
 * assert.deepEqual(arr.shape, [2, 2, 2]);
 * assert.ok(arr.data instanceof Uint16Array);
 * assert.equal(arr.min(), 0);
 * assert.equal(arr.max(), 4095);
 * assert.deepEqual(Array.from(pixelArray(ds, { frame: 1 }).data), [1, 2, 3, 4]);
 * ```
 */
export function pixelArray(ds: Dataset, options: PixelArrayOptions = {}): PixelArray {
  const info = pixelInfo(ds);
  const [first, end] = frameRange(info, options);
  const data = decodeFrames(info, first, end, {
    target: options.out,
    strict: options.strict,
    warn: warnOnce(ds),
  });
  if (!options.keepUnusedBits) fitBitsStored(data, info);
  const multi = options.frame === undefined &&
    (options.frames !== undefined || info.frameCount > 1);
  const arr = new PixelArray(data, shapeOf(info, end - first, multi), { multiFrame: multi });
  const pi = info.photometricInterpretation;
  if (options.asRgb && info.samplesPerPixel === 3 && (pi === "YBR_FULL" || pi === "YBR_FULL_422")) {
    return convertColorSpace(arr, pi, { to: "RGB" });
  }
  return arr;
}

/**
 * Iterates the frames of a dataset one at a time, decoding each only when reached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frames } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * const ds = new Dataset();
 * ds.set("SamplesPerPixel", 1);
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("NumberOfFrames", 2);
 * ds.set("Rows", 2);
 * ds.set("Columns", 2);
 * ds.set("BitsAllocated", 16);
 * ds.set("BitsStored", 12);
 * ds.set("HighBit", 11);
 * ds.set("PixelRepresentation", 0);
 * const stored = new Uint16Array([0, 1000, 2000, 4095, 1, 2, 3, 4]);
 * ds.set("PixelData", new Uint8Array(stored.buffer), { vr: "OW" });
 * const shapes = [];
 * for (const frame of frames(ds)) shapes.push(frame.shape);
 * assert.deepEqual(shapes, [[2, 2], [2, 2]]);
 * ```
 */
export function* frames(
  ds: Dataset,
  options: Omit<PixelArrayOptions, "frame" | "frames"> = {},
): Generator<PixelArray> {
  const info = pixelInfo(ds);
  for (let f = 0; f < info.frameCount; f++) yield pixelArray(ds, { ...options, frame: f });
}
