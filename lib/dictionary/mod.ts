/**
 * The DICOM data dictionary: standard elements (PS3.6 table 6-1), repeating-group
 * elements (`60xx3000` and friends), vendors' private elements keyed by private creator,
 * and registered UIDs. Built from the same tables as pydicom 2.3.1 and matching its
 * lookups (`get_entry`, `mask_match`, `get_private_entry`, `tag_for_keyword`).
 *
 * The tables live in generated modules (`_standard.ts`, `_repeaters.ts`, `_private.ts`,
 * `_uids.ts`, `_keywords.ts`, written by `tools/gen_dictionary.ts`); each is parsed
 * into maps on its first lookup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupTag, tagForKeyword, uidName } from "./mod.ts";
 *
 * assert.equal(lookupTag(0x00100010)?.name, "Patient's Name");
 * assert.equal(tagForKeyword("PatientName"), 0x00100010);
 * assert.equal(uidName("1.2.840.10008.1.2.1"), "Explicit VR Little Endian");
 * ```
 *
 * @module
 */
import { STANDARD } from "./_standard.ts";
import { REPEATERS } from "./_repeaters.ts";
import { PRIVATE } from "./_private.ts";
import { UIDS } from "./_uids.ts";

export type { KeywordAccessors, KeywordTypeKey, KeywordVM, KeywordVR } from "./_keywords.ts";
import type { KeywordVR } from "./_keywords.ts";

/** A standard or repeating-group keyword, such as `"PatientName"` or `"OverlayData"`. */
export type Keyword = keyof KeywordVR;

/**
 * A standard (or repeating-group) data dictionary entry.
 *
 * `vr` is kept as the dictionary spells it, so an element allowing several VRs reads
 * `"US or SS"`, `"OB or OW"`, `"US or OW"` or `"US or SS or OW"`: the reader picks one from
 * the context (Pixel Representation, transfer syntax, ...). The item and delimiter tags
 * `(FFFE,E000)`, `(FFFE,E00D)` and `(FFFE,E0DD)` have VR `"NONE"`. A few retired entries
 * have an empty `keyword` (and an empty name or `"Retired-blank"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type DictionaryEntry, lookupTag } from "./mod.ts";
 *
 * const entry: DictionaryEntry | undefined = lookupTag(0x00280010);
 * assert.equal(entry?.keyword, "Rows");
 * ```
 */
export interface DictionaryEntry {
  /** Value representation, e.g. `"PN"` or `"US or SS"`. */
  readonly vr: string;
  /** Value multiplicity, e.g. `"1"`, `"1-n"`, `"2-2n"`. */
  readonly vm: string;
  /** Name as printed, e.g. `"Patient's Name"`. */
  readonly name: string;
  /** Keyword, e.g. `"PatientName"`; empty for a few retired entries. */
  readonly keyword: string;
  /** True when the standard retired the element. */
  readonly retired: boolean;
}

/**
 * A private data dictionary entry.
 *
 * `name` is the bare name: pydicom prints a known private element's name in square
 * brackets (`[Tamar Study Body Part]`), an unknown private element as `Private tag data`
 * and a private creator element as `Private Creator`; that is left to the printer. The VR
 * is spelled as in the dictionary, which includes `"OB_OW"` for one entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupPrivate, type PrivateEntry } from "./mod.ts";
 *
 * const entry: PrivateEntry | undefined = lookupPrivate("ELSCINT1", 0x00e11040);
 * assert.deepEqual(entry, { vr: "SH", vm: "1", name: "Image Label", retired: false });
 * ```
 */
export interface PrivateEntry {
  /** Value representation, e.g. `"LO"`. */
  readonly vr: string;
  /** Value multiplicity, e.g. `"1"`. */
  readonly vm: string;
  /** Name without brackets, e.g. `"Image Label"`. */
  readonly name: string;
  /** True when the dictionary marks the element retired. */
  readonly retired: boolean;
}

/**
 * A registered UID.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupUid, type UidEntry } from "./mod.ts";
 *
 * const entry: UidEntry | undefined = lookupUid("1.2.840.10008.1.2");
 * assert.equal(entry?.type, "Transfer Syntax");
 * assert.equal(entry?.keyword, "ImplicitVRLittleEndian");
 * ```
 */
export interface UidEntry {
  /** The UID itself, e.g. `"1.2.840.10008.1.2"`. */
  readonly uid: string;
  /** Name, e.g. `"Implicit VR Little Endian"`; empty for a few retired UIDs. */
  readonly name: string;
  /** Kind, e.g. `"Transfer Syntax"`, `"SOP Class"`, `"Well-known frame of reference"`. */
  readonly type: string;
  /** Extra information, e.g. `"Default Transfer Syntax for DICOM"`; often empty. */
  readonly info: string;
  /** True when the UID is retired. */
  readonly retired: boolean;
  /** Keyword, e.g. `"ImplicitVRLittleEndian"`; empty for a few retired UIDs. */
  readonly keyword: string;
}

