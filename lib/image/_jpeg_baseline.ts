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

// deno-fmt-ignore
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

// T.81 Table K.1 and K.2, in natural (row-major) order.
// deno-fmt-ignore
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
// deno-fmt-ignore
const CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

// T.81 Annex K.3: code counts per length 1..16, then the symbols.
const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_LUMA_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_CHROMA_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
// deno-fmt-ignore
const AC_LUMA_VALS = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
  0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52,
  0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25,
  0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45,
  0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
  0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83,
  0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
  0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
  0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3,
  0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8,
  0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];
const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
// deno-fmt-ignore
const AC_CHROMA_VALS = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61,
  0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33,
  0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18,
  0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44,
  0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63,
  0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
  0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
  0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
  0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
  0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
  0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

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

/** The IJG quality rule: the Annex K table scaled, each entry clamped to 1–255. */
function quantTable(base: number[], quality: number): Uint8Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const factor = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
  const out = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    out[i] = Math.min(255, Math.max(1, Math.floor((base[i] * factor + 50) / 100)));
  }
  return out;
}

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
 * ```ts ignore
 * const jpg = encodeBaselineJpeg({ data, width: 512, height: 512, components: 1, quality: 75 });
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
