/**
 * Tests of `lib/dataset/charset.ts` against pydicom 2.3.1.
 *
 * The expected strings, bytes and warnings below were produced once by pydicom 2.3.1
 * (`charset.decode_bytes`, `charset.encode_string`, `values.convert_PN`,
 * `PersonName.encode`) on Python 3.11; the corpus tests compare with the oracle's
 * `str(ds)` output.
 */
import assert from "node:assert/strict";
import {
  decodeText,
  decodeValues,
  encodeText,
  pythonEncodings,
} from "../lib/dataset/charset/mod.ts";
import { pyReprStr } from "../lib/core/repr.ts";
import { CORPUS, corpusMissing, manifest } from "./_corpus.ts";

function hex(h: string): Uint8Array {
  return new Uint8Array(h.match(/../g)?.map((x) => parseInt(x, 16)) ?? []);
}

function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** Decodes and collects warnings. */
function decodeWarn(
  bytes: Uint8Array,
  charsets: string[],
  vr?: string,
): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const text = decodeText(bytes, charsets, { vr, onWarning: (m) => warnings.push(m) });
  return { text, warnings };
}

/** Bytes 0x80-0xFF decoded by pydicom under each single-byte set: [text, warnings]. */
const HIGH_HALF: Record<string, [string, number]> = {
  "": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ",
    0,
  ],
  "ISO_IR 6": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ",
    0,
  ],
  "ISO_IR 100": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ",
    0,
  ],
  "ISO_IR 101": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0Ą˘Ł¤ĽŚ§¨ŠŞŤŹ\u00adŽŻ°ą˛ł´ľśˇ¸šşťź˝žżŔÁÂĂÄĹĆÇČÉĘËĚÍÎĎĐŃŇÓÔŐÖ×ŘŮÚŰÜÝŢßŕáâăäĺćçčéęëěíîďđńňóôőö÷řůúűüýţ˙",
    0,
  ],
  "ISO_IR 109": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0Ħ˘£¤\ufffdĤ§¨İŞĞĴ\u00ad\ufffdŻ°ħ²³´µĥ·¸ışğĵ½\ufffdżÀÁÂ\ufffdÄĊĈÇÈÉÊËÌÍÎÏ\ufffdÑÒÓÔĠÖ×ĜÙÚÛÜŬŜßàáâ\ufffdäċĉçèéêëìíîï\ufffdñòóôġö÷ĝùúûüŭŝ˙",
    1,
  ],
  "ISO_IR 110": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0ĄĸŖ¤ĨĻ§¨ŠĒĢŦ\u00adŽ¯°ą˛ŗ´ĩļˇ¸šēģŧŊžŋĀÁÂÃÄÅÆĮČÉĘËĖÍÎĪĐŅŌĶÔÕÖ×ØŲÚÛÜŨŪßāáâãäåæįčéęëėíîīđņōķôõö÷øųúûüũū˙",
    0,
  ],
  "ISO_IR 126": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0‘’£€₯¦§¨©ͺ«¬\u00ad\ufffd―°±²³΄΅Ά·ΈΉΊ»Ό½ΎΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡ\ufffdΣΤΥΦΧΨΩΪΫάέήίΰαβγδεζηθικλμνξοπρςστυφχψωϊϋόύώ\ufffd",
    1,
  ],
  "ISO_IR 127": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0\ufffd\ufffd\ufffd¤\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd،\u00ad\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd؛\ufffd\ufffd\ufffd؟\ufffdءآأؤإئابةتثجحخدذرزسشصضطظعغ\ufffd\ufffd\ufffd\ufffd\ufffdـفقكلمنهوىيًٌٍَُِّْ\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd",
    1,
  ],
  "ISO_IR 138": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0\ufffd¢£¤¥¦§¨©×«¬\u00ad®¯°±²³´µ¶·¸¹÷»¼½¾\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd‗אבגדהוזחטיךכלםמןנסעףפץצקרשת\ufffd\ufffd\u200e\u200f\ufffd",
    1,
  ],
  "ISO_IR 144": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0ЁЂЃЄЅІЇЈЉЊЋЌ\u00adЎЏАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя№ёђѓєѕіїјљњћќ§ўџ",
    0,
  ],
  "ISO_IR 148": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏĞÑÒÓÔÕÖ×ØÙÚÛÜİŞßàáâãäåæçèéêëìíîïğñòóôõö÷øùúûüışÿ",
    0,
  ],
  "ISO_IR 166": [
    "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\ufffdกขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮฯะัาำิีึืฺุู\ufffd\ufffd\ufffd\ufffd฿เแโใไๅๆ็่้๊๋์ํ๎๏๐๑๒๓๔๕๖๗๘๙๚๛\ufffd\ufffd\ufffd\ufffd",
    1,
  ],
};

