/**
 * Python 3 `repr()` and `str()` of strings, bytes, floats and ints, character for
 * character, for printing datasets exactly as pydicom's `str(ds)` does.
 *
 * Printability follows the Unicode 14.0 database of Python 3.11 (the Python of
 * the pydicom 2.3.1 reference outputs): code points that later Unicode versions
 * assigned are still unprintable there and get escaped.
 *
 * @module
 */

/**
 * Code points assigned after Unicode 14.0 (up to the Unicode version of this
 * runtime's regular expressions) that Python 3.11 still treats as unassigned.
 */
const ASSIGNED_AFTER_UNICODE_14: readonly (readonly [number, number])[] = [
  [0x897, 0x897],
  [0xcf3, 0xcf3],
  [0xece, 0xece],
  [0x1b4e, 0x1b4f],
  [0x1b7f, 0x1b7f],
  [0x1c89, 0x1c8a],
  [0x2427, 0x2429],
  [0x2ffc, 0x2fff],
  [0x31e4, 0x31e5],
  [0x31ef, 0x31ef],
  [0xa7cb, 0xa7cd],
  [0xa7da, 0xa7dc],
  [0x105c0, 0x105f3],
  [0x10d40, 0x10d65],
  [0x10d69, 0x10d85],
  [0x10d8e, 0x10d8f],
  [0x10ec2, 0x10ec4],
  [0x10efc, 0x10eff],
  [0x1123f, 0x11241],
  [0x11380, 0x11389],
  [0x1138b, 0x1138b],
  [0x1138e, 0x1138e],
  [0x11390, 0x113b5],
  [0x113b7, 0x113c0],
  [0x113c2, 0x113c2],
  [0x113c5, 0x113c5],
  [0x113c7, 0x113ca],
  [0x113cc, 0x113d5],
  [0x113d7, 0x113d8],
  [0x113e1, 0x113e2],
  [0x116d0, 0x116e3],
  [0x11b00, 0x11b09],
  [0x11bc0, 0x11be1],
  [0x11bf0, 0x11bf9],
  [0x11f00, 0x11f10],
  [0x11f12, 0x11f3a],
  [0x11f3e, 0x11f5a],
  [0x1342f, 0x1342f],
  [0x13440, 0x13455],
  [0x13460, 0x143fa],
  [0x16100, 0x16139],
  [0x16d40, 0x16d79],
  [0x18cff, 0x18cff],
  [0x1b132, 0x1b132],
  [0x1b155, 0x1b155],
  [0x1cc00, 0x1ccf9],
  [0x1cd00, 0x1ceb3],
  [0x1d2c0, 0x1d2d3],
  [0x1df25, 0x1df2a],
  [0x1e030, 0x1e06d],
  [0x1e08f, 0x1e08f],
  [0x1e4d0, 0x1e4f9],
  [0x1e5d0, 0x1e5fa],
  [0x1e5ff, 0x1e5ff],
  [0x1f6dc, 0x1f6dc],
  [0x1f774, 0x1f776],
  [0x1f77b, 0x1f77f],
  [0x1f7d9, 0x1f7d9],
  [0x1f8b2, 0x1f8bb],
  [0x1f8c0, 0x1f8c1],
  [0x1fa75, 0x1fa77],
  [0x1fa87, 0x1fa89],
  [0x1fa8f, 0x1fa8f],
  [0x1faad, 0x1faaf],
  [0x1fabb, 0x1fabf],
  [0x1fac6, 0x1fac6],
  [0x1face, 0x1facf],
  [0x1fada, 0x1fadc],
  [0x1fadf, 0x1fadf],
  [0x1fae8, 0x1fae9],
  [0x1faf7, 0x1faf8],
  [0x1fbcb, 0x1fbef],
  [0x2b739, 0x2b739],
  [0x2ebf0, 0x2ee5d],
  [0x31350, 0x323af],
];

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python 3.11's `str.isprintable()` for one code point. */
function isPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  if (NON_PRINTABLE.test(String.fromCodePoint(cp))) return false;
  for (const [lo, hi] of ASSIGNED_AFTER_UNICODE_14) {
    if (cp >= lo && cp <= hi) return false;
    if (cp < lo) break;
  }
  return true;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

function chooseQuote(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}

/**
 * Python 3's `repr(s)` of a string: single quotes unless the text has `'` and no
 * `"`; `\\`, `\n`, `\r`, `\t` and the quote escaped; other control and unprintable
 * characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`; printable Unicode kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyReprStr } from "./repr.ts";
 * assert.equal(pyReprStr("O'Neil"), `"O'Neil"`);
 * assert.equal(pyReprStr("a\tb\u3000"), "'a\\tb\\u3000'");
 * ```
 */
export function pyReprStr(s: string): string {
  const quote = chooseQuote(s.includes("'"), s.includes('"'));
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
    else if (cp < 0x7f || isPrintable(cp)) out += ch;
    else if (cp <= 0xff) out += "\\x" + hex(cp, 2);
    else if (cp <= 0xffff) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return out + quote;
}

/**
 * Python 3's `repr(b)` of bytes: `b'...'` with printable ASCII kept, `\\`, `\n`,
 * `\r`, `\t` and the quote escaped, and every other byte as `\xNN`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyReprBytes } from "./repr.ts";
 * assert.equal(pyReprBytes(new Uint8Array([0x00, 0x01, 0x41])), "b'\\x00\\x01A'");
 * ```
 */
export function pyReprBytes(b: Uint8Array): string {
  const quote = chooseQuote(b.includes(0x27), b.includes(0x22));
  const q = quote.charCodeAt(0);
  let out = "b" + quote;
  for (const c of b) {
    if (c === q || c === 0x5c) out += "\\" + String.fromCharCode(c);
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += "\\x" + hex(c, 2);
    else out += String.fromCharCode(c);
  }
  return out + quote;
}

/**
 * Python 3's `repr(x)` of a float: the shortest digits that read back to `x`,
 * fixed notation with at least one decimal when the decimal exponent is in
 * [-4, 16), otherwise `d.ddde±XX`; `nan`, `inf`, `-inf`, `-0.0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyReprFloat } from "./repr.ts";
 * assert.equal(pyReprFloat(1), "1.0");
 * assert.equal(pyReprFloat(0.00001), "1e-05");
 * assert.equal(pyReprFloat(1.5e16), "1.5e+16");
 * ```
 */
export function pyReprFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without digits gives the shortest round-trip digits
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  const decpt = exp + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/**
 * Python 3's `str(x)` of a float, which is the same as its `repr`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyStrFloat } from "./repr.ts";
 * assert.equal(pyStrFloat(0.1 + 0.2), "0.30000000000000004");
 * ```
 */
export function pyStrFloat(x: number): string {
  return pyReprFloat(x);
}

/**
 * Python 3's `repr(n)` of an int: plain decimal digits, never an exponent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyReprInt } from "./repr.ts";
 * assert.equal(pyReprInt(1e21), "1000000000000000000000");
 * assert.equal(pyReprInt(-5n), "-5");
 * ```
 */
export function pyReprInt(x: number | bigint): string {
  if (typeof x === "bigint") return x.toString();
  if (!Number.isInteger(x)) throw new RangeError(`expected an integer for pyReprInt, got ${x}`);
  return BigInt(x).toString();
}
