/**
 * Property-based test of value checking on assignment (issue 12), seeded so every run is
 * the same: for every VR, random valid values are assigned (by keyword property or
 * `ds.set`) and read back equal after `write` and `read` (with the documented
 * normalisation: DS/IS text to numbers, FL to 32-bit floats); random invalid values,
 * each made to break one rule (length, repertoire, syntax, range, VM, character set,
 * type), throw an `InvalidValueError` naming that rule and leave `write(ds)`
 * byte-identical. Each rule and each VR is hit and counted.
 */
import assert from "node:assert/strict";
import { Dataset, InvalidValueError, PersonName, read, write } from "../mod.ts";
import type { InvalidValueRule } from "../lib/core/errors.ts";
import { allKeywords, lookupTag, tagForKeyword } from "../lib/dictionary/mod.ts";
import { seededRandom } from "./_make.ts";
import { WIRE_VRS } from "../lib/core/vr.ts";

type Rand = () => number;

function int(r: Rand, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: Rand, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function chars(r: Rand, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const ASCII_TEXT = UPPER + "abcdefghijklmnopqrstuvwxyz" + DIGITS + " .,-_()/+*:;'?!&%#@";
const LATIN1_TEXT = ASCII_TEXT + "éèàüöäßñçÉÜÖ";

/** Text without leading or trailing spaces (they are padding on the wire). */
function text(r: Rand, alphabet: string, min: number, max: number): string {
  const s = chars(r, alphabet, int(r, min, max));
  const t = s.replace(/^ +| +$/g, "");
  return t.length >= min ? t : "X".repeat(min);
}

/** The VRs checked (every VR on the wire), and for each the keywords used (unambiguous VR, plain groups). */
const VRS: readonly string[] = [...WIRE_VRS];

interface Target {
  keyword: string;
  tag: number;
  vr: string;
  vm: string;
}

function targets(): Map<string, Target[]> {
  const out = new Map<string, Target[]>();
  for (const keyword of allKeywords()) {
    const tag = tagForKeyword(keyword)!;
    const e = lookupTag(tag);
    if (!e || e.retired || e.keyword !== keyword) continue;
    const group = tag >>> 16;
    if (group <= 0x0004 || group >= 0xfffc || group === 0x6000 || group === 0x5000) continue;
    if (tag === 0x00080005 || tag === 0x7fe00010 || tag === 0x00080016) continue;
    if ((group & 0xff00) === 0x7f00 && tag !== 0x7fe00001) continue;
    if (!VRS.includes(e.vr)) continue;
    if (!/^\d+(-(\d+)?n?)?$/.test(e.vm)) continue;
    const list = out.get(e.vr) ?? [];
    list.push({ keyword, tag, vr: e.vr, vm: e.vm });
    out.set(e.vr, list);
  }
  // no keyword has VR UN: a private element takes it
  out.set("UN", [{ keyword: "", tag: 0x00091001, vr: "UN", vm: "1" }]);
  return out;
}

/** VM rule, written again here independently of lib/dataset/validate.ts. */
function vmAllows(vm: string, n: number): boolean {
  const [lo, hi] = vm.split("-");
  const min = Number(lo);
  if (hi === undefined) return n === min;
  if (hi.endsWith("n")) {
    const step = hi === "n" ? 1 : Number(hi.slice(0, -1));
    return n >= min && n % step === 0;
  }
  return n >= min && n <= Number(hi);
}

function validCount(r: Rand, vm: string): number {
  const ok = [1, 2, 3, 4, 6, 8, 9, 16].filter((n) => vmAllows(vm, n));
  return pick(r, ok);
}

function invalidCount(r: Rand, vm: string): number | undefined {
  const bad = [1, 2, 3, 4, 5, 7].filter((n) => !vmAllows(vm, n));
  return bad.length ? pick(r, bad) : undefined;
}

function date(r: Rand): string {
  const y = int(r, 1900, 2099), m = int(r, 1, 12);
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
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
  const d = int(r, 1, days[m - 1]);
  return `${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`;
}

function time(r: Rand): string {
  const hh = String(int(r, 0, 23)).padStart(2, "0");
  const mm = String(int(r, 0, 59)).padStart(2, "0");
  const ss = String(int(r, 0, 59)).padStart(2, "0");
  const parts = [hh, hh + mm, hh + mm + ss, `${hh}${mm}${ss}.${chars(r, DIGITS, int(r, 1, 6))}`];
  return pick(r, parts);
}

function uid(r: Rand, max = 64): string {
  const parts = ["1", "2"];
  while (true) {
    const next = String(int(r, 0, 1) ? int(r, 0, 9) : int(r, 1, 99999));
    if (parts.join(".").length + next.length + 1 > max || r() < 0.15) break;
    parts.push(next);
  }
  return parts.join(".");
}

function personName(r: Rand, alphabet: string): string {
  const group = () =>
    Array.from({ length: int(r, 1, 5) }, () => text(r, alphabet.replace(/[ ^=\\]/g, ""), 1, 10))
      .join("^").slice(0, 64).replace(/\^+$/, "");
  return Array.from({ length: int(r, 1, 3) }, group).join("=");
}

/** A short decimal number whose Python repr fits a DS (16 characters). */
function decimal(r: Rand): number {
  return Number(
    pick(r, [
      int(r, -100000, 100000),
      int(r, -99999, 99999) / 1000,
      int(r, 1, 9) * 10 ** int(r, -6, 6),
      -int(r, 1, 99) / 8,
    ]).toPrecision(8),
  );
}

/** One valid value of the VR: what to assign, and what must be read back. */
function validValue(r: Rand, vr: string, latin1: boolean): { value: unknown; expect: unknown } {
  const alphabet = latin1 ? LATIN1_TEXT : ASCII_TEXT;
  const same = (v: unknown) => ({ value: v, expect: v });
  switch (vr) {
    case "AE":
      return same(text(r, UPPER + DIGITS + "_ -", 1, 16));
    case "AS":
      return same(`${chars(r, DIGITS, 3)}${pick(r, ["D", "W", "M", "Y"])}`);
    case "AT":
      return same(int(r, 0, 0xffffffff));
    case "CS":
      return same(text(r, UPPER + DIGITS + "_ ", 1, 16));
    case "DA":
      return same(date(r));
    case "DS": {
      const n = decimal(r);
      return r() < 0.5 ? same(n) : { value: ` ${String(n).replace("e", "E")}`, expect: n };
    }
    case "DT": {
      const full = date(r) + time(r).replace(/^(\d\d)(\d\d)?(\d\d)?/, "$1$2$3");
      const cut = pick(r, [4, 6, 8, 10, 12, full.length]);
      const zone = r() < 0.3
        ? `${pick(r, ["+", "-"])}0${int(r, 0, 9)}${pick(r, ["00", "30"])}`
        : "";
      return same(full.slice(0, cut) + zone);
    }
    case "FD":
      return same(pick(r, [r() * 1e6 - 5e5, -0, Math.PI, 1e300, int(r, -9, 9)]));
    case "FL": {
      const v = r() * 2000 - 1000;
      return { value: v, expect: Math.fround(v) };
    }
    case "IS": {
      const n = int(r, -2147483648, 2147483647);
      return r() < 0.5 ? same(n) : { value: `${n} `, expect: n };
    }
    case "LO":
      return same(text(r, alphabet, 1, 64));
    case "SH":
      return same(text(r, alphabet, 1, 16));
    case "UC":
      return same(text(r, alphabet, 1, 200));
    case "ST":
    case "LT":
    case "UT": {
      const max = vr === "ST" ? 1024 : vr === "LT" ? 10240 : 20000;
      const body = text(r, alphabet + "\r\n\t\\", 1, Math.min(max, int(r, 1, 3000)));
      return same(body.replace(/[\s]+$/, "") || "x");
    }
    case "PN": {
      const name = personName(r, alphabet);
      return { value: r() < 0.5 ? name : new PersonName(name), expect: name };
    }
    case "TM":
      return same(time(r));
    case "UI":
      return same(uid(r));
    case "UR":
      return same(
        `https://example.org/${text(r, "abcdefghij0123456789-._~/?#[]@!$&'()*+,;=%", 1, 40)}`,
      );
    case "US":
      return same(int(r, 0, 0xffff));
    case "SS":
      return same(int(r, -0x8000, 0x7fff));
    case "UL":
      return same(int(r, 0, 0xffffffff));
    case "SL":
      return same(int(r, -0x80000000, 0x7fffffff));
    case "SV":
      return same(BigInt(int(r, -1e9, 1e9)) * BigInt(int(r, 1, 1e9)));
    case "UV":
      return same(BigInt(int(r, 0, 1e9)) * BigInt(int(r, 1, 1e9)));
    case "OB":
    case "UN":
      return same(Uint8Array.from({ length: 2 * int(r, 1, 20) }, () => int(r, 0, 255)));
    case "OW":
      return same(Uint16Array.from({ length: int(r, 1, 20) }, () => int(r, 0, 65535)));
    case "OL":
      return same(Uint32Array.from({ length: int(r, 1, 20) }, () => int(r, 0, 0xffffffff)));
    case "OF":
      return same(Float32Array.from({ length: int(r, 1, 20) }, () => r() * 100));
    case "OD":
      return same(Float64Array.from({ length: int(r, 1, 20) }, () => r() * 100));
    case "OV":
      return same(BigUint64Array.from({ length: int(r, 1, 20) }, () => BigInt(int(r, 0, 1e9))));
    case "SQ": {
      const item = new Dataset();
      item.CodeValue = text(r, UPPER + DIGITS, 1, 16);
      return { value: [item], expect: [item.CodeValue] };
    }
  }
  throw new Error(`no generator for ${vr}`);
}

const SINGLE = new Set(["OB", "UN", "OW", "OL", "OF", "OD", "OV", "SQ", "LT", "ST", "UT", "UR"]);

/** A valid value for a keyword: one, or a list of as many as its VM allows. */
function validFor(r: Rand, t: Target, latin1: boolean): { value: unknown; expect: unknown } {
  if (SINGLE.has(t.vr)) return validValue(r, t.vr, latin1);
  const n = validCount(r, t.vm);
  if (n === 1 && r() < 0.7) return validValue(r, t.vr, latin1);
  const parts = Array.from({ length: n }, () => validValue(r, t.vr, latin1));
  // a list of one value is stored (and read back) as the value
  const expect = n === 1 ? parts[0].expect : parts.map((p) => p.expect);
  return { value: parts.map((p) => p.value), expect };
}

interface Invalid {
  rule: InvalidValueRule;
  value: unknown;
}

/** Values that break one rule, for the VRs where that rule exists. */
function invalidValues(r: Rand, t: Target, latin1: boolean): Invalid[] {
  const vr = t.vr;
  const out: Invalid[] = [];
  const add = (rule: InvalidValueRule, value: unknown) => out.push({ rule, value });
  const over: Record<string, () => string> = {
    AE: () => chars(r, UPPER, int(r, 17, 40)),
    AS: () => `0${chars(r, DIGITS, 3)}Y`,
    CS: () => chars(r, UPPER, int(r, 17, 40)),
    DA: () => date(r) + chars(r, DIGITS, int(r, 1, 4)),
    DS: () => `1.${chars(r, DIGITS, int(r, 15, 20))}`,
    DT: () => chars(r, DIGITS, int(r, 27, 40)),
    IS: () => chars(r, "123456789", int(r, 13, 20)),
    LO: () => chars(r, UPPER, int(r, 65, 100)),
    SH: () => chars(r, UPPER, int(r, 17, 40)),
    ST: () => chars(r, UPPER, int(r, 1025, 1100)),
    LT: () => chars(r, UPPER, int(r, 10241, 10300)),
    PN: () => chars(r, UPPER, int(r, 65, 80)),
    TM: () => `${time(r).slice(0, 6).padEnd(6, "0")}.${chars(r, DIGITS, int(r, 9, 12))}`,
    UI: () => `1.${chars(r, "123456789", int(r, 63, 80))}`,
  };
  if (over[vr]) add("length", over[vr]());
  // one character outside the VR's repertoire (checked before length and syntax)
  const badChars: Record<string, [string[], (c: string) => string]> = {
    AE: [["\x01", "\t", "é"], (c) => `AB${c}`],
    AS: [["a", "-", " "], (c) => `${c}90Y`],
    CS: [["a", "-", "É", "."], (c) => `AB${c}CD`],
    DA: [["-", "/", "."], (c) => `2024${c}0101`],
    DS: [[",", "x", "_"], (c) => `1${c}5`],
    DT: [["T", ":", "/"], (c) => `2024${c}`],
    IS: [[".", "e", ","], (c) => `1${c}5`],
    TM: [[":", "-", " "], (c) => `12${c}00`],
    UI: [["a", " ", "-"], (c) => `1.2${c}3`],
    UR: [["\\", "<", "{", "é"], (c) => `https://x/${c}`],
    LO: [["\x07", "\x00", "\r"], (c) => `AB${c}CD`],
    SH: [["\x7f", "\n", "\x01"], (c) => `AB${c}CD`],
    ST: [["\x00", "\x02", "\x08"], (c) => `AB${c}CD`],
    LT: [["\x01", "\x0b", "\x7f"], (c) => `AB${c}CD`],
    UT: [["\x00", "\x1a", "\x7f"], (c) => `AB${c}CD`],
    UC: [["\x01", "\x0d", "\x7f"], (c) => `AB${c}CD`],
    PN: [["\x02", "\x0a", "\x00"], (c) => `AB${c}CD`],
  };
  if (badChars[vr]) add("repertoire", badChars[vr][1](pick(r, badChars[vr][0])));
  const badSyntax: Record<string, () => string> = {
    AS: () => `${chars(r, DIGITS, 2)}${pick(r, ["D", "W", "M", "Y"])}${chars(r, DIGITS, 1)}`,
    DA: () =>
      pick(r, [`${int(r, 1900, 2099)}13${int(r, 10, 28)}`, "20230229", "20240431", "2024010"]),
    TM: () => pick(r, ["24", "2360", "235961", "1", "123", "12345", "120000."]),
    DT: () => pick(r, ["202", "2024131", "20240230", "2024010125", "2024+01001", "20240101+1600"]),
    DS: () => pick(r, ["1.2.3", "+-1", "e5", "1e", ".", "--2"]),
    IS: () => pick(r, ["+-1", "1-", "-", "1 2", "++3"]),
    UI: () => pick(r, ["1.02", "1..2", ".1", "1.", "01.2", ""].filter((x) => x)),
    UR: () => ` https://example.org/${chars(r, "abc", 3)}`,
    PN: () => pick(r, ["a=b=c=d", "a^b^c^d^e^f", "A^B=C^D=E^F=G"]),
  };
  if (badSyntax[vr]) add("syntax", badSyntax[vr]());
  if (["US", "SS", "UL", "SL", "AT"].includes(vr)) add("syntax", int(r, 0, 1000) + 0.5);
  if (vr === "SV" || vr === "UV") add("syntax", int(r, 0, 1000) + 0.25);
  const range: Record<string, () => unknown> = {
    US: () => pick(r, [-1, 65536, -int(r, 2, 1e6), int(r, 65537, 1e9)]),
    SS: () => pick(r, [-32769, 32768, int(r, 32769, 1e9)]),
    UL: () => pick(r, [-1, 2 ** 32, 2 ** 40]),
    SL: () => pick(r, [-(2 ** 31) - 1, 2 ** 31, 2 ** 33]),
    AT: () => pick(r, [-1, 2 ** 32]),
    IS: () => pick(r, [2 ** 31, -(2 ** 31) - 1, "2147483648", "-2147483649", "99999999999"]),
    SV: () => pick(r, [2n ** 63n, -(2n ** 63n) - 1n]),
    UV: () => pick(r, [-1n, 2n ** 64n]),
    FL: () => pick(r, [1e39, -3.5e38, Number.MAX_VALUE]),
  };
  if (range[vr]) add("range", range[vr]());
  if (!SINGLE.has(vr) && t.keyword) {
    const n = invalidCount(r, t.vm);
    if (n !== undefined) {
      add("vm", Array.from({ length: n }, () => validValue(r, vr, latin1).value));
    }
  }
  const charsetText: Record<string, () => string> = {
    SH: () => "Ω",
    LO: () => `${text(r, UPPER, 1, 10)} 日本`,
    ST: () => "Ψυχή",
    LT: () => "€ 5",
    UC: () => "Привет",
    UT: () => "한국어",
    PN: () => "山田^太郎",
  };
  if (charsetText[vr]) add("charset", latin1 ? charsetText[vr]() : pick(r, ["é", "Müller", "ß"]));
  const wrongType: Record<string, unknown> = {
    US: "12",
    SS: "x",
    UL: true,
    SL: {},
    FL: "1.5",
    FD: 1n,
    AT: "00100010",
    SV: "1",
    UV: 1.5e30.toString(),
    DA: 20240101,
    TM: 1200,
    PN: 5,
    LO: 3,
    CS: ["A", 1],
    OB: [1, 2],
    OW: new Float32Array(2),
    OF: new Float64Array(2),
    OD: [1.5],
    OL: new Uint16Array(2),
    OV: new Uint32Array(2),
    UN: "bytes",
    SQ: "x",
    DS: true,
    IS: {},
    AE: 1,
    AS: 90,
    UI: 1.2,
    UR: 7,
    UC: false,
    UT: 9,
    ST: 8,
    LT: [1],
    SH: 2,
    DT: 2024,
  };
  if (vr in wrongType) add("type", wrongType[vr]);
  return out;
}

function readBack(v: unknown): unknown {
  if (v instanceof PersonName) return String(v);
  if (Array.isArray(v)) return v.map((x) => x instanceof Dataset ? x.CodeValue : readBack(x));
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>);
  return v;
}

function base(r: Rand, latin1: boolean): Dataset {
  const ds = new Dataset();
  if (latin1) ds.SpecificCharacterSet = "ISO_IR 100";
  ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7";
  ds.PatientID = text(r, UPPER + DIGITS, 1, 16);
  ds.privateBlock(0x0009, "PROPERTY TEST", { create: true });
  return ds;
}

function assign(r: Rand, ds: Dataset, t: Target, value: unknown): void {
  if (t.keyword && r() < 0.5) (ds as unknown as Record<string, unknown>)[t.keyword] = value;
  else ds.set(t.keyword || t.tag, value as never, t.keyword ? {} : { vr: t.vr });
}

Deno.test("validation: seeded random valid and invalid values for every VR and rule", () => {
  const r = seededRandom(20261202);
  const byVr = targets();
  for (const vr of VRS) assert.ok(byVr.get(vr)?.length, `a keyword with VR ${vr}`);
  const rules: Record<string, number> = {};
  const validByVr: Record<string, number> = {};
  const invalidByVr: Record<string, number> = {};
  for (let round = 0; round < 30; round++) {
    for (const vr of VRS) {
      const t = pick(r, byVr.get(vr)!);
      const latin1 = r() < 0.5;
      // valid: stored as normalised, and read back the same after write and read
      const ds = base(r, latin1);
      const { value, expect } = validFor(r, t, latin1);
      assign(r, ds, t, value);
      const where = `${vr} ${t.keyword || "private"} ${JSON.stringify(String(value)).slice(0, 60)}`;
      assert.deepEqual(readBack(ds.get(t.tag)), readBack(expect), `stored: ${where}`);
      const again = read(write(ds));
      assert.deepEqual(readBack(again.get(t.tag)), readBack(expect), `read back: ${where}`);
      validByVr[vr] = (validByVr[vr] ?? 0) + 1;
      // invalid: refused with the rule broken, the dataset written the same as before
      for (const bad of invalidValues(r, t, latin1)) {
        const before = write(ds);
        let error: unknown;
        try {
          assign(r, ds, t, bad.value);
        } catch (e) {
          error = e;
        }
        const what = `${vr} ${t.keyword} ${bad.rule} ${JSON.stringify(String(bad.value))}`;
        assert.ok(error instanceof InvalidValueError, `refused: ${what}`);
        assert.equal(error.rule, bad.rule, `${what}: ${error.message}`);
        assert.equal(error.vr, vr);
        assert.equal(error.tag, t.tag);
        if (t.keyword) assert.ok(error.message.includes(t.keyword), error.message);
        assert.deepEqual(write(ds), before, `unchanged: ${what}`);
        rules[bad.rule] = (rules[bad.rule] ?? 0) + 1;
        invalidByVr[vr] = (invalidByVr[vr] ?? 0) + 1;
      }
    }
  }
  for (const vr of VRS) {
    assert.equal(validByVr[vr], 30, vr);
    assert.ok(invalidByVr[vr] >= 30, `${vr}: ${invalidByVr[vr]} invalid values`);
  }
  for (const rule of ["length", "repertoire", "syntax", "range", "vm", "charset", "type"]) {
    assert.ok(rules[rule] >= 100, `rule ${rule} hit ${rules[rule]} times`);
  }
  console.log("rules hit:", JSON.stringify(rules));
});
