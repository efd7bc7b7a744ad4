/**
 * Python's `utf_8` codec.
 *
 * @module
 */

import type { PyCodec } from "./_codec.ts";

export const utf8Codec: PyCodec = {
  decode(b, strict) {
    try {
      return new TextDecoder("utf-8", { fatal: strict, ignoreBOM: true }).decode(b);
    } catch {
      return null;
    }
  },
  encode(cps, strict) {
    const out: number[] = [];
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (c >= 0xd800 && c <= 0xdfff) {
        if (strict) return i;
        out.push(0x3f);
      } else if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      else if (c < 0x10000) {
        out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
      } else {
        out.push(
          0xf0 | (c >> 18),
          0x80 | ((c >> 12) & 0x3f),
          0x80 | ((c >> 6) & 0x3f),
          0x80 | (c & 0x3f),
        );
      }
    }
    return out;
  },
};
