/**
 * The bottom layer, imported by every other folder and importing none: the `DicomError`
 * family, tags, VRs and the transfer-syntax table.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTag, transferSyntax } from "./mod.ts";
 * assert.equal(formatTag(0x00100010), "(0010, 0010)");
 * assert.equal(transferSyntax("1.2.840.10008.1.2")?.implicitVR, true);
 * ```
 *
 * @module
 */

export {
  CodecError,
  DicomError,
  DicomWebError,
  type ErrorLocation,
  type HttpErrorDetails,
  InvalidFileError,
  type InvalidValueDetails,
  InvalidValueError,
  type InvalidValueRule,
  MalformedError,
  OutputError,
  PixelDataError,
  RefusedError,
  TruncatedError,
  UnsupportedError,
  ValueError,
} from "./errors.ts";
export { formatTag, isPrivateTag, type Tag, tag, tagElement, tagGroup } from "./tag.ts";
export type { VR } from "./vr.ts";
export * from "./transfer_syntax.ts";
