/**
 * `deidentify`: a new dataset made from another by the PS3.15 Basic Application Level
 * Confidentiality Profile and the options chosen.
 *
 * @module
 */

import { Dataset } from "../dataset/dataset.ts";
import { DataElement, type ElementValue } from "../dataset/element.ts";
import { PersonName } from "../dataset/person_name.ts";
import { RefusedError, UnsupportedError, ValueError } from "../core/errors.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN } from "../core/transfer_syntax.ts";
import { NUMBER_SIZES } from "../core/vr.ts";
import { cleanText } from "./_clean.ts";
import { type DeidKey, Keyed, randomKey } from "./keyed.ts";
import {
  cid7050,
  PROFILE_OPTIONS,
  profileAction,
  type ProfileOption,
  type ProfileOptions,
  type ProfileRow,
  profileRows,
  resolveAction,
  safePrivateRows,
} from "./profile.ts";
import type { Region } from "./regions.ts";

/** A patient's new identity. */
export interface Pseudonym {
  /** The new Patient ID. */
  id: string;
  /** The new Patient's Name (PN text, e.g. `SUBJECT^001`). */
  name: string;
}

/** What to do with pixels that may carry burned-in text. */
export interface CleanPixelsOptions {
  /** Rectangles to blank (set to 0) in every frame, in pixel columns and rows. */
  regions: readonly Region[];
}

/** Options for {@linkcode deidentify}: the profile's options by name, and the job's keys. */
export interface DeidentifyOptions extends ProfileOptions {
  /**
   * The secret key of the keyed replacements (UIDs, pseudonyms, date offsets). Use the
   * same key for every file of a set so references resolve.
   *
   * @default {randomKey()} made once per process, so the outputs of two processes do not
   * link (`deidentifyFileSet` makes one per run)
   */
  key?: DeidKey;
  /**
   * New identities by original Patient ID; patients not in it get a keyed pseudonym.
   *
   * @default {undefined} (every patient gets a keyed pseudonym: `ANON` and 12 hex digits)
   */
  pseudonyms?: ReadonlyMap<string, Pseudonym>;
  /**
   * The date shift in days for `retainLongitudinalModifiedDates` (negative goes back).
   *
   * @default {undefined} (derived per patient from the key: 365 to 4014 days back, plus a
   * shift of the time of day)
   */
  dateOffsetDays?: number;
  /**
   * Blank these regions in instances that may carry burned-in text (BurnedInAnnotation
   * YES, secondary capture, ultrasound) instead of refusing them.
   *
   * @default {undefined} (such instances are refused with a `RefusedError`)
   */
  cleanPixels?: CleanPixelsOptions;
}

/** Blanks regions of a dataset's pixels into `out`; returns the transfer syntax to write. */
type Blanker = (out: Dataset, source: Dataset, regions: readonly Region[]) => string;

let blanker: Blanker | undefined;

/**
 * Gives `deidentify` its pixel blanker: called by `./pixels.ts` when it loads, so that a
 * run without regions does not load the pixel decoders. Internal.
 */
export function installBlanker(fn: Blanker): void {
  blanker = fn;
}

// ---------------------------------------------------------------- the table ---

const ROWS_BY_TAG = new Map<number, ProfileRow>();
let CURVE_ROW: ProfileRow | undefined;
let OVERLAY_DATA_ROW: ProfileRow | undefined;
let OVERLAY_COMMENTS_ROW: ProfileRow | undefined;
let PRIVATE_ROW: ProfileRow | undefined;
for (const row of profileRows()) {
  if (row.tag === "50xx,xxxx") CURVE_ROW = row;
  else if (row.tag === "60xx,3000") OVERLAY_DATA_ROW = row;
  else if (row.tag === "60xx,4000") OVERLAY_COMMENTS_ROW = row;
  else if (row.tag === "gggg,eeee") PRIVATE_ROW = row;
  else ROWS_BY_TAG.set(parseInt(row.tag.replace(",", ""), 16) >>> 0, row);
}

