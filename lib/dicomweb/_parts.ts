/**
 * The `multipart/related` reader behind `readMultipart` and the WADO-RS retrievals: it
 * reads from any {@linkcode PartSource}, and when the source can fill an array directly
 * (our HTTP/1.1 reader's socket) a part with a `Content-Length` is read straight into
 * its own array, or into one array reused from part to part (the pull, which writes
 * each part before it asks for the next). The boundary is searched with `indexOf` on
 * the bytes. Private to `lib/dicomweb`.
 *
 * @module
 */

import { MalformedError, TruncatedError } from "../core/errors.ts";

/** Where a multipart body's bytes come from. */
export interface PartSource {
  /** The next bytes, a view valid until the next call; null at the end. */
  next(): Promise<Uint8Array | null>;
  /** Fills `out` straight from the source; the count, short only at the end. */
  into?(out: Uint8Array): Promise<number>;
  /** Stops reading (closes the connection). */
  cancel(): void;
}

/** One part read: its headers and its bytes. */
export interface Part {
  /** The part's headers. */
  headers: Headers;
  /** The part's bytes (a view of the reused array when `buffer` was given). */
  body: Uint8Array;
}

/** Options of {@linkcode readParts}. */
export interface ReadPartsOptions {
  /**
   * Largest part accepted, in bytes.
   *
   * @default {2 ** 32} (4 GiB)
   */
  maxPartBytes?: number;
  /**
   * An array of at least `n` bytes for a part of `n` bytes (with a `Content-Length`),
   * to be reused; the part is valid until the next one is asked for.
   *
   * @default {undefined} (a new array per part)
   */
  buffer?: (n: number) => Uint8Array;
}

/** A {@linkcode PartSource} over a stream's chunks. */
export function streamSource(stream: ReadableStream<Uint8Array>): PartSource {
  const reader = stream.getReader();
  return {
    async next() {
      const { value, done } = await reader.read();
      return done ? null : value;
    },
    cancel() {
      reader.cancel().catch(() => {});
    },
  };
}

const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();

/** Bytes read chunk by chunk, with a read position in the current chunk. */
class ByteSource {
  #source: PartSource;
  chunk: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Bytes consumed before the current chunk. */
  before = 0;
  ended = false;

  constructor(source: PartSource) {
    this.#source = source;
  }

  get offset(): number {
    return this.before + this.pos;
  }

  /** Makes sure some unread bytes are at hand; false at the end of the stream. */
  async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const value = await this.#source.next();
      if (value === null) {
        this.ended = true;
        return false;
      }
      this.before += this.chunk.length;
      this.chunk = value;
      this.pos = 0;
    }
    return true;
  }

  /**
   * Reads exactly `n` bytes into `out` (a new array by default): what is at hand, then
   * straight from the source when it can; undefined if the stream ends first.
   */
  async exact(n: number, out: Uint8Array = new Uint8Array(n)): Promise<Uint8Array | undefined> {
    let got = 0;
    while (got < n) {
      if (this.pos >= this.chunk.length && this.#source.into && !this.ended) {
        // nothing at hand: the rest straight from the source, no copy
        this.before += this.chunk.length;
        this.chunk = new Uint8Array(0);
        this.pos = 0;
        const r = await this.#source.into(out.subarray(got, n));
        this.before += r;
        got += r;
        if (got < n) {
          this.ended = true;
          return undefined;
        }
        break;
      }
      if (!await this.fill()) return undefined;
      const take = Math.min(n - got, this.chunk.length - this.pos);
      out.set(this.chunk.subarray(this.pos, this.pos + take), got);
      this.pos += take;
      got += take;
    }
    return out.length === n ? out : out.subarray(0, n);
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
    this.#source.cancel();
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

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The parts of a `multipart/related` body, one at a time. A body that ends before the
 * closing boundary, or a part shorter or longer than its `Content-Length`, is a
 * `TruncatedError` or `MalformedError` saying which part.
 */
export async function* readParts(
  source: PartSource,
  boundary: string,
  options: ReadPartsOptions = {},
): AsyncGenerator<Part> {
  const max = options.maxPartBytes ?? 2 ** 32;
  const src = new ByteSource(source);
  const dash = encoder.encode(`--${boundary}`);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const after = new Uint8Array(delimiter.length);
  let index = 0;
  try {
    // preamble: up to the first boundary (which may start the body)
    const head = await src.exact(dash.length);
    if (head === undefined) {
      throw new TruncatedError("multipart body ends before its first boundary");
    }
    if (!same(head, dash)) {
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
        body = await src.exact(n, options.buffer?.(n));
        if (body === undefined) {
          throw new TruncatedError(`multipart body ends inside part ${index}`, {
            offset: src.offset,
          });
        }
        if (await src.exact(delimiter.length, after) === undefined) {
          throw new TruncatedError(`multipart body ends after part ${index}`, {
            offset: src.offset,
          });
        }
        if (!same(after, delimiter)) {
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
