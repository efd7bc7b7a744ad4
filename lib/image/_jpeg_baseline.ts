/**
 * A baseline JPEG encoder (ITU-T T.81 process 1: 8-bit, sequential DCT, Huffman) in
 * TypeScript, for grayscale and for RGB (JFIF YCbCr, no chroma subsampling).
 *
 * It uses the example quantization tables of T.81 Annex K.1 scaled by the IJG quality
 * rule (the one libjpeg, Pillow and jpeg-js use, so `quality` means the same thing), the
 * example Huffman tables of Annex K.3, and the Arai–Agui–Nakajima float DCT with its
 * output scaling folded into the quantizer.
 *
 * Private to `lib/image`: `jpeg.ts` uses it where the WebAssembly libjpeg-turbo cannot
 * take the image (tiny images) and as the encoder when WebAssembly is unavailable.
 *
 * @module
 */

import {
  AC_CHROMA_BITS,
  AC_CHROMA_VALS,
  AC_LUMA_BITS,
  AC_LUMA_VALS,
  CHROMA_Q,
  DC_CHROMA_BITS,
  DC_CHROMA_VALS,
  DC_LUMA_BITS,
  DC_LUMA_VALS,
  LUMA_Q,
  quantTable,
  ZIGZAG,
} from "./_jpeg_tables.ts";

/** A Huffman table as code and length per symbol (T.81 Annex C). */
interface HuffmanTable {
  code: Uint16Array;
  size: Uint8Array;
  bits: number[];
  vals: number[];
}

function huffmanTable(bits: number[], vals: number[]): HuffmanTable {
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) {
      code[vals[k]] = c++;
      size[vals[k]] = len;
      k++;
    }
    c <<= 1;
  }
  return { code, size, bits, vals };
}

const DC_LUMA = huffmanTable(DC_LUMA_BITS, DC_LUMA_VALS);
const AC_LUMA = huffmanTable(AC_LUMA_BITS, AC_LUMA_VALS);
const DC_CHROMA = huffmanTable(DC_CHROMA_BITS, DC_CHROMA_VALS);
const AC_CHROMA = huffmanTable(AC_CHROMA_BITS, AC_CHROMA_VALS);

// AAN scale factors: cos(k·π/16)·√2 for k > 0, 1 for k = 0.
const AAN = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** Per natural-order coefficient, the multiplier that turns AAN output into a quantized value. */
function divisors(table: Uint8Array): Float64Array {
  const out = new Float64Array(64);
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 8; col++) {
      const i = row * 8 + col;
      out[i] = 1 / (table[i] * AAN[row] * AAN[col] * 8);
    }
  }
  return out;
}

/** In-place forward DCT of an 8x8 block (AAN, float), rows then columns. */
function fdct(d: Float64Array): void {
  for (let p = 0; p < 64; p += 8) dct1(d, p, 1);
  for (let p = 0; p < 8; p++) dct1(d, p, 8);
}

function dct1(d: Float64Array, p: number, s: number): void {
  const d0 = d[p], d1 = d[p + s], d2 = d[p + 2 * s], d3 = d[p + 3 * s];
  const d4 = d[p + 4 * s], d5 = d[p + 5 * s], d6 = d[p + 6 * s], d7 = d[p + 7 * s];
  const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
  const t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
  // Even part.
  let t10 = t0 + t3;
  const t13 = t0 - t3;
  let t11 = t1 + t2;
  let t12 = t1 - t2;
  d[p] = t10 + t11;
  d[p + 4 * s] = t10 - t11;
  const z1 = (t12 + t13) * 0.707106781;
  d[p + 2 * s] = t13 + z1;
  d[p + 6 * s] = t13 - z1;
  // Odd part.
  t10 = t4 + t5;
  t11 = t5 + t6;
  t12 = t6 + t7;
  const z5 = (t10 - t12) * 0.382683433;
  const z2 = 0.5411961 * t10 + z5;
  const z4 = 1.306562965 * t12 + z5;
  const z3 = t11 * 0.707106781;
  const z11 = t7 + z3;
  const z13 = t7 - z3;
  d[p + 5 * s] = z13 + z2;
  d[p + 3 * s] = z13 - z2;
  d[p + s] = z11 + z4;
  d[p + 7 * s] = z11 - z4;
}