/** Safe private attributes by `group:lowbyte:creator`. */
const SAFE_PRIVATE = new Set(
  safePrivateRows().map((r) => `${r.group}:${r.element}:${r.creator.trim()}`),
);

function isCurveGroup(group: number): boolean {
  return group >= 0x5000 && group <= 0x501e && group % 2 === 0;
}

function isOverlayGroup(group: number): boolean {
  return group >= 0x6000 && group <= 0x601e && group % 2 === 0;
}

/**
 * The row of Table E.1-1 for a tag: its own, or the curve group's, or the overlay
 * comments' and overlay data's; undefined for attributes the table does not list.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profileRowFor } from "./mod.ts";
 * assert.equal(profileRowFor(0x00100010)?.keyword, "PatientName");
 * assert.equal(profileRowFor(0x60024000)?.name, "Overlay Comments");
 * assert.equal(profileRowFor(0x50020022)?.tag, "50xx,xxxx");
 * assert.equal(profileRowFor(0x00280010), undefined);
 * ```
 */
export function profileRowFor(tag: number): ProfileRow | undefined {
  const row = ROWS_BY_TAG.get(tag >>> 0);
  if (row) return row;
  const group = tag >>> 16;
  if (isCurveGroup(group)) return CURVE_ROW;
  if (isOverlayGroup(group)) {
    const e = tag & 0xffff;
    if (e === 0x3000) return OVERLAY_DATA_ROW;
    if (e === 0x4000) return OVERLAY_COMMENTS_ROW;
  }
  if (group % 2 === 1) return PRIVATE_ROW;
  return undefined;
}

// ------------------------------------------------------------ the job state ---

let processKey: Uint8Array | undefined;

/** What one call needs while it walks the dataset. */
interface Job {
  options: DeidentifyOptions;
  keyed: Keyed;
  actions: Map<ProfileRow, "D" | "Z" | "X" | "K" | "C" | "U">;
  patientKey: string;
  pseudonym: Pseudonym;
  days: number;
  seconds: number;
}

const KEYED_BY_KEY = new WeakMap<object, Keyed>();
const KEYED_BY_TEXT = new Map<string, Keyed>();

function keyedFor(key: DeidKey | undefined): Keyed {
  if (key === undefined) key = processKey ??= randomKey();
  if (typeof key === "string") {
    let k = KEYED_BY_TEXT.get(key);
    if (!k) KEYED_BY_TEXT.set(key, k = new Keyed(key));
    return k;
  }
  let k = KEYED_BY_KEY.get(key);
  if (!k) KEYED_BY_KEY.set(key, k = new Keyed(key));
  return k;
}

const ACTION_CACHE = new Map<string, Map<ProfileRow, "D" | "Z" | "X" | "K" | "C" | "U">>();

function actionsFor(options: ProfileOptions) {
  const id = PROFILE_OPTIONS.map((o) => options[o] ? "1" : "0").join("");
  let map = ACTION_CACHE.get(id);
  if (!map) {
    map = new Map();
    for (const row of profileRows()) map.set(row, resolveAction(profileAction(row, options)));
    ACTION_CACHE.set(id, map);
  }
  return map;
}

function text(v: ElementValue | undefined): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => String(x ?? "")).join("\\");
  return String(v);
}

// ------------------------------------------------------------------ values ---

const DUMMY_TEXT = "ANONYMIZED";

/** Binary VRs of numeric data (curves, overlays, graphics) that C keeps. */
const GRAPHIC_DATA_VRS: ReadonlySet<string> = new Set(["OW", "OF", "OD", "OL"]);