/** [what, charsets, value bytes (hex), pydicom's decode_bytes result, pydicom's warnings]. */
const DECODE_CASES: [string, string[], string, string, string[]][] = [
  [
    "JIS X 0208 cells where Python differs from WHATWG",
    ["", "ISO 2022 IR 87"],
    "1b2442214121422171217221721b2842",
    "〜‖¢££",
    [],
  ],
  [
    "NEC row 13 is not JIS X 0208 for Python",
    ["", "ISO 2022 IR 87"],
    "1b24422d211b2842",
    "\u001b$B-!",
    ["Failed to decode byte string with encodings: iso8859, iso2022_jp - using replacement characters in decoded string"],
  ],
  [
    "LF inside JIS X 0208 passes through",
    ["", "ISO 2022 IR 87"],
    "1b2442242424260a24281b2842",
    "いう\u000aえ",
    [],
  ],
  [
    "IR 13 katakana, JIS X 0208, JIS X 0201 roman",
    ["ISO 2022 IR 13", "ISO 2022 IR 87"],
    "b1b2b35e1b2442242224241b284a5c7e",
    "ｱｲｳ^あい\\~",
    [],
  ],
  [
    "ESC ) I katakana; CR resets to the first set",
    ["", "ISO 2022 IR 13"],
    "41421b2949b1b20d0ab1",
    "ABｱｲ\u000d\u000a±",
    [],
  ],
  [
    "JIS X 0212 via ESC $ ( D",
    ["", "ISO 2022 IR 87", "ISO 2022 IR 159"],
    "1b242844223722381b2842",
    "~΄",
    [],
  ],
  [
    "KS X 1001 via ESC $ ) C",
    ["", "ISO 2022 IR 149"],
    "1b242943c8ab5e1b242943b1e6b5bf",
    "홍^길동",
    [],
  ],
  [
    "GB2312 keeps its escape sequence (pydicom 2.3.1)",
    ["", "ISO 2022 IR 58"],
    "1b242941d5c5c8fd",
    "\u001b$)A张三",
    [],
  ],
  [
    "ESC - A latin-1, CRLF back to the first set",
    ["ISO 2022 IR 6", "ISO 2022 IR 100"],
    "4d1b2d41fc6c6c65720d0afc",
    "Müller\u000d\u000aü",
    [],
  ],
  [
    "Greek then latin-1",
    ["ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 126"],
    "1b2d46c4e9efedf5f3e9eff21b2d41e9",
    "Διονυσιοςé",
    [],
  ],
  [
    "Cyrillic then Thai",
    ["ISO 2022 IR 6", "ISO 2022 IR 144", "ISO 2022 IR 166"],
    "1b2d4cbbeeda1b2d54a1a2",
    "Люкกข",
    [],
  ],
  [
    "escape to a set not declared: warning, first set",
    ["ISO_IR 100"],
    "1b2442242424261b2842",
    "\u001b$B$$$&",
    ["Found unknown escape sequence in encoded string value - using encoding latin_1"],
  ],
  [
    "unknown escape sequence",
    ["", "ISO 2022 IR 87"],
    "1b2849b1",
    "\u001b(I±",
    ["Found unknown escape sequence in encoded string value - using encoding iso8859"],
  ],
  [
    "undecodable JIS part: first set with replacement",
    ["", "ISO 2022 IR 87"],
    "1b2442ff1b2842",
    "\u001b$Bÿ",
    ["Failed to decode byte string with encodings: iso8859, iso2022_jp - using replacement characters in decoded string"],
  ],
  [
    "KS X 1001 make-up sequence",
    ["", "ISO 2022 IR 149"],
    "1b242943a4d4a4a1a4bfa4d4",
    "가",
    [],
  ],
  [
    "GB18030 two- and four-byte, 2000 edition cells",
    ["GB18030"],
    "d5c581308130a8bc8135f437953291328431a437",
    "张\u0080\ue7c7ḿ𠂒\ufffd",
    [],
  ],
  [
    "GB18030 private use cells; lone 0x80",
    ["GB18030"],
    "a6d9fe5980",
    "\ue78d\ue81e\ufffd",
    ["Failed to decode byte string with encoding 'GB18030' - using replacement characters in decoded string"],
  ],
  [
    "GBK middle dot and dashes; A6D9 not in GBK",
    ["GBK"],
    "a1a4a1aaa844a6d9",
    "·—―\ufffd\ufffd",
    ["Failed to decode byte string with encoding 'GBK' - using replacement characters in decoded string"],
  ],
  [
    "ISO 2022 GBK",
    ["ISO 2022 GBK"],
    "c4e3bac3",
    "你好",
    [],
  ],
  [
    "UTF-8 keeps a BOM",
    ["ISO_IR 192"],
    "efbbbf41c3a9f09f9880",
    "\ufeffAé😀",
    [],
  ],
  [
    "invalid UTF-8",
    ["ISO_IR 192"],
    "41c3ffe282",
    "A\ufffd\ufffd\ufffd",
    ["Failed to decode byte string with encoding 'UTF8' - using replacement characters in decoded string"],
  ],
  [
    "shift_jis single and double bytes, errors",
    ["ISO_IR 13"],
    "5c7e80a0b1df818182a0e0408740",
    "\\~\ufffd\ufffdｱﾟ＝あ漾\ufffd@",
    ["Failed to decode byte string with encoding 'shift_jis' - using replacement characters in decoded string"],
  ],
  [
    "misspelled ISO_IR",
    ["ISO-IR 100"],
    "e9",
    "é",
    ["Incorrect value for Specific Character Set 'ISO-IR 100' - assuming 'ISO_IR 100'"],
  ],
  [
    "misspelled ISO 2022 IR",
    ["ISO 2022-IR 100"],
    "e9",
    "é",
    ["Incorrect value for Specific Character Set 'ISO 2022-IR 100' - assuming 'ISO 2022 IR 100'"],
  ],
  [
    "unknown character set",
    ["ISO_IR 999"],
    "e9",
    "é",
    ["Unknown encoding 'ISO_IR 999' - using default encoding instead"],
  ],
  [
    "a Python codec name",
    ["utf-8"],
    "c3a9",
    "é",
    [],
  ],
  [
    "stand-alone set with extensions",
    ["ISO_IR 192", "GB18030"],
    "c3a9",
    "é",
    ["Value 'ISO_IR 192' for Specific Character Set does not allow code extensions, ignoring: GB18030"],
  ],
  [
    "stand-alone set as extension",
    ["ISO 2022 IR 6", "ISO_IR 192"],
    "c3a9",
    "Ã©",
    ["Value 'ISO_IR 192' cannot be used as code extension, ignoring it"],
  ],
  [
    "undefined ISO 8859-6 byte",
    ["ISO_IR 127"],
    "a1",
    "\ufffd",
    ["Failed to decode byte string with encoding 'iso_ir_127' - using replacement characters in decoded string"],
  ],
];

