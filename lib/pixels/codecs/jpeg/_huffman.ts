/**
 * Huffman tables and the entropy-coded-segment bit reader shared by the JPEG decoders.
 *
 * The bit reader keeps up to 32 bits in a plain number (`buf`, newest bits lowest) with a
 * count of valid bits (`cnt`). Byte stuffing (`FF 00`) is removed as bytes are pulled in;
 * fill bytes (`FF FF ...`) before a marker are skipped as IJG libjpeg does. When a marker
 * or the end of the buffer is reached, zero bytes are fed instead and counted, so a scan
 * that needs more data than it has can be reported as truncated.
 *
 * @module
 */

import { CodecError } from "../../../core/errors.ts";

/** Bits looked up at once by the fast Huffman path. */
export const FAST_BITS = 12;
const FAST_SIZE = 1 << FAST_BITS;

/**
 * A Huffman table ready for decoding (JPEG Annex C canonical codes).
 *
 * `fast` is indexed by the next `FAST_BITS` bits of the stream. An odd entry is a fully
 * decoded symbol with its extra bits: bits 1–5 hold the total bit count, and then for a
 * DC/lossless table bits 6+ the signed difference; for an AC table bits 6–9 the zero run
 * and bits 10+ the signed coefficient. An even non-zero entry is a code whose extra bits
 * did not fit: bits 1–5 the code length, bits 6+ the symbol. Zero means a longer code.
 */
export interface HuffmanTable {
  /** The `FAST_BITS` lookup table described above. */
  fast: Int32Array;
  /** Per code length l (1..16): exclusive upper bound of the codes, left-justified to 16 bits; -1 when none. */
  maxCode: Int32Array;
  /** Per code length l: index into `values` of code 0 of that length. */
  valOffset: Int32Array;
  /** The symbols, in code order. */
  values: Uint8Array;
}

/** Fills the fast-lookup entries of one code. */
function fillFast(
  fast: Int32Array,
  code: number,
  len: number,
  symbol: number,
  ac: boolean,
): void {
  const free = FAST_BITS - len;
  const base = code << free;
  const partial = (symbol << 6) | (len << 1);
  const s = ac ? symbol & 15 : symbol;
  // DC/lossless categories of 16 (lossless 32768) and AC EOB/ZRL take the partial path.
  if (s === 0 && !ac) {
    fast.fill(len << 1 | 1, base, base + (1 << free));
    return;
  }
  if (s === 0 || s > 15 || len + s > FAST_BITS) {
    fast.fill(partial, base, base + (1 << free));
    return;
  }
  const total = len + s;
  const run = ac ? symbol >> 4 : 0;
  for (let j = 0; j < 1 << free; j++) {
    const extra = (j >> (free - s)) & ((1 << s) - 1);
    const value = extra < 1 << (s - 1) ? extra - (1 << s) + 1 : extra;
    fast[base + j] = ac
      ? (value << 10) | (run << 6) | (total << 1) | 1
      : (value << 6) | (total << 1) | 1;
  }
}

/**
 * Builds a decoding table from the 16 code-length counts and the symbols of a DHT
 * segment; `ac` for an AC table of a DCT stream. `at` is the segment's byte offset.
 */
export function buildHuffmanTable(
  counts: Uint8Array,
  values: Uint8Array,
  ac: boolean,
  at: number,
): HuffmanTable {
  const fast = new Int32Array(FAST_SIZE);
  const maxCode = new Int32Array(17).fill(-1);
  const valOffset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    if (n) {
      valOffset[len] = k - code;
      for (let i = 0; i < n; i++, k++, code++) {
        if (len <= FAST_BITS && code < 1 << len) fillFast(fast, code, len, values[k], ac);
      }
      // No code may be all ones (IJG rejects such tables too).
      if (code >= 1 << len) {
        throw new CodecError("jpeg: invalid huffman table (too many codes)", { offset: at });
      }
      maxCode[len] = code << (16 - len);
    }
    code <<= 1;
  }
  return { fast, maxCode, valOffset, values };
}

/** Reads bits from an entropy-coded segment. */
export class BitReader {
  /** The whole JPEG stream. */
  readonly data: Uint8Array;
  /** Next byte to read. */
  pos: number;
  /** Bit buffer: the `cnt` lowest bits are valid, oldest first. */
  buf = 0;
  /** Number of valid bits in `buf`. */
  cnt = 0;
  /** Position of the next 0xFF byte at or after `pos` (or the end of the data). */
  nextFF: number;
  /** Offset of the marker that stopped the reader, or -1. */
  markerAt = -1;
  /** Zero bytes fed after the data ran out (at a marker or the end). */
  fake = 0;