/** A dummy value valid for the VR (PS3.15 E.1.1 D). */
function dummyValue(el: DataElement, job: Job): ElementValue {
  if (el.vr in NUMBER_SIZES) return el.vr === "SV" || el.vr === "UV" ? 0n : 0;
  switch (el.vr) {
    case "AE":
      return "ANONYMOUS";
    case "AS":
      return "000Y";
    case "CS":
    case "LO":
    case "SH":
    case "ST":
    case "LT":
    case "UT":
    case "UC":
      return DUMMY_TEXT;
    case "PN":
      return new PersonName(DUMMY_TEXT);
    case "DA":
      return "19000101";
    case "DT":
      return "19000101000000";
    case "TM":
      return "000000";
    case "DS":
    case "IS":
      return 0;
    case "UI":
      return mapUids(el.value, job);
    case "UR":
      return "http://anonymized.invalid/";
    default: {
      const v = el.value;
      return new Uint8Array(ArrayBuffer.isView(v) ? v.byteLength : 0);
    }
  }
}

/** The empty value of a VR (PS3.15 E.1.1 Z). */
function emptyValue(vr: string): ElementValue {
  if (vr === "PN") return new PersonName("");
  if (vr === "SQ") return [];
  if (
    ["AE", "AS", "CS", "DA", "DT", "TM", "UI", "UR", "LO", "SH", "ST", "LT", "UT", "UC"].includes(
      vr,
    )
  ) {
    return "";
  }
  if (["OB", "OW", "OD", "OF", "OL", "OV", "UN"].includes(vr)) return new Uint8Array(0);
  return null;
}

function mapUids(v: ElementValue, job: Job): ElementValue {
  if (typeof v === "string") return v === "" ? "" : job.keyed.uid(v);
  if (Array.isArray(v)) return (v as string[]).map((u) => u ? job.keyed.uid(String(u)) : "");
  return v;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

const DA_RE = /^(\d{4})(\d{2})(\d{2})$/;
const TM_RE = /^(\d{2})(\d{2})?(\d{2})?(\.\d{1,6})?$/;
const DT_RE = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,6})?([+-]\d{4})?$/;

/** Shifts one DA/DT/TM value by the job's offset; unparseable values become empty. */
function shiftOne(vr: string, s: string, job: Job): string {
  const t = s.trim();
  if (t === "") return "";
  if (vr === "DA") {
    const m = DA_RE.exec(t);
    if (!m) return "";
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]) + job.days * 86400_000);
    return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
  }
  if (vr === "TM") {
    const m = TM_RE.exec(t);
    if (!m) return "";
    const total = (+m[1] * 3600 + +(m[2] ?? 0) * 60 + +(m[3] ?? 0) + job.seconds) % 86400;
    const parts = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
    const n = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
    return parts.slice(0, n).map((x) => pad(x, 2)).join("") + (m[4] ?? "");
  }
  const m = DT_RE.exec(t);
  if (!m) return "";
  const ms = Date.UTC(
    +m[1],
    +(m[2] ?? 1) - 1,
    +(m[3] ?? 1),
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0),
  );
  const d = new Date(ms + job.days * 86400_000 + (m[4] !== undefined ? job.seconds * 1000 : 0));
  const parts = [
    pad(d.getUTCFullYear(), 4),
    pad(d.getUTCMonth() + 1, 2),
    pad(d.getUTCDate(), 2),
    pad(d.getUTCHours(), 2),
    pad(d.getUTCMinutes(), 2),
    pad(d.getUTCSeconds(), 2),
  ];
  const n = m.slice(2, 7).filter((x) => x !== undefined).length + 1;
  return parts.slice(0, n).join("") + (n === 6 ? m[7] ?? "" : "") + (m[8] ?? "");
}

