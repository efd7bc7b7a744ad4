/**
 * A fast baseline JPEG encoder for 8-bit grayscale, whose output is byte for byte what
 * libjpeg (6b and libjpeg-turbo, hence Pillow) writes with its default settings: JFIF
 * 1.01 header, the T.81 Annex K luminance table scaled by the IJG quality rule (forced to
 * baseline), the Annex K.3 Huffman tables, the accurate integer DCT ("islow": the
 * Loeffler–Ligtenberg–Moschytz factorisation in 13-bit fixed point, two passes), and the
 * quantizer rounding half away from zero, `sign(c) * floor((|c| + q/2) / q)`.
 *
 * Speed comes from the data medical images are: a block whose 64 samples are equal
 * (air, clipped bone, the black of a window) has no AC energy, so it is coded from its DC
 * alone without a DCT; the zero AC coefficients are skipped through bit masks; and the
 * entropy coder packs whole 32-bit words, stuffing the 0xFF bytes in a final pass.
 *
 * Private to `lib/image`: `jpeg.ts` uses it for grayscale.
 *
 * @module
 */

import {
  AC_LUMA_BITS,
  AC_LUMA_VALS,
  DC_LUMA_BITS,
  DC_LUMA_VALS,
  LUMA_Q,
  quantTable,
  ZIGZAG,
} from "./_jpeg_tables.ts";

/** Per symbol, its Huffman code shifted left by 5 with the code length in the low 5 bits. */
function huffmanCodes(bits: number[], vals: number[]): Int32Array {
  const table = new Int32Array(256);
  let code = 0, k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) table[vals[k++]] = (code++ << 5) | len;
    code <<= 1;
  }
  return table;
}

const DC_CODES = huffmanCodes(DC_LUMA_BITS, DC_LUMA_VALS);
const AC_CODES = huffmanCodes(AC_LUMA_BITS, AC_LUMA_VALS);

