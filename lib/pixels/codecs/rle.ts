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

import { CodecError, UnsupportedError } from "../../core/errors.ts";
import type { Codec, FrameInfo, PixelTypedArray } from "./types.ts";

const HEADER_BYTES = 64;

/** The most a PackBits segment expands: a replicate run of 2 bytes gives 128. */
const MAX_EXPANSION = 64;

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

/** Reinterprets unsigned output as signed when Pixel Representation is 1. */
function typedView(out: Uint8Array | Uint16Array | Uint32Array, signed: boolean): PixelTypedArray {
  if (!signed) return out;
  if (out instanceof Uint8Array) return new Int8Array(out.buffer);
  if (out instanceof Uint16Array) return new Int16Array(out.buffer);
  return new Int32Array(out.buffer);
}

/**
 * Decodes one PackBits segment from `src[start, end)` into `out[0, count)`. Bytes left
 * over after `count` (the even-length padding some encoders add) are ignored.
 */
function unpackSegment(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  count: number,
  segment: number,
): void {
  let i = start;
  let pos = 0;
  while (pos < count && i < end) {
    const h = src[i++];
    if (h < 128) {
      // Literal run: copy the next h + 1 bytes.
      let n = h + 1;
      if (n > count - pos) n = count - pos;
      if (i + n > end) {
        throw new CodecError(
          `rle: literal run of ${h + 1} bytes in segment ${segment} runs past the segment end ` +
            `at byte ${end}`,
          { offset: i - 1 },
        );
      }
      if (n > 16) {
        out.set(src.subarray(i, i + n), pos);
        pos += n;
        i += n;
      } else {
        const stop = i + n;
        while (i < stop) out[pos++] = src[i++];
      }
      // Skip the rest of a run that was cut at the frame size.
      i += h + 1 - n;
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
      if (n > count - pos) n = count - pos;
      if (n > 16) {
        out.fill(v, pos, pos + n);
        pos += n;
      } else {
        const stop = pos + n;
        while (pos < stop) out[pos++] = v;
      }
    }
    // h === 128 (-128): no operation.
  }
  if (pos < count) {
    throw new CodecError(
      `rle: segment ${segment} (bytes ${start} to ${end}) decodes to ${pos} bytes, ` +
        `expected ${count}`,
      { offset: i },
    );
  }
}

/** Reused scratch for the byte planes of frames up to this size. */
const SCRATCH_LIMIT = 1 << 24;
let scratch = new Uint8Array(0);

function planesBuffer(size: number): Uint8Array {
  if (size > SCRATCH_LIMIT) return new Uint8Array(size);
  if (scratch.length < size) scratch = new Uint8Array(size);
  return scratch;
}

/**
 * Joins the byte planes (sample-major, most significant first) into `out`, whose element
 * size is `bps` bytes, interleaving `spp` samples. Works on values, so it does not depend
 * on the host's byte order.
 */