  constructor(data: Uint8Array, pos: number) {
    this.data = data;
    this.pos = pos;
    this.nextFF = this.findFF(pos);
  }

  private findFF(from: number): number {
    const i = this.data.indexOf(0xff, from);
    return i < 0 ? this.data.length : i;
  }

  /** Tops the buffer up to more than 24 valid bits. */
  fill(): void {
    const data = this.data;
    for (;;) {
      let buf = this.buf;
      let cnt = this.cnt;
      let pos = this.pos;
      const nextFF = this.nextFF;
      while (cnt <= 24 && pos < nextFF) {
        buf = (buf << 8) | data[pos++];
        cnt += 8;
      }
      this.buf = buf;
      this.cnt = cnt;
      this.pos = pos;
      if (cnt > 24) return;
      this.fillSpecial();
    }
  }

  /** Handles one byte at an 0xFF, a marker, or the end of the data. */
  private fillSpecial(): void {
    const data = this.data;
    const pos = this.pos;
    if (this.markerAt < 0 && pos < data.length) {
      // data[pos] is 0xFF: skip fill bytes, then 00 means a stuffed FF data byte.
      let p = pos + 1;
      while (p < data.length && data[p] === 0xff) p++;
      if (p < data.length && data[p] === 0) {
        this.buf = (this.buf << 8) | 0xff;
        this.cnt += 8;
        this.pos = p + 1;
        this.nextFF = this.findFF(p + 1);
        return;
      }
      this.markerAt = p < data.length ? p - 1 : data.length;
    }
    this.buf <<= 8;
    this.cnt += 8;
    this.fake++;
  }

  /** Approximate byte offset of the next unread bit, for error messages. */
  offset(): number {
    return Math.max(0, this.pos - Math.max(0, (this.cnt - this.fake * 8) >> 3));
  }

  /** Decodes a code longer than `LOOKUP_BITS` (or an invalid one). Needs `cnt >= 16`. */
  decodeSlow(t: HuffmanTable): number {
    const c16 = (this.buf >>> (this.cnt - 16)) & 0xffff;
    const maxCode = t.maxCode;
    for (let len = 1; len <= 16; len++) {
      if (c16 < maxCode[len]) {
        this.cnt -= len;
        return t.values[t.valOffset[len] + (c16 >>> (16 - len))];
      }
    }
    throw new CodecError("jpeg: bad huffman code", { offset: this.offset() });
  }

  /** Throws when the scan consumed bits past the end of its data. */
  checkOverrun(): void {
    if (this.cnt < this.fake * 8) {
      const at = this.markerAt >= 0 ? this.markerAt : this.data.length;
      throw new CodecError(
        at >= this.data.length
          ? "jpeg: truncated stream, entropy-coded data ends before the scan is complete"
          : "jpeg: entropy-coded data ends early at a marker, scan incomplete",
        { offset: at },
      );
    }
  }

  /**
   * Ends a restart interval: checks for overrun, drops the leftover bits, and moves past
   * the next RSTn marker.
   */
  restart(): void {
    this.checkOverrun();
    const data = this.data;
    let p = this.markerAt >= 0 ? this.markerAt : this.pos;
    // Skip any leftover data bytes up to the marker, then the fill bytes.
    while (p < data.length && !(data[p] === 0xff && p + 1 < data.length && data[p + 1] !== 0)) {
      p++;
    }
    while (p + 1 < data.length && data[p + 1] === 0xff) p++;
    if (p + 1 >= data.length) {
      throw new CodecError("jpeg: truncated stream, expected RSTn marker", { offset: p });
    }
    const m = data[p + 1];
    if (m < 0xd0 || m > 0xd7) {
      throw new CodecError(
        `jpeg: expected RSTn marker, found 0xFF${m.toString(16).toUpperCase()}`,
        { offset: p },
      );
    }
    this.pos = p + 2;
    this.buf = 0;
    this.cnt = 0;
    this.fake = 0;
    this.markerAt = -1;
    this.nextFF = this.findFF(this.pos);
  }

  /** Where marker parsing resumes after the scan. */
  endOfScan(): number {
    this.checkOverrun();
    return this.markerAt >= 0 ? this.markerAt : this.pos;
  }
}