/** [charsets, text, is PN, pydicom's bytes (hex), pydicom's warnings]. */
const ENCODE_CASES: [string[], string, boolean, string, string[]][] = [
  [["ISO_IR 100"], "Buc^Jérôme", true, "4275635e4ae972f46d65", []],
  [
    ["ISO_IR 192"],
    "Wang^XiaoDong=王^小東",
    true,
    "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db1",
    [],
  ],
  [["GB18030"], "ḿ€😀", false, "8135f437a2e39439fc36", []],
  [
    ["", "ISO 2022 IR 87"],
    "Yamada^Tarou=山田^太郎=やまだ^たろう",
    true,
    "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842",
    [],
  ],
  [
    ["ISO 2022 IR 13", "ISO 2022 IR 87"],
    "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
    true,
    "d4cfc0de5ec0dbb33d1b24423b3345441b284a5e1b244242404f3a1b284a3d1b24422464245e24401b284a5e1b2442243f246d24261b284a",
    [],
  ],
  [
    ["", "ISO 2022 IR 149"],
    "Hong^Gildong=洪^吉洞=홍^길동",
    true,
    "486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf",
    [],
  ],
  [["", "ISO 2022 IR 100"], "Müller", false, "4dfc6c6c6572", []],
  [["", "ISO 2022 IR 87"], "abc山田", false, "1b28426162631b24423b3345441b2842", []],
  [["", "ISO 2022 IR 87"], "山田abc", false, "1b24423b3345441b2842616263", []],
  [["", "ISO 2022 IR 87"], "Ω€", false, "3f3f", [
    "Failed to encode value with encodings: iso8859, iso2022_jp - using replacement characters in encoded string",
  ]],
  [
    ["ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 126"],
    "Διονυσιος",
    false,
    "1b2d46c4e9efedf5f3e9eff2",
    [],
  ],
  [
    ["ISO 2022 IR 6", "ISO 2022 IR 87", "ISO 2022 IR 159"],
    "丂山",
    false,
    "1b24284430211b24423b331b2842",
    [],
  ],
  [["", "ISO 2022 IR 13"], "ｱｲ", false, "1b2949b1b2", []],
  [["", "ISO 2022 IR 149"], "갂", false, "1b242943a4d4a4a1a4bfa4a2", []],
  [["GBK"], "·—―", false, "a1a4a1aaa844", []],
  [["", "ISO 2022 IR 58"], "张", false, "d5c5", []],
  [["ISO_IR 13"], "ｱA", false, "3f41", [
    "Failed to encode value with encodings: shift_jis - using replacement characters in encoded string",
  ]],
  [["ISO_IR 166"], "ไทย", false, "e4b7c2", []],
  [["ISO_IR 148"], "Ğİş", false, "d0ddfe", []],
  [["ISO_IR 192"], "é😀", false, "c3a9f09f9880", []],
  [
    ["ISO 2022 IR 6", "ISO 2022 IR 144", "ISO 2022 IR 100"],
    "Люкceмбypг Müller",
    false,
    "1b2d4cbbeeda6365dcd17970d3204d1b2842fc6c6c6572",
    [],
  ],
  [["", "ISO 2022 IR 87"], "Yamada^^=", true, "59616d6164615e5e", []],
  [[], "é", false, "e9", []],
];

