/**
 * For every row of PS3.15 Table E.1-1 and every column (the Basic Profile and each option
 * alone), the outcome class of `deidentify` on an attribute holding a marker: absent,
 * zero-length, another value valid for the VR, equal, or a consistently mapped `2.25.` UID.
 * The expected class comes from the TSV's code by the rules (computed here, not by
 * the library's `profileAction`).
 */
import assert from "node:assert/strict";
import { DataElement, Dataset, PersonName } from "../lib/dataset/mod.ts";
import { read, write } from "../lib/io/mod.ts";
import {
  deidentify,
  keyedUid,
  PROFILE_OPTIONS,
  type ProfileOption,
  profileRows,
} from "../lib/deid/mod.ts";
import { DEFAULT_SOURCE } from "../tools/gen_deid_table.ts";
import { put, sharedDeidMissing } from "./_deid.ts";

const KEY = "outcome-class test key";
type Outcome = "absent" | "empty" | "other" | "equal" | "uid";

/** The rows as the TSV has them (or the generated table when the TSV is absent). */
function tsvRows(): { tag: string; vr: string; keyword: string; cells: Record<string, string> }[] {
  if (sharedDeidMissing()) {
    return profileRows().map((r) => ({
      tag: r.tag,
      vr: r.vr,
      keyword: r.keyword,
      cells: { basic: r.basic, ...r.options } as Record<string, string>,
    }));
  }
  const lines = Deno.readTextFileSync(`${DEFAULT_SOURCE}/basic_profile.tsv`).split("\n")
    .filter((l) => l && !l.startsWith("#"));
  const head = lines[0].split("\t");
  const names: Record<string, string> = {
    rtn_safe_priv: "retainSafePrivate",
    rtn_uids: "retainUids",
    rtn_dev_id: "retainDeviceIdentity",
    rtn_inst_id: "retainInstitutionIdentity",
    rtn_pat_chars: "retainPatientCharacteristics",
    rtn_long_full_dates: "retainLongitudinalFullDates",
    rtn_long_modif_dates: "retainLongitudinalModifiedDates",
    clean_desc: "cleanDescriptors",
    clean_struct_cont: "cleanStructuredContent",
    clean_graph: "cleanGraphics",
  };
  return lines.slice(1).map((line) => {
    const c = line.split("\t");
    const cells: Record<string, string> = {};
    head.forEach((h, i) => {
      if (h === "basic") cells.basic = c[i];
      else if (names[h] && c[i]) cells[names[h]] = c[i];
    });
    return { tag: c[0], vr: c[3], keyword: c[2], cells };
  });
}

/** The classes a code allows (the rules for codes that depend on Type). */
function expected(code: string, vr: string, tag: number): Outcome[] {
  // an unsafe private attribute (a creator not in Table E.3.10-1): C removes it
  if (tag >>> 16 & 1 && code === "C") return ["absent"];
  // a bitmap cannot be cleaned of text by a program: Clean Graphics keeps overlay data
  if (tag === 0x60023000 && code === "C") return ["equal"];
  const pseudonymized = tag === 0x00100010 || tag === 0x00100020;
  switch (code) {
    case "X":
      return ["absent"];
    case "Z":
    case "X/Z":
      return pseudonymized ? ["other"] : ["empty"];
    case "D":
    case "Z/D":
    case "X/D":
    case "X/Z/D":
      return vr === "UI" ? ["uid"] : ["other"];
    case "K":
      return vr === "SQ" ? ["equal", "uid"] : ["equal"];
    case "C":
      return vr === "UI" ? ["uid"] : ["other", "empty"];
    case "U":
    case "X/Z/U*":
      return ["uid"];
  }
  throw new Error(`unknown code ${code}`);
}

function markerValue(vr: string): DataElement["value"] {
  switch (vr) {
    case "AE":
      return "QZXMARKERAE01";
    case "AS":
      return "042W";
    case "CS":
      return "QZXMARKERCS01";
    case "DA":
      return "19870311";
    case "DT":
      return "19870311101010.5";
    case "TM":
      return "101010.5";
    case "DS":
      return 9876512341234;
    case "IS":
      return 2098700012;
    case "UI":
      return "1.3.6.1.4.1.99999.7.1";
    case "PN":
      return new PersonName("Qzxmarker^Pn");
    case "UR":
      return "http://qzxmarker.example/ur";
    case "US":
    case "SS":
    case "UL":
    case "SL":
      return 7;
    case "FL":
    case "FD":
      return 7.5;
    case "OB":
    case "UN":
      return new Uint8Array([81, 90, 88, 77, 65, 82, 75, 49]);
    case "OW":
      return new Uint16Array([0x5a51, 0x4d58, 0x5241, 0x314b]);
    default:
      return "QZXMARKERTEXT01";
  }
}

