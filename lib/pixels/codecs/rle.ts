/**
 * RLE Lossless (transfer syntax 1.2.840.10008.1.2.5), PS3.5 Annex G: a decoder and an
 * encoder written in TypeScript.
 *
 * A frame is a 64-byte header (the segment count, then up to 15 segment offsets, all
 * little-endian 32-bit) followed by the segments. Each segment holds one byte plane,
 * PackBits-compressed: for every sample, the most significant byte of every pixel comes
 * first, then the next byte down. A 16-bit RGB frame has six segments (R high, R low,
 * G high, G low, B high, B low).
 *
 * @module
 */

import { CodecError, UnsupportedError } from "../../io/errors.ts";
import type { Codec, FrameInfo, PixelTypedArray } from "./types.ts";

/** The RLE Lossless transfer syntax UID. */
export const RLE_LOSSLESS_UID = "1.2.840.10008.1.2.5";

const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesPerSampleOf(info: FrameInfo): number {
  const bits = info.bitsAllocated;
  if (bits !== 8 && bits !== 16 && bits !== 32) {
    throw new UnsupportedError(
      `rle: bits allocated ${bits} is not supported, only 8, 16 or 32`,
    );
  }
  return bits >> 3;
}

function checkGeometry(info: FrameInfo): void {
  const { rows, columns, samplesPerPixel } = info;
  if (!(rows > 0 && columns > 0 && Number.isInteger(rows) && Number.isInteger(columns))) {
    throw new UnsupportedError(`rle: invalid frame size ${rows}x${columns}`);
  }
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new UnsupportedError(
      `rle: samples per pixel ${samplesPerPixel} is not supported, only 1 or 3`,
    );
  }
}

/** Wraps decoded little-endian bytes in the typed array the codec contract asks for. */
function typedView(bytes: Uint8Array, bitsAllocated: number, signed: boolean): PixelTypedArray {
  const { buffer, byteOffset, byteLength } = bytes;
  switch (bitsAllocated) {
    case 8:
      return signed ? new Int8Array(buffer, byteOffset, byteLength) : bytes;
    case 16:
      return signed
        ? new Int16Array(buffer, byteOffset, byteLength >> 1)
        : new Uint16Array(buffer, byteOffset, byteLength >> 1);
    default:
      return signed
        ? new Int32Array(buffer, byteOffset, byteLength >> 2)
        : new Uint32Array(buffer, byteOffset, byteLength >> 2);
  }
}

/**
 * Decodes one PackBits segment from `src[start, end)` into `out`, one byte every `stride`
 * bytes from `pos`, until `count` bytes are written. Bytes left over after `count` (the
 * even-length padding some encoders add) are ignored.
 */
function unpackSegment(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  pos: number,
  stride: number,
  count: number,
  segment: number,
): void {
  let i = start;
  let left = count;
  while (left > 0 && i < end) {
    const h = src[i++];
    if (h < 128) {
      // Literal run: copy the next h + 1 bytes.
      let n = h + 1;
      if (n > left) n = left;
      if (i + n > end) {
        throw new CodecError(
          `rle: literal run of ${h + 1} bytes in segment ${segment} runs past the segment end ` +
            `at byte ${end}`,
          { offset: i - 1 },
        );
      }
      left -= n;
      if (stride === 1) {
        const stop = i + n;
        while (i < stop) out[pos++] = src[i++];
      } else {
        const stop = i + n;
        while (i < stop) {
          out[pos] = src[i++];
          pos += stride;
        }
      }
      // Skip the rest of a run that was cut at the frame size.
      i = i + (h + 1 - n);
    } else if (h > 128) {
      // Replicate run: the next byte 257 - h times.
      if (i >= end) {
        throw new CodecError(
          `rle: replicate run in segment ${segment} has no value byte before the segment end ` +
            `at byte ${end}`,
          { offset: i - 1 },
        );
      }
      const v = src[i++];
      let n = 257 - h;
      if (n > left) n = left;
      left -= n;
      if (stride === 1) {
        const stop = pos + n;
        while (pos < stop) out[pos++] = v;
      } else {
        for (let k = 0; k < n; k++) {
          out[pos] = v;
          pos += stride;
        }
      }
    }
    // h === 128 (-128): no operation.
  }
  if (left > 0) {
    throw new CodecError(
      `rle: segment ${segment} (bytes ${start} to ${end}) decodes to ${count - left} bytes, ` +
        `expected ${count}`,
      { offset: i },
    );
  }
}

/**
 * Decodes one RLE Lossless frame into interleaved samples (R,G,B,R,G,B...), in the typed
 * array that `info.bitsAllocated` and `info.pixelRepresentation` call for.
 *
 * Throws `CodecError` (with the byte offset in the frame) for a bad header or a segment
 * that is too short or overruns, and `UnsupportedError` for bit depths other than
 * 8, 16 and 32 or samples per pixel other than 1 and 3.
 *
 * @example
 * ```ts
 * import { decodeRle } from "./rle.ts";
 * // A 2x2 8-bit frame: one segment holding a replicate run of four 7s.
 * const frame = new Uint8Array(66);
 * new DataView(frame.buffer).setUint32(0, 1, true);
 * new DataView(frame.buffer).setUint32(4, 64, true);
 * frame.set([0xfd, 7], 64);
 * const info = {
 *   rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * console.log(decodeRle(frame, info)); // Uint8Array(4) [7, 7, 7, 7]
 * ```
 */
