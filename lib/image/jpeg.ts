/**
 * Baseline JPEG encoding of 8-bit grayscale and RGB images.
 *
 * Grayscale goes to the toolkit's own encoder (`_jpeg_gray.ts`), whose files are byte
 * for byte those of libjpeg with its default settings, so Pillow's: the tutorial's
 * `Image.fromarray(x).save(f)` and this encoder write the same file. Colour goes to
 * libjpeg-turbo compiled to WebAssembly (`npm:@cornerstonejs/codec-libjpeg-turbo-8bit`,
 * its `wasmjs` build: the package's default export is a much slower asm.js port), started
 * synchronously on the first encode (about 10 ms, once per process). Tiny images, which
 * that build cannot take (see `turboBufferFactor`), and any failure of the WebAssembly
 * module go to the toolkit's baseline encoder in TypeScript (`_jpeg_baseline.ts`).
 *
 * All write standard baseline JFIF files (SOF0, the T.81 Annex K tables scaled by the
 * IJG quality rule, 4:4:4 for colour) that any viewer opens.
 *
 * Measured on a 512x512 8-bit CT slice (the tutorial's picture of the corpus file
 * 693_J2KR.dcm), quality 75, Deno 2.9, one thread of a 2-core machine, median of 40
 * interleaved runs:
 *
 * | encoder                                        | gray ms | bytes  | RGB ms | bytes  |
 * |------------------------------------------------|---------|--------|--------|--------|
 * | this toolkit's grayscale encoder (islow DCT,   | 1.2     | 11 581 | —      | —      |
 * |   uniform blocks without DCT; the default)     |         |        |        |        |
 * | libjpeg-turbo 3 WebAssembly (default for RGB)  | 2.0     | 11 569 | 5.5    | 15 960 |
 * | this toolkit's TypeScript encoder (AAN DCT)    | 2.9     | 11 543 | 6.8    | 15 920 |
 * | npm:jpeg-js 0.4.4 (RGBA input only)            | —       | —      | 14.6   | 15 922 |
 * | npm:@jsquash/jpeg 1.6 (MozJPEG, baseline, no   | 9.4     | 9 663  | —      | —      |
 * |   trellis; async, RGBA input only)             |         |        |        |        |
 *
 * (Pillow, native libjpeg-turbo, takes about 0.4 ms and writes the grayscale encoder's
 * 11 581 bytes.) On the tutorial pictures of the bench's CT series, where about 60% of
 * the blocks are uniform, the grayscale encoder takes 1.0 ms, libjpeg-turbo 2.2 ms. All
 * decode with jpeg-js to the source within the usual quality-75 error (mean absolute
 * error 0.43–0.45 gray levels).
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- mod.ts must load without this repository's import map
import turboFactory from "npm:@cornerstonejs/codec-libjpeg-turbo-8bit@1.2.8/wasmjs";
import { ValueError } from "../core/errors.ts";
import { type EmscriptenFactory, instantiateSync } from "../wasm/emscripten.ts";
import { encodeBaselineJpeg } from "./_jpeg_baseline.ts";
import { encodeGrayJpeg } from "./_jpeg_gray.ts";

const WASM_URL = import.meta.resolve("npm:@cornerstonejs/codec-libjpeg-turbo-8bit@1.2.8/wasm");

/** Which JPEG encoder {@linkcode encodeJpeg} uses. */
export type JpegEncoderName = "auto" | "libjpeg-turbo" | "typescript";

/** Options of {@linkcode encodeJpeg}. */
export interface EncodeJpegOptions {
  /** Image width in pixels, 1–65535. */
  width: number;
  /** Image height in pixels, 1–65535. */
  height: number;
  /**
   * 1 grayscale or 3 RGB, samples interleaved.
   *
   * @default {1}
   */
  channels?: 1 | 3;
  /**
   * IJG quality 1–100 (Pillow's and libjpeg's scale), Pillow's default.
   *
   * @default {75}
   */
  quality?: number;
  /**
   * `"auto"`: grayscale with the TypeScript encoder identical to libjpeg's, RGB with
   * libjpeg-turbo WebAssembly (or the TypeScript encoder for images it cannot take).
   * `"libjpeg-turbo"` or `"typescript"` to force one (a forced libjpeg-turbo throws where
   * auto would fall back).
   *
   * @default {"auto"}
   */
  encoder?: JpegEncoderName;
}

interface TurboFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

interface TurboEncoder {
  getDecodedBuffer(info: TurboFrameInfo): Uint8Array;
  getEncodedBuffer(): Uint8ClampedArray;
  encode(): void;
  setProgressive(progressive: number): void;
  setQuality(quality: number): void;
  setSubSampling(subsampling: number): void;
}

interface TurboModule {
  JPEGEncoder: new () => TurboEncoder;
}