const REF_UID = "1.3.6.1.4.1.99999.7.2";

function sequenceItem(): Dataset {
  const item = new Dataset();
  put(item, 0x00081155, "UI", REF_UID);
  put(item, 0x0040a160, "UT", "QZXMARKERINSIDE");
  return item;
}

/** A tag standing for a row: its own, or one of its group. */
function tagOf(row: { tag: string }): number {
  if (row.tag === "50xx,xxxx") return 0x50020022;
  if (row.tag === "gggg,eeee") return 0x00091001;
  return parseInt(row.tag.replace(/xx/g, "02").replace(",", ""), 16) >>> 0;
}

function vrOf(row: { tag: string; vr: string }): string {
  if (row.tag === "50xx,xxxx") return "LO";
  if (row.tag === "60xx,4000") return "LT";
  if (row.tag === "60xx,3000") return "OW";
  if (row.tag === "gggg,eeee") return "LO";
  return row.vr;
}

function inputFor(row: { tag: string; vr: string }): Dataset {
  const ds = new Dataset();
  const tag = tagOf(row);
  const vr = vrOf(row);
  if (row.tag === "gggg,eeee") put(ds, 0x00090010, "LO", "QZX CREATOR");
  if (row.tag.startsWith("60xx")) {
    put(ds, 0x60020010, "US", 4);
    put(ds, 0x60020011, "US", 4);
  }
  const el = vr === "SQ"
    ? DataElement.fromValue(tag, "SQ", [sequenceItem()])
    : DataElement.fromValue(tag, vr, markerValue(vr));
  if (tag >>> 16 === 0x0002) {
    ds.fileMeta = new Dataset();
    ds.fileMeta.add(el);
  } else ds.add(el);
  return ds;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "string") return v === "";
  if (v instanceof PersonName) return String(v) === "";
  if (ArrayBuffer.isView(v)) return v.byteLength === 0;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

function textOf(v: unknown): string {
  if (ArrayBuffer.isView(v)) {
    return [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)].join(",");
  }
  return Array.isArray(v) ? v.map(String).join("\\") : String(v);
}

/** A value valid for its VR (lengths and characters of PS3.5 Table 6.2-1). */
function validFor(vr: string, v: unknown): boolean {
  const s = textOf(v);
  switch (vr) {
    case "AE":
      return s.length <= 16;
    case "AS":
      return /^\d{3}[DWMY]$/.test(s);
    case "CS":
      return /^[A-Z0-9 _]{0,16}$/.test(s);
    case "DA":
      return /^\d{8}$/.test(s);
    case "TM":
      return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(s);
    case "DT":
      return /^\d{4}(\d{2}){0,5}(\.\d{1,6})?([+-]\d{4})?$/.test(s);
    case "DS":
    case "IS":
      return typeof v === "number" && Number.isFinite(v);
    case "SH":
      return s.length <= 16;
    case "LO":
    case "PN":
      return s.length <= 64;
    case "UI":
      return /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(s) && s.length <= 64;
    default:
      return true;
  }
}

function outcome(input: Dataset, out: Dataset, tag: number, vr: string): Outcome {
  const meta = tag >>> 16 === 0x0002;
  const el = meta ? out.fileMeta?.element(tag) : out.element(tag);
  if (!el) return "absent";
  const before = meta ? input.fileMeta!.element(tag)! : input.element(tag)!;
  if (vr === "SQ") {
    const items = el.value as Dataset[];
    if (items.length === 0) return "empty";
    const item = items[0];
    const uid = item.get(0x00081155);
    const text = item.get(0x0040a160);
    if (uid === REF_UID && text === "QZXMARKERINSIDE" && item.size === 2) return "equal";
    if (uid === keyedUid(REF_UID, KEY) && text === "QZXMARKERINSIDE" && item.size === 2) {
      return "uid";
    }
    return "other";
  }
  const v = el.value;
  if (isEmpty(v)) return "empty";
  if (textOf(v) === textOf(before.value)) return "equal";
  if (vr === "UI") {
    assert.equal(v, keyedUid(String(before.value), KEY), `(${tag.toString(16)}) not the keyed UID`);
    return "uid";
  }
  assert.ok(validFor(vr, v), `(${tag.toString(16)}) ${vr} value ${textOf(v)} is not valid`);
  return "other";
}

