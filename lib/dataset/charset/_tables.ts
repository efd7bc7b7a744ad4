/**
 * pydicom's tables: Specific Character Set terms to Python encoding names, escape
 * sequences, and the VRs whose text follows the character set.
 *
 * @module
 */

export const ESC = 0x1b;
export const DEFAULT_ENCODING = "iso8859";

export const PYTHON_ENCODING: Record<string, string> = {
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

export const STAND_ALONE_ENCODINGS = new Set(["ISO_IR 192", "GBK", "GB18030"]);

/** Escape sequences (as latin-1 strings) and the Python encodings they select. */
export const CODES_TO_ENCODINGS: Record<string, string> = {
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

export const ENCODINGS_TO_CODES: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  for (const [code, enc] of Object.entries(CODES_TO_ENCODINGS)) out[enc] = code;
  out["shift_jis"] = "\x1b)I";
  return out;
})();

/** Encodings whose Python codec consumes the escape sequence itself. */
export const HANDLED_ENCODINGS = new Set(["iso2022_jp", "iso2022_jp_2", "iso_ir_58"]);
/** Encodings that need an escape back to the first character set at the end. */
export const NEED_TAIL_ESCAPE = new Set(["iso2022_jp", "iso2022_jp_2"]);

export const TEXT_VR_DELIMS = new Set([0x0d, 0x0a, 0x09, 0x0c]);
export const PN_DELIMS = new Set([0x5e]);
export const CUSTOMIZABLE_CHARSET_VR = new Set(["LO", "LT", "PN", "SH", "ST", "UC", "UT"]);
export const MULTI_VALUED_TEXT_VR = new Set(["LO", "PN", "SH", "UC"]);

/** Whether text of this VR follows Specific Character Set (no VR: plain text). */
export function isCustomizable(vr: string | undefined): boolean {
  return vr === undefined || CUSTOMIZABLE_CHARSET_VR.has(vr);
}
