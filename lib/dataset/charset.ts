/**
 * Text encodings for DICOM character strings, driven by (0008,0005) Specific
 * Character Set, with the exact results of pydicom 2.3.1.
 *
 * DICOM names a character repertoire per dataset: a single-byte set replacing the
 * default (`ISO_IR 100`), a stand-alone multi-byte set (`ISO_IR 192` = UTF-8,
 * `GB18030`, `GBK`), or ISO 2022 code extensions, where escape sequences switch
 * between the sets listed in the attribute (`\ISO 2022 IR 87` for Japanese kanji).
 *
 * The functions here reproduce pydicom 2.3.1 byte for byte, including its corner
 * cases, because the dataset printer must match `str(ds)`:
 *
 * - the default repertoire decodes as latin-1 (pydicom's `iso8859`), not ASCII;
 * - a value is cut at each escape sequence, and each part decoded with the
 *   character set the sequence names; after a single-byte switch, the first
 *   delimiter (CR, LF, TAB, FF for text, `^` inside a person name) returns to the
 *   first character set;
 * - person names are split at `=` into up to three components, each decoded on its
 *   own, and empty components at the end are dropped;
 * - an undecodable part is decoded again with the first character set, with U+FFFD
 *   replacing bad bytes, and a warning;
 * - `ISO 2022 IR 58` parts keep their escape sequence as text (pydicom 2.3.1 hands
 *   them to Python's `gb2312` codec, which does not understand escapes).
 *
 * Python's codecs are emulated here (`latin_1`, `iso8859_N`, `tis_620`,
 * `shift_jis`, `iso2022_jp`, `iso2022_jp_2`, `euc_kr`, `gb2312`, `gbk`, `gb18030`,
 * `utf_8`, `ascii`): their tables are taken from the WHATWG decoders of
 * `TextDecoder` where those agree with Python, with Python's differing cells
 * patched in, and their error handling follows CPython 3.11.
 *
 * @module
 */

/** Options of {@linkcode decodeText} and {@linkcode decodeValues}. */
export interface DecodeTextOptions {
  /**
   * Value representation of the element. `PN` decodes person-name components on
   * their own; `SH`, `LO`, `UC` and `PN` are split into values at `\`; VRs without a
   * replaceable repertoire (`AE`, `CS`, `DA`, `UI`, ...) are decoded as latin-1,
   * ignoring the character set, as pydicom does. Without a VR the bytes are one
   * text value.
   */
  vr?: string;
  /** Receives pydicom's warnings (unknown character sets, undecodable bytes). */
  onWarning?: (message: string) => void;
}

/** Options of {@linkcode encodeText}. */
export interface EncodeTextOptions {
  /** Value representation of the element, as for {@linkcode decodeText}. */
  vr?: string;
  /** Receives pydicom's warnings (unknown character sets, unencodable text). */
  onWarning?: (message: string) => void;
}

// ---------------------------------------------------------------------------
// pydicom's tables

const ESC = 0x1b;
const DEFAULT_ENCODING = "iso8859";

const PYTHON_ENCODING: Record<string, string> = {
  "": DEFAULT_ENCODING,
  "ISO_IR 6": DEFAULT_ENCODING,
  "ISO_IR 13": "shift_jis",
  "ISO_IR 100": "latin_1",
  "ISO_IR 101": "iso8859_2",
  "ISO_IR 109": "iso8859_3",
  "ISO_IR 110": "iso8859_4",
  "ISO_IR 126": "iso_ir_126",
  "ISO_IR 127": "iso_ir_127",
  "ISO_IR 138": "iso_ir_138",
  "ISO_IR 144": "iso_ir_144",
  "ISO_IR 148": "iso_ir_148",
  "ISO_IR 166": "iso_ir_166",
  "ISO 2022 IR 6": DEFAULT_ENCODING,
  "ISO 2022 IR 13": "shift_jis",
  "ISO 2022 IR 87": "iso2022_jp",
  "ISO 2022 IR 100": "latin_1",
  "ISO 2022 IR 101": "iso8859_2",
  "ISO 2022 IR 109": "iso8859_3",
  "ISO 2022 IR 110": "iso8859_4",
  "ISO 2022 IR 126": "iso_ir_126",
  "ISO 2022 IR 127": "iso_ir_127",
  "ISO 2022 IR 138": "iso_ir_138",
  "ISO 2022 IR 144": "iso_ir_144",
  "ISO 2022 IR 148": "iso_ir_148",
  "ISO 2022 IR 149": "euc_kr",
  "ISO 2022 IR 159": "iso2022_jp_2",
  "ISO 2022 IR 166": "iso_ir_166",
  "ISO 2022 IR 58": "iso_ir_58",
  "ISO_IR 192": "UTF8",
  "GB18030": "GB18030",
  "ISO 2022 GBK": "GBK",
  "ISO 2022 58": "GB2312",
  "GBK": "GBK",
};