/** [charsets, PN value bytes (hex), pydicom's PN values]. */
const PN_CASES: [string[], string, string[]][] = [
  [["ISO_IR 192"], "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d20", [
    "Wang^XiaoDong=王^小東",
  ]],
  [
    ["", "ISO 2022 IR 87"],
    "1b24422464245e24401b28425e1b2442243f246d24261b28425c1b24422464245e24401b28425e1b2442243f246d24261b284220",
    ["やまだ^たろう", "やまだ^たろう"],
  ],
  [["ISO_IR 100"], "413d5c423d3d00", ["A", "B"]],
  [["ISO_IR 100"], "2020", [""]],
];

Deno.test("charset: ASCII bytes decode to themselves under every single-byte set", () => {
  const ascii = new Uint8Array(127).map((_, i) => i + 1).filter((b) => b !== 0x1b);
  const want = String.fromCharCode(...ascii);
  for (const cs of Object.keys(HIGH_HALF)) {
    assert.equal(decodeText(ascii, [cs]), want, cs);
  }
});

Deno.test("charset: bytes 0x80-0xFF of each single-byte set as pydicom decodes them", () => {
  const high = new Uint8Array(128).map((_, i) => i + 0x80);
  for (const [cs, [want, warnings]] of Object.entries(HIGH_HALF)) {
    const got = decodeWarn(high, [cs]);
    assert.equal(got.text, want, cs);
    assert.equal(got.warnings.length, warnings, cs);
  }
});

