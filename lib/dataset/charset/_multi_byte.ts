/**
 * Python's stand-alone multi-byte codecs: `shift_jis`, `euc_kr`, `gb2312`, `gbk`, `gb18030`.
 *
 * @module
 */

import {
  gb18030Encoder,
  gb18030Pair,
  gb2312Encoder,
  gb2312Pair,
  gb4,
  gbkEncoder,
  gbkPair,
  jis0208Encoder,
  jis0208Pair,
  ksx1001Encoder,
  ksx1001Pair,
} from "./_cjk_tables.ts";
import { codePointsToString } from "./_util.ts";

/**
 * Runs a CJK multi-byte decoder step by step. `step(i)` returns the number of
 * bytes consumed after pushing code points, a negative number `-n` for an error
 * covering `n` bytes, or 0 when the input ends inside a character.
 */
export function runMultiByte(
  b: Uint8Array,
  strict: boolean,
  step: (i: number, out: number[]) => number,
): string | null {
  const out: number[] = [];
  let i = 0;
  while (i < b.length) {
    const n = step(i, out);
    if (n > 0) {
      i += n;
      continue;
    }
    if (strict) return null;
    out.push(0xfffd);
    i = n === 0 ? b.length : i - n;
  }
  return codePointsToString(out);
}

export function shiftJisDecode(b: Uint8Array, strict: boolean): string | null {
  return runMultiByte(b, strict, (i, out) => {
    const c = b[i];
    if (c < 0x80) {
      out.push(c);
      return 1;
    }
    if (c >= 0xa1 && c <= 0xdf) {
      out.push(0xfec0 + c);
      return 1;
    }
    if ((c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xea)) {
      if (i + 1 >= b.length) return 0;
      let c2 = b[i + 1];
      if (c2 < 0x40 || (c2 > 0x7e && c2 < 0x80) || c2 > 0xfc) return -1;
      let c1 = c < 0xe0 ? c - 0x81 : c - 0xc1;
      c2 = c2 < 0x80 ? c2 - 0x40 : c2 - 0x41;
      c1 = 2 * c1 + (c2 < 0x5e ? 0 : 1) + 0x21;
      c2 = (c2 < 0x5e ? c2 : c2 - 0x5e) + 0x21;
      const cp = jis0208Pair(c1, c2);
      if (cp === 0) return -1;
      out.push(cp);
      return 2;
    }
    return -1;
  });
}

const CGK_CHOSEONG: readonly number[] = [
  0,
  1,
  -1,
  2,
  -1,
  -1,
  3,
  4,
  5,
  -1,
  -1,
  -1,
  -1,
  -1,
  -1,
  -1,
  6,
  7,
  8,
  -1,
  9,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  17,
  18,
];
const CGK_JONGSEONG: readonly number[] = [
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  -1,
  8,
  9,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  17,
  -1,
  18,
  19,
  20,
  21,
  22,
  -1,
  23,
  24,
  25,
  26,
  27,
];

export function eucKrDecode(b: Uint8Array, strict: boolean): string | null {
  return runMultiByte(b, strict, (i, out) => {
    const c = b[i];
    if (c < 0x80) {
      out.push(c);
      return 1;
    }
    if (i + 1 >= b.length) return 0;
    if (c === 0xa4 && b[i + 1] === 0xd4) {
      // KS X 1001:1998 Annex 3 make-up sequence of four jamo
      if (i + 7 >= b.length) return 0;
      if (b[i + 2] !== 0xa4 || b[i + 4] !== 0xa4 || b[i + 6] !== 0xa4) return -1;
      const c3 = b[i + 3], c5 = b[i + 5], c7 = b[i + 7];
      const cho = c3 >= 0xa1 && c3 <= 0xbe ? CGK_CHOSEONG[c3 - 0xa1] : -1;
      const jung = c5 >= 0xbf && c5 <= 0xd3 ? c5 - 0xbf : -1;
      const jong = c7 === 0xd4 ? 0 : c7 >= 0xa1 && c7 <= 0xbe ? CGK_JONGSEONG[c7 - 0xa1] : -1;
      if (cho < 0 || jung < 0 || jong < 0) return -1;
      out.push(0xac00 + cho * 588 + jung * 28 + jong);
      return 8;
    }
    const cp = ksx1001Pair(c ^ 0x80, b[i + 1] ^ 0x80);
    if (cp === 0) return -1;
    out.push(cp);
    return 2;
  });
}

function gbFamilyDecoder(pair: (lead: number, trail: number) => number, fourByte: boolean) {
  return (b: Uint8Array, strict: boolean): string | null =>
    runMultiByte(b, strict, (i, out) => {
      let c = b[i];
      if (c < 0x80) {
        out.push(c);
        return 1;
      }
      if (i + 1 >= b.length) return 0;
      let c2 = b[i + 1];
      if (fourByte && c2 >= 0x30 && c2 <= 0x39) {
        if (i + 3 >= b.length) return 0;
        let c3 = b[i + 2], c4 = b[i + 3];
        if (c < 0x81 || c > 0xfe || c3 < 0x81 || c3 > 0xfe || c4 < 0x30 || c4 > 0x39) return -1;
        c -= 0x81;
        c2 -= 0x30;
        c3 -= 0x81;
        c4 -= 0x30;
        if (c < 4) {
          const l = (c * 10 + c2) * 1260 + c3 * 10 + c4;
          if (l < 39420) {
            out.push(gb4()[l]);
            return 4;
          }
        } else if (c >= 15) {
          const cp = 0x10000 + ((c - 15) * 10 + c2) * 1260 + c3 * 10 + c4;
          if (cp <= 0x10ffff) {
            out.push(cp);
            return 4;
          }
        }
        return -1;
      }
      const cp = pair(c, c2);
      if (cp === 0) return -1;
      out.push(cp);
      return 2;
    });
}

