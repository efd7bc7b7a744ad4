/**
 * Lossless JPEG 2000 codestreams for tests, made with the encoder of
 * `@cornerstonejs/codec-openjpeg`'s full build (the library only decodes).
 *
 * @module
 */
import openjpegFull from "@cornerstonejs/codec-openjpeg/wasmjs";

interface Encoder {
  getDecodedBuffer(fi: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  setQuality(lossless: boolean, layers: number): void;
  setDecompositions(n: number): void;
  encode(): void;
  delete(): void;
}
const openjpeg = await (openjpegFull as (
  arg: object,
) => Promise<{ J2KEncoder: new () => Encoder }>)({ print() {}, printErr() {} });

/** The frame an encoded codestream holds. */
export interface J2kFrame {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/** A lossless JPEG 2000 codestream (two decomposition levels) of `samples`. */
export function encodeJ2k(
  samples: Uint8Array | Uint16Array | Int16Array,
  frame: J2kFrame,
): Uint8Array {
  const enc = new openjpeg.J2KEncoder();
  try {
    enc.getDecodedBuffer(frame).set(
      new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
    );
    enc.setQuality(true, 0);
    enc.setDecompositions(2);
    enc.encode();
    return new Uint8Array(enc.getEncodedBuffer());
  } finally {
    enc.delete();
  }
}
