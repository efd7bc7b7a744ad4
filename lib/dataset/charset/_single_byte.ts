/**
 * Python's single-byte codecs (`latin_1`, `ascii`, `iso8859_2` ... `iso8859_9`,
 * `tis_620`): WHATWG tables patched to Python's cells.
 *
 * @module
 */

import type { PyCodec } from "./_codec.ts";
import { UNDEFINED, whatwgSingleByte } from "./_whatwg.ts";

const singleByteCache = new Map<string, Uint16Array>();

function singleByteTable(name: string): Uint16Array {
  let table = singleByteCache.get(name);
  if (table) return table;
  switch (name) {
    case "latin_1":
      table = new Uint16Array(256);
      for (let i = 0; i < 256; i++) table[i] = i;
      break;
    case "ascii":
      table = new Uint16Array(256).fill(UNDEFINED);
      for (let i = 0; i < 128; i++) table[i] = i;
      break;
    case "iso8859_9":
      // WHATWG reads ISO-8859-9 as windows-1254; Python keeps C1 controls
      table = whatwgSingleByte("windows-1254");
      for (let i = 0x80; i < 0xa0; i++) table[i] = i;
      break;
    case "tis_620":
      // WHATWG reads TIS-620 as windows-874; Python keeps C1 controls, no 0xA0
      table = whatwgSingleByte("windows-874");
      for (let i = 0x80; i < 0xa0; i++) table[i] = i;
      table[0xa0] = UNDEFINED;
      break;
    default:
      // iso8859_2 ... iso8859_8: WHATWG and Python agree
      table = whatwgSingleByte(name.replace("iso8859_", "iso-8859-"));
  }
  singleByteCache.set(name, table);
  return table;
}

export function singleByteCodec(name: string): PyCodec {
  return {
    decode(b, strict) {
      const table = singleByteTable(name);
      let s = "";
      const chunk: number[] = [];
      for (let i = 0; i < b.length; i++) {
        let c = table[b[i]];
        if (c === UNDEFINED) {
          if (strict) return null;
          c = 0xfffd;
        }
        chunk.push(c);
        if (chunk.length === 8192) {
          s += String.fromCharCode(...chunk);
          chunk.length = 0;
        }
      }
      return s + String.fromCharCode(...chunk);
    },
    encode(cps, strict) {
      const map = singleByteEncoder(name);
      const out: number[] = [];
      for (let i = 0; i < cps.length; i++) {
        const b = map.get(cps[i]);
        if (b === undefined) {
          if (strict) return i;
          out.push(0x3f);
        } else out.push(b);
      }
      return out;
    },
  };
}

const encoderCache = new Map<string, Map<number, number>>();

function singleByteEncoder(name: string): Map<number, number> {
  let map = encoderCache.get(name);
  if (map) return map;
  map = new Map();
  const table = singleByteTable(name);
  for (let i = 0; i < 256; i++) if (table[i] !== UNDEFINED) map.set(table[i], i);
  encoderCache.set(name, map);
  return map;
}