/** Entropy-coded output with 0xFF byte stuffing. */
class BitWriter {
  buf: Uint8Array;
  pos = 0;
  private acc = 0;
  private count = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  bytes(data: ArrayLike<number>): void {
    this.ensure(data.length);
    for (let i = 0; i < data.length; i++) this.buf[this.pos++] = data[i];
  }
  /** Appends the low `n` bits of `value` (n ≤ 16). */
  bits(value: number, n: number): void {
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.count += n;
    while (this.count >= 8) {
      this.count -= 8;
      const byte = (this.acc >>> this.count) & 0xff;
      this.buf[this.pos++] = byte;
      if (byte === 0xff) this.buf[this.pos++] = 0;
    }
    this.acc &= (1 << this.count) - 1;
  }
  /** Pads the last byte with 1 bits (T.81 F.1.2.3). */
  flush(): void {
    if (this.count > 0) this.bits(0x7f, 8 - this.count);
  }
}

function segment(w: BitWriter, marker: number, body: number[]): void {
  const len = body.length + 2;
  w.bytes([0xff, marker, len >> 8, len & 0xff]);
  w.bytes(body);
}

/** Size category of a DC difference or AC value (bits needed for |v|). */
function category(v: number): number {
  return 32 - Math.clz32(v < 0 ? -v : v);
}

/** What {@linkcode encodeBaselineJpeg} needs. */
export interface BaselineJpegInput {
  /** Samples, row by row, interleaved R,G,B for 3 components. */
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 grayscale, 3 RGB (written as JFIF YCbCr 4:4:4). */
  components: 1 | 3;
  /** IJG quality, 1–100. */
  quality: number;
}

/**
 * Encodes a baseline JPEG (JFIF) of a grayscale or RGB 8-bit image.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBaselineJpeg } from "./_jpeg_baseline.ts";
 * import { decodeJpeg } from "../pixels/mod.ts";
 * // 8x8 pixels of RGB (200, 100, 50)
 * const data = new Uint8Array(8 * 8 * 3).map((_, i) => [200, 100, 50][i % 3]);
 * const jpg = encodeBaselineJpeg({ data, width: 8, height: 8, components: 3, quality: 90 });
 * const decoded = decodeJpeg(jpg); // as stored: YCbCr
 * assert.equal(decoded.components, 3);
 * assert.deepEqual(Array.from(decoded.data.subarray(0, 3)), [124, 86, 182]);
 * ```
 */