export function decodeRle(frame: Uint8Array, info: FrameInfo): PixelTypedArray {
  checkGeometry(info);
  const bps = bytesPerSampleOf(info);
  const spp = info.samplesPerPixel;
  const pixels = info.rows * info.columns;
  const expected = bps * spp;
  if (frame.length < HEADER_BYTES) {
    throw new CodecError(
      `rle: frame of ${frame.length} bytes is shorter than the 64-byte header`,
      { offset: 0 },
    );
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const nSegments = view.getUint32(0, true);
  if (nSegments !== expected) {
    throw new CodecError(
      `rle: header announces ${nSegments} segments, expected ${expected} for ` +
        `${spp} sample(s) of ${info.bitsAllocated} bits`,
      { offset: 0 },
    );
  }
  const offsets = new Array<number>(nSegments + 1);
  for (let k = 0; k < nSegments; k++) {
    const at = 4 + 4 * k;
    const off = view.getUint32(at, true);
    const low = k === 0 ? HEADER_BYTES : offsets[k - 1];
    if (off < low || off > frame.length) {
      throw new CodecError(
        `rle: segment ${k} offset ${off} is outside ${low}..${frame.length}`,
        { offset: at },
      );
    }
    offsets[k] = off;
  }
  offsets[nSegments] = frame.length;

  const stride = expected;
  const out = new Uint8Array(pixels * stride);
  for (let k = 0; k < nSegments; k++) {
    const sample = (k / bps) | 0;
    const significance = k % bps; // 0 = most significant byte
    const byteInSample = LITTLE_ENDIAN_HOST ? bps - 1 - significance : significance;
    unpackSegment(
      frame,
      offsets[k],
      offsets[k + 1],
      out,
      sample * bps + byteInSample,
      stride,
      pixels,
      k,
    );
  }
  return typedView(out, info.bitsAllocated, info.pixelRepresentation === 1);
}

/** Appends the PackBits encoding of `count` bytes of `src` (every `stride`th from `pos`). */
function packSegment(
  src: Uint8Array,
  pos: number,
  stride: number,
  count: number,
  out: number[],
): void {
  const plane = new Uint8Array(count);
  for (let i = 0; i < count; i++, pos += stride) plane[i] = src[pos];
  let i = 0;
  while (i < count) {
    let run = 1;
    while (i + run < count && run < 128 && plane[i + run] === plane[i]) run++;
    if (run >= 2) {
      out.push(257 - run, plane[i]);
      i += run;
      continue;
    }
    // Literal: until 128 bytes or a run of three equal bytes begins.
    let j = i + 1;
    while (
      j < count && j - i < 128 &&
      !(j + 2 < count && plane[j] === plane[j + 1] && plane[j] === plane[j + 2])
    ) j++;
    out.push(j - i - 1);
    for (let k = i; k < j; k++) out.push(plane[k]);
    i = j;
  }
  if (out.length % 2 === 1) out.push(0);
}

/**
 * Encodes one frame of interleaved samples as RLE Lossless (PS3.5 Annex G): the inverse
 * of {@linkcode decodeRle}. Segments are padded to even lengths.
 *
 * @example
 * ```ts
 * import { decodeRle, encodeRle } from "./rle.ts";
 * const info = {
 *   rows: 1, columns: 4, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * const frame = encodeRle(new Uint16Array([1, 2, 3, 0x1234]), info);
 * console.log(decodeRle(frame, info)); // Uint16Array(4) [1, 2, 3, 4660]
 * ```
 */
export function encodeRle(pixels: PixelTypedArray, info: FrameInfo): Uint8Array {
  checkGeometry(info);
  const bps = bytesPerSampleOf(info);
  const spp = info.samplesPerPixel;
  const count = info.rows * info.columns;
  const stride = bps * spp;
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  if (bytes.length !== count * stride) {
    throw new UnsupportedError(
      `rle: ${bytes.length} bytes of pixels do not match ${info.rows}x${info.columns}x` +
        `${spp} samples of ${info.bitsAllocated} bits`,
    );
  }
  const nSegments = stride;
  if (nSegments > MAX_SEGMENTS) {
    throw new UnsupportedError(`rle: ${nSegments} segments exceed the limit of 15`);
  }
  const segments: number[][] = [];
  for (let k = 0; k < nSegments; k++) {
    const sample = (k / bps) | 0;
    const significance = k % bps;
    const byteInSample = LITTLE_ENDIAN_HOST ? bps - 1 - significance : significance;
    const seg: number[] = [];
    packSegment(bytes, sample * bps + byteInSample, stride, count, seg);
    segments.push(seg);
  }
  const total = HEADER_BYTES + segments.reduce((n, s) => n + s.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, nSegments, true);
  let at = HEADER_BYTES;
  segments.forEach((seg, k) => {
    view.setUint32(4 + 4 * k, at, true);
    out.set(seg, at);
    at += seg.length;
  });
  return out;
}

/**
 * The RLE Lossless codec (1.2.840.10008.1.2.5) for the codec registry: 8, 16 and 32
 * bits allocated, 1 or 3 samples per pixel, output interleaved.
 *
 * @example
 * ```ts
 * import { encodeRle, rleLossless } from "./rle.ts";
 * const info = {
 *   rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "RGB",
 * };
 * const rgb = new Uint8Array([255, 0, 0, 0, 0, 255]);
 * console.log(rleLossless.decode(encodeRle(rgb, info), info)); // [255, 0, 0, 0, 0, 255]
 * ```
 */
export const rleLossless: Codec = {
  name: "RLE Lossless",
  uids: [RLE_LOSSLESS_UID],
  decode: decodeRle,
};
