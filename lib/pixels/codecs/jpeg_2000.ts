/**
 * JPEG 2000 (transfer syntaxes 1.2.840.10008.1.2.4.90 lossless, .91 lossy) and
 * High-Throughput JPEG 2000 (.4.201, .4.202, .4.203), decoded by OpenJPEG 2.5.4 compiled to
 * WebAssembly with SIMD by `tools/openjpeg/build.sh` (a standalone module without
 * Emscripten's JavaScript glue; its bytes live in `_openjpeg_wasm.ts`, generated).
 *
 * The module starts on the first decode, synchronously (once per process); importing
 * this file only decodes the base64 text when a frame is first decoded. OpenJPEG's
 * `[ERROR]` lines become the message of the `CodecError` thrown.
 *
 * @module
 */

import { CodecError, UnsupportedError } from "../../core/errors.ts";
import type { Codec, FrameInfo, PixelTypedArray } from "./types.ts";
import { checkStreamSize } from "./_stream_limits.ts";
import { OPENJPEG_WASM_BASE64 } from "./_openjpeg_wasm.ts";

interface OpenJpegFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/** The exports of the module built by tools/openjpeg/build.sh (tools/openjpeg/dicom_j2k.c). */
interface OpenJpegExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  dj_alloc(size: number): number;
  dj_free(pointer: number): void;
  dj_info(): number;
  dj_samples(): number;
  dj_message(): number;
  dj_release(): void;
  dj_decode(pointer: number, length: number): number;
}

let compiled: WebAssembly.Module | undefined;
let openjpeg: OpenJpegExports | undefined;