function joinPlanes(
  planes: Uint8Array,
  pixels: number,
  bps: number,
  spp: number,
  out: Uint8Array | Uint16Array | Uint32Array,
): void {
  for (let s = 0; s < spp; s++) {
    const base = s * bps * pixels;
    if (bps === 1) {
      for (let i = 0, o = s; i < pixels; i++, o += spp) out[o] = planes[base + i];
    } else if (bps === 2) {
      const hi = planes.subarray(base, base + pixels);
      const lo = planes.subarray(base + pixels, base + 2 * pixels);
      if (spp === 1) {
        for (let i = 0; i < pixels; i++) out[i] = (hi[i] << 8) | lo[i];
      } else {
        for (let i = 0, o = s; i < pixels; i++, o += spp) out[o] = (hi[i] << 8) | lo[i];
      }
    } else {
      const b0 = planes.subarray(base, base + pixels);
      const b1 = planes.subarray(base + pixels, base + 2 * pixels);
      const b2 = planes.subarray(base + 2 * pixels, base + 3 * pixels);
      const b3 = planes.subarray(base + 3 * pixels, base + 4 * pixels);
      for (let i = 0, o = s; i < pixels; i++, o += spp) {
        out[o] = ((b0[i] << 24) | (b1[i] << 16) | (b2[i] << 8) | b3[i]) >>> 0;
      }
    }
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
 * import assert from "node:assert/strict";
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
 * assert.deepEqual(decodeRle(frame, info), new Uint8Array([7, 7, 7, 7]));
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
  // A run of two bytes gives at most 128: a segment shorter than a 64th of its plane
  // cannot fill it, and is refused before the plane is allocated
  for (let k = 0; k < nSegments; k++) {
    const length = offsets[k + 1] - offsets[k];
    if (pixels > MAX_EXPANSION * length) {
      throw new CodecError(
        `rle: segment ${k} (bytes ${offsets[k]} to ${offsets[k + 1]}) can decode to at most ` +
          `${MAX_EXPANSION * length} bytes, expected ${pixels}`,
        { offset: offsets[k] },
      );
    }
  }

  const signed = info.pixelRepresentation === 1;
  if (nSegments === 1) {
    const out = new Uint8Array(pixels);
    unpackSegment(frame, offsets[0], offsets[1], out, pixels, 0);
    return signed ? new Int8Array(out.buffer) : out;
  }
  const planes = planesBuffer(nSegments * pixels);
  for (let k = 0; k < nSegments; k++) {
    const plane = planes.subarray(k * pixels, (k + 1) * pixels);
    unpackSegment(frame, offsets[k], offsets[k + 1], plane, pixels, k);
  }
  const n = pixels * spp;
  const out = bps === 1 ? new Uint8Array(n) : bps === 2 ? new Uint16Array(n) : new Uint32Array(n);
  joinPlanes(planes, pixels, bps, spp, out);
  return typedView(out, signed);
}

/** Appends the PackBits encoding of `plane` to `out`, padded to an even length. */
function packSegment(plane: Uint8Array, out: number[]): void {
  const count = plane.length;
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
 * import assert from "node:assert/strict";
 * import { decodeRle, encodeRle } from "./rle.ts";
 * const info = {
 *   rows: 1, columns: 4, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * const frame = encodeRle(new Uint16Array([1, 2, 3, 0x1234]), info);
 * assert.deepEqual(decodeRle(frame, info), new Uint16Array([1, 2, 3, 0x1234]));
 * ```
 */
export function encodeRle(pixels: PixelTypedArray, info: FrameInfo): Uint8Array {
  checkGeometry(info);
  const bps = bytesPerSampleOf(info);
  const spp = info.samplesPerPixel;
  const count = info.rows * info.columns;
  if (pixels instanceof Float32Array || pixels instanceof Float64Array) {
    throw new UnsupportedError("rle: cannot encode floating-point pixels");
  }
  if (pixels.length !== count * spp || pixels.BYTES_PER_ELEMENT !== bps) {
    throw new UnsupportedError(
      `rle: ${pixels.length} values of ${pixels.BYTES_PER_ELEMENT} bytes do not match ` +
        `${info.rows}x${info.columns}x${spp} samples of ${info.bitsAllocated} bits`,
    );
  }
  const nSegments = bps * spp;
  const segments: number[][] = [];
  const plane = new Uint8Array(count);
  for (let k = 0; k < nSegments; k++) {
    const sample = (k / bps) | 0;
    const shift = 8 * (bps - 1 - (k % bps));
    for (let i = 0, o = sample; i < count; i++, o += spp) plane[i] = (pixels[o] >> shift) & 0xff;
    const seg: number[] = [];
    packSegment(plane, seg);
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
 * import assert from "node:assert/strict";
 * import { encodeRle, rleLossless } from "./rle.ts";
 * const info = {
 *   rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "RGB",
 * };
 * const rgb = new Uint8Array([255, 0, 0, 0, 0, 255]);
 * assert.deepEqual(rleLossless.decode(encodeRle(rgb, info), info), rgb);
 * ```
 */
export const rleLossless: Codec = {
  name: "RLE Lossless",
  families: ["rle"],
  decode: decodeRle,
};
