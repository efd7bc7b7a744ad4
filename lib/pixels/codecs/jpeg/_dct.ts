/**
 * Sequential DCT-based scans (SOF0 baseline, SOF1 extended, Huffman coded, 8 or 12 bits)
 * and the inverse DCT.
 *
 * The inverse DCT is the accurate integer algorithm of the IJG library (`JDCT_ISLOW`,
 * Loeffler–Ligtenberg–Moschytz with 13-bit fixed-point constants, 2 extra bits of
 * precision between the passes for 8-bit data and 1 for 12-bit data), so the output is
 * bit-identical to libjpeg, libjpeg-turbo and the gdcm/DCMTK builds of them.
 *
 * @module
 */

import { CodecError } from "../../../core/errors.ts";
import { type BitReader, FAST_BITS, type HuffmanTable } from "./_huffman.ts";
import type { JpegFrame, JpegScan } from "./_frame.ts";
import { ZIGZAG } from "./zigzag.ts";

/** Zig-zag index → natural index, with 16 extra entries so corrupt runs stay in range. */
export const NATURAL_ORDER: Int32Array = new Int32Array(80).fill(63);
NATURAL_ORDER.set(ZIGZAG);

// Fixed-point constants: round(x * 2^13).
const CONST_BITS = 13;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

const FAST_MASK = (1 << FAST_BITS) - 1;

const rangeLimits = new Map<number, Uint8Array | Uint16Array>();

/**
 * The IDCT output clamp of IJG libjpeg for `precision` bits, indexed by the uncentred
 * output masked with `4 * 2^precision - 1`: values wrap the same way as libjpeg's table
 * for out-of-range (corrupt) input.
 */
export function idctRangeLimit(precision: number): Uint8Array | Uint16Array {
  let table = rangeLimits.get(precision);
  if (!table) {
    const m = 1 << precision;
    const c = m >> 1;
    table = precision <= 8 ? new Uint8Array(4 * m) : new Uint16Array(4 * m);
    for (let t = 0; t < 4 * m; t++) {
      table[t] = t < c ? t + c : t < 2 * m ? m - 1 : t < 4 * m - c ? 0 : t - (4 * m - c);
    }
    rangeLimits.set(precision, table);
  }
  return table;
}

/**
 * Inverse DCT of one dequantized block, IJG `jpeg_idct_islow`. `coef` is in natural order
 * and is cleared on return; the 8x8 result goes to `out` at `o` with row pitch `stride`.
 */
