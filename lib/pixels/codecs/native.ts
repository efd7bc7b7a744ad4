/**
 * Native (uncompressed) pixel data: little and big endian, 1/8/16/32/64-bit, signed and
 * unsigned, float and double float, planar configuration 0 and 1, YBR_FULL_422
 * subsampling expanded, bit-packed 1-bit frames that need not start on a byte.
 *
 * @module
 */

import type { FrameInfo, PixelTypedArray } from "./types.ts";
import { PixelDataError } from "../../core/errors.ts";

/**
 * What kind of values the pixel data element holds: `"int"` for Pixel Data (integers of
 * Bits Allocated bits), `"float"` for Float Pixel Data (32-bit), `"double"` for Double Float
 * Pixel Data (64-bit).
 */
export type NativeKind = "int" | "float" | "double";

/** Bytes of one frame as stored (for 1-bit data, bits; see {@linkcode frameBits}). */
export function frameLength(info: FrameInfo, kind: NativeKind = "int"): number {
  const px = info.rows * info.columns;
  if (info.bitsAllocated === 1) return Math.ceil(px * info.samplesPerPixel / 8);
  const bytesPer = kind === "double" ? 8 : kind === "float" ? 4 : info.bitsAllocated / 8;
  if (info.photometricInterpretation === "YBR_FULL_422") return px * 2 * bytesPer;
  return px * info.samplesPerPixel * bytesPer;
}

/** Bits of one 1-bit frame (frames follow each other without byte alignment). */
export function frameBits(info: FrameInfo): number {
  return info.rows * info.columns * info.samplesPerPixel;
}

/** Allocates the output array for `n` values of this pixel format. */
export function allocate(info: FrameInfo, n: number, kind: NativeKind = "int"): PixelTypedArray {
  if (kind === "float") return new Float32Array(n);
  if (kind === "double") return new Float64Array(n);
  const signed = info.pixelRepresentation === 1;
  switch (info.bitsAllocated) {
    case 1:
      return new Uint8Array(n);
    case 8:
      return signed ? new Int8Array(n) : new Uint8Array(n);
    case 16:
      return signed ? new Int16Array(n) : new Uint16Array(n);
    case 32:
      return signed ? new Int32Array(n) : new Uint32Array(n);
  }
  throw new PixelDataError(`Bits Allocated ${info.bitsAllocated} is not supported`);
}

/**
 * Decodes one native frame into `out` (length rows * columns * samples, samples
 * interleaved). `bytes` starts at the frame; for 1-bit data `bitOffset` is where the
 * frame's first bit is in `bytes[0]`.
 */
export function decodeNativeFrame(
  bytes: Uint8Array,
  info: FrameInfo,
  out: PixelTypedArray,
  options: { littleEndian: boolean; kind?: NativeKind; bitOffset?: number },
): void {
  const px = info.rows * info.columns;
  const spp = info.samplesPerPixel;
  const n = px * spp;
  const le = options.littleEndian;
  const kind = options.kind ?? "int";
  if (info.bitsAllocated === 1 && kind === "int") {
    const o = out as Uint8Array;
    let bit = options.bitOffset ?? 0;
    for (let i = 0; i < n; i++, bit++) o[i] = (bytes[bit >>> 3] >>> (bit & 7)) & 1;
    return;
  }
  const size = kind === "double" ? 8 : kind === "float" ? 4 : info.bitsAllocated / 8;
  // Read values into a scratch array in stored order (planar or interleaved)
  let values: PixelTypedArray;
  if (info.photometricInterpretation === "YBR_FULL_422" && spp === 3) {
    // Y1 Y2 Cb Cr per two pixels: expand to Y Cb Cr Y Cb Cr
    const stored = allocate(info, px * 2, kind);
    readInto(bytes, stored, size, le);
    for (let i = 0, j = 0; i + 3 < stored.length; i += 4, j += 6) {
      out[j] = stored[i];
      out[j + 3] = stored[i + 1];
      out[j + 1] = out[j + 4] = stored[i + 2];
      out[j + 2] = out[j + 5] = stored[i + 3];
    }
    return;
  }
  if (spp > 1 && info.planarConfiguration === 1) {
    values = allocate(info, n, kind);
    readInto(bytes, values, size, le);
    for (let s = 0; s < spp; s++) {
      const base = s * px;
      for (let i = 0; i < px; i++) out[i * spp + s] = values[base + i];
    }
    return;
  }
  readInto(bytes, out, size, le);
}

function readInto(bytes: Uint8Array, out: PixelTypedArray, size: number, le: boolean): void {
  const need = out.length * size;
  if (bytes.length < need) {
    throw new PixelDataError(`frame needs ${need} bytes, ${bytes.length} present`);
  }
  if (size === 1) {
    (out as Uint8Array).set(bytes.subarray(0, need));
    return;
  }
  const target = new Uint8Array(out.buffer, out.byteOffset, need);
  if (le) {
    target.set(bytes.subarray(0, need));
    return;
  }
  for (let i = 0; i < need; i += size) {
    for (let j = 0; j < size; j++) target[i + j] = bytes[i + size - 1 - j];
  }
}