const STAND_ALONE_ENCODINGS = new Set(["ISO_IR 192", "GBK", "GB18030"]);

/** Escape sequences (as latin-1 strings) and the Python encodings they select. */
const CODES_TO_ENCODINGS: Record<string, string> = {
  "\x1b(B": DEFAULT_ENCODING,
  "\x1b-A": "latin_1",
  "\x1b)I": "shift_jis",
  "\x1b(J": "shift_jis",
  "\x1b$B": "iso2022_jp",
  "\x1b-B": "iso8859_2",
  "\x1b-C": "iso8859_3",
  "\x1b-D": "iso8859_4",
  "\x1b-F": "iso_ir_126",
  "\x1b-G": "iso_ir_127",
  "\x1b-H": "iso_ir_138",
  "\x1b-L": "iso_ir_144",
  "\x1b-M": "iso_ir_148",
  "\x1b-T": "iso_ir_166",
  "\x1b$)C": "euc_kr",
  "\x1b$(D": "iso2022_jp_2",
  "\x1b$)A": "iso_ir_58",
};

const ENCODINGS_TO_CODES: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  for (const [code, enc] of Object.entries(CODES_TO_ENCODINGS)) out[enc] = code;
  out["shift_jis"] = "\x1b)I";
  return out;
})();

/** Encodings whose Python codec consumes the escape sequence itself. */
const HANDLED_ENCODINGS = new Set(["iso2022_jp", "iso2022_jp_2", "iso_ir_58"]);
/** Encodings that need an escape back to the first character set at the end. */
const NEED_TAIL_ESCAPE = new Set(["iso2022_jp", "iso2022_jp_2"]);

const TEXT_VR_DELIMS = new Set([0x0d, 0x0a, 0x09, 0x0c]);
const PN_DELIMS = new Set([0x5e]);
const CUSTOMIZABLE_CHARSET_VR = new Set(["LO", "LT", "PN", "SH", "ST", "UC", "UT"]);
const MULTI_VALUED_TEXT_VR = new Set(["LO", "PN", "SH", "UC"]);

// ---------------------------------------------------------------------------
// small helpers

type Warn = (message: string) => void;

function noWarn(_message: string): void {}

function latin1String(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, i + 8192));
  }
  return s;
}

function codePointsToString(cps: readonly number[]): string {
  let s = "";
  for (let i = 0; i < cps.length; i += 8192) {
    s += String.fromCodePoint(...cps.slice(i, i + 8192));
  }
  return s;
}

function stringToCodePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