export function idctIslow(
  coef: Int16Array,
  q: Int32Array,
  ws: Int32Array,
  out: Uint8Array | Uint16Array,
  o: number,
  stride: number,
  limit: Uint8Array | Uint16Array,
  pass1: number,
): void {
  const mask = limit.length - 1;
  const shift1 = CONST_BITS - pass1;
  const round1 = 1 << (shift1 - 1);
  const shift2 = CONST_BITS + pass1 + 3;
  const round2 = 1 << (shift2 - 1);
  const dcShift = pass1 + 3;
  const dcRound = 1 << (dcShift - 1);

  // Pass 1: columns from the coefficients into the work array (clearing them).
  for (let c = 0; c < 8; c++) {
    const c0 = coef[c];
    const c1 = coef[8 + c];
    const c2 = coef[16 + c];
    const c3 = coef[24 + c];
    const c4 = coef[32 + c];
    const c5 = coef[40 + c];
    const c6 = coef[48 + c];
    const c7 = coef[56 + c];
    if ((c1 | c2 | c3 | c4 | c5 | c6 | c7) === 0) {
      const dc = (Math.imul(c0, q[c])) << pass1;
      ws[c] = dc;
      ws[8 + c] = dc;
      ws[16 + c] = dc;
      ws[24 + c] = dc;
      ws[32 + c] = dc;
      ws[40 + c] = dc;
      ws[48 + c] = dc;
      ws[56 + c] = dc;
      coef[c] = 0;
      continue;
    }
    coef[c] = 0;
    coef[8 + c] = 0;
    coef[16 + c] = 0;
    coef[24 + c] = 0;
    coef[32 + c] = 0;
    coef[40 + c] = 0;
    coef[48 + c] = 0;
    coef[56 + c] = 0;
    // Even part.
    let z2 = Math.imul(c2, q[16 + c]);
    let z3 = Math.imul(c6, q[48 + c]);
    let z1 = Math.imul(z2 + z3, FIX_0_541196100);
    let tmp2 = z1 - Math.imul(z3, FIX_1_847759065);
    let tmp3 = z1 + Math.imul(z2, FIX_0_765366865);
    z2 = Math.imul(c0, q[c]);
    z3 = Math.imul(c4, q[32 + c]);
    let tmp0 = (z2 + z3) << CONST_BITS;
    let tmp1 = (z2 - z3) << CONST_BITS;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    // Odd part.
    tmp0 = Math.imul(c7, q[56 + c]);
    tmp1 = Math.imul(c5, q[40 + c]);
    tmp2 = Math.imul(c3, q[24 + c]);
    tmp3 = Math.imul(c1, q[8 + c]);
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = Math.imul(z3 + z4, FIX_1_175875602);
    tmp0 = Math.imul(tmp0, FIX_0_298631336);
    tmp1 = Math.imul(tmp1, FIX_2_053119869);
    tmp2 = Math.imul(tmp2, FIX_3_072711026);
    tmp3 = Math.imul(tmp3, FIX_1_501321110);
    z1 = Math.imul(z1, -FIX_0_899976223);
    z2 = Math.imul(z2, -FIX_2_562915447);
    z3 = Math.imul(z3, -FIX_1_961570560) + z5;
    z4 = Math.imul(z4, -FIX_0_390180644) + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    ws[c] = (tmp10 + tmp3 + round1) >> shift1;
    ws[56 + c] = (tmp10 - tmp3 + round1) >> shift1;
    ws[8 + c] = (tmp11 + tmp2 + round1) >> shift1;
    ws[48 + c] = (tmp11 - tmp2 + round1) >> shift1;
    ws[16 + c] = (tmp12 + tmp1 + round1) >> shift1;
    ws[40 + c] = (tmp12 - tmp1 + round1) >> shift1;
    ws[24 + c] = (tmp13 + tmp0 + round1) >> shift1;
    ws[32 + c] = (tmp13 - tmp0 + round1) >> shift1;
  }

  // Pass 2: rows from the work array into the output.
  for (let r = 0; r < 64; r += 8, o += stride) {
    const w0 = ws[r];
    const w1 = ws[r + 1];
    const w2 = ws[r + 2];
    const w3 = ws[r + 3];
    const w4 = ws[r + 4];
    const w5 = ws[r + 5];
    const w6 = ws[r + 6];
    const w7 = ws[r + 7];
    if ((w1 | w2 | w3 | w4 | w5 | w6 | w7) === 0) {
      const v = limit[((w0 + dcRound) >> dcShift) & mask];
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = v;
      out[o + 4] = v;
      out[o + 5] = v;
      out[o + 6] = v;
      out[o + 7] = v;
      continue;
    }
    // Even part.
    let z1 = Math.imul(w2 + w6, FIX_0_541196100);
    let tmp2 = z1 - Math.imul(w6, FIX_1_847759065);
    let tmp3 = z1 + Math.imul(w2, FIX_0_765366865);
    let tmp0 = (w0 + w4) << CONST_BITS;
    let tmp1 = (w0 - w4) << CONST_BITS;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    // Odd part.
    z1 = w7 + w1;
    let z2 = w5 + w3;
    let z3 = w7 + w3;
    let z4 = w5 + w1;
    const z5 = Math.imul(z3 + z4, FIX_1_175875602);
    tmp0 = Math.imul(w7, FIX_0_298631336);
    tmp1 = Math.imul(w5, FIX_2_053119869);
    tmp2 = Math.imul(w3, FIX_3_072711026);
    tmp3 = Math.imul(w1, FIX_1_501321110);
    z1 = Math.imul(z1, -FIX_0_899976223);
    z2 = Math.imul(z2, -FIX_2_562915447);
    z3 = Math.imul(z3, -FIX_1_961570560) + z5;
    z4 = Math.imul(z4, -FIX_0_390180644) + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    out[o] = limit[((tmp10 + tmp3 + round2) >> shift2) & mask];
    out[o + 7] = limit[((tmp10 - tmp3 + round2) >> shift2) & mask];
    out[o + 1] = limit[((tmp11 + tmp2 + round2) >> shift2) & mask];
    out[o + 6] = limit[((tmp11 - tmp2 + round2) >> shift2) & mask];
    out[o + 2] = limit[((tmp12 + tmp1 + round2) >> shift2) & mask];
    out[o + 5] = limit[((tmp12 - tmp1 + round2) >> shift2) & mask];
    out[o + 3] = limit[((tmp13 + tmp0 + round2) >> shift2) & mask];
    out[o + 4] = limit[((tmp13 - tmp0 + round2) >> shift2) & mask];
  }
}