/** Row counts of the dictionary tables, as returned by {@linkcode dictionarySize}. */
export interface DictionarySize {
  /** Standard elements. */
  readonly standard: number;
  /** Repeating-group masks. */
  readonly repeaters: number;
  /** Private elements, over all creators. */
  readonly private: number;
  /** Private creators. */
  readonly creators: number;
  /** Registered UIDs. */
  readonly uids: number;
}

// ---------------------------------------------------------------------------------------
// Table parsing, each on first use.

function rows(text: string): string[] {
  // The literal starts and ends with a newline.
  return text.slice(1, -1).split("\n");
}

let standardByTag: Map<number, DictionaryEntry> | undefined;
let keywordTags: Map<string, number> | undefined;
let keywordList: readonly string[] | undefined;

function standardTable(): Map<number, DictionaryEntry> {
  if (standardByTag) return standardByTag;
  const map = new Map<number, DictionaryEntry>();
  for (const row of rows(STANDARD)) {
    const [tag, vr, vm, name, retired, keyword] = row.split("|");
    map.set(parseInt(tag, 16), { vr, vm, name, keyword, retired: retired === "R" });
  }
  return standardByTag = map;
}

/** One repeating-group mask: a tag matches when `(tag & care) === value`. */
interface Repeater {
  readonly mask: string;
  readonly care: number;
  readonly value: number;
  readonly entry: DictionaryEntry;
}

/**
 * Repeaters grouped by the positions of their x digits: each shape maps its masked
 * value to the first repeater (in table order) with that shape and value.
 */
interface RepeaterShape {
  readonly care: number;
  readonly byValue: Map<number, { readonly index: number; readonly repeater: Repeater }>;
}

let repeaterList: Repeater[] | undefined;
let repeaterShapes: RepeaterShape[] | undefined;

function repeaterTable(): Repeater[] {
  if (repeaterList) return repeaterList;
  const list: Repeater[] = [];
  const shapes = new Map<number, RepeaterShape>();
  for (const row of rows(REPEATERS)) {
    const [mask, vr, vm, name, retired, keyword] = row.split("|");
    let care = 0;
    for (const c of mask) care = care * 16 + (c === "x" ? 0 : 15);
    const repeater: Repeater = {
      mask,
      care,
      value: parseInt(mask.replaceAll("x", "0"), 16),
      entry: { vr, vm, name, keyword, retired: retired === "R" },
    };
    let shape = shapes.get(care);
    if (!shape) shapes.set(care, shape = { care, byValue: new Map() });
    if (!shape.byValue.has(repeater.value)) {
      shape.byValue.set(repeater.value, { index: list.length, repeater });
    }
    list.push(repeater);
  }
  repeaterShapes = [...shapes.values()];
  return repeaterList = list;
}

/** The first repeater in table order whose mask matches `tag`, as pydicom's `mask_match`. */
function matchRepeater(tag: number): Repeater | undefined {
  repeaterTable();
  let best: { readonly index: number; readonly repeater: Repeater } | undefined;
  for (const shape of repeaterShapes!) {
    const hit = shape.byValue.get((tag & shape.care) >>> 0);
    if (hit && (!best || hit.index < best.index)) best = hit;
  }
  return best?.repeater;
}

function keywordTable(): Map<string, number> {
  if (keywordTags) return keywordTags;
  const map = new Map<string, number>();
  for (const [tag, entry] of standardTable()) {
    if (entry.keyword !== "" && !map.has(entry.keyword)) map.set(entry.keyword, tag);
  }
  for (const repeater of repeaterTable()) {
    const keyword = repeater.entry.keyword;
    if (keyword === "" || map.has(keyword)) continue;
    const tag = repeaterTag(repeater);
    if (tag !== undefined) map.set(keyword, tag);
  }
  return keywordTags = map;
}

/**
 * The smallest tag that looks up as `repeater`: its mask with the x digits zero, unless a
 * standard element owns that tag (`00280400` Transform Label shadows `002804x0`), then the
 * x digits counted up (`00280410`).
 */
function repeaterTag(repeater: Repeater): number | undefined {
  const xs = [...repeater.mask].reverse().flatMap((c, i) => c === "x" ? [i] : []);
  const limit = Math.min(16 ** xs.length, 256);
  for (let n = 0; n < limit; n++) {
    let tag = repeater.value;
    xs.forEach((shift, i) => tag += ((n >> (4 * i)) & 15) * 16 ** shift);
    if (!standardTable().has(tag) && matchRepeater(tag) === repeater) return tag;
  }
  return undefined;
}