export function encodeBaselineJpeg(input: BaselineJpegInput): Uint8Array {
  const { data, width, height, components, quality } = input;
  const qLuma = quantTable(LUMA_Q, quality);
  const qChroma = quantTable(CHROMA_Q, quality);
  const w = new BitWriter(Math.max(4096, (width * height * components) >> 1));
  w.bytes([0xff, 0xd8]);
  // APP0 JFIF 1.01, no density units (aspect 1:1), no thumbnail.
  segment(w, 0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const dqt = [0, ...Array.from(ZIGZAG, (z) => qLuma[z])];
  if (components === 3) dqt.push(1, ...Array.from(ZIGZAG, (z) => qChroma[z]));
  segment(w, 0xdb, dqt);
  const sof = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, components];
  if (components === 1) sof.push(1, 0x11, 0);
  else sof.push(1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1);
  segment(w, 0xc0, sof);
  const dht: number[] = [];
  const tables: [number, HuffmanTable][] = [[0x00, DC_LUMA], [0x10, AC_LUMA]];
  if (components === 3) tables.push([0x01, DC_CHROMA], [0x11, AC_CHROMA]);
  for (const [id, t] of tables) dht.push(id, ...t.bits, ...t.vals);
  segment(w, 0xc4, dht);
  const sos: number[] = [components];
  if (components === 1) sos.push(1, 0x00);
  else sos.push(1, 0x00, 2, 0x11, 3, 0x11);
  sos.push(0, 63, 0);
  segment(w, 0xda, sos);

  const divLuma = divisors(qLuma);
  const divChroma = divisors(qChroma);
  const blocks = components === 1 ? [new Float64Array(64)] : [
    new Float64Array(64),
    new Float64Array(64),
    new Float64Array(64),
  ];
  const quant = new Int32Array(64);
  const pred = [0, 0, 0];
  const mcuX = Math.ceil(width / 8);
  const mcuY = Math.ceil(height / 8);
  for (let by = 0; by < mcuY; by++) {
    for (let bx = 0; bx < mcuX; bx++) {
      // Worst case per block and component is well under 512 bytes with stuffing.
      w.ensure(512 * components);
      loadBlocks(data, width, height, components, bx * 8, by * 8, blocks);
      for (let c = 0; c < components; c++) {
        const block = blocks[c];
        fdct(block);
        const div = c === 0 ? divLuma : divChroma;
        for (let k = 0; k < 64; k++) {
          const z = ZIGZAG[k];
          // Round half away from zero, as IJG's float quantizer does in effect.
          const v = block[z] * div[z];
          quant[k] = v < 0 ? -((0.5 - v) | 0) : (v + 0.5) | 0;
        }
        const dc = c === 0 ? DC_LUMA : DC_CHROMA;
        const ac = c === 0 ? AC_LUMA : AC_CHROMA;
        const diff = quant[0] - pred[c];
        pred[c] = quant[0];
        const dcCat = category(diff);
        w.bits(dc.code[dcCat], dc.size[dcCat]);
        if (dcCat) w.bits(diff < 0 ? diff - 1 : diff, dcCat);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const v = quant[k];
          if (v === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            w.bits(ac.code[0xf0], ac.size[0xf0]);
            run -= 16;
          }
          const cat = category(v);
          const sym = (run << 4) | cat;
          w.bits(ac.code[sym], ac.size[sym]);
          w.bits(v < 0 ? v - 1 : v, cat);
          run = 0;
        }
        if (run > 0) w.bits(ac.code[0], ac.size[0]);
      }
    }
  }
  w.flush();
  w.bytes([0xff, 0xd9]);
  return w.buf.slice(0, w.pos);
}

/** Level-shifted 8x8 blocks at (x0, y0), edges replicated; RGB converted to YCbCr. */
function loadBlocks(
  data: Uint8Array,
  width: number,
  height: number,
  components: number,
  x0: number,
  y0: number,
  blocks: Float64Array[],
): void {
  const full = x0 + 8 <= width && y0 + 8 <= height;
  if (components === 1) {
    const b = blocks[0];
    for (let y = 0; y < 8; y++) {
      const row = (full ? y0 + y : Math.min(y0 + y, height - 1)) * width;
      for (let x = 0; x < 8; x++) {
        b[y * 8 + x] = data[row + (full ? x0 + x : Math.min(x0 + x, width - 1))] - 128;
      }
    }
    return;
  }
  const [by, bcb, bcr] = blocks;
  for (let y = 0; y < 8; y++) {
    const row = Math.min(y0 + y, height - 1) * width;
    for (let x = 0; x < 8; x++) {
      const p = (row + Math.min(x0 + x, width - 1)) * 3;
      const r = data[p], g = data[p + 1], b = data[p + 2];
      const i = y * 8 + x;
      by[i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      bcb[i] = -0.168735892 * r - 0.331264108 * g + 0.5 * b;
      bcr[i] = 0.5 * r - 0.418687589 * g - 0.081312411 * b;
    }
  }
}
