/**
 * Tests of `lib/dataset/_pyrepr.ts`: the expected strings are Python 3.11's own
 * `repr()` outputs, produced once and copied here.
 */
import assert from "node:assert/strict";
import { pyReprBytes, pyReprFloat, pyReprInt, pyReprStr, pyStrFloat } from "../lib/core/repr.ts";

const STR_CASES: [string, string][] = [
  ["", "''"],
  ["abc", "'abc'"],
  ["O'Neil", '"O\'Neil"'],
  ['say "hi"', "'say \"hi\"'"],
  ["both ' and \"", "'both \\' and \"'"],
  ["back\\slash", "'back\\\\slash'"],
  ["\u0009\u000a\u000d", "'\\t\\n\\r'"],
  ["\u0000\u001f\u007f", "'\\x00\\x1f\\x7f'"],
  ["\u0080\u009f\u00a0\u00ad", "'\\x80\\x9f\\xa0\\xad'"],
  ["é", "'é'"],
  ["ÿ", "'ÿ'"],
  ["\u3000", "'\\u3000'"],
  ["山田^太郎", "'山田^太郎'"],
  ["\u2028", "'\\u2028'"],
  ["\ufeff", "'\\ufeff'"],
  ["\ue000", "'\\ue000'"],
  ["😀", "'😀'"],
  ["\u{e0001}", "'\\U000e0001'"],
  ["\u{10ffff}", "'\\U0010ffff'"],
  ["\udcff", "'\\udcff'"],
  ["\u0378", "'\\u0378'"],
  ["\u{1f6dc}", "'\\U0001f6dc'"],
  ["\u{31350}", "'\\U00031350'"],
  ["\u0897", "'\\u0897'"],
  ["ﾔﾏﾀﾞ^ﾀﾛｳ", "'ﾔﾏﾀﾞ^ﾀﾛｳ'"],
  ["\u001b$)A张", "'\\x1b$)A张'"],
  ["Ω", "'Ω'"],
  ["\u00a0", "'\\xa0'"],
  ["Люкceмбypг", "'Люкceмбypг'"],
  ["قباني^لنزار", "'قباني^لنزار'"],
  ["\u200e", "'\\u200e'"],
  ["\u0085", "'\\x85'"],
  ["'\"\\", "'\\'\"\\\\'"],
];
const BYTES_CASES: [number[], string][] = [
  [[], "b''"],
  [[0, 1], "b'\\x00\\x01'"],
  [[39], 'b"\'"'],
  [[34], "b'\"'"],
  [[39, 34], "b'\\'\"'"],
  [[92], "b'\\\\'"],
  [[9, 10, 13], "b'\\t\\n\\r'"],
  [[127, 128, 255], "b'\\x7f\\x80\\xff'"],
  [[97, 98, 99], "b'abc'"],
  [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14],
    "b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x0b\\x0c\\x0e'",
  ],
  [[32, 126], "b' ~'"],
  [[27, 36, 66], "b'\\x1b$B'"],
];
const FLOAT_CASES: [number, string][] = [
  [0.0, "0.0"],
  [-0.0, "-0.0"],
  [1.0, "1.0"],
  [-1.0, "-1.0"],
  [0.1, "0.1"],
  [0.30000000000000004, "0.30000000000000004"],
  [1e+16, "1e+16"],
  [1000000000000000.0, "1000000000000000.0"],
  [9999999999999998.0, "9999999999999998.0"],
  [1.5e+16, "1.5e+16"],
  [0.0001, "0.0001"],
  [1e-05, "1e-05"],
  [1.5e-05, "1.5e-05"],
  [123456789012345.0, "123456789012345.0"],
  [1234567890123456.0, "1234567890123456.0"],
  [1.2345678901234568e+16, "1.2345678901234568e+16"],
  [5e-324, "5e-324"],
  [1.7976931348623157e+308, "1.7976931348623157e+308"],
  [NaN, "nan"],
  [Infinity, "inf"],
  [-Infinity, "-inf"],
  [2.5, "2.5"],
  [100.0, "100.0"],
  [1e+22, "1e+22"],
  [1e+100, "1e+100"],
  [0.001, "0.001"],
  [3.14159, "3.14159"],
  [-2.5e-07, "-2.5e-07"],
  [0.3333333333333333, "0.3333333333333333"],
  [0.6666666666666666, "0.6666666666666666"],
  [0.00012345, "0.00012345"],
  [123.456, "123.456"],
  [-0.5, "-0.5"],
  [4.35, "4.35"],
  [9007199254740992, "9007199254740992.0"],
  [18014398509481984, "1.8014398509481984e+16"],
  [1e-310, "1e-310"],
];

Deno.test("pyReprStr: quotes, escapes and printability as Python 3.11", () => {
  for (const [s, want] of STR_CASES) assert.equal(pyReprStr(s), want, JSON.stringify(s));
});

Deno.test("pyReprStr: characters assigned after Unicode 14 are escaped like unassigned ones", () => {
  // Python 3.11 uses the Unicode 14.0 database
  assert.equal(pyReprStr("\u{2ebf0}\u{1fadf}"), "'\\U0002ebf0\\U0001fadf'");
  assert.equal(pyReprStr("\u{1fad6}"), "'\u{1fad6}'");
});

Deno.test("pyReprBytes: repr of bytes as Python 3", () => {
  for (const [b, want] of BYTES_CASES) assert.equal(pyReprBytes(new Uint8Array(b)), want);
});

Deno.test("pyReprFloat and pyStrFloat: shortest round-trip digits as Python 3", () => {
  for (const [x, want] of FLOAT_CASES) {
    assert.equal(pyReprFloat(x), want, String(x));
    assert.equal(pyStrFloat(x), want, String(x));
  }
});

Deno.test("pyReprInt: decimal digits without exponent", () => {
  assert.equal(pyReprInt(0), "0");
  assert.equal(pyReprInt(-0), "0");
  assert.equal(pyReprInt(-42), "-42");
  assert.equal(pyReprInt(1e21), "1000000000000000000000");
  assert.equal(pyReprInt(2 ** 53), "9007199254740992");
  assert.equal(pyReprInt(-5n), "-5");
  assert.equal(pyReprInt(2n ** 64n), "18446744073709551616");
  assert.throws(() => pyReprInt(1.5), /expected an integer for pyReprInt, got 1.5/);
});
