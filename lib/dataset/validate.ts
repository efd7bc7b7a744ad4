/**
 * Checks a value against its VR (PS3.5 section 6.2: length, character repertoire,
 * syntax, numeric range), the dictionary's value multiplicity and the dataset's
 * Specific Character Set, before a dataset stores it. `Dataset.set` and keyword
 * assignment (`ds.PatientName = "..."`) call {@linkcode checkValue}.
 *
 * Valid values are stored as given, except these documented normalisations, so that a
 * value reads back the same after `write` and `read`:
 *
 * - DS and IS text becomes numbers (`"1.50"` is stored as `1.5`); a DS number that needs
 *   more than 16 characters is rounded to the 16-character text the writer would write;
 * - FL numbers are rounded to 32-bit floats (`Math.fround`);
 * - SV and UV numbers become `bigint`s;
 * - a text value holding backslashes in a multi-valued VR (`"ORIGINAL\\PRIMARY"`) is split
 *   into its values, as reading the written file would;
 * - PN strings become `PersonName`s;
 * - a list of one value is stored as that value, as reading gives it.
 *
 * @module
 */

import { formatTag } from "../core/tag.ts";
import { InvalidValueError, type InvalidValueRule } from "../core/errors.ts";
import { pyStrFloat } from "../core/repr.ts";
import { encodeText } from "./charset/mod.ts";
import { PersonName } from "./person_name.ts";
import type { DatasetLike, ElementValue } from "./element.ts";

/** What a user may assign: the stored value types, plus text for DS/IS and mixed lists. */
export type AssignableValue =
  | ElementValue
  | (number | string | null)[]
  | (string | PersonName)[]
  | DatasetLike[];

/**
 * How strictly values are checked on assignment, as pydicom's `writing_validation_mode`:
 * `"raise"` refuses a bad value with an {@linkcode InvalidValueError} (the default),
 * `"warn"` stores it and adds a line to the dataset's `warnings`, `"ignore"` stores it
 * unchecked and unchanged.
 */
export type ValidationMode = "raise" | "warn" | "ignore";

/** Options of {@linkcode checkValue}. */
export interface CheckValueOptions {
  /**
   * The Specific Character Set the value will be encoded with; `[]` is ISO-IR 6 (ASCII).
   *
   * @default {[]}
   */
  charset?: readonly string[];
  /**
   * The keyword to name in messages; `""` for private tags.
   *
   * @default {""}
   */
  keyword?: string;
  /**
   * The dictionary VM (`"1"`, `"1-n"`, `"2-2n"`, ...).
   *
   * @default {undefined} (the value multiplicity is not checked)
   */
  vm?: string;
}

/** A checked value and the VR it will be stored with. */
export interface CheckedValue {
  /** The VR: the given one, or one of an ambiguous dictionary VR chosen by the value. */
  vr: string;
  /** The value, normalised as the module documentation says. */
  value: ElementValue;
}

const MAX_LENGTH: Record<string, number> = {
  AE: 16,
  AS: 4,
  CS: 16,
  DA: 8,
  DS: 16,
  DT: 26,
  IS: 12,
  LO: 64,
  LT: 10240,
  PN: 64,
  SH: 16,
  ST: 1024,
  TM: 14,
  UC: 0xfffffffe,
  UI: 64,
  UR: 0xfffffffe,
  UT: 0xfffffffe,
};

/** Text VRs whose values are split at backslashes. */
const MULTI_TEXT = new Set([
  "AE",
  "AS",
  "CS",
  "DA",
  "DS",
  "DT",
  "IS",
  "LO",
  "PN",
  "SH",
  "TM",
  "UC",
  "UI",
]);
/** Text VRs in the Specific Character Set. */
const CHARSET_TEXT = new Set(["SH", "LO", "ST", "LT", "UC", "UT", "PN"]);
/** Text VRs that allow the format effectors CR, LF, FF and TAB. */
const LONG_TEXT = new Set(["ST", "LT", "UT"]);

const INT_RANGE: Record<string, [number, number]> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: [-0x80000000, 0x7fffffff],
  AT: [0, 0xffffffff],
};
const BIG_RANGE: Record<string, [bigint, bigint]> = {
  SV: [-(1n << 63n), (1n << 63n) - 1n],
  UV: [0n, (1n << 64n) - 1n],
};

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const TM = /^([01]\d|2[0-3])([0-5]\d(([0-5]\d|60)(\.\d{1,6})?)?)?$/;
const DT =
  /^(\d{4})((0[1-9]|1[0-2])((0[1-9]|[12]\d|3[01])(([01]\d|2[0-3])([0-5]\d(([0-5]\d|60)(\.\d{1,6})?)?)?)?)?)?([+-](0\d|1[0-4])[0-5]\d)?$/;
