/**
 * The two-byte code tables (JIS X 0208, JIS X 0212, KS X 1001, GB 2312, GBK, GB18030),
 * built lazily from the WHATWG decoders and patched to Python's, with reverse maps for encoding.
 *
 * @module
 */

import { inRanges } from "./_util.ts";
import { whatwgCells } from "./_whatwg.ts";

/** 94 x 94 table of a two-byte set decoded through a WHATWG EUC decoder. */
function euc94(label: string, prefix: number[]): Uint32Array {
  return whatwgCells(
    label,
    94 * 94,
    (i) => [...prefix, 0xa1 + Math.floor(i / 94), 0xa1 + (i % 94)],
  );
}

let jis0208Table: Uint32Array | undefined;
let jis0212Table: Uint32Array | undefined;
let ksx1001Table: Uint32Array | undefined;
let gb2Table: Uint32Array | undefined;
let gb4Table: Uint32Array | undefined;

/** Python's JIS X 0208 (`jisx0208` map): no NEC row 13, no IBM rows 89-92. */
function jis0208(): Uint32Array {
  if (jis0208Table) return jis0208Table;
  const t = euc94("euc-jp", []);
  for (let cell = 0; cell < 94; cell++) {
    t[(0x2d - 0x21) * 94 + cell] = 0;
    for (let row = 0x79; row <= 0x7c; row++) t[(row - 0x21) * 94 + cell] = 0;
  }
  const patch: [number, number][] = [
    [0x2141, 0x301c],
    [0x2142, 0x2016],
    [0x215d, 0x2212],
    [0x2171, 0x00a2],
    [0x2172, 0x00a3],
    [0x224c, 0x00ac],
  ];
  for (const [code, cp] of patch) t[((code >> 8) - 0x21) * 94 + (code & 0xff) - 0x21] = cp;
  jis0208Table = t;
  return t;
}

/** Python's JIS X 0212 (`jisx0212` map). */
function jis0212(): Uint32Array {
  if (jis0212Table) return jis0212Table;
  const t = euc94("euc-jp", [0x8f]);
  t[(0x22 - 0x21) * 94 + 0x37 - 0x21] = 0x007e;
  jis0212Table = t;
  return t;
}

/** Python's KS X 1001 (`ksx1001` map); WHATWG agrees on every cell. */
function ksx1001(): Uint32Array {
  ksx1001Table ??= euc94("euc-kr", []);
  return ksx1001Table;
}

/** GB18030 two-byte cells as Python decodes them, index (lead-0x81)*190+trail. */
function gb2(): Uint32Array {
  if (gb2Table) return gb2Table;
  const t = whatwgCells("gb18030", 126 * 190, (i) => {
    const trail = i % 190;
    return [0x81 + Math.floor(i / 190), trail < 0x3f ? trail + 0x40 : trail + 0x41];
  });
  // WHATWG follows GB18030-2022; Python 3.11 the 2000 edition
  const patch: [number, number][] = [
    [0xa3a0, 0xe5e5],
    [0xa6d9, 0xe78d],
    [0xa6da, 0xe78e],
    [0xa6db, 0xe78f],
    [0xa6dc, 0xe790],
    [0xa6dd, 0xe791],
    [0xa6de, 0xe792],
    [0xa6df, 0xe793],
    [0xa6ec, 0xe794],
    [0xa6ed, 0xe795],
    [0xa6f3, 0xe796],
    [0xa8bc, 0xe7c7],
    [0xfe59, 0xe81e],
    [0xfe61, 0xe826],
    [0xfe66, 0xe82b],
    [0xfe67, 0xe82c],
    [0xfe6d, 0xe832],
    [0xfe7e, 0xe843],
    [0xfe90, 0xe854],
    [0xfea0, 0xe864],
  ];
  for (const [code, cp] of patch) t[gbIndex(code >> 8, code & 0xff)] = cp;
  gb2Table = t;
  return t;
}

/** GB18030 four-byte BMP cells (linear index < 39420) as Python decodes them. */
export function gb4(): Uint32Array {
  if (gb4Table) return gb4Table;
  const t = whatwgCells("gb18030", 39420, (l) => [
    0x81 + Math.floor(l / 12600),
    0x30 + (Math.floor(l / 1260) % 10),
    0x81 + (Math.floor(l / 10) % 126),
    0x30 + (l % 10),
  ], true);
  t[7457] = 0x1e3f;
  gb4Table = t;
  return t;
}

function gbIndex(lead: number, trail: number): number {
  if (lead < 0x81 || lead > 0xfe) return -1;
  if (trail < 0x40 || trail === 0x7f || trail > 0xfe) return -1;
  return (lead - 0x81) * 190 + (trail < 0x7f ? trail - 0x40 : trail - 0x41);
}