/** The C action for one element (not a sequence). */
function cleanValue(el: DataElement, job: Job): ElementValue {
  const v = el.value;
  // numbers and numeric data (curve and graphic data) describe shapes, not people
  if (el.vr in NUMBER_SIZES || GRAPHIC_DATA_VRS.has(el.vr)) return v;
  switch (el.vr) {
    case "DA":
    case "DT":
    case "TM": {
      const list = text(v).split("\\").map((x) => shiftOne(el.vr, x, job));
      return list.length === 1 ? list[0] : list;
    }
    case "AE":
      return text(v) === "" ? "" : `AE${job.keyed.hex("ae", text(v), 14)}`;
    case "UI":
      return mapUids(v, job);
    case "CS":
      return cleanText(text(v), 16).toUpperCase().replace(/[^A-Z0-9 _]/g, "");
    case "SH":
      return cleanText(text(v), 16);
    case "LO":
      return cleanText(text(v), 64);
    case "ST":
    case "LT":
    case "UT":
    case "UC":
      return cleanText(text(v));
    default:
      return dummyValue(el, job);
  }
}

// --------------------------------------------------------------- elements ---

/** A copy of an element that keeps its stored bytes (written back as they were). */
function copyElement(el: DataElement): DataElement {
  const copy = new DataElement(el.tag, el.vr, el.source);
  if (el.encapsulated) copy.encapsulated = el.encapsulated;
  // never decoded: the copy reads the same bytes, and the writer copies them undecoded
  if (el.pristine) return copy;
  // the value as it is now (an edit since reading counts); the writer still writes the
  // stored bytes when the value is what they decode to
  copy.value = el.value;
  return copy;
}

/** Adds an element of a given VR (no dictionary look-up, no checks: values made here). */
function put(ds: Dataset, tag: number, vr: string, value: ElementValue): void {
  ds.add(DataElement.fromValue(tag, vr, value));
}

function withValue(el: DataElement, value: ElementValue): DataElement {
  return DataElement.fromValue(el.tag, el.vr, value);
}

/** Items of a sequence, each processed by `f`. */
function mapItems(el: DataElement, f: (item: Dataset) => Dataset): DataElement {
  const items = ((el.items ?? []) as Dataset[]).map(f);
  return DataElement.fromValue(el.tag, "SQ", items);
}

/** Which private blocks a dataset's safe private attributes use. */
function safePrivateTags(ds: Dataset, job: Job): Set<number> | undefined {
  if (!job.options.retainSafePrivate) return undefined;
  const keep = new Set<number>();
  for (const el of ds) {
    const group = el.tag >>> 16;
    if (group % 2 === 0) continue;
    const e = el.tag & 0xffff;
    if (e < 0x1000) continue;
    const block = e >>> 8;
    const creatorTag = ((group << 16) | block) >>> 0;
    const creator = ds.get(creatorTag);
    if (typeof creator !== "string") continue;
    if (SAFE_PRIVATE.has(`${group}:${e & 0xff}:${creator.trim()}`)) {
      keep.add(el.tag);
      keep.add(creatorTag);
    }
  }
  return keep;
}

type Mode = "profile" | "dummy" | "structured";

/** The dataset (or item) `ds` de-identified. */
function process(ds: Dataset, job: Job, mode: Mode, top: boolean): Dataset {
  const out = new Dataset();
  out.encoding = { ...ds.encoding };
  const safe = safePrivateTags(ds, job);
  const overlayAction = OVERLAY_DATA_ROW && job.actions.get(OVERLAY_DATA_ROW);
  for (const el of ds) {
    const t = el.tag;
    const group = t >>> 16;
    if (group === 0x0002 && top) continue; // file meta is made anew
    if ((t & 0xffff) === 0 && group !== 0x0002) continue; // group lengths change: drop
    if (group % 2 === 1) {
      if (!safe?.has(t)) continue;
      out.add(
        el.vr === "SQ" ? mapItems(el, (i) => process(i, job, "profile", false)) : copyElement(el),
      );
      continue;
    }
    if (isOverlayGroup(group) && overlayAction === "X") continue; // the overlay goes whole
    if (mode === "dummy") {
      const d = dummyDeep(el, job);
      if (d) out.add(d);
      continue;
    }
    const row = profileRowFor(t);
    if (!row) {
      if (el.vr === "SQ") out.add(mapItems(el, (i) => process(i, job, mode, false)));
      else if (mode === "structured" && ["PN", "ST", "LT", "UT", "UC"].includes(el.vr)) {
        out.add(withValue(el, el.vr === "PN" ? dummyValue(el, job) : cleanValue(el, job)));
      } else out.add(copyElement(el));
      continue;
    }
    const action = job.actions.get(row)!;
    const made = apply(el, action, job, mode);
    if (made) out.add(made);
  }
  return out;
}