const AS = /^\d{3}[DWMY]$/;
const DS = /^ *[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)? *$/;
const IS = /^ *[+-]?\d+ *$/;
const UI = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

/** What each structured text VR looks like, for messages. */
const FORM: Record<string, string> = {
  AS: "nnnD, nnnW, nnnM or nnnY, as 090Y",
  DA: "a date YYYYMMDD",
  DT: "YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]",
  TM: "a time HH[MM[SS[.FFFFFF]]]",
  UI: "numbers without leading zeros joined by dots, as 1.2.840.10008",
  DS: "a decimal number such as -1.5e3",
  IS: "an integer",
  CS: "upper-case letters, digits, space and _",
};

function form(vr: string): string {
  return FORM[vr] ? ` (${FORM[vr]})` : "";
}

/** The characters each VR may hold (beyond it, the "repertoire" rule fails). */
function allowedChar(vr: string, c: number): boolean {
  switch (vr) {
    case "AE":
      return c >= 0x20 && c < 0x7f && c !== 0x5c;
    case "AS":
      return (c >= 0x30 && c <= 0x39) || c === 0x44 || c === 0x57 || c === 0x4d || c === 0x59;
    case "CS":
      return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x20 || c === 0x5f;
    case "DA":
      return c >= 0x30 && c <= 0x39;
    case "TM":
      return (c >= 0x30 && c <= 0x39) || c === 0x2e;
    case "DT":
      return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d;
    case "DS":
      return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x45 ||
        c === 0x65 || c === 0x20;
    case "IS":
      return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x20;
    case "UI":
      return (c >= 0x30 && c <= 0x39) || c === 0x2e;
    case "UR":
      // RFC 3986: unreserved, reserved and "%"; trailing spaces are padding
      return (c > 0x20 && c < 0x7f && c !== 0x5c && c !== 0x22 && c !== 0x3c && c !== 0x3e &&
        c !== 0x5e && c !== 0x60 && c !== 0x7b && c !== 0x7c && c !== 0x7d) || c === 0x20;
    default: {
      // SH LO ST LT UC UT PN: the character set's characters, ESC, and for long text
      // the format effectors; no other control character
      if (c === 0x1b) return true;
      if (LONG_TEXT.has(vr) && (c === 0x0a || c === 0x0c || c === 0x0d || c === 0x09)) return true;
      if (c < 0x20 || c === 0x7f) return false;
      if (!LONG_TEXT.has(vr) && vr !== "UT" && c === 0x5c) return false;
      return true;
    }
  }
}

/** A short readable form of a value for messages. */
export function describeValue(value: unknown): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "bigint") s = `${value}n`;
  else if (value instanceof PersonName) s = JSON.stringify(String(value));
  else if (value === null || value === undefined) s = String(value);
  else if (Array.isArray(value)) s = `[${value.map(describeValue).join(", ")}]`;
  else if (ArrayBuffer.isView(value)) {
    s = `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  } else if (typeof value === "object") s = value.constructor?.name ?? "object";
  else s = String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

class Refusal {
  constructor(readonly rule: InvalidValueRule, readonly why: string) {}
}

function refuse(rule: InvalidValueRule, why: string): never {
  throw new Refusal(rule, why);
}

/** True when the character sets leave only ISO-IR 6 (ASCII). */
function asciiOnly(charset: readonly string[]): boolean {
  return charset.every((c) => c === "" || c === "ISO_IR 6" || c === "ISO 2022 IR 6");
}

function charsetName(charset: readonly string[]): string {
  return charset.length === 0 ? "the default ISO_IR 6 (ASCII)" : charset.join("\\");
}

function encodable(text: string, charset: readonly string[], vr: string): boolean {
  let bad = false;
  encodeText(text, charset, { vr, onWarning: () => bad = true });
  return !bad;
}

/**
 * The first character of `text` that the character sets cannot encode, or `undefined`
 * when all can be (ISO-IR 6, the default, is plain ASCII).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unencodableChar } from "./validate.ts";
 * assert.equal(unencodableChar("Ünïcode 日本", ["ISO_IR 100"], "LO"), "日");
 * assert.equal(unencodableChar("Ünïcode", [], "LO"), "Ü");
 * assert.equal(unencodableChar("Ünïcode 日本", ["ISO_IR 192"], "LO"), undefined);
 * ```
 */
export function unencodableChar(
  text: string,
  charset: readonly string[],
  vr: string,
): string | undefined {
  let nonAscii = false;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      nonAscii = true;
      break;
    }
  }
  if (!nonAscii) return undefined;
  const ascii = asciiOnly(charset);
  if (!ascii && encodable(text, charset, vr)) return undefined;
  for (const ch of text) {
    if (ch.codePointAt(0)! <= 0x7f) continue;
    if (ascii || !encodable(ch, charset, vr)) return ch;
  }
  // each character alone encodes, together they do not (ISO 2022 mixes): name the first
  for (const ch of text) if (ch.codePointAt(0)! > 0x7f) return ch;
  return undefined;
}

