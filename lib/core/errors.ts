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
 * The base of every error the toolkit throws for bad input or unsupported data. The
 * location given to the constructor is kept in `offset`, `tag` and `frame` and appended to
 * the message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DicomError, InvalidFileError } from "./mod.ts";
 * assert.ok(new InvalidFileError("no DICM prefix") instanceof DicomError);
 * const e = new DicomError("bad value", { tag: 0x00100010, frame: 1, offset: 312 });
 * assert.equal(e.message, "bad value in (0010, 0010) in frame 1 at byte 312");
 * assert.equal(e.name, "DicomError");
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
 * import assert from "node:assert/strict";
 * import { InvalidFileError } from "./mod.ts";
 * const e = new InvalidFileError("no DICM prefix", { offset: 128 });
 * assert.equal(e.message, "no DICM prefix at byte 128");
 * assert.equal(e.name, "InvalidFileError");
 * ```
 */
export class InvalidFileError extends DicomError {}

/**
 * The input ends before a value, item or delimiter it announced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TruncatedError } from "./mod.ts";
 * const e = new TruncatedError("value of 100 bytes runs past the end", { offset: 8 });
 * assert.equal(e.message, "value of 100 bytes runs past the end at byte 8");
 * ```
 */
export class TruncatedError extends DicomError {}

/**
 * The structure is broken: a bad VR, an impossible length, a missing delimiter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MalformedError } from "./mod.ts";
 * const e = new MalformedError('invalid VR "ZZ"', { tag: 0x00100010, offset: 312 });
 * assert.equal(e.message, 'invalid VR "ZZ" in (0010, 0010) at byte 312');
 * assert.equal(e.tag, 0x00100010);
 * ```
 */
export class MalformedError extends DicomError {}

/**
 * A value cannot be converted to what its VR promises, or a required attribute is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValueError } from "./mod.ts";
 * assert.equal(new ValueError("Rows is missing").message, "Rows is missing");
 * ```
 */
export class ValueError extends DicomError {}

/**
 * The rule a refused value breaks: its `length`, its character `repertoire`, its `syntax`
 * (a date, a number, a UID), its numeric `range`, its value multiplicity (`vm`), the
 * dataset's character set (`charset`), or its JavaScript `type`.
 */
export type InvalidValueRule =
  | "length"
  | "repertoire"
  | "syntax"
  | "range"
  | "vm"
  | "charset"
  | "type";

/** What {@linkcode InvalidValueError} knows about the refused value. */
export interface InvalidValueDetails {
  /** The rule the value breaks. */
  rule: InvalidValueRule;
  /** The element's keyword, `""` for private and unknown tags. */
  keyword: string;
  /** The element's tag. */
  tag: number;
  /** The VR the value was checked against. */
  vr: string;
  /** The value as assigned. */
  value: unknown;
}

/**
 * A value assigned to a dataset element does not fit its VR, VM or the dataset's
 * character set (`ds.PatientAge = 90`); the dataset is left unchanged. The message
 * names the keyword, tag, VR and value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidValueError, ValueError } from "./errors.ts";
 * const e = new InvalidValueError("invalid AS value 90 for PatientAge (0010, 1010)", {
 *   rule: "type",
 *   keyword: "PatientAge",
 *   tag: 0x00101010,
 *   vr: "AS",
 *   value: 90,
 * });
 * assert.ok(e instanceof ValueError);
 * assert.equal(e.tag, 0x00101010);
 * assert.equal(e.rule, "type");
 * ```
 */
export class InvalidValueError extends ValueError {
  /** The rule the value breaks. */
  readonly rule: InvalidValueRule;
  /** The element's keyword, `""` for private and unknown tags. */
  readonly keyword: string;
  /** The VR the value was checked against. */
  readonly vr: string;
  /** The value as assigned. */
  readonly value: unknown;
  /** The message should name the tag already; it is not appended again. */
  constructor(message: string, details: InvalidValueDetails) {
    super(message);
    (this as { tag?: number }).tag = details.tag;
    this.rule = details.rule;
    this.keyword = details.keyword;
    this.vr = details.vr;
    this.value = details.value;
  }
}

/**
 * Pixel data cannot be turned into an array: inconsistent sizes, missing frames.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelDataError } from "./mod.ts";
 * const e = new PixelDataError("expected 524288 bytes, found 8130", { frame: 0 });
 * assert.equal(e.message, "expected 524288 bytes, found 8130 in frame 0");
 * assert.equal(e.frame, 0);
 * ```
 */