Deno.test("charset: latin-1 keeps C1 controls where WHATWG would read windows-1252", () => {
  assert.equal(decodeText(hex("80939f"), ["ISO_IR 100"]), "\u0080\u0093\u009f");
  assert.equal(decodeText(hex("80d0fd"), ["ISO_IR 148"]), "\u0080Ğı");
  assert.equal(decodeText(hex("80a0a1"), ["ISO_IR 166"]), "\u0080\ufffd\u0e01");
});

Deno.test("charset: escape sequences, delimiters, fallbacks and warnings as pydicom", () => {
  for (const [what, charsets, value, want, warnings] of DECODE_CASES) {
    const got = decodeWarn(hex(value), charsets);
    assert.equal(got.text, want, what);
    assert.deepEqual(got.warnings, warnings, what);
  }
});

Deno.test("charset: PN values as pydicom's convert_PN gives them", () => {
  for (const [charsets, value, want] of PN_CASES) {
    assert.deepEqual(decodeValues(hex(value), charsets, { vr: "PN" }), want, value);
  }
});

Deno.test("charset: person name components are decoded one by one", () => {
  // '=' splits components before decoding, '^' returns to the first set after ESC - A
  const bytes = hex("1b2d4cbbeeda5e41423d1b2d4cbbee3d3d");
  assert.equal(
    decodeText(bytes, ["ISO 2022 IR 6", "ISO 2022 IR 144"], { vr: "PN" }),
    "Люк^AB=Лю",
  );
  // the same bytes as text: ESC - L holds until the end, '^' is no delimiter there
  assert.equal(
    decodeText(bytes, ["ISO 2022 IR 6", "ISO 2022 IR 144"]),
    "Люк^AB=Лю==",
  );
});

Deno.test("charset: decodeText joins values of multi-valued VRs, decodeValues trims them", () => {
  const bytes = hex("41e920205c42000020");
  assert.equal(decodeText(bytes, ["ISO_IR 100"], { vr: "LO" }), "Aé  \\B\0\0 ");
  assert.deepEqual(decodeValues(bytes, ["ISO_IR 100"], { vr: "LO" }), ["Aé", "B"]);
  assert.deepEqual(decodeValues(bytes, ["ISO_IR 100"], { vr: "LT" }), ["Aé  \\B"]);
  assert.deepEqual(decodeValues(new Uint8Array(), ["ISO_IR 100"], { vr: "SH" }), [""]);
});

Deno.test("charset: VRs without a replaceable repertoire ignore the character set", () => {
  // pydicom reads AE, CS, DA, UI, ... as latin-1 whatever (0008,0005) says
  assert.equal(decodeText(hex("c3a9"), ["ISO_IR 192"], { vr: "CS" }), "Ã©");
  assert.deepEqual(decodeValues(hex("415c42"), ["ISO_IR 192"], { vr: "CS" }), ["A", "B"]);
  assert.deepEqual([...encodeText("é", ["ISO_IR 192"], { vr: "CS" })], [0xe9]);
  assert.throws(
    () => encodeText("Ω", [], { vr: "CS" }),
    /cannot encode character U\+03A9 at index 0 of a CS value as latin-1/,
  );
});

