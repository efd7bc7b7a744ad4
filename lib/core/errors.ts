/**
 * The `DicomError` family: every failure the toolkit reports on bad input is one of
 * these, and says what went wrong and where (byte offset, tag, frame).
 *
 * @module
 */

import { formatTag } from "./tag.ts";

/** Where in the input a problem was found. */
export interface ErrorLocation {
  /** Byte offset in the (inflated) input, when known. */
  offset?: number;
  /** The tag of the element being read, when known. */
  tag?: number;
  /** The frame being decoded, when known. */
  frame?: number;
}

function where(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.tag !== undefined) parts.push(`in ${formatTag(loc.tag)}`);
  if (loc.frame !== undefined) parts.push(`in frame ${loc.frame}`);
  if (loc.offset !== undefined) parts.push(`at byte ${loc.offset}`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}

/**
 * The base of every error the toolkit throws for bad input or unsupported data.
 *
 * @example
 * ```ts
 * import { DicomError, read } from "../../mod.ts";
 * try {
 *   read(new Uint8Array([1, 2, 3]));
 * } catch (e) {
 *   if (e instanceof DicomError) console.log(e.offset, e.message);
 * }
 * ```
 */
export class DicomError extends Error {
  /** Byte offset where the problem was found, if known. */
  readonly offset?: number;
  /** Tag of the element involved, if known. */
  readonly tag?: number;
  /** Frame index involved, if known. */
  readonly frame?: number;
  /** The message gets the location appended: `in (0010, 0010) at byte 312`. */
  constructor(message: string, location: ErrorLocation = {}, options?: ErrorOptions) {
    super(message + where(location), options);
    this.name = new.target.name;
    this.offset = location.offset;
    this.tag = location.tag;
    this.frame = location.frame;
  }
}

/**
 * The input is not DICOM at all, or its file header (preamble, `DICM`, file meta) is wrong.
 *
 * @example
 * ```ts
 * import { InvalidFileError } from "../../mod.ts";
 * console.log(new InvalidFileError("no DICM prefix", { offset: 128 }).message);
 * ```
 */
export class InvalidFileError extends DicomError {}

/**
 * The input ends before a value, item or delimiter it announced.
 *
 * @example
 * ```ts
 * import { TruncatedError } from "../../mod.ts";
 * console.log(new TruncatedError("value of 100 bytes runs past the end", { offset: 8 }).message);
 * ```
 */
export class TruncatedError extends DicomError {}

/**
 * The structure is broken: a bad VR, an impossible length, a missing delimiter.
 *
 * @example
 * ```ts
 * import { MalformedError } from "../../mod.ts";
 * console.log(new MalformedError('invalid VR "ZZ"', { tag: 0x00100010, offset: 312 }).message);
 * ```
 */
export class MalformedError extends DicomError {}

/**
 * A value cannot be converted to what its VR promises, or a required attribute is missing.
 *
 * @example
 * ```ts
 * import { ValueError } from "../../mod.ts";
 * console.log(new ValueError("Rows is missing").message);
 * ```
 */
export class ValueError extends DicomError {}

/**
 * Pixel data cannot be turned into an array: inconsistent sizes, missing frames.
 *
 * @example
 * ```ts
 * import { PixelDataError } from "../../mod.ts";
 * console.log(new PixelDataError("expected 524288 bytes, found 8130", { frame: 0 }).message);
 * ```
 */
export class PixelDataError extends DicomError {}

/**
 * A codec failed on one frame: the compressed stream is invalid.
 *
 * @example
 * ```ts
 * import { CodecError } from "../../mod.ts";
 * console.log(new CodecError("jpeg: no SOF marker", { frame: 2, offset: 0 }).message);
 * ```
 */
export class CodecError extends PixelDataError {}

/**
 * The data uses something this toolkit does not implement (a transfer syntax, a VR).
 *
 * @example
 * ```ts
 * import { UnsupportedError } from "../../mod.ts";
 * console.log(new UnsupportedError("no codec for transfer syntax 1.2.3").message);
 * ```
 */
export class UnsupportedError extends DicomError {}