let turbo: TurboEncoder | undefined;
let turboBroken = false;

function turboEncoder(): TurboEncoder {
  if (!turbo) {
    const module = instantiateSync<TurboModule>(
      turboFactory as EmscriptenFactory,
      WASM_URL,
      () => {},
    );
    turbo = new module.JPEGEncoder();
    turbo.setProgressive(0);
    turbo.setSubSampling(0); // TJSAMP_444
  }
  return turbo;
}

/**
 * The size factor to ask of the libjpeg-turbo wrapper's buffers, or 0 when it cannot give
 * enough. Its encoder writes into an output buffer as large as its input buffer
 * (`width * height * components * ceil(bitsPerSample / 8)`) but lets TurboJPEG fill up to
 * `tjBufSize()` (2 bytes a pixel for gray, 6 for 4:4:4, on 8x8-padded sizes, plus 2048),
 * so the input buffer is over-sized through `bitsPerSample`, an 8-bit field there (at most
 * 248, a factor of 31).
 */
function turboBufferFactor(width: number, height: number, channels: number): number {
  const pad = (n: number) => Math.ceil(n / 8) * 8;
  const bound = pad(width) * pad(height) * (channels === 1 ? 2 : 6) + 4096;
  const factor = Math.ceil(bound / (width * height * channels));
  return factor <= 31 ? factor : 0;
}

function encodeTurbo(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  quality: number,
): Uint8Array {
  const factor = turboBufferFactor(width, height, channels);
  if (!factor) throw new ValueError(`jpeg: ${width}x${height} is too small for libjpeg-turbo`);
  const encoder = turboEncoder();
  try {
    encoder.setQuality(quality);
    const input = encoder.getDecodedBuffer({
      width,
      height,
      bitsPerSample: 8 * factor,
      componentCount: channels,
      isSigned: false,
    });
    input.set(pixels);
    encoder.encode();
    return new Uint8Array(encoder.getEncodedBuffer());
  } catch (e) {
    // A trap or an exception leaves the instance unusable: start a fresh one next time.
    turbo = undefined;
    throw new ValueError(`jpeg: libjpeg-turbo failed on a ${width}x${height} image`, {}, {
      cause: e,
    });
  }
}

/**
 * Encodes 8-bit grayscale or RGB samples as a baseline JPEG (JFIF) file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeJpeg } from "./mod.ts";
 * import { decodeJpeg } from "../pixels/mod.ts";
 * const gray = new Uint8Array(64 * 64).fill(200);
 * const jpg = encodeJpeg(gray, { width: 64, height: 64, quality: 90 });
 * assert.deepEqual(Array.from(jpg.subarray(0, 2)), [0xff, 0xd8]); // SOI
 * assert.deepEqual(Array.from(jpg.subarray(-2)), [0xff, 0xd9]); // EOI
 * const decoded = decodeJpeg(jpg);
 * assert.equal(decoded.height, 64);
 * assert.deepEqual(decoded.data, gray); // a flat image survives exactly
 * ```
 */
export function encodeJpeg(pixels: Uint8Array, options: EncodeJpegOptions): Uint8Array {
  const { width, height } = options;
  const channels = options.channels ?? 1;
  const quality = options.quality ?? 75;
  const encoder = options.encoder ?? "auto";
  if (
    !(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 &&
      width <= 65535 && height <= 65535)
  ) {
    throw new ValueError(`jpeg: invalid image size ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new ValueError(`jpeg: ${channels} channels, only 1 (gray) or 3 (RGB)`);
  }
  if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
    throw new ValueError(`jpeg: quality ${quality} is not an integer 1-100`);
  }
  if (pixels.length !== width * height * channels) {
    throw new ValueError(
      `jpeg: ${width}x${height}x${channels} image needs ${
        width * height * channels
      } samples, got ${pixels.length}`,
    );
  }
  if (channels === 1 && (encoder === "auto" || encoder === "typescript")) {
    return encodeGrayJpeg(pixels, width, height, quality);
  }
  if (encoder === "typescript") {
    return encodeBaselineJpeg({ data: pixels, width, height, components: channels, quality });
  }
  if (encoder === "libjpeg-turbo") return encodeTurbo(pixels, width, height, channels, quality);
  if (encoder !== "auto") throw new ValueError(`jpeg: unknown encoder "${encoder}"`);
  if (!turboBroken && turboBufferFactor(width, height, channels)) {
    try {
      return encodeTurbo(pixels, width, height, channels, quality);
    } catch (e) {
      // The module cannot start at all (no WebAssembly, missing file): stop trying.
      if (!(e instanceof ValueError)) turboBroken = true;
    }
  }
  return encodeBaselineJpeg({ data: pixels, width, height, components: channels, quality });
}