Deno.test("charset: Specific Character Set values to pydicom's Python encodings", () => {
  const warnings: string[] = [];
  const onWarning = (m: string) => warnings.push(m);
  assert.deepEqual(pythonEncodings([]), ["iso8859"]);
  assert.deepEqual(pythonEncodings([""]), ["iso8859"]);
  assert.deepEqual(pythonEncodings(["", "ISO 2022 IR 87"]), ["iso8859", "iso2022_jp"]);
  assert.deepEqual(
    pythonEncodings(["ISO 2022 IR 13", "ISO 2022 IR 87", "ISO 2022 IR 159"]),
    ["shift_jis", "iso2022_jp", "iso2022_jp_2"],
  );
  assert.deepEqual(pythonEncodings(["ISO 2022 58"]), ["GB2312"]);
  // a value Python's codecs know is used as it is ("ISO_IR 100 " is latin-1's alias)
  assert.deepEqual(pythonEncodings(["ISO_IR 100 "], { onWarning }), ["ISO_IR 100 "]);
  assert.deepEqual(pythonEncodings(["ISO 2022 IR 6 ", "ISO 2022 IR 87"], { onWarning }), [
    "iso8859",
    "iso2022_jp",
  ]);
  assert.deepEqual(warnings, [
    "Unknown encoding 'ISO 2022 IR 6 ' - using default encoding instead",
  ]);
  assert.equal(decodeText(hex("e9"), ["ISO_IR 100 "]), "é");
});

Deno.test("charset: encoding as pydicom's encode_string and PersonName.encode", () => {
  for (const [charsets, text, isPN, want, warnings] of ENCODE_CASES) {
    const got: string[] = [];
    const bytes = encodeText(text, charsets, {
      vr: isPN ? "PN" : undefined,
      onWarning: (m) => got.push(m),
    });
    assert.equal(toHex(bytes), want, text);
    assert.deepEqual(got, warnings, text);
  }
});

Deno.test("charset: encodeText encodes values of multi-valued VRs one by one", () => {
  const charsets = ["", "ISO 2022 IR 87"];
  assert.equal(
    toHex(encodeText("山\\川", charsets, { vr: "LO" })),
    "1b24423b331b28425c1b2442406e1b2842",
  );
  // LT is one value: a backslash is text
  assert.equal(
    toHex(encodeText("山\\川", charsets, { vr: "LT" })),
    "1b24423b331b28425c1b2442406e1b2842",
  );
  assert.equal(toHex(encodeText("", charsets, { vr: "PN" })), "");
});

Deno.test("charset: encodeText and decodeText round trip", () => {
  const cases: [string[], string, string][] = [
    [["ISO_IR 100"], "Buc^Jérôme", "PN"],
    [["ISO_IR 192"], "Wang^XiaoDong=王^小東", "PN"],
    [["", "ISO 2022 IR 87"], "Yamada^Tarou=山田^太郎=やまだ^たろう", "PN"],
    [["ISO 2022 IR 13", "ISO 2022 IR 87"], "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", "PN"],
    [["", "ISO 2022 IR 149"], "Hong^Gildong=洪^吉洞=홍^길동", "PN"],
    [["", "ISO 2022 IR 87", "ISO 2022 IR 159"], "丂山\r\nabc", "LT"],
    [["GB18030"], "ḿ€😀张", "LO"],
    [["ISO_IR 126"], "Διονυσιος", "SH"],
    [["ISO_IR 127"], "قباني", "SH"],
    [["ISO_IR 138"], "שלום", "SH"],
    [["ISO_IR 144"], "Люкceмбypг", "SH"],
    [["ISO_IR 101"], "Łódź", "SH"],
  ];
  for (const [charsets, text, vr] of cases) {
    assert.equal(decodeText(encodeText(text, charsets, { vr }), charsets, { vr }), text, text);
  }
});