/** Every value inside replaced by a dummy (D on a sequence); UIDs are mapped. */
function dummyDeep(el: DataElement, job: Job): DataElement | undefined {
  if (el.vr === "SQ") return mapItems(el, (i) => process(i, job, "dummy", false));
  if (el.tag === 0x00100010 || el.tag === 0x00100020) return pseudonymElement(el, job);
  return withValue(el, dummyValue(el, job));
}

function pseudonymElement(el: DataElement, job: Job): DataElement {
  return el.tag === 0x00100010
    ? DataElement.fromValue(el.tag, "PN", new PersonName(job.pseudonym.name))
    : DataElement.fromValue(el.tag, el.vr, job.pseudonym.id);
}

function apply(
  el: DataElement,
  action: "D" | "Z" | "X" | "K" | "C" | "U",
  job: Job,
  mode: Mode,
): DataElement | undefined {
  if (action === "X") return undefined;
  if (action !== "K" && (el.tag === 0x00100010 || el.tag === 0x00100020)) {
    return pseudonymElement(el, job);
  }
  if (el.vr === "SQ") {
    switch (action) {
      case "Z":
        return DataElement.fromValue(el.tag, "SQ", []);
      case "D":
        return dummyDeep(el, job);
      case "C":
        return mapItems(el, (i) => process(i, job, "structured", false));
      default: // K, U (X/Z/U*): the sequence stays, its items are de-identified
        return mapItems(el, (i) => process(i, job, mode, false));
    }
  }
  switch (action) {
    case "K":
      return copyElement(el);
    case "Z":
      return withValue(el, emptyValue(el.vr));
    case "D":
      return withValue(el, dummyValue(el, job));
    case "U":
      return withValue(el, el.vr === "UI" ? mapUids(el.value, job) : dummyValue(el, job));
    case "C":
      return withValue(el, cleanValue(el, job));
  }
}

// ----------------------------------------------------------- burned-in text ---

const BURNED_IN_CLASSES: ReadonlySet<string> = new Set([
  "1.2.840.10008.5.1.4.1.1.7", // Secondary Capture
  "1.2.840.10008.5.1.4.1.1.7.1",
  "1.2.840.10008.5.1.4.1.1.7.2",
  "1.2.840.10008.5.1.4.1.1.7.3",
  "1.2.840.10008.5.1.4.1.1.7.4",
  "1.2.840.10008.5.1.4.1.1.6.1", // Ultrasound
  "1.2.840.10008.5.1.4.1.1.6.2",
  "1.2.840.10008.5.1.4.1.1.3.1",
  "1.2.840.10008.5.1.4.1.1.6", // retired Ultrasound
  "1.2.840.10008.5.1.4.1.1.3",
]);

/**
 * Why an instance may carry burned-in text (and must be refused or have regions
 * blanked), or undefined when there is no reason to think so: BurnedInAnnotation YES,
 * or a secondary capture or ultrasound SOP class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { burnedInReason } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.2");
 * ds.set("PixelData", new Uint8Array(4));
 * assert.equal(burnedInReason(ds), undefined);
 * ds.set("BurnedInAnnotation", "YES");
 * assert.equal(burnedInReason(ds), "BurnedInAnnotation is YES");
 * ```
 */
export function burnedInReason(ds: Dataset): string | undefined {
  if (!ds.has(0x7fe00010)) return undefined;
  if (text(ds.get(0x00280301)).trim().toUpperCase() === "YES") return "BurnedInAnnotation is YES";
  const sopClass = text(ds.get(0x00080016) ?? ds.fileMeta?.get(0x00020002)).trim();
  if (BURNED_IN_CLASSES.has(sopClass)) {
    return sopClass.includes(".1.1.7")
      ? "a secondary capture, which usually carries burned-in text"
      : "an ultrasound image, which usually carries burned-in text";
  }
  return undefined;
}

