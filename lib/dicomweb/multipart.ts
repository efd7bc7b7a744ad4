/**
 * `multipart/related` (RFC 2387) as DICOMweb uses it: {@linkcode readMultipart} parses a
 * response body as a stream, one part at a time, and {@linkcode encodeMultipart} makes a
 * request body for STOW-RS.
 *
 * @module
 */

import { readParts, streamSource } from "./_parts.ts";

/** One part of a multipart message. */
export interface MultipartPart {
  /** The part's headers (`Content-Type`, `Content-Length`, `Content-Location`...). */
  headers: Headers;
  /** The part's bytes. */
  body: Uint8Array;
}

/** Options of {@linkcode readMultipart}. */
export interface ReadMultipartOptions {
  /**
   * Largest part accepted, in bytes: a bigger one is a `MalformedError`.
   *
   * @default {2 ** 32} (4 GiB)
   */
  maxPartBytes?: number;
}

const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();

/** The `boundary` parameter of a `Content-Type`, unquoted; undefined when absent. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*("([^"]*)"|[^;\s]+)/i.exec(contentType);
  if (!m) return undefined;
  return m[2] ?? m[1];
}

/**
 * The parts of a `multipart/related` body, read as a stream: one part is in memory at a
 * time (a part with a `Content-Length` is read straight into its own array). A body that
 * ends before the closing boundary, or a part shorter or longer than its
 * `Content-Length`, is a `TruncatedError` or `MalformedError` saying which part.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeMultipart, readMultipart } from "./mod.ts";
 * const body = encodeMultipart([
 *   { contentType: "application/dicom", body: new Uint8Array([1, 2, 3]) },
 *   { contentType: "application/dicom", body: new Uint8Array([4]) },
 * ], "XyZ");
 * const parts = [];
 * for await (const part of readMultipart(new Blob([body]).stream(), "XyZ")) parts.push(part);
 * assert.deepEqual(parts.map((p) => [...p.body]), [[1, 2, 3], [4]]);
 * assert.equal(parts[0].headers.get("content-type"), "application/dicom");
 * ```
 */
export async function* readMultipart(
  stream: ReadableStream<Uint8Array>,
  boundary: string,
  options: ReadMultipartOptions = {},
): AsyncGenerator<MultipartPart> {
  yield* readParts(streamSource(stream), boundary, options);
}

/** One part to send with {@linkcode encodeMultipart}. */
export interface OutgoingPart {
  /** The part's `Content-Type`. */
  contentType: string;
  /** The bytes. */
  body: Uint8Array;
}

/**
 * A `multipart/related` body of the parts, each with its `Content-Type` and
 * `Content-Length`, separated by `boundary`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeMultipart } from "./mod.ts";
 * const body = encodeMultipart([{ contentType: "application/dicom", body: new Uint8Array([65]) }], "b");
 * assert.equal(
 *   new TextDecoder().decode(body),
 *   "--b\r\nContent-Type: application/dicom\r\nContent-Length: 1\r\n\r\nA\r\n--b--\r\n",
 * );
 * ```
 */
export function encodeMultipart(parts: OutgoingPart[], boundary: string): Uint8Array<ArrayBuffer> {
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    pieces.push(
      encoder.encode(
        `--${boundary}\r\nContent-Type: ${part.contentType}\r\nContent-Length: ${part.body.length}\r\n\r\n`,
      ),
      part.body,
      CRLF,
    );
  }
  pieces.push(encoder.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