/** Fills an 8x8 block with one value (a block whose AC coefficients are all zero). */
function fillBlock(out: Uint8Array | Uint16Array, o: number, stride: number, v: number): void {
  for (let r = 0; r < 8; r++, o += stride) {
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    out[o + 3] = v;
    out[o + 4] = v;
    out[o + 5] = v;
    out[o + 6] = v;
    out[o + 7] = v;
  }
}

function badCategory(r: BitReader, s: number): never {
  throw new CodecError(`jpeg: bad huffman value (magnitude category ${s})`, {
    offset: r.offset(),
  });
}

/**
 * Decodes one block's coefficients into `coef` (natural order, quantized) and updates the
 * DC predictor `preds[ci]`. Returns the zig-zag index of the last AC coefficient (0 when
 * the block has only a DC value).
 */
function decodeBlock(
  r: BitReader,
  dc: HuffmanTable,
  ac: HuffmanTable,
  coef: Int16Array,
  preds: Int32Array,
  ci: number,
): number {
  const data = r.data;
  let buf = r.buf;
  let cnt = r.cnt;
  let pos = r.pos;
  let nextFF = r.nextFF;
  // DC difference.
  if (cnt < 16) {
    if (pos + 1 < nextFF) {
      buf = (buf << 16) | (data[pos] << 8) | data[pos + 1];
      pos += 2;
      cnt += 16;
    } else {
      r.fill();
      buf = r.buf;
      cnt = r.cnt;
      pos = r.pos;
      nextFF = r.nextFF;
    }
  }
  let e = dc.fast[(buf >>> (cnt - FAST_BITS)) & FAST_MASK];
  let diff = 0;
  if (e & 1) {
    cnt -= (e >> 1) & 31;
    diff = e >> 6;
  } else {
    let s: number;
    if (e !== 0) {
      cnt -= (e >> 1) & 31;
      s = e >> 6;
    } else {
      r.buf = buf;
      r.cnt = cnt;
      r.pos = pos;
      s = r.decodeSlow(dc);
      cnt = r.cnt;
    }
    if (s !== 0) {
      if (s > 15) {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        badCategory(r, s);
      }
      if (cnt < s) {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
      const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
      cnt -= s;
      diff = v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }
  }
  const dcv = preds[ci] + diff;
  preds[ci] = dcv;
  coef[0] = dcv;

  // AC coefficients.
  const fast = ac.fast;
  let last = 0;
  for (let k = 1; k < 64;) {
    if (cnt < 16) {
      if (pos + 1 < nextFF) {
        buf = (buf << 16) | (data[pos] << 8) | data[pos + 1];
        pos += 2;
        cnt += 16;
      } else {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
    }
    e = fast[(buf >>> (cnt - FAST_BITS)) & FAST_MASK];
    if (e & 1) {
      cnt -= (e >> 1) & 31;
      k += (e >> 6) & 15;
      coef[NATURAL_ORDER[k]] = e >> 10;
      last = k;
      k++;
      continue;
    }
    let rs: number;
    if (e !== 0) {
      cnt -= (e >> 1) & 31;
      rs = e >> 6;
    } else {
      r.buf = buf;
      r.cnt = cnt;
      r.pos = pos;
      rs = r.decodeSlow(ac);
      cnt = r.cnt;
    }
    const s = rs & 15;
    if (s !== 0) {
      k += rs >> 4;
      if (cnt < s) {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
      const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
      cnt -= s;
      coef[NATURAL_ORDER[k]] = v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
      last = k;
      k++;
    } else {
      if (rs !== 0xf0) break;
      k += 16;
    }
  }
  r.buf = buf;
  r.cnt = cnt;
  r.pos = pos;
  return last;
}

/** Decodes one sequential DCT scan into the planes of its components. */
export function decodeDctScan(frame: JpegFrame, scan: JpegScan, r: BitReader): void {
  const pass1 = frame.precision <= 8 ? 2 : 1;
  const limit = idctRangeLimit(frame.precision);
  const mask = limit.length - 1;
  const dcShift = pass1 + 3;
  const dcRound = 1 << (dcShift - 1);
  const coef = new Int16Array(64);
  const ws = new Int32Array(64);
  const preds = new Int32Array(scan.components.length);
  const ri = scan.restartInterval;
  const sc = scan.components;
  let toGo = ri;

  if (sc.length === 1) {
    const { component: c, dc, ac, quant } = sc[0];
    const plane = c.plane;
    const stride = c.stride;
    const q0 = quant[0];
    const bw = Math.ceil(c.width / 8);
    const bh = Math.ceil(c.height / 8);
    for (let by = 0; by < bh; by++) {
      for (let bx = 0; bx < bw; bx++) {
        if (ri) {
          if (toGo === 0) {
            r.restart();
            preds[0] = 0;
            toGo = ri;
          }
          toGo--;
        }
        const o = by * 8 * stride + bx * 8;
        if (decodeBlock(r, dc, ac, coef, preds, 0) === 0) {
          const v = limit[((Math.imul(coef[0], q0) << pass1) + dcRound) >> dcShift & mask];
          coef[0] = 0;
          fillBlock(plane, o, stride, v);
        } else {
          idctIslow(coef, quant, ws, plane, o, stride, limit, pass1);
        }
      }
    }
  } else {
    for (let my = 0; my < frame.mcuRows; my++) {
      for (let mx = 0; mx < frame.mcusPerLine; mx++) {
        if (ri) {
          if (toGo === 0) {
            r.restart();
            preds.fill(0);
            toGo = ri;
          }
          toGo--;
        }
        for (let i = 0; i < sc.length; i++) {
          const { component: c, dc, ac, quant } = sc[i];
          const plane = c.plane;
          const stride = c.stride;
          for (let v = 0; v < c.v; v++) {
            for (let h = 0; h < c.h; h++) {
              const o = ((my * c.v + v) * 8) * stride + (mx * c.h + h) * 8;
              if (decodeBlock(r, dc, ac, coef, preds, i) === 0) {
                const val =
                  limit[((Math.imul(coef[0], quant[0]) << pass1) + dcRound) >> dcShift & mask];
                coef[0] = 0;
                fillBlock(plane, o, stride, val);
              } else {
                idctIslow(coef, quant, ws, plane, o, stride, limit, pass1);
              }
            }
          }
        }
      }
    }
  }
}
