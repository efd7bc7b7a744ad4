/**
 * JPEG-LS (transfer syntaxes 1.2.840.10008.1.2.4.80 lossless and .81 near-lossless),
 * decoded by CharLS compiled to WebAssembly (`npm:@cornerstonejs/codec-charls`, its
 * `decodewasmjs` build; the package's default export is a much slower asm.js port).
 *
 * The WebAssembly module starts on the first decode, synchronously (about 10–25 ms, once
 * per process); importing this module only loads the small JavaScript glue.
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- mod.ts must load without this repository's import map
import charlsFactory from "npm:@cornerstonejs/codec-charls@1.2.7/decodewasmjs";
import { CodecError, UnsupportedError } from "../../core/errors.ts";
import { type EmscriptenFactory, instantiateSync } from "../../wasm/emscripten.ts";
import type { Codec, FrameInfo, PixelTypedArray } from "./types.ts";
import { checkStreamSize } from "./_stream_limits.ts";

const WASM_URL = import.meta.resolve("npm:@cornerstonejs/codec-charls@1.2.7/decodewasm");

interface CharLSFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
}

interface JpegLSDecoder {
  getEncodedBuffer(size: number): Uint8Array;
  getDecodedBuffer(): Uint8ClampedArray;
  decode(): void;
  getFrameInfo(): CharLSFrameInfo;
  getInterleaveMode(): number;
  getNearLossless(): number;
  delete(): void;
}

interface CharLSModule {
  JpegLSDecoder: new () => JpegLSDecoder;
  getExceptionMessage(pointer: number): string;
  getVersion(): string;
}

let charls: CharLSModule | undefined;

function module(): CharLSModule {
  charls ??= instantiateSync<CharLSModule>(
    charlsFactory as EmscriptenFactory,
    WASM_URL,
    () => {},
  );
  return charls;
}

/** What CharLS read from a JPEG-LS stream's header. */
export interface JpegLsStreamInfo {
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
  /** Sample precision P, 2–16. */
  bitsPerSample: number;
  /** Components in the frame. */
  componentCount: number;
  /** 0 = none (planes one after the other), 1 = line, 2 = sample interleaved. */
  interleaveMode: number;
  /** The NEAR parameter: 0 lossless, else the largest error allowed per sample. */
  near: number;
}

/** The result of {@linkcode decodeJpegLsStream}: the samples as CharLS gave them. */
export interface JpegLsDecoded {
  /** The stream's header. */
  stream: JpegLsStreamInfo;
  /** 8-bit samples for P ≤ 8, else 16-bit, in the stream's own interleave order. */
  samples: Uint8Array | Uint16Array;
}

