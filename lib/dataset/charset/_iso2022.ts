/**
 * ISO 2022 code extensions as Python's `iso2022_jp` and `iso2022_jp_2` codecs do them:
 * escape sequences designating G0/G2 sets, decoder and stateful encoder.
 *
 * @module
 */

import {
  gb2312Encoder,
  gb2312Pair,
  jis0208Encoder,
  jis0208Pair,
  jis0212Encoder,
  jis0212Pair,
  ksx1001Encoder,
  ksx1001Pair,
} from "./_cjk_tables.ts";
import { runMultiByte } from "./_multi_byte.ts";
import { ESC } from "./_tables.ts";

// ISO 2022 (Python's iso2022_jp and iso2022_jp_2)

const CS_ASCII = 0x42; // 'B'
const CS_ISO8859_1 = 0x41; // 'A', G2 only
const CS_ISO8859_7 = 0x46; // 'F', G2 only
const CS_JISX0201_R = 0x4a; // 'J'
const DBCS = 0x80;
const CS_GB2312 = 0x41 | DBCS;
const CS_JISX0208 = 0x42 | DBCS;
const CS_KSX1001 = 0x43 | DBCS;
const CS_JISX0212 = 0x44 | DBCS;
const CS_JISX0208_O = 0x40 | DBCS;

interface Iso2022Config {
  /** Designations in the order the encoder tries them. */
  charsets: readonly number[];
  useG2: boolean;
}

export const ISO2022_JP: Iso2022Config = {
  charsets: [CS_JISX0208, CS_JISX0201_R, CS_JISX0208_O],
  useG2: false,
};
export const ISO2022_JP_2: Iso2022Config = {
  charsets: [
    CS_JISX0208,
    CS_JISX0212,
    CS_KSX1001,
    CS_GB2312,
    CS_JISX0201_R,
    CS_JISX0208_O,
    CS_ISO8859_1,
    CS_ISO8859_7,
  ],
  useG2: true,
};

function isEscEnd(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x40;
}

/** Decodes one character of a designated set; width 1 or 2 bytes. */
function iso2022DecodeChar(charset: number, b: Uint8Array, i: number): number {
  switch (charset) {
    case CS_JISX0208:
    case CS_JISX0208_O:
      if (b[i] === 0x21 && b[i + 1] === 0x40) return 0xff3c;
      return jis0208Pair(b[i], b[i + 1]);
    case CS_JISX0212:
      return jis0212Pair(b[i], b[i + 1]);
    case CS_KSX1001:
      return ksx1001Pair(b[i], b[i + 1]);
    case CS_GB2312: {
      const c1 = b[i], c2 = b[i + 1];
      if (c1 < 0x21 || c1 > 0x7e || c2 < 0x21 || c2 > 0x7e) return 0;
      return gb2312Pair(c1 | 0x80, c2 | 0x80);
    }
    case CS_JISX0201_R: {
      const c = b[i];
      return c === 0x5c ? 0xa5 : c === 0x7e ? 0x203e : c;
    }
  }
  return 0;
}

/** ISO 8859-7 as CPython's iso2022 G2 decoder knows it (a 1987 subset). */
function iso8859_7G2(c: number): number {
  if (c < 0xa0) return c;
  if (c < 0xc0 && (0x288f3bc9 & (1 << (c - 0xa0))) !== 0) return c;
  if (c >= 0xb4 && c <= 0xfe && (c >= 0xd4 || (0xbffffd77 & (1 << (c - 0xb4))) !== 0)) {
    return 0x02d0 + c;
  }
  if (c === 0xa1) return 0x2018;
  if (c === 0xa2) return 0x2019;
  if (c === 0xaf) return 0x2015;
  return 0;
}

