/**
 * `multipart/related` (RFC 2387) as DICOMweb uses it: {@linkcode readMultipart} parses a
 * response body as a stream, one part at a time, and {@linkcode encodeMultipart} makes a
 * request body for STOW-RS.
 *
 * @module
 */

import { MalformedError, TruncatedError } from "../core/errors.ts";

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
   * @default 4 GiB
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

/** Bytes read from a stream, chunk by chunk, with a read position in the current chunk. */
class ByteSource {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  chunk: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Bytes consumed before the current chunk. */
  before = 0;
  ended = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  get offset(): number {
    return this.before + this.pos;
  }

  /** Makes sure some unread bytes are at hand; false at the end of the stream. */
  async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const { value, done } = await this.#reader.read();
      if (done) {
        this.ended = true;
        return false;
      }
      this.before += this.chunk.length;
      this.chunk = value;
      this.pos = 0;
    }
    return true;
  }

  /** Reads exactly `n` bytes into a new array; undefined if the stream ends first. */
  async exact(n: number): Promise<Uint8Array | undefined> {
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      if (!await this.fill()) return undefined;
      const take = Math.min(n - got, this.chunk.length - this.pos);
      out.set(this.chunk.subarray(this.pos, this.pos + take), got);
      this.pos += take;
      got += take;
    }
    return out;
  }

  /**
   * Reads up to the next `delimiter`, which is consumed; the bytes before it, or
   * undefined if the stream ends first.
   */
  async until(delimiter: Uint8Array, max: number): Promise<Uint8Array | undefined> {
    let acc = new Uint8Array(0);
    let used = 0;
    const first = delimiter[0];
    for (;;) {
      if (!await this.fill()) return undefined;
      // fast case: the delimiter is inside the current chunk
      if (used === 0) {
        const at = findIn(this.chunk, delimiter, this.pos, first);
        if (at >= 0) {
          const out = this.chunk.slice(this.pos, at);
          this.pos = at + delimiter.length;
          return out;
        }
      }
      const piece = this.chunk.subarray(this.pos);
      if (used + piece.length > acc.length) {
        const grown = new Uint8Array(Math.max(acc.length * 2, used + piece.length, 65536));
        grown.set(acc.subarray(0, used));
        acc = grown;
      }
      acc.set(piece, used);
      const searchFrom = Math.max(0, used - delimiter.length + 1);
      used += piece.length;
      this.pos = this.chunk.length;
      const at = findIn(acc.subarray(0, used), delimiter, searchFrom, first);
      if (at >= 0) {
        // give back what follows the delimiter
        const rest = acc.slice(at + delimiter.length, used);
        this.before += this.chunk.length - rest.length;
        this.chunk = rest;
        this.pos = 0;
        return acc.slice(0, at);
      }
      if (used > max) throw new MalformedError(`multipart part larger than ${max} bytes`);
    }
  }

  /** Reads a line ending in CRLF (without it), as Latin-1. */
  async line(): Promise<string | undefined> {
    const bytes = await this.until(CRLF, 65536);
    if (bytes === undefined) return undefined;
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }

  cancel(): void {
    this.#reader.cancel().catch(() => {});
  }
}

function findIn(hay: Uint8Array, needle: Uint8Array, from: number, first: number): number {
  const last = hay.length - needle.length;
  let i = from;
  while (i <= last) {
    i = hay.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i++;
  }
  return -1;
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
  const max = options.maxPartBytes ?? 2 ** 32;
  const src = new ByteSource(stream);
  const dash = encoder.encode(`--${boundary}`);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  let index = 0;
  try {
    // preamble: up to the first boundary (which may start the body)
    const head = await src.exact(dash.length);
    if (head === undefined) {
      throw new TruncatedError("multipart body ends before its first boundary");
    }
    if (!head.every((b, i) => b === dash[i])) {
      const skipped = await src.until(delimiter, 65536);
      if (skipped === undefined) {
        throw new MalformedError(`multipart body has no boundary "${boundary}"`);
      }
    }
    for (;;) {
      const rest = await src.line();
      if (rest === undefined) {
        throw new TruncatedError(
          `multipart body ends after part ${index} without its closing boundary`,
          { offset: src.offset },
        );
      }
      if (rest.startsWith("--")) return; // closing boundary
      const headers = new Headers();
      for (;;) {
        const line = await src.line();
        if (line === undefined) {
          throw new TruncatedError(`multipart body ends in the headers of part ${index}`, {
            offset: src.offset,
          });
        }
        if (line === "") break;
        const colon = line.indexOf(":");
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const declared = headers.get("content-length");
      let body: Uint8Array | undefined;
      if (declared !== null && /^\d+$/.test(declared.trim())) {
        const n = Number(declared);
        if (n > max) {
          throw new MalformedError(`multipart part ${index} is larger than ${max} bytes`);
        }
        body = await src.exact(n);
        if (body === undefined) {
          throw new TruncatedError(`multipart body ends inside part ${index}`, {
            offset: src.offset,
          });
        }
        const after = await src.exact(delimiter.length);
        if (after === undefined) {
          throw new TruncatedError(`multipart body ends after part ${index}`, {
            offset: src.offset,
          });
        }
        if (!after.every((b, i) => b === delimiter[i])) {
          throw new MalformedError(
            `multipart part ${index} does not end where its content-length (${n}) says`,
            { offset: src.offset },
          );
        }
      } else {
        body = await src.until(delimiter, max);
        if (body === undefined) {
          throw new TruncatedError(`multipart body ends inside part ${index}`, {
            offset: src.offset,
          });
        }
      }
      yield { headers, body };
      index++;
    }
  } finally {
    src.cancel();
  }
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