/** GB18030 cells outside GBK that do not decode to the private use area. */
const GBK_EXCLUDED: readonly (readonly [number, number])[] = [
  [0xa2e3, 0xa2e3],
  [0xa8bf, 0xa8bf],
  [0xa989, 0xa995],
  [0xfe50, 0xfe50],
  [0xfe54, 0xfe58],
  [0xfe5a, 0xfe60],
  [0xfe62, 0xfe65],
  [0xfe68, 0xfe6b],
  [0xfe6e, 0xfe75],
  [0xfe77, 0xfe7d],
  [0xfe80, 0xfe8f],
  [0xfe92, 0xfe9f],
];

/** GBK cells inside the GB2312 area that GB2312 lacks. */
const GB2312_EXCLUDED: readonly (readonly [number, number])[] = [
  [0xa2a1, 0xa2aa],
  [0xa6e0, 0xa6eb],
  [0xa6ee, 0xa6f2],
  [0xa6f4, 0xa6f5],
  [0xa8bb, 0xa8bb],
  [0xa8bd, 0xa8be],
  [0xa8c0, 0xa8c0],
];

/** Python's `gb18030` two-byte decoding, or 0. */
export function gb18030Pair(lead: number, trail: number): number {
  const i = gbIndex(lead, trail);
  return i < 0 ? 0 : gb2()[i];
}

/** Python's `gbk` decoding of a pair, or 0. */
export function gbkPair(lead: number, trail: number): number {
  const cp = gb18030Pair(lead, trail);
  if (cp === 0 || (cp >= 0xe000 && cp <= 0xf8ff)) return 0;
  if (inRanges((lead << 8) | trail, GBK_EXCLUDED)) return 0;
  return cp;
}

/** Python's `gb2312` decoding of a pair, or 0. */
export function gb2312Pair(lead: number, trail: number): number {
  if (lead < 0xa1 || lead > 0xf7 || trail < 0xa1 || trail > 0xfe) return 0;
  if (lead === 0xa1 && trail === 0xa4) return 0x30fb;
  if (lead === 0xa1 && trail === 0xaa) return 0x2015;
  if (inRanges((lead << 8) | trail, GB2312_EXCLUDED)) return 0;
  return gbkPair(lead, trail);
}

export function jis0208Pair(c1: number, c2: number): number {
  if (c1 < 0x21 || c1 > 0x7e || c2 < 0x21 || c2 > 0x7e) return 0;
  return jis0208()[(c1 - 0x21) * 94 + c2 - 0x21];
}

export function jis0212Pair(c1: number, c2: number): number {
  if (c1 < 0x21 || c1 > 0x7e || c2 < 0x21 || c2 > 0x7e) return 0;
  return jis0212()[(c1 - 0x21) * 94 + c2 - 0x21];
}

export function ksx1001Pair(c1: number, c2: number): number {
  if (c1 < 0x21 || c1 > 0x7e || c2 < 0x21 || c2 > 0x7e) return 0;
  return ksx1001()[(c1 - 0x21) * 94 + c2 - 0x21];
}

// reverse maps for the encoders: code point -> two-byte code (first cell wins)

const reverseCache = new Map<string, Map<number, number>>();

function reverse94(name: string, table: () => Uint32Array): Map<number, number> {
  let map = reverseCache.get(name);
  if (map) return map;
  map = new Map();
  const t = table();
  for (let i = 0; i < t.length; i++) {
    const cp = t[i];
    if (cp !== 0 && !map.has(cp)) {
      map.set(cp, ((Math.floor(i / 94) + 0x21) << 8) | ((i % 94) + 0x21));
    }
  }
  reverseCache.set(name, map);
  return map;
}

export function jis0208Encoder(): Map<number, number> {
  return reverse94("jis0208", jis0208);
}

/** JIS X 0212 characters that are not in JIS X 0208 (Python's `jisxcommon`). */
export function jis0212Encoder(): Map<number, number> {
  let map = reverseCache.get("jis0212");
  if (map) return map;
  const all = reverse94("jis0212-all", jis0212);
  const j0208 = jis0208Encoder();
  map = new Map([...all].filter(([cp]) => !j0208.has(cp)));
  reverseCache.set("jis0212", map);
  return map;
}

export function ksx1001Encoder(): Map<number, number> {
  return reverse94("ksx1001", ksx1001);
}

function gbPairEncoder(name: string, pair: (lead: number, trail: number) => number) {
  let map = reverseCache.get(name);
  if (map) return map;
  map = new Map();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const cp = pair(lead, trail);
      if (cp !== 0 && !map.has(cp)) map.set(cp, (lead << 8) | trail);
    }
  }
  reverseCache.set(name, map);
  return map;
}

export function gb2312Encoder(): Map<number, number> {
  return gbPairEncoder("gb2312", gb2312Pair);
}

export function gbkEncoder(): Map<number, number> {
  return gbPairEncoder("gbk", gbkPair);
}

export function gb18030Encoder(): Map<number, number> {
  let map = reverseCache.get("gb18030");
  if (map) return map;
  map = new Map(gbPairEncoder("gb18030-2", gb18030Pair));
  const four = gb4();
  for (let l = 0; l < four.length; l++) {
    const cp = four[l];
    if (cp !== 0 && !map.has(cp)) map.set(cp, 0x1000000 | l);
  }
  reverseCache.set("gb18030", map);
  return map;
}