export function iso2022Decoder(config: Iso2022Config) {
  return (b: Uint8Array, strict: boolean): string | null => {
    const g = [CS_ASCII, CS_ASCII, CS_ASCII];
    let escThroughout = false;
    // returns the escape sequence length, -n for an error of n bytes, 0 too few
    const processEsc = (i: number): number => {
      let esclen = 0;
      let k = 1;
      for (; k < 16; k++) {
        if (i + k >= b.length) return 0;
        if (isEscEnd(b[i + k])) {
          esclen = k + 1;
          break;
        } else if (i + k + 1 < b.length && b[i + k] === 0x26 && b[i + k + 1] === 0x40) {
          k += 2;
        }
      }
      if (k >= 16) return -1;
      let charset: number;
      let designation: number;
      const in2 = b[i + 1], in3 = b[i + 2];
      if (esclen === 3) {
        if (in2 === 0x24) {
          charset = in3 | DBCS;
          designation = 0;
        } else {
          charset = in3;
          if (in2 === 0x28) designation = 0;
          else if (in2 === 0x29) designation = 1;
          else if (config.useG2 && in2 === 0x2e) designation = 2;
          else return -3;
        }
      } else if (esclen === 4) {
        if (in2 !== 0x24) return -4;
        charset = b[i + 3] | DBCS;
        if (in3 === 0x28) designation = 0;
        else if (in3 === 0x29) designation = 1;
        else return -4;
      } else if (esclen === 6) {
        if (b[i + 3] === ESC && b[i + 4] === 0x24 && b[i + 5] === 0x42) {
          charset = CS_JISX0208;
          designation = 0;
        } else return -6;
      } else return -esclen;
      if (charset !== CS_ASCII && !config.charsets.includes(charset)) return -esclen;
      g[designation] = charset;
      return esclen;
    };
    return runMultiByte(b, strict, (i, out) => {
      const c = b[i];
      if (escThroughout) {
        out.push(c);
        if (isEscEnd(c)) escThroughout = false;
        return 1;
      }
      if (c === ESC) {
        if (i + 1 >= b.length) return 0;
        const c2 = b[i + 1];
        if (c2 === 0x28 || c2 === 0x29 || c2 === 0x24 || c2 === 0x2e || c2 === 0x26) {
          return processEsc(i);
        }
        if (config.useG2 && c2 === 0x4e) {
          if (i + 2 >= b.length) return 0;
          const c3 = b[i + 2];
          let cp: number;
          if (g[2] === CS_ISO8859_1) {
            if (c3 >= 0x80) return -3;
            cp = c3 + 0x80;
          } else if (g[2] === CS_ISO8859_7) {
            cp = iso8859_7G2(c3 ^ 0x80);
            if (cp === 0) return -3;
          } else {
            if (c3 & 0x80) return -3;
            cp = c3;
          }
          out.push(cp);
          return 3;
        }
        out.push(ESC);
        escThroughout = true;
        return 1;
      }
      if (c === 0x0a || c < 0x20) {
        // LF, SI, SO and other C0 controls pass through (no shifts in iso2022_jp*)
        out.push(c);
        return 1;
      }
      if (c >= 0x80) return -1;
      const charset = g[0];
      if (charset === CS_ASCII) {
        out.push(c);
        return 1;
      }
      const width = charset & DBCS ? 2 : 1;
      if (i + width > b.length) return 0;
      const cp = iso2022DecodeChar(charset, b, i);
      if (cp === 0) return -width;
      out.push(cp);
      return width;
    });
  };
}

/** Encodes one character for an iso2022 designation, or undefined. */
function iso2022EncodeChar(charset: number, c: number): number[] | undefined {
  let code: number | undefined;
  switch (charset) {
    case CS_JISX0208:
    case CS_JISX0208_O:
      code = jis0208Encoder().get(c);
      break;
    case CS_JISX0212:
      code = jis0212Encoder().get(c);
      break;
    case CS_KSX1001:
      code = ksx1001Encoder().get(c);
      break;
    case CS_GB2312: {
      const gb = gb2312Encoder().get(c);
      code = gb === undefined ? undefined : gb & 0x7f7f;
      break;
    }
    case CS_JISX0201_R:
      if (c < 0x80 && c !== 0x5c && c !== 0x7e) return [c];
      if (c === 0xa5) return [0x5c];
      if (c === 0x203e) return [0x7e];
      return undefined;
    default:
      return undefined;
  }
  return code === undefined ? undefined : [code >> 8, code & 0xff];
}

/** An iso2022 encoder state, fed one character at a time like Python's. */
export class Iso2022Encoder {
  #g0 = CS_ASCII;
  constructor(readonly config: Iso2022Config) {}

  /** Bytes for one character, or undefined if no designation has it. */
  encode(c: number): number[] | undefined {
    if (c < 0x80) {
      const out: number[] = [];
      if (this.#g0 !== CS_ASCII) {
        out.push(ESC, 0x28, 0x42);
        this.#g0 = CS_ASCII;
      }
      out.push(c);
      return out;
    }
    for (const charset of this.config.charsets) {
      const bytes = iso2022EncodeChar(charset, c);
      if (!bytes) continue;
      const out: number[] = [];
      if (this.#g0 !== charset) {
        if (!(charset & DBCS)) out.push(ESC, 0x28, charset);
        else if (charset === CS_JISX0208) out.push(ESC, 0x24, 0x42);
        else out.push(ESC, 0x24, 0x28, charset & 0x7f);
        this.#g0 = charset;
      }
      out.push(...bytes);
      return out;
    }
    return undefined;
  }

  /** The escape back to ASCII that Python writes when a string ends. */
  reset(): number[] {
    if (this.#g0 === CS_ASCII) return [];
    this.#g0 = CS_ASCII;
    return [ESC, 0x28, 0x42];
  }
}

export function iso2022Encode(config: Iso2022Config) {
  return (cps: readonly number[], strict: boolean): number[] | number => {
    const enc = new Iso2022Encoder(config);
    const out: number[] = [];
    for (let i = 0; i < cps.length; i++) {
      const b = enc.encode(cps[i]);
      if (b) out.push(...b);
      else if (strict) return i;
      else out.push(...enc.encode(0x3f)!);
    }
    out.push(...enc.reset());
    return out;
  };
}