/** Patient names in the corpus's character set files and their oracle strings. */
const CORPUS_NAMES: [string, string[], string, string][] = [
  ["chrArab", ["ISO_IR 127"], "e2c8c7e6ea5ee4e6d2c7d120", "قباني^لنزار"],
  ["chrGreek", ["ISO_IR 126"], "c4e9efedf5f3e9eff220", "Διονυσιος"],
  [
    "chrH31",
    ["", "ISO 2022 IR 87"],
    "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e2440" +
    "1b28425e1b2442243f246d24261b2842",
    "Yamada^Tarou=山田^太郎=やまだ^たろう",
  ],
  [
    "chrI2",
    ["", "ISO 2022 IR 149"],
    "486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf",
    "Hong^Gildong=洪^吉洞=홍^길동",
  ],
  [
    "chrJapMulti",
    ["", "ISO 2022 IR 87"],
    "1b24422464245e24401b28425e1b2442243f246d24261b284220",
    "やまだ^たろう",
  ],
  ["chrRuss", ["ISO_IR 144"], "bbeeda6365dcd17970d3", "Люкceмбypг"],
  [
    "chrSQEncoding",
    ["ISO 2022 IR 13", "ISO 2022 IR 87"],
    "d4cfc0de5ec0dbb33d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e" +
    "1b2442243f246d24261b2842",
    "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
  ],
  [
    "chrX1",
    ["ISO_IR 192"],
    "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d20",
    "Wang^XiaoDong=王^小東",
  ],
  ["chrFren", ["ISO_IR 100"], "4275635e4ae972f46d65", "Buc^Jérôme"],
  ["chrGerm", ["ISO_IR 100"], "c46e6561735e52fc646967657220", "Äneas^Rüdiger"],
];

Deno.test("charset: patient names of the corpus character set files", () => {
  for (const [file, charsets, value, want] of CORPUS_NAMES) {
    assert.deepEqual(decodeValues(hex(value), charsets, { vr: "PN" }), [want], file);
  }
  // chrJapMulti (0010,1001) Other Patient Names, two values, and (0010,21B0) LT
  assert.deepEqual(
    decodeValues(
      hex(
        "1b24422464245e24401b28425e1b2442243f246d24261b28425c1b24422464245e24401b28425e1b2442" +
          "243f246d24261b284220",
      ),
      ["", "ISO 2022 IR 87"],
      { vr: "PN" },
    ),
    ["やまだ^たろう", "やまだ^たろう"],
  );
  assert.deepEqual(
    decodeValues(hex("1b2442243f246d24261b2842"), ["", "ISO 2022 IR 87"], { vr: "LT" }),
    ["たろう"],
  );
});

Deno.test("charset: corpus names match the bytes in the files and the oracle", () => {
  if (corpusMissing()) return;
  for (const [file, , value, want] of CORPUS_NAMES) {
    const bytes = Deno.readFileSync(`${CORPUS}/files/dev/${file}.dcm`);
    assert.ok(toHex(bytes).includes(value), `${file}: value bytes not found`);
    const oracle = Deno.readTextFileSync(`${CORPUS}/oracle/dev/${file}.dcm.txt`);
    assert.ok(oracle.includes(`(0010, 0010) Patient's Name`), file);
    assert.ok(oracle.includes(`PN: ${pyReprStr(want)}\n`), `${file}: oracle lacks ${want}`);
  }
});

/** Text elements of an explicit or implicit VR little endian Part 10 file (test-local scan). */
interface TextElement {
  tag: string;
  vr: string;
  depth: number;
  charsets: string[];
  bytes: Uint8Array;
}

const TEXT_VRS = new Set(["PN", "SH", "LO", "ST", "LT", "UT", "UC"]);
const LONG_VRS = new Set(["OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV"]);