function checkCharset(text: string, charset: readonly string[], vr: string): void {
  const ch = unencodableChar(text, charset, vr);
  if (ch === undefined) return;
  const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  refuse(
    "charset",
    `character "${ch}" (U+${cp}) is not in the character set ${
      charsetName(charset)
    }: set ds.SpecificCharacterSet = "ISO_IR 192" (UTF-8) first to store any character`,
  );
}

function checkRepertoire(vr: string, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      if (CHARSET_TEXT.has(vr)) continue;
      refuse("repertoire", `"${text[i]}" is not allowed in ${vr}${form(vr) || " (ASCII only)"}`);
    }
    if (!allowedChar(vr, c)) {
      const shown = c < 0x20 || c === 0x7f
        ? `control character 0x${c.toString(16).padStart(2, "0")}`
        : `"${text[i]}"`;
      refuse("repertoire", `${shown} is not allowed in ${vr}${form(vr)}`);
    }
  }
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [
    31,
    (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= days[m - 1];
}

function checkSyntax(vr: string, text: string): void {
  switch (vr) {
    case "DA": {
      const m = DA.exec(text);
      if (!m || !validDate(+m[1], +m[2], +m[3])) {
        refuse("syntax", "DA is a date YYYYMMDD");
      }
      return;
    }
    case "TM":
      if (!TM.test(text)) refuse("syntax", "TM is a time HH[MM[SS[.FFFFFF]]]");
      return;
    case "DT": {
      const m = DT.exec(text);
      if (!m || (m[4] && !validDate(+m[1], +m[3], +m[5]))) {
        refuse("syntax", "DT is YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]");
      }
      return;
    }
    case "AS":
      if (!AS.test(text)) refuse("syntax", `AS is ${FORM.AS}`);
      return;
    case "UI":
      if (!UI.test(text)) {
        refuse("syntax", `UI is ${FORM.UI}`);
      }
      return;
    case "DS":
      if (!DS.test(text)) refuse("syntax", "DS is a decimal number such as -1.5e3");
      return;
    case "IS":
      if (!IS.test(text)) refuse("syntax", "IS is an integer");
      return;
    case "UR":
      if (text.startsWith(" ")) refuse("syntax", "UR has no leading spaces");
      return;
    case "PN": {
      const groups = text.split("=");
      if (groups.length > 3) refuse("syntax", "PN has at most 3 component groups (=)");
      for (const g of groups) {
        if (g.length > 64) {
          refuse("length", `PN component group "${g}" is longer than 64 characters`);
        }
        if (g.split("^").length > 5) refuse("syntax", "PN has at most 5 components (^) per group");
      }
      return;
    }
  }
}

/** The 16-character-or-less text the writer uses for a DS number. */
export function formatDecimalString(x: number): string {
  let s = pyStrFloat(x);
  if (s.endsWith(".0")) s = s.slice(0, -2);
  if (s.length <= 16) return s;
  for (let p = 15; p > 0; p--) {
    s = x.toPrecision(p).replace(/\.?0+(e|$)/, "$1").replace("e+", "e");
    if (s.length <= 16) return s;
  }
  return s;
}

function checkText(vr: string, text: string, charset: readonly string[]): void {
  checkRepertoire(vr, text);
  if (vr === "PN") checkSyntax(vr, text);
  else {
    const max = MAX_LENGTH[vr];
    if (max !== undefined && text.length > max) {
      refuse("length", `${vr} is at most ${max} characters, this is ${text.length}`);
    }
    if (text !== "") checkSyntax(vr, text);
  }
  if (CHARSET_TEXT.has(vr)) checkCharset(text, charset, vr);
}

function textValues(vr: string, value: unknown): (string | null)[] {
  const list = Array.isArray(value) ? value : [value];
  const out: (string | null)[] = [];
  for (const v of list) {
    if (v === null || v === undefined) out.push(null);
    else if (typeof v === "string" || (vr === "PN" && v instanceof PersonName)) {
      const s = String(v);
      if (MULTI_TEXT.has(vr) && s.includes("\\")) out.push(...s.split("\\"));
      else out.push(s);
    } else refuse("type", `${vr} takes text${form(vr)}, not ${describeValue(v)}`);
  }
  return out;
}

function checkNumberList(vr: string, value: unknown): ElementValue {
  const list = Array.isArray(value) ? value : [value];
  if (vr === "SV" || vr === "UV") {
    const [lo, hi] = BIG_RANGE[vr];
    const out = list.map((v) => {
      let b: bigint;
      if (typeof v === "bigint") b = v;
      else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
      else if (typeof v === "number") return refuse("syntax", `${vr} is an integer`);
      else return refuse("type", `${vr} takes a bigint, not ${describeValue(v)}`);
      if (b < lo || b > hi) refuse("range", `${vr} is from ${lo} to ${hi}`);
      return b;
    });
    return out.length === 1 ? out[0] : out;
  }
  const out = list.map((v) => {
    if (v === null && Array.isArray(value)) return null;
    if (typeof v !== "number") {
      return refuse("type", `${vr} takes a number, not ${describeValue(v)}`);
    }
    if (vr === "FD") return v;
    if (vr === "FL") {
      if (Number.isFinite(v) && Math.abs(v) > 3.4028234663852886e38) {
        refuse("range", "FL is a 32-bit float, at most 3.4028234663852886e38 in size");
      }
      return Math.fround(v);
    }
    if (!Number.isInteger(v)) refuse("syntax", `${vr} is an integer`);
    const [lo, hi] = INT_RANGE[vr];
    if (v < lo || v > hi) refuse("range", `${vr} is from ${lo} to ${hi}`);
    return v;
  });
  return out.length === 1 ? out[0] : out as (number | null)[];
}

function checkDecimal(vr: "DS" | "IS", v: number | string | null): number | null {
  if (v === null || v === "") return null;
  let n: number;
  if (typeof v === "string") {
    checkRepertoire(vr, v);
    if (v.length > MAX_LENGTH[vr]) {
      refuse("length", `${vr} is at most ${MAX_LENGTH[vr]} characters, this is ${v.length}`);
    }
    checkSyntax(vr, v);
    n = Number(v.trim());
  } else n = v;
  if (!Number.isFinite(n)) refuse("syntax", `${vr} is a finite number`);
  if (vr === "IS") {
    if (!Number.isInteger(n)) refuse("syntax", "IS is an integer");
    if (n < -0x80000000 || n > 0x7fffffff) refuse("range", "IS is from -2147483648 to 2147483647");
    return n;
  }
  return Number(formatDecimalString(n));
}

const TYPED: Record<string, string[]> = {
  OB: ["Uint8Array"],
  UN: ["Uint8Array"],
  OW: ["Uint8Array", "Uint16Array", "Int16Array"],
  OF: ["Float32Array"],
  OD: ["Float64Array"],
  OL: ["Uint32Array"],
  OV: ["BigUint64Array", "BigInt64Array"],
};

/** Picks one VR of an ambiguous dictionary VR from the value. */
function resolveVr(vr: string, value: unknown): string {
  if (!vr.includes(" or ")) return vr;
  if (ArrayBuffer.isView(value)) {
    if (vr === "OB or OW") return value instanceof Uint8Array ? "OB" : "OW";
    return "OW";
  }
  if (vr === "OB or OW") return "OB";
  const list = Array.isArray(value) ? value : [value];
  return vr.includes("SS") && list.some((x) => typeof x === "number" && x < 0) ? "SS" : "US";
}

function countVm(vm: string, n: number): boolean {
  if (n === 0) return true;
  const m = /^(\d+)(?:-(\d+)?(n)?)?$/.exec(vm);
  if (!m) return true;
  const lo = +m[1];
  if (m[2] === undefined && m[3] === undefined) return n === lo;
  if (m[3] !== undefined) {
    const step = m[2] !== undefined ? +m[2] : 1;
    return n >= lo && n % step === 0;
  }
  return n >= lo && n <= +m[2];
}

function check(vr: string, value: unknown, options: CheckValueOptions): ElementValue {
  const charset = options.charset ?? [];
  if (vr === "SQ") {
    if (value === null) return [];
    if (!Array.isArray(value)) refuse("type", "SQ takes a list of datasets");
    for (const item of value) {
      if (item === null || typeof item !== "object" || typeof item.element !== "function") {
        refuse("type", `an SQ item is a dataset, not ${describeValue(item)}`);
      }
    }
    return value as DatasetLike[];
  }
  if (TYPED[vr]) {
    if (value === null) return null;
    if (!ArrayBuffer.isView(value) || !TYPED[vr].includes(value.constructor.name)) {
      refuse("type", `${vr} takes a ${TYPED[vr].join(" or ")}, not ${describeValue(value)}`);
    }
    if (value.byteLength > 0xfffffffe) refuse("length", `${vr} value over 2^32-2 bytes`);
    return value as ElementValue;
  }
  let count: number;
  let stored: ElementValue;
  if (vr === "DS" || vr === "IS") {
    if (value === null || value === "") return null;
    const parts = typeof value === "string"
      ? value.split("\\")
      : Array.isArray(value)
      ? value
      : [value];
    const nums = parts.map((p) => {
      if (p !== null && typeof p !== "number" && typeof p !== "string") {
        return refuse("type", `${vr} takes a number or its text, not ${describeValue(p)}`);
      }
      return checkDecimal(vr, p);
    });
    count = nums.length;
    stored = nums.length === 1 ? nums[0] : nums;
  } else if (vr in INT_RANGE || vr === "FL" || vr === "FD" || vr in BIG_RANGE) {
    if (value === null) return null;
    stored = checkNumberList(vr, value);
    count = Array.isArray(stored) ? stored.length : 1;
  } else if (vr in MAX_LENGTH) {
    if (value === null) return vr === "PN" ? new PersonName("") : "";
    const texts = textValues(vr, value);
    for (const t of texts) if (t !== null) checkText(vr, t, charset);
    const strs = texts.map((t) => t ?? "");
    count = strs.length === 1 && strs[0] === "" ? 0 : strs.length;
    if (vr === "PN") {
      const names = strs.map((s) => new PersonName(s));
      stored = names.length === 1 ? names[0] : names;
    } else stored = strs.length === 1 ? strs[0] : strs;
  } else {
    return value as ElementValue;
  }
  if (options.vm && !countVm(options.vm, count)) {
    refuse("vm", `the dictionary's VM is ${options.vm}, this value has ${count}`);
  }
  return stored;
}

/**
 * Checks `value` for an element of `tag` with `vr` and returns it normalised (see the
 * module documentation) with the VR to store it with. A bad value throws an
 * {@linkcode InvalidValueError} (a `ValueError`) naming the keyword, tag, VR, value and
 * the rule it breaks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValueError } from "../core/errors.ts";
 * import { checkValue } from "./validate.ts";
 * assert.deepEqual(checkValue(0x00280010, "US", 512, { keyword: "Rows" }), { vr: "US", value: 512 });
 * assert.deepEqual(checkValue(0x00200032, "DS", ["1.50", 2, "-3"]).value, [1.5, 2, -3]);
 * assert.throws(() => checkValue(0x00280010, "US", "abc", { keyword: "Rows" }), ValueError);
 * assert.throws(() => checkValue(0x00101010, "AS", "90", { keyword: "PatientAge" }), /nnnY/);
 * ```
 */
export function checkValue(
  tag: number,
  vr: string,
  value: AssignableValue,
  options: CheckValueOptions = {},
): CheckedValue {
  const resolved = resolveVr(vr, value);
  try {
    return { vr: resolved, value: check(resolved, value, options) };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    const who = options.keyword ? `${options.keyword} ` : "";
    throw new InvalidValueError(
      `invalid ${resolved} value ${describeValue(value)} for ${who}${formatTag(tag)}: ${e.why}`,
      { rule: e.rule, keyword: options.keyword ?? "", vr: resolved, value, tag },
    );
  }
}
