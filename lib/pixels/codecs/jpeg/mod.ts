/**
 * JPEG codecs for the DICOM JPEG transfer syntaxes, on our own TypeScript decoder:
 * baseline (process 1), extended (processes 2 and 4, 8 and 12 bits) and lossless
 * (process 14, any selection value, and its selection value 1 syntax).
 *
 * The output matches pydicom 2.3 with gdcm (IJG libjpeg 6b) bit for bit:
 * - lossy frames use libjpeg's integer IDCT and fancy upsampling;
 * - no colour conversion: YBR_FULL / YBR_FULL_422 frames come back as YCbCr, and RGB
 *   frames as the components were coded;
 * - with Bits Allocated 16 and fewer Bits Stored, the unused high bits are cleared
 *   (Pixel Representation 0) or filled with the sign bit (Pixel Representation 1), as
 *   gdcm does; with Pixel Representation 1 the result is an `Int16Array`.
 *
 * @module
 */

import { CodecError, UnsupportedError } from "../../../core/errors.ts";
import { decodeJpeg } from "./decoder.ts";
import type { Codec, FrameInfo, PixelTypedArray } from "../types.ts";

export { decodeJpeg } from "./decoder.ts";
export type { DecodedJpeg, JpegDecodeOptions } from "./decoder.ts";

/** Clears (unsigned) or sign-fills (signed) the bits above Bits Stored, as gdcm does. */
function cleanupUnusedBits(data: Uint16Array, bitsStored: number, signed: boolean): void {
  const mask = (1 << bitsStored) - 1;
  if (signed) {
    const shift = 32 - bitsStored;
    for (let i = 0; i < data.length; i++) data[i] = (data[i] << shift) >> shift;
  } else {
    for (let i = 0; i < data.length; i++) data[i] &= mask;
  }
}

/**
 * The image size and component count of a JPEG stream's frame header (SOFn), read
 * without decoding, or undefined when no frame header comes before the first scan.
 */
function frameHeader(
  bytes: Uint8Array,
):
  | { width: number; height: number; components: number; at: number; minBits: number }
  | undefined {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 &&
      marker !== 0xcc;
    if (sof) {
      if (pos + 10 > bytes.length) return undefined;
      const height = (bytes[pos + 5] << 8) | bytes[pos + 6];
      const width = (bytes[pos + 7] << 8) | bytes[pos + 8];
      const components = bytes[pos + 9];
      return { height, width, components, at: pos, minBits: minBits(bytes, pos, marker) };
    }
    pos += 2 + length;
  }
  return undefined;
}

/**
 * The fewest bits of entropy-coded data a frame can have: every Huffman code is at least
 * one bit, so a lossless frame needs a bit per coded sample, and a DCT frame two per
 * 8x8 block (the DC difference and the end of block). 0 when the SOF segment is short.
 */
function minBits(bytes: Uint8Array, at: number, marker: number): number {
  const height = (bytes[at + 5] << 8) | bytes[at + 6];
  const width = (bytes[at + 7] << 8) | bytes[at + 8];
  const nf = bytes[at + 9];
  if (at + 10 + 3 * nf > bytes.length || nf === 0) return 0;
  const h: number[] = [], v: number[] = [];
  for (let i = 0; i < nf; i++) {
    h.push(Math.max(1, bytes[at + 11 + 3 * i] >> 4));
    v.push(Math.max(1, bytes[at + 11 + 3 * i] & 15));
  }
  const hmax = Math.max(...h), vmax = Math.max(...v);
  const lossless = marker === 0xc3 || marker === 0xc7 || marker === 0xcb || marker === 0xcf;
  let bits = 0;
  for (let i = 0; i < nf; i++) {
    const cw = Math.ceil(width * h[i] / hmax), ch = Math.ceil(height * v[i] / vmax);
    bits += lossless ? cw * ch : 2 * Math.ceil(cw / 8) * Math.ceil(ch / 8);
  }
  return bits;
}