/** Private-dictionary key kinds, as the three keys pydicom's `get_private_entry` tries. */
const BLOCK_KEY = 2 ** 32; // "ggggxxee": group and low element byte
const GROUP_KEY = 2 ** 33; // "ggxxxxee": high group byte and low element byte

/** A private creator's entries keyed by number (see `privateKey`), parsed on first use. */
interface CreatorTable {
  readonly first: number;
  readonly end: number;
  map?: Map<number, PrivateEntry>;
}

let privateLines: string[] | undefined;
let creatorIndex: Map<string, CreatorTable> | undefined;

function creatorTables(): Map<string, CreatorTable> {
  if (creatorIndex) return creatorIndex;
  const lines = privateLines = rows(PRIVATE);
  const creators = new Map<string, CreatorTable>();
  let name: string | undefined;
  let first = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i].startsWith(">")) {
      if (name !== undefined) creators.set(name, { first, end: i });
      if (i < lines.length) [name, first] = [lines[i].slice(1), i + 1];
    }
  }
  return creatorIndex = creators;
}

/**
 * Numeric key for a private dictionary key string: exact tags ("00190010") as the tag,
 * "ggggxxee" as BLOCK_KEY + (group << 8 | ee), "ggxxxxee" as GROUP_KEY + (gg << 8 | ee).
 * Other shapes (e.g. "000910xx") are never looked up by pydicom: undefined.
 */
function privateKey(key: string): number | undefined {
  if (/^[0-9a-fA-F]{8}$/.test(key)) return parseInt(key, 16);
  if (/^[0-9a-fA-F]{4}xx[0-9a-fA-F]{2}$/.test(key)) {
    return BLOCK_KEY + parseInt(key.slice(0, 4) + key.slice(6), 16);
  }
  if (/^[0-9a-fA-F]{2}xxxx[0-9a-fA-F]{2}$/.test(key)) {
    return GROUP_KEY + parseInt(key.slice(0, 2) + key.slice(6), 16);
  }
  return undefined;
}

function creatorMap(table: CreatorTable): Map<number, PrivateEntry> {
  if (table.map) return table.map;
  const map = new Map<number, PrivateEntry>();
  for (let i = table.first; i < table.end; i++) {
    const [key, vr, vm, name, retired] = privateLines![i].split("|");
    const k = privateKey(key);
    if (k !== undefined) map.set(k, { vr, vm, name, retired: retired === "R" });
  }
  return table.map = map;
}

let uidTable: Map<string, UidEntry> | undefined;
let uidKeywords: Map<string, string> | undefined;

function uids(): Map<string, UidEntry> {
  if (uidTable) return uidTable;
  const map = new Map<string, UidEntry>();
  for (const row of rows(UIDS)) {
    const [uid, name, type, info, retired, keyword] = row.split("|");
    map.set(uid, { uid, name, type, info, retired: retired === "R", keyword });
  }
  return uidTable = map;
}

// ---------------------------------------------------------------------------------------
// Public lookups.

/**
 * Looks up a tag in the standard dictionary, then (for even groups) in the repeating-group
 * masks such as `60xx3000` or `1000xxx0`, where the non-x hex digits must match; the first
 * matching mask in table order wins, as in pydicom's `get_entry`. Returns `undefined` for
 * private tags and unknown ones, including generic group lengths `(gggg,0000)` that
 * pydicom names "Group Length" in its printer.
 *
 * `tag` is `(group << 16) | element`; a negative number from a signed shift is accepted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupTag } from "./mod.ts";
 *
 * assert.deepEqual(lookupTag(0x00100010), {
 *   vr: "PN",
 *   vm: "1",
 *   name: "Patient's Name",
 *   keyword: "PatientName",
 *   retired: false,
 * });
 * assert.equal(lookupTag(0x60023000)?.keyword, "OverlayData");
 * assert.equal(lookupTag(0x00091001), undefined);
 * ```
 */
export function lookupTag(tag: number): DictionaryEntry | undefined {
  const t = tag >>> 0;
  const entry = standardTable().get(t);
  if (entry || (t >>> 16) & 1) return entry;
  return matchRepeater(t)?.entry;
}