/** Starts the WebAssembly module, synchronously, once per process (again after a trap). */
function module(): OpenJpegExports {
  if (openjpeg) return openjpeg;
  if (!compiled) {
    const text = atob(OPENJPEG_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  // The module imports a few WASI and Emscripten functions it never needs here (no file
  // system, no clock): each is a stub, and the environment OpenJPEG reads is empty.
  const imports: Record<string, Record<string, (...args: number[]) => number>> = {};
  for (const { module, name } of WebAssembly.Module.imports(compiled)) {
    (imports[module] ??= {})[name] = () => 0;
  }
  const wasi = imports.wasi_snapshot_preview1 ?? {};
  if (wasi.environ_sizes_get) {
    wasi.environ_sizes_get = (count: number, size: number) => {
      const view = new DataView((instance.exports.memory as WebAssembly.Memory).buffer);
      view.setUint32(count, 0, true);
      view.setUint32(size, 0, true);
      return 0;
    };
  }
  const instance = new WebAssembly.Instance(compiled, imports);
  const exports = instance.exports as unknown as OpenJpegExports;
  exports._initialize();
  openjpeg = exports;
  return exports;
}

/** The messages OpenJPEG left for the last decode, one per line. */
function messages(m: OpenJpegExports): string[] {
  const at = m.dj_message();
  const bytes = new Uint8Array(m.memory.buffer, at, 2048);
  const end = bytes.indexOf(0);
  const text = new TextDecoder().decode(bytes.subarray(0, end < 0 ? 2048 : end));
  return text.split(/\n/).filter((l) => l.trim() !== "");
}

/** What the codestream's SIZ segment says about the first component. */
export interface J2kSizInfo {
  /** Sample precision in bits (1–38). */
  precision: number;
  /** True when the samples are signed. */
  signed: boolean;
  /** Number of components. */
  components: number;
}

/**
 * Reads precision and signedness from the SIZ marker segment of a raw J2K codestream
 * (starting FF 4F FF 51); undefined for anything else (a JP2 file, say), as pydicom does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { j2kSiz } from "./jpeg_2000.ts";
 * const siz = new Uint8Array(44);
 * siz.set([0xff, 0x4f, 0xff, 0x51]);
 * siz[41] = 1; // one component
 * siz[42] = 0x8b; // signed, 12 bits
 * assert.deepEqual(j2kSiz(siz), { precision: 12, signed: true, components: 1 });
 * assert.equal(j2kSiz(new Uint8Array(44)), undefined);
 * ```
 */
export function j2kSiz(stream: Uint8Array): J2kSizInfo | undefined {
  if (stream.length < 43 || stream[0] !== 0xff || stream[1] !== 0x4f) return undefined;
  if (stream[2] !== 0xff || stream[3] !== 0x51) return undefined;
  // SIZ: marker(2) Lsiz(2) Rsiz(2) Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz (4 each)
  // Csiz(2), then Ssiz, XRsiz, YRsiz per component.
  const components = (stream[40] << 8) | stream[41];
  const ssiz = stream[42];
  return { precision: (ssiz & 0x7f) + 1, signed: (ssiz & 0x80) !== 0, components };
}

/**
 * The image area and component count of the SIZ segment (`Xsiz - XOsiz`,
 * `Ysiz - YOsiz`, `Csiz`), read without decoding: at the start of a codestream, or after
 * the first `FF 4F FF 51` of a JP2 file. Undefined when there is none.
 */
function sizImageSize(
  stream: Uint8Array,
): { width: number; height: number; components: number; at: number } | undefined {
  let at = -1;
  for (let i = 0; i + 42 <= stream.length; i++) {
    if (
      stream[i] === 0xff && stream[i + 1] === 0x4f && stream[i + 2] === 0xff &&
      stream[i + 3] === 0x51
    ) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  const dv = new DataView(stream.buffer, stream.byteOffset + at, 42);
  return {
    width: dv.getUint32(8) - dv.getUint32(16),
    height: dv.getUint32(12) - dv.getUint32(20),
    components: dv.getUint16(40),
    at: at + 2,
  };
}

/** The result of {@linkcode decodeJ2kStream}: samples as OpenJPEG gave them. */
export interface J2kDecoded {
  /** Columns, rows, components, precision and sign of the decoded image. */
  frame: OpenJpegFrameInfo;
  /** True for a reversible (lossless) wavelet. */
  reversible: boolean;
  /**
   * Interleaved samples: 8-bit for precision ≤ 8, else 16-bit (signed if the stream is),
   * or the `into` array given to {@linkcode decodeJ2kStream} (its type kept, the same bits).
   */
  samples: Uint8Array | Uint16Array | Int16Array;
}

function errorText(lines: string[]): string {
  const errors = lines.filter((l) => l.startsWith("[ERROR]"));
  const chosen = errors.length ? errors : lines.filter((l) => l.startsWith("[WARNING]"));
  return chosen.map((l) => l.replace(/^\[(ERROR|WARNING)\]\s*/, "").trim()).join("; ");
}

/**
 * Decodes a JPEG 2000 codestream (or JP2 file) with OpenJPEG, without any DICOM
 * interpretation. Multi-component images with a colour transform come back as RGB.
 * Samples of more than 8 bits go into `into` when it has their number (no new array).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJ2kStream } from "./jpeg_2000.ts";
 * // A 2x2 signed 16-bit lossless J2K codestream (OpenJPEG) of -1000, 0, 40, 1200
 * const hex = "ff4fff510029000000000002000000020000000000000000000000020000000200000000" +
 *   "0000000000018f0101ff52000c00020001000004040001ff5c00044080ff90000a00000000" +
 *   "00180001ff93c0fe41800eb22db4a09fffd9";
 * const stream = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
 * const { frame, reversible, samples } = decodeJ2kStream(stream);
 * assert.equal(frame.width, 2);
 * assert.equal(frame.height, 2);
 * assert.equal(reversible, true);
 * assert.deepEqual(samples, new Int16Array([-1000, 0, 40, 1200]));
 * ```
 */
export function decodeJ2kStream(
  stream: Uint8Array,
  into?: Uint16Array | Int16Array,
): J2kDecoded {
  if (stream.length < 4) {
    throw new CodecError(`jpeg 2000: stream of ${stream.length} bytes is too short`, {
      offset: 0,
    });
  }
  const m = module();
  let input = 0;
  try {
    input = m.dj_alloc(stream.length);
    if (!input) throw new CodecError("jpeg 2000: out of memory for the stream", { offset: 0 });
    new Uint8Array(m.memory.buffer, input, stream.length).set(stream);
    const status = m.dj_decode(input, stream.length);
    const printed = messages(m);
    if (status !== 0 || printed.some((l) => l.startsWith("[ERROR]"))) {
      throw new CodecError(`jpeg 2000: ${errorText(printed) || "openjpeg decoded nothing"}`, {
        offset: 0,
      });
    }
    const fi = new Int32Array(m.memory.buffer, m.dj_info(), 10);
    const frame: OpenJpegFrameInfo = {
      width: fi[0],
      height: fi[1],
      bitsPerSample: fi[3],
      componentCount: fi[2],
      isSigned: fi[4] !== 0,
    };
    const reversible = fi[7] !== 0;
    const byteLength = fi[9];
    if (fi[5] !== 0 || fi[6] !== 0) {
      throw new UnsupportedError(`jpeg 2000: image offset (${fi[5]}, ${fi[6]}) is not supported`);
    }
    if (frame.bitsPerSample > 16) {
      throw new UnsupportedError(
        `jpeg 2000: precision ${frame.bitsPerSample} is not supported, at most 16`,
      );
    }
    if (frame.componentCount > 1 && (frame.componentCount !== 3 || frame.bitsPerSample > 8)) {
      throw new UnsupportedError(
        `jpeg 2000: ${frame.componentCount} components of ${frame.bitsPerSample} bits are ` +
          "not supported, colour only as 3 components of at most 8 bits",
      );
    }
    if (frame.isSigned && frame.bitsPerSample <= 8) {
      throw new UnsupportedError("jpeg 2000: signed samples of 8 bits or fewer are not supported");
    }
    const expected = frame.width * frame.height * frame.componentCount *
      (frame.bitsPerSample > 8 ? 2 : 1);
    if (byteLength !== expected) {
      throw new CodecError(`jpeg 2000: decoded ${byteLength} bytes, expected ${expected}`, {
        offset: 0,
      });
    }
    // copied out: the module's memory is reused by the next decode
    const at = m.dj_samples();
    const buffer = m.memory.buffer;
    if (frame.bitsPerSample > 8 && into?.length === byteLength >> 1) {
      into.set(
        frame.isSigned
          ? new Int16Array(buffer, at, byteLength >> 1)
          : new Uint16Array(buffer, at, byteLength >> 1),
      );
      return { frame, reversible, samples: into };
    }
    const samples = frame.bitsPerSample <= 8
      ? new Uint8Array(buffer, at, byteLength).slice()
      : frame.isSigned
      ? new Int16Array(buffer, at, byteLength >> 1).slice()
      : new Uint16Array(buffer, at, byteLength >> 1).slice();
    return { frame, reversible, samples };
  } catch (e) {
    if (e instanceof CodecError || e instanceof UnsupportedError) throw e;
    if (e instanceof WebAssembly.RuntimeError) openjpeg = undefined; // start afresh next time
    const detail = e instanceof Error ? e.message : String(e);
    throw new CodecError(`jpeg 2000: ${detail}`, { offset: 0 }, { cause: e });
  } finally {
    if (openjpeg === m) {
      m.dj_release();
      if (input) m.dj_free(input);
    }
  }
}

function outputArray(bitsAllocated: number, n: number): Uint8Array | Uint16Array | Uint32Array {
  if (bitsAllocated <= 8) return new Uint8Array(n);
  if (bitsAllocated <= 16) return new Uint16Array(n);
  return new Uint32Array(n);
}

/**
 * Decodes one JPEG 2000 or HTJ2K frame into interleaved samples, in the typed array that
 * `info.bitsAllocated` and `info.pixelRepresentation` call for.
 *
 * Follows pydicom 2.3.1 (GDCM handler with its J2K corrections):
 * - YBR_RCT / YBR_ICT frames come back as RGB (the codestream's colour transform).
 * - Signed data (Pixel Representation 1) in an unsigned codestream is sign-extended from
 *   the codestream's precision (a JP2 file counts as unsigned at Bits Stored), so a
 *   16-bit unsigned stream's 63488 becomes -2048. A precision larger than Bits Stored is
 *   kept: pydicom 2.3 shifts by the codestream's precision, not Bits Stored.
 * - Values above Bits Stored are not masked (pydicom quirk 1).
 *
 * With `target` (a 16-bit array of the frame's length, for Bits Allocated 16) the values
 * go there and the result is a view of its memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJpeg2000 } from "./jpeg_2000.ts";
 * // A 2x2 signed 16-bit lossless J2K codestream (OpenJPEG) of -1000, 0, 40, 1200
 * const hex = "ff4fff510029000000000002000000020000000000000000000000020000000200000000" +
 *   "0000000000018f0101ff52000c00020001000004040001ff5c00044080ff90000a00000000" +
 *   "00180001ff93c0fe41800eb22db4a09fffd9";
 * const stream = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
 * const info = {
 *   rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
 *   pixelRepresentation: 1, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * assert.deepEqual(decodeJpeg2000(stream, info), new Int16Array([-1000, 0, 40, 1200]));
 * ```
 */
export function decodeJpeg2000(
  frame: Uint8Array,
  info: FrameInfo,
  target?: PixelTypedArray,
): PixelTypedArray {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated } = info;
  if (!(bitsAllocated >= 1 && bitsAllocated <= 32)) {
    throw new UnsupportedError(`jpeg 2000: bits allocated ${bitsAllocated} is not supported`);
  }
  // OpenJPEG allocates what the SIZ segment asks for: check it against the dataset first
  checkStreamSize("jpeg 2000", sizImageSize(frame), info, frame.length);
  const n = rows * columns * spp;
  const into = bitsAllocated > 8 && bitsAllocated <= 16 &&
      (target instanceof Uint16Array || target instanceof Int16Array) && target.length === n
    ? target
    : undefined;
  const { frame: fi, samples } = decodeJ2kStream(frame, into);
  if (fi.width !== columns || fi.height !== rows || fi.componentCount !== spp) {
    throw new CodecError(
      `jpeg 2000: stream is ${fi.height}x${fi.width} with ${fi.componentCount} ` +
        `component(s), the header says ${rows}x${columns} with ${spp}`,
      { offset: 0 },
    );
  }
  const signed = info.pixelRepresentation === 1;
  const container = bitsAllocated <= 8 ? 8 : bitsAllocated <= 16 ? 16 : 32;
  if (fi.bitsPerSample > container) {
    throw new CodecError(
      `jpeg 2000: stream precision ${fi.bitsPerSample} exceeds bits allocated ${bitsAllocated}`,
      { offset: 0 },
    );
  }
  const siz = j2kSiz(frame);
  const streamSigned = siz ? siz.signed : false;
  const precision = siz ? siz.precision : info.bitsStored;
  let out: Uint8Array | Uint16Array | Uint32Array | Int16Array;
  if (container === 8 && samples instanceof Uint8Array) {
    out = samples;
  } else if (container === 16 && !(samples instanceof Uint8Array)) {
    out = samples;
  } else {
    out = outputArray(bitsAllocated, n);
    out.set(samples);
  }
  if (!signed) return reinterpret(out, false);
  if (!streamSigned) signExtend(out, precision, container);
  return reinterpret(out, true);
}

/** Sign-extends `precision`-bit values in place, as pydicom's shift left, shift right. */
function signExtend(
  out: Uint8Array | Uint16Array | Uint32Array | Int16Array,
  precision: number,
  container: number,
): void {
  if (precision < 1 || precision >= container) return;
  if (container <= 16) {
    const mask = (1 << precision) - 1;
    const sign = 1 << (precision - 1);
    const high = ((1 << container) - 1) ^ mask;
    for (let i = 0; i < out.length; i++) {
      const v = out[i] & mask;
      out[i] = v & sign ? v | high : v;
    }
    return;
  }
  const shift = 32 - precision;
  for (let i = 0; i < out.length; i++) out[i] = ((out[i] << shift) >> shift) >>> 0;
}

function reinterpret(
  out: Uint8Array | Uint16Array | Uint32Array | Int16Array,
  signed: boolean,
): PixelTypedArray {
  const { buffer, byteOffset, length } = out;
  if (out instanceof Uint8Array) return signed ? new Int8Array(buffer, byteOffset, length) : out;
  if (out instanceof Uint32Array) return signed ? new Int32Array(buffer, byteOffset, length) : out;
  return signed
    ? new Int16Array(buffer, byteOffset, length)
    : new Uint16Array(buffer, byteOffset, length);
}

/**
 * The JPEG 2000 codec (.4.90, .4.91) and HTJ2K (.4.201, .4.202, .4.203) for the codec
 * registry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpeg2000 } from "./jpeg_2000.ts";
 * // A 2x2 signed 16-bit lossless J2K codestream (OpenJPEG) of -1000, 0, 40, 1200
 * const hex = "ff4fff510029000000000002000000020000000000000000000000020000000200000000" +
 *   "0000000000018f0101ff52000c00020001000004040001ff5c00044080ff90000a00000000" +
 *   "00180001ff93c0fe41800eb22db4a09fffd9";
 * const stream = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
 * const info = {
 *   rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
 *   pixelRepresentation: 1, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * assert.deepEqual(jpeg2000.decode(stream, info), new Int16Array([-1000, 0, 40, 1200]));
 * assert.deepEqual(jpeg2000.families, ["jpeg-2000", "htj2k"]);
 * ```
 */
export const jpeg2000: Codec = {
  name: "JPEG 2000",
  families: ["jpeg-2000", "htj2k"],
  decode: decodeJpeg2000,
};
