import type { CodecFamily } from "../../core/transfer_syntax.ts";

/**
 * The contract between the pixel pipeline and the codecs: what a decoder is told
 * about a frame, and what it gives back.
 *
 * @module
 */

/** What the DICOM header says about one frame, as a decoder needs it. */
export interface FrameInfo {
  /** Rows (0028,0010). */
  rows: number;
  /** Columns (0028,0011). */
  columns: number;
  /** Samples per Pixel (0028,0002). */
  samplesPerPixel: number;
  /** Bits Allocated (0028,0100). */
  bitsAllocated: number;
  /** Bits Stored (0028,0101). */
  bitsStored: number;
  /** Pixel Representation (0028,0103): 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  /** Planar Configuration (0028,0006); 0 when absent. */
  planarConfiguration: number;
  /** Photometric Interpretation (0028,0004), e.g. `MONOCHROME2`, `YBR_FULL_422`. */
  photometricInterpretation: string;
}

/** The typed arrays a decoded frame may come back in. */
export type PixelTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * A decoder for one family of transfer syntaxes.
 *
 * `decode` receives the bytes of one whole frame (fragments already joined) and returns
 * `rows * columns * samplesPerPixel` values, samples interleaved (R,G,B,R,G,B...), in the
 * smallest array type that holds the stored values: Uint8Array/Int8Array up to 8 bits,
 * Uint16Array/Int16Array up to 16, Uint32Array/Int32Array up to 32, following
 * `pixelRepresentation` for the sign. Values are as the codec produced them: no colour
 * conversion beyond what the compressed stream itself mandates.
 *
 * Failures throw a `DicomError` subclass naming the frame and what was wrong.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Codec, FrameInfo } from "../mod.ts";
 * // A codec for encapsulated uncompressed 8-bit frames: the fragment is the pixels.
 * const uncompressed8: Codec = {
 *   name: "Encapsulated Uncompressed (8-bit)",
 *   families: ["encapsulated-uncompressed"],
 *   decode(frame: Uint8Array, info: FrameInfo): Uint8Array {
 *     return frame.slice(0, info.rows * info.columns * info.samplesPerPixel);
 *   },
 * };
 * const info: FrameInfo = {
 *   rows: 1, columns: 3, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8,
 *   pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
 * };
 * assert.deepEqual(uncompressed8.decode(new Uint8Array([1, 2, 3, 0]), info), new Uint8Array([1, 2, 3]));
 * ```
 */
export interface Codec {
  /** A short name for messages and the README table, e.g. `"RLE Lossless"`. */
  readonly name: string;
  /** The codec families of the transfer syntax table this codec serves. */
  readonly families: readonly CodecFamily[];
  /**
   * Decodes one frame. `out`, when given, is an array of the frame's length where the
   * values may go instead of a new one; a codec may ignore it. The result is then a view
   * of `out`'s memory, or an array of its own.
   */
  decode(frame: Uint8Array, info: FrameInfo, out?: PixelTypedArray): PixelTypedArray;
}