/** SOI, APP0 (JFIF 1.01, aspect 1:1), DQT, SOF0, DHT (DC, AC) and SOS, as libjpeg writes. */
function header(width: number, height: number, table: Uint8Array): number[] {
  const h = [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  h.push(0xff, 0xdb, 0, 67, 0);
  for (let k = 0; k < 64; k++) h.push(table[ZIGZAG[k]]);
  h.push(0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0);
  h.push(0xff, 0xc4, 0, 3 + 16 + DC_LUMA_VALS.length, 0x00, ...DC_LUMA_BITS, ...DC_LUMA_VALS);
  h.push(0xff, 0xc4, 0, 3 + 16 + AC_LUMA_VALS.length, 0x10, ...AC_LUMA_BITS, ...AC_LUMA_VALS);
  h.push(0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0);
  return h;
}

// The islow DCT's constants: round(x * 2^13).
const C0_298 = 2446, C0_390 = 3196, C0_541 = 4433, C0_765 = 6270, C0_899 = 7373;
const C1_175 = 9633, C1_501 = 12299, C1_847 = 15137, C1_961 = 16069, C2_053 = 16819;
const C2_562 = 20995, C3_072 = 25172;

/**
 * libjpeg's accurate integer forward DCT of a level-shifted 8x8 block, in place: rows
 * (output scaled up by 4), then columns (scaled back), the result 8 times the true DCT.
 */
function fdctIslow(d: Int32Array): void {
  for (let p = 0; p < 64; p += 8) {
    const t0 = d[p] + d[p + 7], t7 = d[p] - d[p + 7];
    const t1 = d[p + 1] + d[p + 6], t6 = d[p + 1] - d[p + 6];
    const t2 = d[p + 2] + d[p + 5], t5 = d[p + 2] - d[p + 5];
    const t3 = d[p + 3] + d[p + 4], t4 = d[p + 3] - d[p + 4];
    const t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
    d[p] = (t10 + t11) << 2;
    d[p + 4] = (t10 - t11) << 2;
    const z1 = (t12 + t13) * C0_541;
    d[p + 2] = (z1 + t13 * C0_765 + 1024) >> 11;
    d[p + 6] = (z1 - t12 * C1_847 + 1024) >> 11;
    const z5 = (t4 + t5 + t6 + t7) * C1_175;
    const a = -(t4 + t7) * C0_899, b = -(t5 + t6) * C2_562;
    const c = z5 - (t4 + t6) * C1_961, e = z5 - (t5 + t7) * C0_390;
    d[p + 7] = (t4 * C0_298 + a + c + 1024) >> 11;
    d[p + 5] = (t5 * C2_053 + b + e + 1024) >> 11;
    d[p + 3] = (t6 * C3_072 + b + c + 1024) >> 11;
    d[p + 1] = (t7 * C1_501 + a + e + 1024) >> 11;
  }
  for (let p = 0; p < 8; p++) {
    const t0 = d[p] + d[p + 56], t7 = d[p] - d[p + 56];
    const t1 = d[p + 8] + d[p + 48], t6 = d[p + 8] - d[p + 48];
    const t2 = d[p + 16] + d[p + 40], t5 = d[p + 16] - d[p + 40];
    const t3 = d[p + 24] + d[p + 32], t4 = d[p + 24] - d[p + 32];
    const t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
    d[p] = (t10 + t11 + 2) >> 2;
    d[p + 32] = (t10 - t11 + 2) >> 2;
    const z1 = (t12 + t13) * C0_541;
    d[p + 16] = (z1 + t13 * C0_765 + 16384) >> 15;
    d[p + 48] = (z1 - t12 * C1_847 + 16384) >> 15;
    const z5 = (t4 + t5 + t6 + t7) * C1_175;
    const a = -(t4 + t7) * C0_899, b = -(t5 + t6) * C2_562;
    const c = z5 - (t4 + t6) * C1_961, e = z5 - (t5 + t7) * C0_390;
    d[p + 56] = (t4 * C0_298 + a + c + 16384) >> 15;
    d[p + 40] = (t5 * C2_053 + b + e + 16384) >> 15;
    d[p + 24] = (t6 * C3_072 + b + c + 16384) >> 15;
    d[p + 8] = (t7 * C1_501 + a + e + 16384) >> 15;
  }
}

/**
 * The entropy-coded bits as big-endian 32-bit words (no stuffing yet). `put` takes up to
 * 27 bits at once (a Huffman code of at most 16 bits and its at most 11 extra bits).
 */
class BitWords {
  words: Int32Array;
  count = 0;
  acc = 0;
  free = 32;
  constructor(words: Int32Array) {
    this.words = words;
  }
  put(value: number, n: number): void {
    if (n < this.free) {
      this.acc = (this.acc << n) | value;
      this.free -= n;
    } else {
      const over = n - this.free;
      this.words[this.count++] = (this.acc << this.free) | (value >>> over);
      this.acc = value & ((1 << over) - 1);
      this.free = 32 - over;
    }
  }
  /** Room for `n` more words. */
  reserve(n: number): void {
    if (this.count + n <= this.words.length) return;
    const next = new Int32Array(this.words.length * 2 + n);
    next.set(this.words.subarray(0, this.count));
    this.words = next;
  }
}

// Buffers kept between calls: each image reuses them instead of allocating and zeroing.
let wordBuffer: Int32Array = new Int32Array(0);
let byteBuffer: Uint8Array = new Uint8Array(0);

/** `sign(t) * floor((|t| + q/2) / q)` for the DC coefficient. */
function quantizeDc(t: number, q: number): number {
  return t < 0 ? -Math.floor((q / 2 - t) / q) : Math.floor((t + q / 2) / q);
}

/**
 * Encodes 8-bit grayscale samples, row by row, as a baseline JPEG identical to libjpeg's
 * at the same IJG `quality` (1–100). Sizes and quality are the caller's to check.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeGrayJpeg } from "./_jpeg_gray.ts";
 * import { decodeJpeg } from "../pixels/mod.ts";
 * const flat = new Uint8Array(16 * 16).fill(128);
 * const jpg = encodeGrayJpeg(flat, 16, 16, 75); // what Pillow's img.save(f) writes
 * assert.deepEqual(Array.from(jpg.subarray(0, 2)), [0xff, 0xd8]);
 * const decoded = decodeJpeg(jpg);
 * assert.equal(decoded.width, 16);
 * assert.deepEqual(decoded.data, flat);
 * ```
 */
export function encodeGrayJpeg(
  data: Uint8Array,
  width: number,
  height: number,
  quality: number,
): Uint8Array {
  const table = quantTable(LUMA_Q, quality);
  const head = header(width, height, table);
  // Per zigzag position: the divisor (the DCT output is 8 times the true one), half of
  // it, and 1/divisor as ceil(2^27 / divisor) / 2^27: floor(a * that) is floor(a / divisor)
  // exactly for every a below 2^16, and the quantizer never sees more.
  const divisor = new Int32Array(64), half = new Int32Array(64);
  const reciprocal = new Float64Array(64);
  for (let k = 0; k < 64; k++) {
    divisor[k] = table[ZIGZAG[k]] << 3;
    half[k] = divisor[k] >> 1;
    reciprocal[k] = Math.ceil(2 ** 27 / divisor[k]) / 2 ** 27;
  }
  const cols = Math.ceil(width / 8), rows = Math.ceil(height / 8);
  const wordsNeeded = 1024 + ((width * height) >> 2);
  if (wordBuffer.length < wordsNeeded) wordBuffer = new Int32Array(wordsNeeded);
  const out = new BitWords(wordBuffer);
  // Rows of 8 samples as two 32-bit words, to find uniform blocks quickly.
  const data32 = data.byteOffset % 4 === 0 && width % 4 === 0
    ? new Int32Array(data.buffer, data.byteOffset, (width * height) >> 2)
    : undefined;
  const block = new Int32Array(64);
  const coef = new Int32Array(64);
  let previousDc = 0;
  for (let by = 0; by < rows; by++) {
    out.reserve(cols * 200); // a block takes at most 64 codes of 27 bits
    previousDc = codeRow(
      data,
      data32,
      width,
      height,
      by * 8,
      cols,
      out,
      block,
      coef,
      divisor,
      half,
      reciprocal,
      previousDc,
    );
  }
  wordBuffer = out.words;
  return finish(head, out);
}

/**
 * Codes one row of blocks; returns the DC prediction for the next row. A function called
 * per row (not one loop over the image) is compiled by the JIT after a few rows instead
 * of waiting for on-stack replacement: the first images encode about 1.5x faster.
 */
function codeRow(
  data: Uint8Array,
  data32: Int32Array | undefined,
  width: number,
  height: number,
  y0: number,
  cols: number,
  out: BitWords,
  block: Int32Array,
  coef: Int32Array,
  divisor: Int32Array,
  half: Int32Array,
  reciprocal: Float64Array,
  previousDc: number,
): number {
  for (let bx = 0; bx < cols; bx++) {
    const x0 = bx * 8;
    const uniform = x0 + 8 <= width && y0 + 8 <= height
      ? loadInner(data, data32, width, x0, y0, block)
      : loadEdge(data, width, height, x0, y0, block);
    let dc: number;
    let low = 0, high = 0; // nonzero AC: zigzag positions 1..31 (low), 32..63 (high)
    if (uniform) {
      dc = block[0] * 64; // the DCT of a constant block: DC only, 8 x 8 x value
    } else {
      fdctIslow(block);
      dc = block[0];
      for (let k = 1; k < 32; k++) {
        const t = block[ZIGZAG[k]];
        const sign = t >> 31;
        const m = (((t ^ sign) - sign + half[k]) * reciprocal[k]) | 0;
        coef[k] = (m ^ sign) - sign;
        low |= ((-m) >>> 31) << k;
      }
      for (let k = 32; k < 64; k++) {
        const t = block[ZIGZAG[k]];
        const sign = t >> 31;
        const m = (((t ^ sign) - sign + half[k]) * reciprocal[k]) | 0;
        coef[k] = (m ^ sign) - sign;
        high |= ((-m) >>> 31) << (k - 32);
      }
    }
    const q = quantizeDc(dc, divisor[0]);
    const diff = q - previousDc;
    previousDc = q;
    const size = diff === 0 ? 0 : 32 - Math.clz32(diff < 0 ? -diff : diff);
    const dcCode = DC_CODES[size];
    out.put(
      ((dcCode >>> 5) << size) | ((diff < 0 ? diff - 1 : diff) & ((1 << size) - 1)),
      (dcCode & 31) + size,
    );
    let last = 0;
    for (let part = 0; part < 2; part++) {
      let mask = part === 0 ? low : high;
      const base = part === 0 ? 0 : 32;
      while (mask !== 0) {
        const k = base + 31 - Math.clz32(mask & -mask);
        mask &= mask - 1;
        let run = k - last - 1;
        last = k;
        for (; run > 15; run -= 16) out.put(AC_CODES[0xf0] >>> 5, AC_CODES[0xf0] & 31);
        const c = coef[k];
        const sign = c >> 31;
        const bits = 32 - Math.clz32((c ^ sign) - sign);
        const acCode = AC_CODES[(run << 4) | bits];
        out.put(
          ((acCode >>> 5) << bits) | ((c + sign) & ((1 << bits) - 1)),
          (acCode & 31) + bits,
        );
      }
    }
    if (last < 63) out.put(AC_CODES[0] >>> 5, AC_CODES[0] & 31); // end of block
  }
  return previousDc;
}

/**
 * Loads an inner block, level-shifted, into `block`; true (and only `block[0]` set) when
 * its 64 samples are equal.
 */
function loadInner(
  data: Uint8Array,
  data32: Int32Array | undefined,
  width: number,
  x0: number,
  y0: number,
  block: Int32Array,
): boolean {
  const first = data[y0 * width + x0];
  let uniform = true;
  if (data32) {
    const pattern = (first * 0x01010101) | 0;
    const step = width >> 2;
    for (let y = 0, i = (y0 * width + x0) >> 2; y < 8; y++, i += step) {
      if (data32[i] !== pattern || data32[i + 1] !== pattern) {
        uniform = false;
        break;
      }
    }
  } else {
    for (let y = 0; y < 8 && uniform; y++) {
      const r = (y0 + y) * width + x0;
      for (let x = 0; x < 8; x++) {
        if (data[r + x] !== first) {
          uniform = false;
          break;
        }
      }
    }
  }
  if (uniform) {
    block[0] = first - 128;
    return true;
  }
  for (let y = 0; y < 8; y++) {
    const r = (y0 + y) * width + x0, o = y * 8;
    block[o] = data[r] - 128;
    block[o + 1] = data[r + 1] - 128;
    block[o + 2] = data[r + 2] - 128;
    block[o + 3] = data[r + 3] - 128;
    block[o + 4] = data[r + 4] - 128;
    block[o + 5] = data[r + 5] - 128;
    block[o + 6] = data[r + 6] - 128;
    block[o + 7] = data[r + 7] - 128;
  }
  return false;
}

/** A block over the right or bottom edge, the last column and row repeated (as libjpeg). */
function loadEdge(
  data: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  block: Int32Array,
): boolean {
  for (let y = 0; y < 8; y++) {
    const r = Math.min(y0 + y, height - 1) * width;
    for (let x = 0; x < 8; x++) block[y * 8 + x] = data[r + Math.min(x0 + x, width - 1)] - 128;
  }
  for (let i = 1; i < 64; i++) if (block[i] !== block[0]) return false;
  return true;
}

/** Header, stuffed entropy bytes (0x00 after each 0xFF), final bits padded with 1s, EOI. */
function finish(head: number[], bits: BitWords): Uint8Array {
  const used = 32 - bits.free;
  const tailBytes = (used + 7) >> 3;
  const pad = tailBytes * 8 - used;
  const tail = (bits.acc << pad) | ((1 << pad) - 1);
  const size = head.length + (bits.count * 4 + tailBytes) * 2 + 2;
  if (byteBuffer.length < size) byteBuffer = new Uint8Array(size);
  const out = byteBuffer;
  out.set(head);
  let pos = head.length;
  const words = bits.words;
  for (let i = 0; i < bits.count; i++) {
    const x = words[i];
    const b0 = x >>> 24, b1 = (x >>> 16) & 255, b2 = (x >>> 8) & 255, b3 = x & 255;
    out[pos++] = b0;
    if (b0 === 255) out[pos++] = 0;
    out[pos++] = b1;
    if (b1 === 255) out[pos++] = 0;
    out[pos++] = b2;
    if (b2 === 255) out[pos++] = 0;
    out[pos++] = b3;
    if (b3 === 255) out[pos++] = 0;
  }
  for (let i = tailBytes - 1; i >= 0; i--) {
    const b = (tail >>> (8 * i)) & 255;
    out[pos++] = b;
    if (b === 255) out[pos++] = 0;
  }
  out[pos++] = 0xff;
  out[pos++] = 0xd9;
  return out.slice(0, pos);
}