export class PixelDataError extends DicomError {}

/**
 * A codec failed on one frame: the compressed stream is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CodecError, PixelDataError } from "./mod.ts";
 * const e = new CodecError("jpeg: no SOF marker", { frame: 2, offset: 0 });
 * assert.equal(e.message, "jpeg: no SOF marker in frame 2 at byte 0");
 * assert.ok(e instanceof PixelDataError);
 * ```
 */
export class CodecError extends PixelDataError {}

/**
 * The data uses something this toolkit does not implement (a transfer syntax, a VR).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnsupportedError } from "./mod.ts";
 * const e = new UnsupportedError("no codec for transfer syntax 1.2.3");
 * assert.equal(e.message, "no codec for transfer syntax 1.2.3");
 * ```
 */
export class UnsupportedError extends DicomError {}

/**
 * A job refuses an input on purpose: a de-identification that cannot be made safe (burned-in
 * text in the pixels without regions to blank, for one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DicomError, RefusedError } from "./mod.ts";
 * const e = new RefusedError("burned-in annotation: pass regions to blank");
 * assert.ok(e instanceof DicomError);
 * assert.equal(e.name, "RefusedError");
 * ```
 */
export class RefusedError extends DicomError {}

/**
 * An output file could not be written (a full disk, a folder without permission, a file
 * where a folder should be). It names the file and keeps the OS error as `cause` and its
 * class or code as `kind`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DicomError, OutputError } from "./mod.ts";
 * const e = new OutputError("out/1.jpg", new Deno.errors.PermissionDenied("denied"));
 * assert.ok(e instanceof DicomError);
 * assert.equal(e.kind, "PermissionDenied");
 * assert.equal(e.path, "out/1.jpg");
 * assert.equal(e.message, "cannot write out/1.jpg: denied");
 * ```
 */
export class OutputError extends DicomError {
  /** The file that could not be written. */
  readonly path: string;
  /** The OS error's class (`PermissionDenied`, `NotADirectory`) or code (`ENOSPC`). */
  readonly kind: string;
  /** An error writing `path`, caused by the OS error `cause`. */
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {}, {
      cause,
    });
    this.path = path;
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.kind = cause instanceof Error && cause.name !== "Error"
      ? cause.name
      : typeof code === "string" && code
      ? code
      : "Error";
  }
}

/** What a {@linkcode DicomWebError} knows about the failed request. */
export interface HttpErrorDetails {
  /** The URL asked for, without credentials. */
  url: string;
  /** The HTTP method. */
  method?: string;
  /** The HTTP status; 0 when no response came (server down, connection lost before it). */
  status?: number;
  /** What the server said about it (its error text), if anything. */
  serverMessage?: string;
}

/**
 * A DICOMweb request failed: the server is down, answered with an error status, or the
 * response broke off or was malformed. It says the URL (never credentials), the status
 * and the server's message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DicomWebError } from "./mod.ts";
 * const e = new DicomWebError("study not found", {
 *   url: "http://127.0.0.1:8042/dicom-web/studies/1.2.3",
 *   method: "GET",
 *   status: 404,
 *   serverMessage: "Accessing an inexistent study",
 * });
 * assert.equal(e.status, 404);
 * assert.equal(
 *   e.message,
 *   "study not found: GET http://127.0.0.1:8042/dicom-web/studies/1.2.3 gave 404 (Accessing an inexistent study)",
 * );
 * ```
 */
export class DicomWebError extends DicomError {
  /** The URL asked for, without credentials. */
  readonly url: string;
  /** The HTTP method. */
  readonly method: string;
  /** The HTTP status; 0 when no response came. */
  readonly status: number;
  /** The server's message, or `""`. */
  readonly serverMessage: string;
  /** The message gets the request appended: `: GET <url> gave 404 (<server message>)`. */
  constructor(message: string, details: HttpErrorDetails, options?: ErrorOptions) {
    const method = details.method ?? "GET";
    const status = details.status ?? 0;
    const said = details.serverMessage ? ` (${details.serverMessage})` : "";
    super(
      `${message}: ${method} ${details.url}${status ? ` gave ${status}` : ""}${said}`,
      {},
      options,
    );
    this.url = details.url;
    this.method = method;
    this.status = status;
    this.serverMessage = details.serverMessage ?? "";
  }
}