function startsWith(b: Uint8Array, prefix: string): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (b[i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

function inRanges(value: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (const [lo, hi] of ranges) if (value >= lo && value <= hi) return true;
  return false;
}

// ---------------------------------------------------------------------------
// code tables, built lazily from the WHATWG decoders and patched to Python's

const UNDEFINED = 0xffff;

/** 256 code points of a WHATWG single-byte decoder; undefined bytes are 0xFFFF. */
function whatwgSingleByte(label: string): Uint16Array {
  const bytes = new Uint8Array(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  const text = new TextDecoder(label).decode(bytes);
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    const c = text.charCodeAt(i);
    table[i] = c === 0xfffd ? UNDEFINED : c;
  }
  return table;
}

/**
 * Decodes `count` fixed-length byte sequences with a WHATWG decoder, one code
 * point each; undecodable sequences become 0 unless the table is `complete` (has
 * a genuine U+FFFD cell).
 */
function whatwgCells(
  label: string,
  count: number,
  seq: (i: number) => number[],
  complete = false,
): Uint32Array {
  const first = seq(0);
  const width = first.length;
  const bytes = new Uint8Array(count * width);
  for (let i = 0; i < count; i++) bytes.set(seq(i), i * width);
  const text = new TextDecoder(label).decode(bytes);
  const table = new Uint32Array(count);
  let i = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    table[i++] = c === 0xfffd && !complete ? 0 : c;
  }
  if (i !== count) {
    throw new Error(`internal: ${label} table has ${i} cells instead of ${count}`);
  }
  return table;
}

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
function gb4(): Uint32Array {
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
function gb18030Pair(lead: number, trail: number): number {
  const i = gbIndex(lead, trail);
  return i < 0 ? 0 : gb2()[i];
}

/** Python's `gbk` decoding of a pair, or 0. */
function gbkPair(lead: number, trail: number): number {
  const cp = gb18030Pair(lead, trail);
  if (cp === 0 || (cp >= 0xe000 && cp <= 0xf8ff)) return 0;
  if (inRanges((lead << 8) | trail, GBK_EXCLUDED)) return 0;
  return cp;
}

/** Python's `gb2312` decoding of a pair, or 0. */
function gb2312Pair(lead: number, trail: number): number {
  if (lead < 0xa1 || lead > 0xf7 || trail < 0xa1 || trail > 0xfe) return 0;
  if (lead === 0xa1 && trail === 0xa4) return 0x30fb;
  if (lead === 0xa1 && trail === 0xaa) return 0x2015;
  if (inRanges((lead << 8) | trail, GB2312_EXCLUDED)) return 0;
  return gbkPair(lead, trail);
}

function jis0208Pair(c1: number, c2: number): number {
  if (c1 < 0x21 || c1 > 0x7e || c2 < 0x21 || c2 > 0x7e) return 0;
  return jis0208()[(c1 - 0x21) * 94 + c2 - 0x21];
}

function jis0212Pair(c1: number, c2: number): number {
  if (c1 < 0x21 || c1 > 0x7e || c2 < 0x21 || c2 > 0x7e) return 0;
  return jis0212()[(c1 - 0x21) * 94 + c2 - 0x21];
}

function ksx1001Pair(c1: number, c2: number): number {
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

function jis0208Encoder(): Map<number, number> {
  return reverse94("jis0208", jis0208);
}

/** JIS X 0212 characters that are not in JIS X 0208 (Python's `jisxcommon`). */
function jis0212Encoder(): Map<number, number> {
  let map = reverseCache.get("jis0212");
  if (map) return map;
  const all = reverse94("jis0212-all", jis0212);
  const j0208 = jis0208Encoder();
  map = new Map([...all].filter(([cp]) => !j0208.has(cp)));
  reverseCache.set("jis0212", map);
  return map;
}

function ksx1001Encoder(): Map<number, number> {
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

function gb2312Encoder(): Map<number, number> {
  return gbPairEncoder("gb2312", gb2312Pair);
}

function gbkEncoder(): Map<number, number> {
  return gbPairEncoder("gbk", gbkPair);
}

function gb18030Encoder(): Map<number, number> {
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

// ---------------------------------------------------------------------------
// Python codecs: decoders

/**
 * A Python codec. `decode` returns null on the first error when `strict`, or
 * replaces bad bytes with U+FFFD as Python's `errors="replace"` does. `encode`
 * takes code points and returns bytes, or, when `strict`, the index of the first
 * code point it cannot encode; otherwise it writes `?` for those.
 */
interface PyCodec {
  decode(b: Uint8Array, strict: boolean): string | null;
  encode(cps: readonly number[], strict: boolean): number[] | number;
}

function singleByteCodec(name: string): PyCodec {
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

function singleByteEncoder(name: string): Map<number, number> {
  let map = reverseCache.get("sb:" + name);
  if (map) return map;
  map = new Map();
  const table = singleByteTable(name);
  for (let i = 0; i < 256; i++) if (table[i] !== UNDEFINED) map.set(table[i], i);
  reverseCache.set("sb:" + name, map);
  return map;
}

const utf8Codec: PyCodec = {
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

/**
 * Runs a CJK multi-byte decoder step by step. `step(i)` returns the number of
 * bytes consumed after pushing code points, a negative number `-n` for an error
 * covering `n` bytes, or 0 when the input ends inside a character.
 */
function runMultiByte(
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

function shiftJisDecode(b: Uint8Array, strict: boolean): string | null {
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

function eucKrDecode(b: Uint8Array, strict: boolean): string | null {
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

const gb2312Decode = gbFamilyDecoder(gb2312Pair, false);
const gbkDecode = gbFamilyDecoder(gbkPair, false);
const gb18030Decode = gbFamilyDecoder(gb18030Pair, true);

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

const ISO2022_JP: Iso2022Config = {
  charsets: [CS_JISX0208, CS_JISX0201_R, CS_JISX0208_O],
  useG2: false,
};
const ISO2022_JP_2: Iso2022Config = {
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

function iso2022Decoder(config: Iso2022Config) {
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

// ---------------------------------------------------------------------------
// Python codecs: encoders

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

const eucKrEncode = twoByteEncoder(ksx1001Encoder, (code) => [
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

const gb2312Encode = twoByteEncoder(gb2312Encoder, (code) => [code >> 8, code & 0xff]);
const gbkEncode = twoByteEncoder(gbkEncoder, (code) => [code >> 8, code & 0xff]);
const gb18030Encode = twoByteEncoder(gb18030Encoder, (code) => {
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
function shiftJisChar(c: number): number[] | undefined {
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

function shiftJisEncode(cps: readonly number[], strict: boolean): number[] | number {
  const out: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const b = shiftJisChar(cps[i]);
    if (b) out.push(...b);
    else if (strict) return i;
    else out.push(0x3f);
  }
  return out;
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
class Iso2022Encoder {
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

function iso2022Encode(config: Iso2022Config) {
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

// ---------------------------------------------------------------------------
// codec registry: Python encoding names, normalized as `codecs.lookup` does

const CODEC_ALIASES: Record<string, string> = {};

function alias(target: string, names: string): void {
  for (const name of names.split(" ")) CODEC_ALIASES[name] = target;
}

alias(
  "latin_1",
  "iso8859 latin_1 latin1 latin l1 iso8859_1 iso_8859_1 8859 cp819 ibm819 csisolatin1 iso_ir_100 iso_8859_1_1987",
);
alias("ascii", "ascii us_ascii 646 us iso646_us iso_ir_6 ansi_x3.4_1968 ansi_x3.4_1986 cp367");
alias("iso8859_2", "iso8859_2 iso_8859_2 latin2 l2 iso_ir_101 csisolatin2");
alias("iso8859_3", "iso8859_3 iso_8859_3 latin3 l3 iso_ir_109 csisolatin3");
alias("iso8859_4", "iso8859_4 iso_8859_4 latin4 l4 iso_ir_110 csisolatin4");
alias("iso8859_5", "iso8859_5 iso_8859_5 cyrillic iso_ir_144 csisolatincyrillic");
alias("iso8859_6", "iso8859_6 iso_8859_6 arabic iso_ir_127 asmo_708 ecma_114 csisolatinarabic");
alias("iso8859_7", "iso8859_7 iso_8859_7 greek greek8 iso_ir_126 elot_928 ecma_118");
alias("iso8859_8", "iso8859_8 iso_8859_8 hebrew iso_ir_138 csisolatinhebrew");
alias("iso8859_9", "iso8859_9 iso_8859_9 latin5 l5 iso_ir_148 csisolatin5");
alias("tis_620", "tis_620 tis620 tis_620_0 tis_620_2529_0 tis_620_2529_1 iso_ir_166");
alias("utf_8", "utf8 utf_8 u8 utf utf8_ucs2 utf8_ucs4 cp65001");
alias("shift_jis", "shift_jis shiftjis sjis s_jis csshiftjis");
alias("euc_kr", "euc_kr euckr korean ksc5601 ks_c_5601 ks_c_5601_1987 ksx1001 ks_x_1001");
alias(
  "gb2312",
  "gb2312 iso_ir_58 chinese csiso58gb231280 euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80",
);
alias("gbk", "gbk 936 cp936 ms936");
alias("gb18030", "gb18030 gb18030_2000");
alias("iso2022_jp", "iso2022_jp iso_2022_jp iso2022jp csiso2022jp");
alias("iso2022_jp_2", "iso2022_jp_2 iso_2022_jp_2 iso2022jp_2");

function normalizeCodecName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, "_").replace(/^_+|_+$/g, "");
}

const codecCache = new Map<string, PyCodec>();

function makeCodec(canonical: string): PyCodec {
  switch (canonical) {
    case "utf_8":
      return utf8Codec;
    case "shift_jis":
      return { decode: shiftJisDecode, encode: shiftJisEncode };
    case "euc_kr":
      return { decode: eucKrDecode, encode: eucKrEncode };
    case "gb2312":
      return { decode: gb2312Decode, encode: gb2312Encode };
    case "gbk":
      return { decode: gbkDecode, encode: gbkEncode };
    case "gb18030":
      return { decode: gb18030Decode, encode: gb18030Encode };
    case "iso2022_jp":
      return { decode: iso2022Decoder(ISO2022_JP), encode: iso2022Encode(ISO2022_JP) };
    case "iso2022_jp_2":
      return { decode: iso2022Decoder(ISO2022_JP_2), encode: iso2022Encode(ISO2022_JP_2) };
    default:
      return singleByteCodec(canonical);
  }
}

/** The emulated Python codec for an encoding name, or undefined. */
function lookupCodec(name: string): PyCodec | undefined {
  const canonical = CODEC_ALIASES[normalizeCodecName(name)];
  if (canonical === undefined) return undefined;
  let codec = codecCache.get(canonical);
  if (!codec) {
    codec = makeCodec(canonical);
    codecCache.set(canonical, codec);
  }
  return codec;
}

function codecOf(name: string): PyCodec {
  const codec = lookupCodec(name);
  if (!codec) throw new Error(`internal: no codec for encoding "${name}"`);
  return codec;
}

// ---------------------------------------------------------------------------
// character set names -> Python encodings (pydicom's convert_encodings)

function pythonEncodingForCorrected(encoding: string, warn: Warn): string {
  let patched: string | undefined;
  if (/^ISO[^_]IR/.test(encoding)) patched = "ISO_IR" + encoding.slice(6);
  else if (/^(?=ISO.2022.IR.)(?!ISO 2022 IR )/.test(encoding)) {
    patched = "ISO 2022 IR " + encoding.slice(12);
  }
  if (patched !== undefined) {
    const py = Object.hasOwn(PYTHON_ENCODING, patched) ? PYTHON_ENCODING[patched] : undefined;
    if (py !== undefined) {
      warn(`Incorrect value for Specific Character Set '${encoding}' - assuming '${patched}'`);
      return py;
    }
    warn(`Unknown encoding '${encoding}' - using default encoding instead`);
    return DEFAULT_ENCODING;
  }
  // fallback: the value may already name a Python codec
  if (lookupCodec(encoding)) return encoding;
  warn(`Unknown encoding '${encoding}' - using default encoding instead`);
  return DEFAULT_ENCODING;
}

/**
 * Converts the values of Specific Character Set to pydicom's Python encoding
 * names, with pydicom's corrections and warnings.
 */
function convertEncodings(charsets: readonly string[], warn: Warn): string[] {
  const values = charsets.length ? [...charsets] : [""];
  if (!values[0]) values[0] = "ISO_IR 6";
  const py = values.map((v) =>
    Object.hasOwn(PYTHON_ENCODING, v) ? PYTHON_ENCODING[v] : pythonEncodingForCorrected(v, warn)
  );
  if (values.length > 1) {
    if (STAND_ALONE_ENCODINGS.has(values[0])) {
      warn(
        `Value '${values[0]}' for Specific Character Set does not allow code extensions, ` +
          `ignoring: ${values.slice(1).join(", ")}`,
      );
      return py.slice(0, 1);
    }
    for (let i = values.length - 1; i >= 1; i--) {
      if (STAND_ALONE_ENCODINGS.has(values[i])) {
        warn(`Value '${values[i]}' cannot be used as code extension, ignoring it`);
        py.splice(i, 1);
      }
    }
  }
  return py;
}

// ---------------------------------------------------------------------------
// decoding (pydicom's decode_bytes)

function decodeWith(encoding: string, b: Uint8Array, strict: boolean): string | null {
  return codecOf(encoding).decode(b, strict);
}

function decodeBytes(
  value: Uint8Array,
  encodings: readonly string[],
  delimiters: ReadonlySet<number>,
  warn: Warn,
): string {
  if (!value.includes(ESC)) {
    const first = encodings[0];
    const s = decodeWith(first, value, true);
    if (s !== null) return s;
    warn(
      `Failed to decode byte string with encoding '${first}' - ` +
        "using replacement characters in decoded string",
    );
    return decodeWith(first, value, false)!;
  }
  // parts: the bytes before the first ESC, then each ESC with what follows it
  let out = "";
  let start = 0;
  for (let i = 1; i <= value.length; i++) {
    if (i === value.length || value[i] === ESC) {
      out += decodeFragment(value.subarray(start, i), encodings, delimiters, warn);
      start = i;
    }
  }
  return out;
}

function decodeFragment(
  fragment: Uint8Array,
  encodings: readonly string[],
  delimiters: ReadonlySet<number>,
  warn: Warn,
): string {
  const s = fragment[0] === ESC
    ? decodeEscapedFragment(fragment, encodings, delimiters, warn)
    : decodeWith(encodings[0], fragment, true);
  if (s !== null) return s;
  warn(
    `Failed to decode byte string with encodings: ${encodings.join(", ")} - ` +
      "using replacement characters in decoded string",
  );
  return decodeWith(encodings[0], fragment, false)!;
}

/** Decodes a part starting with ESC; null when pydicom would fall back. */
function decodeEscapedFragment(
  fragment: Uint8Array,
  encodings: readonly string[],
  delimiters: ReadonlySet<number>,
  warn: Warn,
): string | null {
  const seqLength = startsWith(fragment, "\x1b$(") || startsWith(fragment, "\x1b$)") ? 4 : 3;
  const code = latin1String(fragment.subarray(0, seqLength));
  const encoding = Object.hasOwn(CODES_TO_ENCODINGS, code) ? CODES_TO_ENCODINGS[code] : "";
  if (encoding && (encodings.includes(encoding) || encoding === DEFAULT_ENCODING)) {
    if (HANDLED_ENCODINGS.has(encoding)) return decodeWith(encoding, fragment, true);
    const rest = fragment.subarray(seqLength);
    const index = rest.findIndex((c) => delimiters.has(c));
    if (index >= 0) {
      const head = decodeWith(encoding, rest.subarray(0, index), true);
      if (head === null) return null;
      const tail = decodeWith(encodings[0], rest.subarray(index), true);
      return tail === null ? null : head + tail;
    }
    return decodeWith(encoding, rest, true);
  }
  warn(`Found unknown escape sequence in encoded string value - using encoding ${encodings[0]}`);
  return decodeWith(encodings[0], fragment, false)!;
}

function decodePersonName(value: Uint8Array, encodings: readonly string[], warn: Warn): string {
  const comps: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === 0x3d) {
      comps.push(decodeBytes(value.subarray(start, i), encodings, PN_DELIMS, warn));
      start = i + 1;
    }
  }
  while (comps.length && !comps[comps.length - 1]) comps.pop();
  return comps.join("=");
}

function splitBytes(value: Uint8Array, sep: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === sep) {
      parts.push(value.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

function isCustomizable(vr: string | undefined): boolean {
  return vr === undefined || CUSTOMIZABLE_CHARSET_VR.has(vr);
}

/**
 * Decodes the bytes of a text value under (0008,0005) Specific Character Set, as
 * pydicom 2.3.1 does.
 *
 * `charsets` are the values of Specific Character Set (`[]` or `[""]` is the default
 * repertoire, which pydicom decodes as latin-1). Values of multi-valued VRs (`SH`,
 * `LO`, `UC`, `PN`) are decoded one by one and joined again with `\`; nothing is
 * trimmed (see {@linkcode decodeValues} for pydicom's values). Undecodable bytes
 * become U+FFFD, with a warning.
 *
 * @example Japanese person name with ISO 2022 escape sequences
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeText } from "./charset.ts";
 * const bytes = new Uint8Array([
 *   0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, 0x5e,
 *   0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42,
 * ]);
 * const name = decodeText(bytes, ["", "ISO 2022 IR 87"], { vr: "PN" });
 * assert.equal(name, "山田^太郎");
 * ```
 */
export function decodeText(
  bytes: Uint8Array,
  charsets: readonly string[],
  options: DecodeTextOptions = {},
): string {
  const { vr } = options;
  if (!isCustomizable(vr)) return latin1String(bytes);
  const warn = options.onWarning ?? noWarn;
  const encodings = convertEncodings(charsets, warn);
  if (vr !== undefined && MULTI_VALUED_TEXT_VR.has(vr)) {
    return splitBytes(bytes, 0x5c).map((v) =>
      vr === "PN"
        ? decodePersonName(v, encodings, warn)
        : decodeBytes(v, encodings, TEXT_VR_DELIMS, warn)
    ).join("\\");
  }
  return decodeBytes(bytes, encodings, TEXT_VR_DELIMS, warn);
}

/**
 * Decodes a whole element value into its values exactly as pydicom 2.3.1 stores
 * them: `PN` loses trailing spaces and NULs of the value and trailing empty
 * components of each name; `SH`, `LO`, `UC` values and `ST`, `LT`, `UT` texts lose
 * trailing spaces and NULs; other VRs are split at `\` and decoded as latin-1.
 * An empty value gives `[""]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeValues } from "./charset.ts";
 * const bytes = new TextEncoder().encode("Wang^XiaoDong=王^小東= ");
 * const names = decodeValues(bytes, ["ISO_IR 192"], { vr: "PN" });
 * assert.deepEqual(names, ["Wang^XiaoDong=王^小東"]);
 * ```
 */
export function decodeValues(
  bytes: Uint8Array,
  charsets: readonly string[],
  options: DecodeTextOptions = {},
): string[] {
  const { vr } = options;
  if (!isCustomizable(vr)) return latin1String(bytes).split("\\");
  const warn = options.onWarning ?? noWarn;
  const encodings = convertEncodings(charsets, warn);
  const strip = (s: string) => s.replace(/[\0 ]+$/, "");
  if (vr === "PN") {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
    return splitBytes(bytes.subarray(0, end), 0x5c).map((v) =>
      decodePersonName(v, encodings, warn)
    );
  }
  if (vr !== undefined && MULTI_VALUED_TEXT_VR.has(vr)) {
    return splitBytes(bytes, 0x5c).map((v) =>
      strip(decodeBytes(v, encodings, TEXT_VR_DELIMS, warn))
    );
  }
  return [strip(decodeBytes(bytes, encodings, TEXT_VR_DELIMS, warn))];
}

// ---------------------------------------------------------------------------
// encoding (pydicom's encode_string)

/** Python's UnicodeEncodeError start, or the bytes. */
type Encoded = number[] | number;

/** pydicom's `_encode_to_jis_x_0201` (single-byte JIS X 0201 only). */
function encodeJisX0201(cps: readonly number[], strict: boolean): Encoded {
  if (!strict || cps.length === 0) {
    const out: number[] = [];
    for (const c of cps) {
      const b = shiftJisChar(c);
      out.push(b && b.length === 1 && b[0] < 0x80 ? b[0] : 0x3f);
    }
    return out;
  }
  const first = shiftJisChar(cps[0]);
  if (!first || first.length !== 1) return 0;
  const msb = first[0] & 0x80;
  const out = [first[0]];
  for (let i = 1; i < cps.length; i++) {
    const b = shiftJisChar(cps[i]);
    if (!b || b.length !== 1 || (b[0] & 0x80) !== msb) return i;
    out.push(b[0]);
  }
  return out;
}

/** pydicom's `_encode_to_given_charset` for iso2022_jp / iso2022_jp_2. */
function encodeToGivenCharset(cps: readonly number[], encoding: string, strict: boolean): Encoded {
  const config = encoding === "iso2022_jp" ? ISO2022_JP : ISO2022_JP_2;
  if (!strict) return iso2022Encode(config)(cps, false);
  if (cps.length === 0) return [];
  const enc = new Iso2022Encoder(config);
  const lead = ENCODINGS_TO_CODES[encoding];
  const first = enc.encode(cps[0]);
  if (!first) return 0;
  for (let k = 0; k < lead.length; k++) if (first[k] !== lead.charCodeAt(k)) return 0;
  const out = [...first];
  for (let i = 1; i < cps.length; i++) {
    const b = enc.encode(cps[i]);
    if (!b || b[0] === ESC) return i;
    out.push(...b);
  }
  return out;
}

/** pydicom's `_encode_string_impl`. */
function encodeImpl(cps: readonly number[], encoding: string, strict: boolean): Encoded {
  if (encoding === "shift_jis") return encodeJisX0201(cps, strict);
  if (encoding === "iso2022_jp" || encoding === "iso2022_jp_2") {
    return encodeToGivenCharset(cps, encoding, strict);
  }
  return codecOf(encoding).encode(cps, strict);
}

function escapeFor(encoding: string, encoded: number[] | null): number[] {
  let code: string;
  if (encoding === "shift_jis") {
    code = encoded && encoded.length && encoded[0] >= 0x80 ? "\x1b)I" : "\x1b(J";
  } else code = ENCODINGS_TO_CODES[encoding] ?? "";
  return [...code].map((ch) => ch.charCodeAt(0));
}

function encodeStringParts(cps: readonly number[], encodings: readonly string[]): number[] | null {
  const out: number[] = [];
  let rest = cps;
  let best = DEFAULT_ENCODING;
  while (rest.length) {
    let maxIndex = 0;
    for (const encoding of encodings) {
      const r = encodeImpl(rest, encoding, true);
      if (typeof r !== "number") {
        best = encoding;
        maxIndex = rest.length;
        break;
      }
      if (r > maxIndex) {
        maxIndex = r;
        best = encoding;
      }
    }
    if (maxIndex === 0) return null;
    const part = encodeImpl(rest.slice(0, maxIndex), best, true);
    if (typeof part === "number") return null;
    if (!HANDLED_ENCODINGS.has(best)) out.push(...escapeFor(best, part));
    out.push(...part);
    rest = rest.slice(maxIndex);
  }
  if (NEED_TAIL_ESCAPE.has(best)) out.push(...escapeFor(encodings[0], null));
  return out;
}

function encodeString(cps: readonly number[], encodings: readonly string[], warn: Warn): number[] {
  // pydicom fails on empty text when the first set is iso2022_jp; nothing is right
  if (cps.length === 0) return [];
  for (let i = 0; i < encodings.length; i++) {
    const encoding = encodings[i];
    let encoded = encodeImpl(cps, encoding, true);
    if (typeof encoded === "number") continue;
    if (i > 0 && !HANDLED_ENCODINGS.has(encoding)) {
      encoded = [...escapeFor(encoding, encoded), ...encoded];
    }
    if (NEED_TAIL_ESCAPE.has(encoding)) encoded.push(...escapeFor(encodings[0], null));
    return encoded;
  }
  if (encodings.length > 1) {
    const parts = encodeStringParts(cps, encodings);
    if (parts) return parts;
  }
  warn(
    `Failed to encode value with encodings: ${encodings.join(", ")} - ` +
      "using replacement characters in encoded string",
  );
  return encodeImpl(cps, encodings[0], false) as number[];
}

function encodePersonName(name: string, encodings: readonly string[], warn: Warn): number[] {
  const comps = name.split("=");
  while (comps.length && !comps[comps.length - 1]) comps.pop();
  const encoded = comps.map((comp) => {
    const groups = comp.split("^").map((g) => encodeString(stringToCodePoints(g), encodings, warn));
    return groups.flatMap((g, i) => (i ? [0x5e, ...g] : g));
  });
  while (encoded.length && !encoded[encoded.length - 1].length) encoded.pop();
  return encoded.flatMap((c, i) => (i ? [0x3d, ...c] : c));
}

/**
 * Encodes text for writing, the inverse of {@linkcode decodeText}, with pydicom
 * 2.3.1's choices: each value (and for `PN` each name group) is encoded with the
 * first character set that can encode all of it, escape sequences are added for
 * code extensions, and text no single set can encode is split between them. Text
 * that cannot be encoded at all gets `?` in place of the bad characters, with a
 * warning. No padding is added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeText } from "./charset.ts";
 * const bytes = encodeText("Buc^Jérôme", ["ISO_IR 100"], { vr: "PN" });
 * assert.deepEqual([...bytes], [0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]);
 * ```
 */
export function encodeText(
  text: string,
  charsets: readonly string[],
  options: EncodeTextOptions = {},
): Uint8Array {
  const { vr } = options;
  if (!isCustomizable(vr)) {
    const cps = stringToCodePoints(text);
    const bad = cps.findIndex((c) => c > 0xff);
    if (bad >= 0) {
      throw new Error(
        `cannot encode character U+${
          cps[bad].toString(16).toUpperCase().padStart(4, "0")
        } at index ${bad} of a ${vr} value as latin-1`,
      );
    }
    return Uint8Array.from(cps);
  }
  const warn = options.onWarning ?? noWarn;
  const encodings = convertEncodings(charsets, warn);
  if (vr !== undefined && MULTI_VALUED_TEXT_VR.has(vr)) {
    const values = text.split("\\").map((v) =>
      vr === "PN"
        ? encodePersonName(v, encodings, warn)
        : encodeString(stringToCodePoints(v), encodings, warn)
    );
    return Uint8Array.from(values.flatMap((v, i) => (i ? [0x5c, ...v] : v)));
  }
  return Uint8Array.from(encodeString(stringToCodePoints(text), encodings, warn));
}

/**
 * The Python encodings pydicom 2.3.1 derives from Specific Character Set values
 * (`"iso8859"` for the default repertoire, `"latin_1"`, `"iso2022_jp"`, ...), after
 * its spelling corrections; unknown values become `"iso8859"` with a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonEncodings } from "./charset.ts";
 * const encodings = pythonEncodings(["", "ISO 2022 IR 87"]);
 * assert.deepEqual(encodings, ["iso8859", "iso2022_jp"]);
 * ```
 */
export function pythonEncodings(
  charsets: readonly string[],
  options: { onWarning?: (message: string) => void } = {},
): string[] {
  return convertEncodings(charsets, options.onWarning ?? noWarn);
}