function describe(e: unknown, m: CharLSModule): string {
  if (typeof e === "number") {
    try {
      return m.getExceptionMessage(e);
    } catch {
      return `exception ${e}`;
    }
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * True when an EOI marker (FF D9) ends the stream, give or take a few padding bytes.
 * Entropy-coded JPEG-LS data never holds FF followed by a byte of 0x80 or more, so the
 * pair cannot appear by chance. CharLS fails on a stream without EOI anyway, but some
 * truncated streams first make CharLS 2.4.4 spin for many seconds (its run-interruption
 * Golomb parameter loop, fixed upstream after 2.4.4), so they are refused up front.
 */
function hasEndOfImage(stream: Uint8Array): boolean {
  const stop = Math.max(0, stream.length - 18);
  for (let i = stream.length - 2; i >= stop; i--) {
    if (stream[i] === 0xff && stream[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * Decodes a JPEG-LS stream with CharLS, without any DICOM interpretation: the samples
 * come back in the stream's interleave order (planar for interleave mode 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJpegLsStream } from "./jpeg_ls.ts";
 * // A 2x2 16-bit JPEG-LS stream (CharLS) of the values -1000, 0, 40, 1200 as two's complement
 * const hex = "ffd8fff7000b100002000201011100fff8000d01ffff0012004301140040ffda0008010100" +
 *   "0000003e73e7907cabe0ffd9";
 * const stream = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
 * const decoded = decodeJpegLsStream(stream);
 * assert.equal(decoded.stream.near, 0); // lossless
 * assert.equal(decoded.stream.bitsPerSample, 16);
 * assert.deepEqual(Array.from(decoded.samples), [64536, 0, 40, 1200]);
 * ```
 */
export function decodeJpegLsStream(stream: Uint8Array): JpegLsDecoded {
  if (!hasEndOfImage(stream)) {
    throw new CodecError(
      "jpeg-ls: stream does not end with an EOI marker (FFD9), it may be truncated",
      { offset: stream.length },
    );
  }
  const m = module();
  let decoder: JpegLSDecoder | undefined;
  try {
    decoder = new m.JpegLSDecoder();
    decoder.getEncodedBuffer(stream.length).set(stream);
    decoder.decode();
    const fi = decoder.getFrameInfo();
    const info: JpegLsStreamInfo = {
      width: fi.width,
      height: fi.height,
      bitsPerSample: fi.bitsPerSample,
      componentCount: fi.componentCount,
      interleaveMode: decoder.getInterleaveMode(),
      near: decoder.getNearLossless(),
    };
    const raw = decoder.getDecodedBuffer();
    // copied out: the decoder's memory is freed (and reused) once it is deleted below
    const samples = info.bitsPerSample <= 8
      ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice()
      : new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1).slice();
    return { stream: info, samples };
  } catch (e) {
    const message = describe(e, m);
    if (e instanceof WebAssembly.RuntimeError) charls = undefined; // start afresh next time
    throw new CodecError(`jpeg-ls: ${message}`, { offset: 0 }, { cause: e });
  } finally {
    try {
      decoder?.delete();
    } catch {
      // The instance is gone with a trapped module.
    }
  }
}

/**
 * The size and component count of a JPEG-LS frame header (SOF55, FF F7), read without
 * decoding; undefined when there is none before the first scan.
 */
function jpegLsFrameHeader(
  bytes: Uint8Array,
): { width: number; height: number; components: number; at: number } | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker === 0xda || marker === 0xd9) return undefined;
    if (marker === 0xf7) {
      if (pos + 10 > bytes.length) return undefined;
      return {
        height: (bytes[pos + 5] << 8) | bytes[pos + 6],
        width: (bytes[pos + 7] << 8) | bytes[pos + 8],
        components: bytes[pos + 9],
        at: pos,
      };
    }
    pos += 2 + ((bytes[pos + 2] << 8) | bytes[pos + 3]);
  }
  return undefined;
}

/**
 * Decodes one JPEG-LS frame into interleaved samples in the typed array that
 * `info.bitsAllocated` and `info.pixelRepresentation` call for.
 *
 * Colour frames coded with interleave mode 0 (one plane after another) are interleaved.
 * JPEG-LS streams carry no sign: for Pixel Representation 1 the decoded bits are
 * reinterpreted as two's complement in the Bits Allocated width, without sign extension
 * from Bits Stored. This is what pydicom 2.3 (through GDCM) returns, also for streams
 * whose precision is below Bits Allocated (checked on a 12-bit CharLS stream): a stored
 * 12-bit -1 comes back as 4095.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJpegLs } from "./jpeg_ls.ts";
 * // A 2x2 16-bit JPEG-LS stream (CharLS) of the values -1000, 0, 40, 1200 as two's complement
 * const hex = "ffd8fff7000b100002000201011100fff8000d01ffff0012004301140040ffda0008010100" +
 *   "0000003e73e7907cabe0ffd9";
 * const stream = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
 * const info = {
 *   rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
 *   pixelRepresentation: 1, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * assert.deepEqual(decodeJpegLs(stream, info), new Int16Array([-1000, 0, 40, 1200]));
 * ```
 */
export function decodeJpegLs(frame: Uint8Array, info: FrameInfo): PixelTypedArray {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated } = info;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new UnsupportedError(
      `jpeg-ls: bits allocated ${bitsAllocated} is not supported, only 8 or 16`,
    );
  }
  // CharLS allocates what the frame header asks for: check it against the dataset first
  checkStreamSize("jpeg-ls", jpegLsFrameHeader(frame), info, frame.length);
  const { stream, samples } = decodeJpegLsStream(frame);
  if (stream.width !== columns || stream.height !== rows || stream.componentCount !== spp) {
    throw new CodecError(
      `jpeg-ls: stream is ${stream.height}x${stream.width} with ${stream.componentCount} ` +
        `component(s), the header says ${rows}x${columns} with ${spp}`,
      { offset: 0 },
    );
  }
  if (stream.bitsPerSample > bitsAllocated) {
    throw new CodecError(
      `jpeg-ls: stream precision ${stream.bitsPerSample} exceeds bits allocated ${bitsAllocated}`,
      { offset: 0 },
    );
  }
  const n = rows * columns * spp;
  const planar = spp > 1 && stream.interleaveMode === 0;
  const fits = samples.length === n &&
    (bitsAllocated === 8 ? samples instanceof Uint8Array : samples instanceof Uint16Array);
  if (!planar && fits) {
    // the decoder's own copy is the result: no second buffer
    if (info.pixelRepresentation !== 1) return samples;
    return bitsAllocated === 8
      ? new Int8Array(samples.buffer, samples.byteOffset, n)
      : new Int16Array(samples.buffer, samples.byteOffset, n);
  }
  const out = bitsAllocated === 8 ? new Uint8Array(n) : new Uint16Array(n);
  if (planar) {
    const plane = rows * columns;
    for (let s = 0; s < spp; s++) {
      for (let i = 0, o = s, p = s * plane; i < plane; i++, o += spp) out[o] = samples[p + i];
    }
  } else {
    out.set(samples.subarray(0, n));
  }
  if (info.pixelRepresentation !== 1) return out;
  return bitsAllocated === 8 ? new Int8Array(out.buffer) : new Int16Array(out.buffer);
}

/**
 * The JPEG-LS codec (lossless .4.80 and near-lossless .4.81) for the codec registry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpegLs } from "./jpeg_ls.ts";
 * // A 2x2 16-bit JPEG-LS stream (CharLS) of the values -1000, 0, 40, 1200 as two's complement
 * const hex = "ffd8fff7000b100002000201011100fff8000d01ffff0012004301140040ffda0008010100" +
 *   "0000003e73e7907cabe0ffd9";
 * const stream = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
 * const info = {
 *   rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
 *   pixelRepresentation: 1, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * assert.deepEqual(jpegLs.decode(stream, info), new Int16Array([-1000, 0, 40, 1200]));
 * assert.deepEqual(jpegLs.families, ["jpeg-ls"]);
 * ```
 */
export const jpegLs: Codec = {
  name: "JPEG-LS",
  families: ["jpeg-ls"],
  decode: decodeJpegLs,
};