/** Decodes one JPEG frame for the pixel pipeline (see the module notes). */
function decodeFrame(frame: Uint8Array, info: FrameInfo): PixelTypedArray {
  // The frame header must agree with the dataset before the decoder allocates its planes
  // (a few bytes can declare 65535x65535)
  const header = frameHeader(frame);
  if (
    header && header.height !== 0 &&
    (header.width !== info.columns || header.height !== info.rows)
  ) {
    throw new CodecError(
      `jpeg: stream is ${header.width}x${header.height} but the header says ` +
        `${info.columns}x${info.rows} (columns x rows)`,
      { offset: header.at },
    );
  }
  if (header && header.components !== info.samplesPerPixel) {
    throw new CodecError(
      `jpeg: stream has ${header.components} components but samples per pixel is ` +
        `${info.samplesPerPixel}`,
      { offset: header.at },
    );
  }
  // Too little data for the frame is found at the end of a scan, after allocating and
  // decoding it all: say so first
  if (header && header.minBits > frame.length * 8) {
    throw new CodecError(
      `jpeg: a stream of ${frame.length} bytes cannot hold a ${header.width}x${header.height} ` +
        `frame (at least ${Math.ceil(header.minBits / 8)} bytes of coded data)`,
      { offset: header.at },
    );
  }
  const image = decodeJpeg(frame);
  if (image.width !== info.columns || image.height !== info.rows) {
    throw new CodecError(
      `jpeg: stream is ${image.width}x${image.height} but the header says ` +
        `${info.columns}x${info.rows} (columns x rows)`,
    );
  }
  if (image.components !== info.samplesPerPixel) {
    throw new CodecError(
      `jpeg: stream has ${image.components} components but samples per pixel is ` +
        `${info.samplesPerPixel}`,
    );
  }
  const signed = info.pixelRepresentation === 1;
  const data = image.data;
  if (info.bitsAllocated <= 8) {
    if (!(data instanceof Uint8Array)) {
      throw new CodecError(
        `jpeg: ${image.precision}-bit samples do not fit bits allocated ${info.bitsAllocated}`,
      );
    }
    return signed ? new Int8Array(data.buffer, data.byteOffset, data.length) : data;
  }
  if (info.bitsAllocated !== 16) {
    throw new UnsupportedError(
      `jpeg: bits allocated ${info.bitsAllocated} is not supported, only 8 or 16`,
    );
  }
  const wide = data instanceof Uint16Array ? data : Uint16Array.from(data);
  if (info.bitsStored > 0 && info.bitsStored < 16) {
    cleanupUnusedBits(wide, info.bitsStored, signed);
  }
  return signed ? new Int16Array(wide.buffer, wide.byteOffset, wide.length) : wide;
}

/**
 * JPEG Baseline (Process 1): 8-bit lossy, Huffman coded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpegBaseline } from "./mod.ts";
 * assert.equal(jpegBaseline.name, "JPEG Baseline");
 * assert.deepEqual(jpegBaseline.families, ["jpeg-baseline"]);
 * ```
 */
export const jpegBaseline: Codec = {
  name: "JPEG Baseline",
  families: ["jpeg-baseline"],
  decode: decodeFrame,
};

/**
 * JPEG Extended (Processes 2 and 4): 8- or 12-bit lossy, Huffman coded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpegExtended } from "./mod.ts";
 * assert.deepEqual(jpegExtended.families, ["jpeg-extended"]);
 * ```
 */
export const jpegExtended: Codec = {
  name: "JPEG Extended",
  families: ["jpeg-extended"],
  decode: decodeFrame,
};

/**
 * JPEG Lossless (Process 14, any selection value, and the Selection Value 1 syntax):
 * 2 to 16 bits, exact.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpegLossless } from "./mod.ts";
 * // A 2x2 8-bit lossless JPEG (predictor 1) holding 10, 20 / 30, 40.
 * const frame = new Uint8Array([
 *   0xff, 0xd8, 0xff, 0xc4, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11,
 *   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
 *   0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
 *   0x0d, 0x0e, 0x0f, 0x10, 0xff, 0xc3, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00,
 *   0x02, 0x01, 0x01, 0x11, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00,
 *   0x01, 0x00, 0x00, 0x38, 0x92, 0x51, 0x68, 0x4a, 0xff, 0xd9,
 * ]);
 * const pixels = jpegLossless.decode(frame, {
 *   rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * });
 * assert.deepEqual(pixels, new Uint8Array([10, 20, 30, 40]));
 * ```
 */
export const jpegLossless: Codec = {
  name: "JPEG Lossless",
  families: ["jpeg-lossless"],
  decode: decodeFrame,
};