function scanText(file: Uint8Array, implicit: boolean): TextElement[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: TextElement[] = [];
  let p = 132;
  const walk = (end: number, depth: number, inherited: string[]) => {
    let charsets = inherited;
    while (p + 8 <= end) {
      const group = dv.getUint16(p, true), elem = dv.getUint16(p + 2, true);
      if (group === 0xfffe) {
        const length = dv.getUint32(p + 4, true);
        p += 8;
        if (elem !== 0xe000) return;
        const stop = length === 0xffffffff ? end : p + length;
        walk(stop, depth, charsets);
        if (length !== 0xffffffff) p = stop;
        continue;
      }
      let vr = "";
      let length: number;
      if (implicit && group !== 2) {
        length = dv.getUint32(p + 4, true);
        p += 8;
        if (group === 8 && elem === 5) vr = "CS";
        else if (group === 0x10 && elem === 0x10) vr = "PN";
        else if (length === 0xffffffff) vr = "SQ";
      } else {
        vr = String.fromCharCode(file[p + 4], file[p + 5]);
        length = LONG_VRS.has(vr) ? dv.getUint32(p + 8, true) : dv.getUint16(p + 6, true);
        p += LONG_VRS.has(vr) ? 12 : 8;
      }
      if (vr === "SQ" || length === 0xffffffff) {
        const stop = length === 0xffffffff ? end : p + length;
        walk(stop, depth + 1, charsets);
        if (length !== 0xffffffff) p = stop;
        continue;
      }
      const bytes = file.subarray(p, p + length);
      p += length;
      if (group === 8 && elem === 5) {
        const text = String.fromCharCode(...bytes).replace(/[ \0]+$/, "");
        if (text) charsets = text.split("\\");
        continue;
      }
      if (TEXT_VRS.has(vr)) {
        const tag = `(${group.toString(16).padStart(4, "0")}, ${
          elem.toString(16).padStart(4, "0")
        })`;
        out.push({ tag, vr, depth, charsets, bytes });
      }
    }
  };
  walk(file.length, 0, [""]);
  return out;
}

Deno.test("charset: non-ASCII text of every corpus file with a character set matches the oracle", () => {
  if (corpusMissing()) return;
  const little = new Set(["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5"]);
  let checked = 0;
  for (const row of manifest()) {
    if (!row.charset) continue;
    const ts = row.transfer_syntax_uid;
    if (!little.has(ts) && !ts.startsWith("1.2.840.10008.1.2.4")) continue;
    const file = Deno.readFileSync(`${CORPUS}/${row.path}`);
    if (String.fromCharCode(...file.subarray(128, 132)) !== "DICM") continue;
    const oracle = Deno.readTextFileSync(
      `${CORPUS}/${row.path.replace("files/", "oracle/")}.txt`,
    ).split("\n");
    for (const el of scanText(file, ts === "1.2.840.10008.1.2")) {
      if (!el.bytes.some((b) => b >= 0x80 || b === 0x1b)) continue;
      const values = decodeValues(el.bytes, el.charsets, { vr: el.vr });
      if (values.length !== 1) continue;
      const shown = el.vr === "UT" && [...values[0]].length > 16
        ? `Array of ${[...values[0]].length} elements`
        : pyReprStr(values[0]);
      const lines = oracle.filter((l) => l.startsWith("   ".repeat(el.depth) + el.tag));
      assert.ok(
        lines.some((l) => l.endsWith(`${el.vr}: ${shown}`)),
        `${row.path} ${el.tag}: ${el.vr}: ${shown} not in ${JSON.stringify(lines)}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 15, `only ${checked} values checked`);
});

Deno.test("printable ASCII gives the same bytes in the default, latin-1 and UTF-8 sets as in latin-2", () => {
  const pieces = ["Doe", "^", "=", "\\", " ", "ANON", "1.2.3", "~", "", "x=y", "^^"];
  let seed = 7;
  for (let n = 0; n < 500; n++) {
    let text = "";
    for (let k = 0; k < 6; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      text += pieces[seed % pieces.length];
    }
    for (const vr of ["PN", "LO", "SH", "ST", "LT", "UT", "UC"]) {
      const general = encodeText(text, ["ISO_IR 101"], { vr });
      for (const set of [[], ["ISO_IR 100"], ["ISO_IR 192"]]) {
        assert.deepEqual(encodeText(text, set, { vr }), general, `${vr} ${set} ${text}`);
      }
    }
  }
});