/**
 * The tag of a standard keyword, or of a repeating-group keyword as its mask with the x
 * digits zero (`"OverlayData"` gives `0x60003000`). Four retired masks `002804x0` to
 * `002804x3` would give a tag the standard dictionary owns (`00280400` is Transform
 * Label), so theirs count the x digit up: `"RowsForNthOrderCoefficients"` gives
 * `0x00280410`. Every keyword's tag thus looks up to that keyword again. pydicom's
 * `tag_for_keyword` knows standard keywords only. Case-sensitive; `undefined` when
 * unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tagForKeyword } from "./mod.ts";
 *
 * assert.equal(tagForKeyword("PatientName"), 0x00100010);
 * assert.equal(tagForKeyword("OverlayData"), 0x60003000);
 * assert.equal(tagForKeyword("patientname"), undefined);
 * ```
 */
export function tagForKeyword(keyword: string): number | undefined {
  return keywordTable().get(keyword);
}

/**
 * Every standard keyword (in tag order, retired ones included) followed by the
 * repeating-group keywords (in table order). Entries without a keyword are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allKeywords } from "./mod.ts";
 *
 * assert.equal(allKeywords().includes("PatientName"), true);
 * assert.equal(allKeywords()[0], "CommandGroupLength");
 * ```
 */
export function allKeywords(): readonly string[] {
  keywordList ??= Object.freeze([...keywordTable().keys()]);
  return keywordList;
}

/**
 * Looks up a private element by its private creator (the value of the block's creator
 * element, compared exactly) and its tag, as pydicom's `get_private_entry`: it tries the
 * exact tag `ggggeeee`, then the tag with the block byte (high element byte) as `xx`,
 * `ggggxxee`, then `ggxxxxee`; the first one in the creator's table wins.
 *
 * The returned name is bare: pydicom prints it in brackets, `[Tamar Study Body Part]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupPrivate } from "./mod.ts";
 *
 * assert.equal(lookupPrivate("ELSCINT1", 0x07a11040)?.name, "Tamar Study Body Part");
 * assert.equal(lookupPrivate("NO SUCH CREATOR", 0x00091010), undefined);
 * ```
 */
export function lookupPrivate(creator: string, tag: number): PrivateEntry | undefined {
  const table = creatorTables().get(creator);
  if (!table) return undefined;
  const map = creatorMap(table);
  const t = tag >>> 0;
  const group = t >>> 16;
  const low = t & 0xff;
  return map.get(t) ?? map.get(BLOCK_KEY + ((group << 8) | low)) ??
    map.get(GROUP_KEY + (((group >>> 8) << 8) | low));
}

/**
 * The private creators known to the private dictionary, in table order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { privateCreators } from "./mod.ts";
 *
 * assert.equal(privateCreators().includes("ELSCINT1"), true);
 * ```
 */
export function privateCreators(): readonly string[] {
  return Object.freeze([...creatorTables().keys()]);
}

/**
 * Looks up a registered UID (exact string, no padding).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupUid } from "./mod.ts";
 *
 * assert.equal(lookupUid("1.2.840.10008.5.1.4.1.1.2")?.keyword, "CTImageStorage");
 * ```
 */
export function lookupUid(uid: string): UidEntry | undefined {
  return uids().get(uid);
}

/**
 * The name of a registered UID, or `undefined` when unknown (pydicom's `UID.name` shows
 * the UID itself then). A few retired UIDs have an empty name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uidName } from "./mod.ts";
 *
 * assert.equal(uidName("1.2.840.10008.5.1.4.1.1.2"), "CT Image Storage");
 * assert.equal(uidName("1.2.3"), undefined);
 * ```
 */
export function uidName(uid: string): string | undefined {
  return uids().get(uid)?.name;
}

/**
 * The UID registered under a keyword, as pydicom's `pydicom.uid` constants.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uidForKeyword } from "./mod.ts";
 *
 * assert.equal(uidForKeyword("ExplicitVRLittleEndian"), "1.2.840.10008.1.2.1");
 * ```
 */
export function uidForKeyword(keyword: string): string | undefined {
  if (!uidKeywords) {
    uidKeywords = new Map();
    for (const entry of uids().values()) {
      if (entry.keyword !== "" && !uidKeywords.has(entry.keyword)) {
        uidKeywords.set(entry.keyword, entry.uid);
      }
    }
  }
  return uidKeywords.get(keyword);
}

/**
 * Row counts of the dictionary tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dictionarySize } from "./mod.ts";
 *
 * assert.deepEqual(dictionarySize(), {
 *   standard: 4904,
 *   repeaters: 88,
 *   private: 9420,
 *   creators: 435,
 *   uids: 454,
 * });
 * ```
 */
export function dictionarySize(): DictionarySize {
  const creators = creatorTables();
  let privateRows = 0;
  for (const table of creators.values()) privateRows += table.end - table.first;
  return {
    standard: standardTable().size,
    repeaters: repeaterTable().length,
    private: privateRows,
    creators: creators.size,
    uids: uids().size,
  };
}