// ------------------------------------------------------------------ public ---

/** The CID 7050 codes of a set of options (the profile first, then each option used). */
function methodCodes(options: DeidentifyOptions, pixelsCleaned: boolean) {
  const used = new Set<string>(["basic"]);
  for (const o of PROFILE_OPTIONS) if (options[o]) used.add(o);
  if (pixelsCleaned) used.add("cleanPixels");
  return cid7050().filter((c) => used.has(c.option));
}

/**
 * The CID 7050 codes (`113100` and one per option) that {@linkcode deidentify} records
 * for these options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deidentificationCodes } from "./mod.ts";
 * assert.deepEqual(deidentificationCodes({ retainUids: true }).map((c) => c.code), [
 *   "113100",
 *   "113110",
 * ]);
 * ```
 */
export function deidentificationCodes(
  options: ProfileOptions & { cleanPixels?: CleanPixelsOptions } = {},
): { code: string; scheme: string; meaning: string; option: string }[] {
  return methodCodes(options, options.cleanPixels !== undefined).map((c) => ({ ...c }));
}

function patientPseudonym(ds: Dataset, job: Omit<Job, "pseudonym">): Pseudonym {
  const id = text(ds.get(0x00100020)).trim();
  const mapped = job.options.pseudonyms?.get(id);
  if (mapped) return mapped;
  const h = job.keyed.hex("patient", job.patientKey, 12);
  return { id: `ANON${h}`, name: `ANON^${h}` };
}

/**
 * A de-identified copy of a dataset by the PS3.15 Basic Application Level
 * Confidentiality Profile (Table E.1-1) and the options chosen; the input is untouched.
 *
 * - Each attribute of the table gets its action: X removed, Z empty, D a dummy of its VR,
 *   K kept (sequences are still de-identified inside), C cleaned (dates shifted by the
 *   patient's offset, text reduced to words of a non-identifying vocabulary, AE titles
 *   replaced by keyed names), U a keyed `2.25.` UID. Without the IOD's Type facts, Z/D,
 *   X/D and X/Z/D give D, X/Z gives Z, and X/Z/U* keeps the sequence with its UIDs mapped.
 * - Patient's Name and ID get the patient's pseudonym (keyed, or from `pseudonyms`).
 * - Private attributes are removed (with `retainSafePrivate`, those of Table E.3.10-1
 *   stay, with their creators); curves go by the table's group row; when Overlay Data is
 *   removed the whole overlay group goes; group lengths are dropped; everything else stays.
 * - Sequences are walked at every depth.
 * - PatientIdentityRemoved `YES`, DeidentificationMethod, the CID 7050 codes in
 *   DeidentificationMethodCodeSequence and LongitudinalTemporalInformationModified are set;
 *   the file meta is made anew (its Media Storage SOP Instance UID follows the dataset).
 * - An instance that may carry burned-in text (see {@linkcode burnedInReason}) throws a
 *   `RefusedError` unless `cleanPixels.regions` is given: then those rectangles are
 *   blanked in every frame (compressed data is decoded and written natively) and code
 *   113101 is added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { deidentify } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientName", "Doe^John");
 * ds.set("PatientID", "MRN-0042");
 * ds.set("StudyDate", "20240115");
 * ds.set("StudyInstanceUID", "1.2.3.4.5");
 * ds.set("InstitutionName", "General Hospital");
 * ds.set("Rows", 512);
 * const out = deidentify(ds, { key: "secret" });
 * assert.match(out.PatientID as string, /^ANON[0-9A-F]{12}$/);
 * assert.equal(out.StudyDate, "");
 * assert.match(out.StudyInstanceUID as string, /^2\.25\./);
 * assert.equal(out.InstitutionName, "ANONYMIZED"); // X/Z/D: a dummy
 * assert.equal(out.Rows, 512);
 * assert.equal(out.PatientIdentityRemoved, "YES");
 * assert.equal(String(ds.PatientName), "Doe^John"); // the input is untouched
 * const dates = deidentify(ds, { key: "secret", retainLongitudinalModifiedDates: true });
 * assert.notEqual(dates.StudyDate, "20240115");
 * assert.equal(dates.LongitudinalTemporalInformationModified, "MODIFIED");
 * ```
 */