export const gb2312Decode = gbFamilyDecoder(gb2312Pair, false);
export const gbkDecode = gbFamilyDecoder(gbkPair, false);
export const gb18030Decode = gbFamilyDecoder(gb18030Pair, true);

function twoByteEncoder(
  map: () => Map<number, number>,
  toBytes: (code: number) => number[],
  extra?: (cp: number) => number[] | undefined,
) {
  return (cps: readonly number[], strict: boolean): number[] | number => {
    const m = map();
    const out: number[] = [];
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (c < 0x80) {
        out.push(c);
        continue;
      }
      const code = m.get(c);
      if (code !== undefined) {
        out.push(...toBytes(code));
        continue;
      }
      const more = extra?.(c);
      if (more) {
        out.push(...more);
        continue;
      }
      if (strict) return i;
      out.push(0x3f);
    }
    return out;
  };
}

const U2CGK_CHOSEONG = [
  0xa1,
  0xa2,
  0xa4,
  0xa7,
  0xa8,
  0xa9,
  0xb1,
  0xb2,
  0xb3,
  0xb5,
  0xb6,
  0xb7,
  0xb8,
  0xb9,
  0xba,
  0xbb,
  0xbc,
  0xbd,
  0xbe,
];
const U2CGK_JONGSEONG = [
  0xd4,
  0xa1,
  0xa2,
  0xa3,
  0xa4,
  0xa5,
  0xa6,
  0xa7,
  0xa9,
  0xaa,
  0xab,
  0xac,
  0xad,
  0xae,
  0xaf,
  0xb0,
  0xb1,
  0xb2,
  0xb4,
  0xb5,
  0xb6,
  0xb7,
  0xb8,
  0xba,
  0xbb,
  0xbc,
  0xbd,
  0xbe,
];

export const eucKrEncode = twoByteEncoder(ksx1001Encoder, (code) => [
  (code >> 8) | 0x80,
  (code & 0xff) | 0x80,
], (c) => {
  // hangul syllables outside KS X 1001 become an 8-byte make-up sequence
  if (c < 0xac00 || c > 0xd7a3) return undefined;
  const s = c - 0xac00;
  return [
    0xa4,
    0xd4,
    0xa4,
    U2CGK_CHOSEONG[Math.floor(s / 588)],
    0xa4,
    0xbf + (Math.floor(s / 28) % 21),
    0xa4,
    U2CGK_JONGSEONG[s % 28],
  ];
});

export const gb2312Encode = twoByteEncoder(gb2312Encoder, (code) => [code >> 8, code & 0xff]);
export const gbkEncode = twoByteEncoder(gbkEncoder, (code) => [code >> 8, code & 0xff]);
export const gb18030Encode = twoByteEncoder(gb18030Encoder, (code) => {
  if (code < 0x1000000) return [code >> 8, code & 0xff];
  const l = code & 0xffffff;
  return [
    0x81 + Math.floor(l / 12600),
    0x30 + (Math.floor(l / 1260) % 10),
    0x81 + (Math.floor(l / 10) % 126),
    0x30 + (l % 10),
  ];
}, (c) => {
  if (c < 0x10000 || c > 0x10ffff) return undefined;
  const l = c - 0x10000;
  return [
    0x90 + Math.floor(l / 12600),
    0x30 + (Math.floor(l / 1260) % 10),
    0x81 + (Math.floor(l / 10) % 126),
    0x30 + (l % 10),
  ];
});

/** Python's shift_jis encoding of one character, or undefined. */
export function shiftJisChar(c: number): number[] | undefined {
  if (c < 0x80) return [c];
  if (c === 0xa5) return [0x5c];
  if (c === 0x203e) return [0x7e];
  if (c >= 0xff61 && c <= 0xff9f) return [c - 0xfec0];
  const code = jis0208Encoder().get(c);
  if (code === undefined) return undefined;
  const k1 = code >> 8, k2 = code & 0xff;
  const t2 = ((k1 - 0x21) & 1 ? 0x5e : 0) + (k2 - 0x21);
  const t1 = (k1 - 0x21) >> 1;
  return [t1 < 0x1f ? t1 + 0x81 : t1 + 0xc1, t2 < 0x3f ? t2 + 0x40 : t2 + 0x41];
}

export function shiftJisEncode(cps: readonly number[], strict: boolean): number[] | number {
  const out: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const b = shiftJisChar(cps[i]);
    if (b) out.push(...b);
    else if (strict) return i;
    else out.push(0x3f);
  }
  return out;
}