Deno.test("every row of Table E.1-1 under the Basic Profile and each option gets its outcome class", () => {
  const rows = tsvRows();
  assert.equal(rows.length, 621);
  const columns: ("basic" | ProfileOption)[] = ["basic", ...PROFILE_OPTIONS];
  let checked = 0;
  const failures: string[] = [];
  for (const row of rows) {
    const tag = tagOf(row);
    const vr = vrOf(row);
    const input = inputFor(row);
    for (const column of columns) {
      const code = column === "basic" ? row.cells.basic : row.cells[column] ?? row.cells.basic;
      const options = column === "basic" ? {} : { [column]: true };
      // written and read back, as a file would be
      const out = read(write(deidentify(input, { key: KEY, ...options })));
      const got = outcome(input, out, tag, vr);
      const want = expected(code, vr, tag);
      if (!want.includes(got)) {
        failures.push(`${row.tag} ${row.keyword} ${column} ${code}: ${got}, want ${want}`);
      }
      checked++;
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(checked, 621 * 11);
});

Deno.test("safe private attributes stay only with retainSafePrivate and their creator", () => {
  const ds = new Dataset();
  put(ds, 0x00e10010, "LO", "ELSCINT1");
  put(ds, 0x00e11021, "DS", 12.5); // (00E1,xx21) DLP: safe for ELSCINT1
  put(ds, 0x00e11022, "LO", "QZXNOTSAFE");
  put(ds, 0x00110010, "LO", "OTHER CREATOR");
  put(ds, 0x00111021, "DS", 12.5); // same element, another creator: not safe
  put(ds, 0x00131001, "LO", "QZXNOCREATOR");
  const basic = deidentify(ds, { key: KEY });
  assert.deepEqual(basic.elements().filter((e) => e.tag >>> 16 & 1).map((e) => e.tag), []);
  const safe = deidentify(ds, { key: KEY, retainSafePrivate: true });
  assert.deepEqual(
    safe.elements().filter((e) => e.tag >>> 16 & 1).map((e) => e.tag.toString(16)),
    ["e10010", "e11021"],
  );
  assert.equal(safe.get(0x00e11021), 12.5);
});

Deno.test("pseudonyms come from a mapping; the same key gives the same UIDs in every dataset", () => {
  const a = new Dataset();
  a.set("PatientID", "MRN1");
  a.set("PatientName", "Doe^Jane");
  a.set("SOPInstanceUID", "1.2.3.1");
  const b = new Dataset();
  b.set("PatientID", "MRN1");
  const item = new Dataset();
  item.set("ReferencedSOPInstanceUID", "1.2.3.1");
  b.set("SourceImageSequence", [item]);
  const pseudonyms = new Map([["MRN1", { id: "SUBJ01", name: "SUBJECT^01" }]]);
  const outA = deidentify(a, { key: KEY, pseudonyms });
  const outB = deidentify(b, { key: KEY, pseudonyms });
  assert.equal(outA.PatientID, "SUBJ01");
  assert.equal(String(outA.PatientName), "SUBJECT^01");
  const ref = (outB.SourceImageSequence as Dataset[])[0].ReferencedSOPInstanceUID;
  assert.equal(ref, outA.SOPInstanceUID);
  assert.equal(outA.fileMeta?.get(0x00020003), outA.SOPInstanceUID);
  assert.notEqual(deidentify(a, { key: "another key" }).SOPInstanceUID, outA.SOPInstanceUID);
});

Deno.test("modified dates keep intervals: one offset per patient, times shifted alike", () => {
  const ds = new Dataset();
  ds.set("PatientID", "P1");
  ds.set("StudyDate", "20240115");
  ds.set("SeriesDate", "20240117");
  ds.set("AcquisitionDateTime", "20240117235930.25");
  const out = deidentify(ds, { key: KEY, retainLongitudinalModifiedDates: true });
  const day = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8));
  assert.equal(day(out.SeriesDate as string) - day(out.StudyDate as string), 2 * 86400_000);
  assert.notEqual(out.StudyDate, "20240115");
  assert.match(out.AcquisitionDateTime as string, /^\d{14}\.25$/);
  const given = deidentify(ds, {
    key: KEY,
    retainLongitudinalModifiedDates: true,
    dateOffsetDays: -10,
  });
  assert.equal(given.StudyDate, "20240105");
  assert.equal(given.AcquisitionDateTime, "20240107235930.25");
});