export function deidentify(ds: Dataset, options: DeidentifyOptions = {}): Dataset {
  const actions = actionsFor(options);
  const keyed = keyedFor(options.key);
  const reason = burnedInReason(ds);
  if (reason && !options.cleanPixels) {
    throw new RefusedError(
      `refused: ${reason}; pass cleanPixels regions to blank or leave the instance out`,
    );
  }
  const patientKey = text(ds.get(0x00100020)).trim() || text(ds.get(0x00100010)).trim();
  let days: number, seconds: number;
  if (options.dateOffsetDays !== undefined) {
    if (!Number.isInteger(options.dateOffsetDays)) {
      throw new ValueError(`dateOffsetDays must be a whole number, not ${options.dateOffsetDays}`);
    }
    days = options.dateOffsetDays;
    seconds = 0;
  } else {
    days = -(365 + keyed.u32("days", patientKey) % 3650);
    seconds = 1 + keyed.u32("seconds", patientKey) % 86399;
  }
  const partial = { options, keyed, actions, patientKey, days, seconds };
  const job: Job = { ...partial, pseudonym: patientPseudonym(ds, partial) };
  const out = process(ds, job, "profile", true);

  let pixelsCleaned = false;
  let transferSyntax = ds.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN;
  if (reason && options.cleanPixels) {
    if (!blanker) {
      throw new UnsupportedError(
        "blanking pixels needs the pixel decoders: import lib/deid/mod.ts (or lib/deid/pixels.ts)",
      );
    }
    transferSyntax = blanker(out, ds, options.cleanPixels.regions);
    put(out, 0x00280301, "CS", "NO");
    pixelsCleaned = true;
  }

  put(out, 0x00120062, "CS", "YES");
  const codes = methodCodes(options, pixelsCleaned);
  put(out, 0x00120063, "LO", codes.map((c) => c.meaning.slice(0, 64)));
  put(
    out,
    0x00120064,
    "SQ",
    codes.map((c) => {
      const item = new Dataset();
      put(item, 0x00080100, "SH", c.code);
      put(item, 0x00080102, "SH", c.scheme);
      put(item, 0x00080104, "LO", c.meaning);
      return item;
    }),
  );
  put(
    out,
    0x00280303,
    "CS",
    options.retainLongitudinalFullDates
      ? "UNMODIFIED"
      : options.retainLongitudinalModifiedDates
      ? "MODIFIED"
      : "REMOVED",
  );

  const meta = new Dataset();
  const sopClass = text(ds.get(0x00080016) ?? ds.fileMeta?.get(0x00020002)).trim();
  // Media Storage SOP Instance UID follows the dataset's, else gets its own row's action
  const metaRow = ROWS_BY_TAG.get(0x00020003);
  const metaUid = text(ds.fileMeta?.get(0x00020003)).trim();
  const sopInstance = text(out.get(0x00080018)).trim() ||
    (metaRow && actions.get(metaRow) === "K" ? metaUid : text(mapUids(metaUid, job)));
  if (sopClass) put(meta, 0x00020002, "UI", sopClass);
  if (sopInstance) put(meta, 0x00020003, "UI", sopInstance);
  put(meta, 0x00020010, "UI", transferSyntax);
  out.fileMeta = meta;
  return out;
}

/** The options `deidentify` knows, for command lines and reports. */
export const DEIDENTIFY_OPTIONS: readonly ProfileOption[] = PROFILE_OPTIONS;
