/**
 * `DataElement`: one tag, its VR and its value. Values read from a file stay as bytes
 * until first asked for, then are decoded once by VR (and character set for text).
 *
 * @module
 */

import type { Tag } from "../core/tag.ts";
import { isPrivateTag } from "../core/tag.ts";
import { PersonName } from "./person_name.ts";
import { EMPTY_STRING_VRS, NUMBER_SIZES } from "../core/vr.ts";
import { decodeText } from "./charset/mod.ts";
import { lookupPrivate, lookupTag } from "../dictionary/mod.ts";

/** Fragments of encapsulated (compressed) pixel data, as stored (PS3.5 A.4). */
export interface EncapsulatedPixelData {
  /** The Basic Offset Table: byte offsets of each frame's first fragment; empty if absent. */
  basicOffsetTable: Uint32Array;
  /**
   * The fragments after the offset table, in order, as views of the input. When the
   * pixel data was deferred (`read(path, { deferSize })`), the first use reads them all
   * from disk: use `fragment(index)` to read one.
   */
  fragments: Uint8Array[];
  /** Offset of each fragment's item tag, relative to the first fragment's item tag. */
  fragmentPositions: number[];
  /**
   * Set when the pixel data was deferred: fragment `index`, read from disk alone into an
   * array of its own (not kept). Absent when the fragments are in memory.
   */
  fragment?(index: number): Uint8Array;
}

/**
 * The value types elements may hold, by VR: strings for text VRs (a list for VM > 1),
 * numbers for numeric VRs, `PersonName` for PN, `Dataset[]` for SQ, typed arrays for
 * binary VRs (OB/UN bytes, OW words, OF/OD floats, OL longs, OV big ints), tags
 * (numbers) for AT, and `null` for an empty non-text value.
 */
export type ElementValue =
  | string
  | string[]
  | number
  | (number | null)[]
  | bigint
  | bigint[]
  | PersonName
  | PersonName[]
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | ItemList
  | null;

/** A sequence's items. Each item is a dataset (the interface avoids an import cycle). */
export type ItemList = DatasetLike[];

/** The parts of a Dataset an element needs to decode itself. */
export interface DatasetLike {
  /** The character sets in force for this dataset's text. */
  readonly charset: readonly string[];
  /** The element with this tag, if present. */
  element(tag: Tag): DataElement | undefined;
}

/** Where an element came from, when it was read from bytes. */
export interface ElementSource {
  /** The value's bytes as stored in the input (a view, not a copy). */
  bytes: Uint8Array;
  /** Byte order of the encoding. */
  littleEndian: boolean;
  /** Byte offset of the value in the (inflated) input. */
  offset: number;
  /** The element had undefined length (0xFFFFFFFF). */
  undefinedLength?: boolean;
  /**
   * Set when the value was left on disk (`read(path, { deferSize })`): bytes
   * `[start, end)` of the value, reading only those from disk into an array of their
   * own, not kept (`bytes` reads and keeps them all).
   */
  range?(start: number, end: number): Uint8Array;
  /** Length of the value in bytes; set with `range`, known without reading the value. */
  length?: number;
}

/** Decodes bytes as ISO 8859-1 exactly (code point = byte), unlike WHATWG's "latin1". */
export function decodeLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

function rstripSpaceNul(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Python's truthiness of a value, as pydicom tests a private creator. */
function truthy(v: ElementValue | undefined): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "bigint") return v !== 0n;
  if (v instanceof PersonName) return v.toString().length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return (v as ArrayBufferView).byteLength > 0;
}

function multi<T>(parts: T[]): T | T[] {
  return parts.length === 1 ? parts[0] : parts;
}

/** Splits bytes on backslash (0x5C). */
export function splitBytes(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x5c) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  out.push(bytes.subarray(start));
  return out;
}

/** Python's `float(str)` for DS text: null when empty, NaN never returned for bad text. */
function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    if (/^[+-]?(inf|infinity|nan)$/i.test(t)) {
      return t.toLowerCase().includes("nan") ? NaN : t.startsWith("-") ? -Infinity : Infinity;
    }
    return undefined;
  }
  return Number(t);
}

function parseInteger(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  const f = parseDecimal(t);
  if (f !== undefined && Number.isInteger(f)) return f;
  return undefined;
}

function readNumbers(
  bytes: Uint8Array,
  vr: string,
  le: boolean,
): number | (number | null)[] | bigint | bigint[] {
  const size = NUMBER_SIZES[vr];
  const n = Math.floor(bytes.length / size);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (vr === "SV" || vr === "UV") {
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) {
      out.push(vr === "SV" ? dv.getBigInt64(i * 8, le) : dv.getBigUint64(i * 8, le));
    }
    return multi(out);
  }
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (vr) {
      case "US":
        out[i] = dv.getUint16(o, le);
        break;
      case "SS":
        out[i] = dv.getInt16(o, le);
        break;
      case "UL":
        out[i] = dv.getUint32(o, le);
        break;
      case "SL":
        out[i] = dv.getInt32(o, le);
        break;
      case "FL":
        out[i] = dv.getFloat32(o, le);
        break;
      case "FD":
        out[i] = dv.getFloat64(o, le);
        break;
      case "AT":
        out[i] = ((dv.getUint16(o, le) << 16) | dv.getUint16(o + 2, le)) >>> 0;
        break;
    }
  }
  return multi(out);
}

/**
 * Reads binary words into a typed array in the machine's order: a view when the
 * bytes are aligned and little endian, else a swapped copy.
 */
function readWords(
  bytes: Uint8Array,
  size: 2 | 4 | 8,
  le: boolean,
  make: "u16" | "u32" | "f32" | "f64" | "u64",
): Uint16Array | Uint32Array | Float32Array | Float64Array | BigUint64Array {
  const n = Math.floor(bytes.length / size);
  let src = bytes.subarray(0, n * size);
  if (!le || src.byteOffset % size !== 0) {
    const copy = new Uint8Array(src.length);
    if (le) copy.set(src);
    else {
      for (let i = 0; i < src.length; i += size) {
        for (let j = 0; j < size; j++) copy[i + j] = src[i + size - 1 - j];
      }
    }
    src = copy;
  }
  switch (make) {
    case "u16":
      return new Uint16Array(src.buffer, src.byteOffset, n);
    case "u32":
      return new Uint32Array(src.buffer, src.byteOffset, n);
    case "f32":
      return new Float32Array(src.buffer, src.byteOffset, n);
    case "f64":
      return new Float64Array(src.buffer, src.byteOffset, n);
    default:
      return new BigUint64Array(src.buffer, src.byteOffset, n);
  }
}

/**
 * One data element. Read the value with `value`; `name`, `keyword` and `vm` come from
 * the data dictionary (private names from the private dictionary, bracketed as pydicom
 * prints them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataElement } from "./mod.ts";
 * const el = DataElement.fromValue(0x00100010, "PN", "Doe^John");
 * assert.equal(el.keyword, "PatientName");
 * assert.equal(el.name, "Patient's Name");
 * assert.equal(String(el.value), "Doe^John");
 * ```
 */
export class DataElement {
  /** The tag, `(group << 16 | element) >>> 0`. */
  readonly tag: Tag;
  /** The VR, resolved (an ambiguous dictionary VR is replaced once the dataset is known). */
  vr: string;
  /** Where the value was read from, if it was read. */
  readonly source?: ElementSource;
  /** The items of a sequence (VR SQ). */
  items?: DatasetLike[];
  /** The fragments of encapsulated pixel data. */
  encapsulated?: EncapsulatedPixelData;
  /** The dataset holding this element; set when it is added to one. */
  dataset?: DatasetLike;
  #value: ElementValue | undefined;
  #decoded = false;

  /** An element read from bytes (`source`), or empty until `value` is set. */
  constructor(tag: Tag, vr: string, source?: ElementSource) {
    this.tag = tag;
    this.vr = vr;
    this.source = source;
  }

  /**
   * Makes an element from a value (for building or editing datasets).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { DataElement } from "./mod.ts";
   * assert.equal(DataElement.fromValue(0x00280010, "US", 512).value, 512);
   * ```
   */
  static fromValue(tag: Tag, vr: string, value: ElementValue): DataElement {
    const el = new DataElement(tag, vr);
    if (vr === "SQ") el.items = (value ?? []) as DatasetLike[];
    el.#value = vr === "PN" && typeof value === "string" ? new PersonName(value) : value;
    el.#decoded = true;
    return el;
  }

  /**
   * A deep copy of this element, sharing nothing with it: its source bytes, decoded value
   * and pixel fragments are copied. A sequence's items are the caller's to copy: pass
   * them (`Dataset.copy()` does).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { DataElement } from "./element.ts";
   * const el = DataElement.fromValue(0x7fe00010, "OB", new Uint8Array([1, 2]));
   * const copy = el.clone();
   * (copy.value as Uint8Array)[0] = 9;
   * assert.deepEqual([...(el.value as Uint8Array)], [1, 2]);
   * ```
   */
  clone(items?: DatasetLike[]): DataElement {
    const src = this.source;
    const el = new DataElement(
      this.tag,
      this.vr,
      src && {
        bytes: src.bytes.slice(),
        littleEndian: src.littleEndian,
        offset: src.offset,
        undefinedLength: src.undefinedLength,
      },
    );
    const enc = this.encapsulated;
    if (enc) {
      el.encapsulated = {
        basicOffsetTable: enc.basicOffsetTable.slice(),
        fragments: enc.fragments.map((f) => f.slice()),
        fragmentPositions: [...enc.fragmentPositions],
      };
    }
    if (this.vr === "SQ" || this.items) {
      el.items = items ?? [];
      el.#value = el.items;
      el.#decoded = true;
    } else if (this.#decoded) {
      const v = this.#value;
      el.#value = ArrayBuffer.isView(v)
        ? (v as Uint8Array).slice()
        : Array.isArray(v)
        ? [...v] as ElementValue
        : v;
      el.#decoded = true;
    }
    return el;
  }

  /**
   * True when the element was read from bytes and its value has been neither decoded
   * nor set since: it is what its stored bytes say, so a writer can copy them without
   * decoding the value to check (a decoded value may have been changed in place).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { DataElement } from "./element.ts";
   * const bytes = new TextEncoder().encode("CT");
   * const el = new DataElement(0x00080060, "CS", { bytes, littleEndian: true, offset: 0 });
   * assert.equal(el.pristine, true);
   * assert.equal(el.value, "CT");
   * assert.equal(el.pristine, false);
   * assert.equal(DataElement.fromValue(0x00080060, "CS", "CT").pristine, false);
   * ```
   */
  get pristine(): boolean {
    return this.source !== undefined && !this.#decoded;
  }

  /** The value's bytes as stored, when the element was read from bytes. */
  get bytes(): Uint8Array | undefined {
    return this.source?.bytes;
  }

  /** The decoded value (decoded on first access). */
  get value(): ElementValue {
    if (!this.#decoded) {
      this.#value = this.#decode();
      this.#decoded = true;
    }
    return this.#value as ElementValue;
  }

  /**
   * Replaces the value as given, unchecked and unnormalised: `Dataset.set` and keyword
   * assignment (`ds.PatientName = ...`) check values against the VR first.
   */
  set value(v: ElementValue) {
    this.#value = this.vr === "PN" && typeof v === "string" ? new PersonName(v) : v;
    if (this.vr === "SQ") this.items = (v ?? []) as DatasetLike[];
    this.#decoded = true;
  }

  /** Value multiplicity of the current value, as pydicom counts it. */
  get vm(): number {
    const v = this.value;
    if (v === null || v === undefined) return 0;
    if (typeof v === "string") return v.length ? 1 : 0;
    if (v instanceof PersonName) return String(v).length ? 1 : 0;
    if (ArrayBuffer.isView(v)) return 1;
    if (Array.isArray(v)) return v.length;
    return 1;
  }

  /**
   * The value of a private element's creator, (gggg,00bb) for element (gggg,bbxx), as
   * pydicom 2.3 links it: whatever its VR, and none for a sequence of undefined length
   * read from a file or for the creator element itself.
   */
  get privateCreator(): ElementValue | undefined {
    if (!isPrivateTag(this.tag)) return undefined;
    if (this.vr === "SQ" && this.source?.undefinedLength) return undefined;
    const creatorTag = ((this.tag & 0xffff0000) | ((this.tag & 0xffff) >>> 8)) >>> 0;
    if (creatorTag === this.tag) return undefined;
    return this.dataset?.element(creatorTag)?.value;
  }

  /** The dictionary keyword, or `""` for private and unknown tags. */
  get keyword(): string {
    if (isPrivateTag(this.tag)) return "";
    return lookupTag(this.tag)?.keyword ?? "";
  }

  /**
   * The dictionary name: `Patient's Name`; for private elements `[Name]` from the private
   * dictionary, `Private Creator`, or `Private tag data`; `Group Length` for an unknown
   * (gggg,0000).
   */
  get name(): string {
    if (isPrivateTag(this.tag)) {
      const creator = this.privateCreator;
      if (truthy(creator)) {
        const entry = typeof creator === "string" ? lookupPrivate(creator, this.tag) : undefined;
        return entry ? `[${entry.name}]` : "Private tag data";
      }
      return ((this.tag & 0xffff) >>> 8) === 0 ? "Private Creator" : "Private tag data";
    }
    const entry = lookupTag(this.tag);
    if (entry) return entry.name;
    if ((this.tag & 0xffff) === 0) return "Group Length";
    return "";
  }

  #decode(): ElementValue {
    const src = this.source;
    if (this.vr === "SQ") return (this.items ?? []) as ItemList;
    if (!src) return null;
    const bytes = src.bytes;
    const vr = this.vr;
    if (bytes.length === 0) {
      if (vr === "PN") return new PersonName("");
      return EMPTY_STRING_VRS.has(vr) ? "" : null;
    }
    const charset = this.tag === 0x00080005 ? [] : this.dataset?.charset ?? [];
    switch (vr) {
      case "AE":
        return multi(decodeLatin1(bytes).split("\\").map((s) => s.trim()));
      case "AS":
      case "CS":
      case "DA":
      case "DT":
      case "TM":
      case "UI":
        return multi(rstripSpaceNul(decodeLatin1(bytes)).split("\\"));
      case "UR":
        return decodeLatin1(bytes).trimEnd();
      case "DS":
      case "IS": {
        const text = vr === "DS"
          ? rstripSpaceNul(decodeLatin1(bytes).trim())
          : rstripSpaceNul(decodeLatin1(bytes));
        const parts = text.split("\\");
        const nums = parts.map((p) =>
          p.trim() === "" ? null : (vr === "DS" ? parseDecimal(p) : parseInteger(p))
        );
        if (nums.some((n) => n === undefined)) return multi(parts);
        return multi(nums as (number | null)[]) as number | (number | null)[];
      }
      case "SH":
      case "LO":
      case "UC":
        return multi(
          splitBytes(bytes).map((b) => rstripSpaceNul(decodeText(b, charset, { vr }))),
        );
      case "ST":
      case "LT":
      case "UT":
        return rstripSpaceNul(decodeText(bytes, charset, { vr }));
      case "PN": {
        let end = bytes.length;
        while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
        return multi(
          splitBytes(bytes.subarray(0, end)).map((b) =>
            new PersonName(decodeText(b, charset, { vr: "PN" }))
          ),
        );
      }
      case "US":
      case "SS":
      case "UL":
      case "SL":
      case "FL":
      case "FD":
      case "SV":
      case "UV":
      case "AT":
        return readNumbers(bytes, vr, src.littleEndian);
      case "OW":
      case "US or OW":
      case "US or SS or OW":
      case "OB or OW":
        return readWords(bytes, 2, src.littleEndian, "u16");
      case "OF":
        return readWords(bytes, 4, src.littleEndian, "f32");
      case "OL":
        return readWords(bytes, 4, src.littleEndian, "u32");
      case "OD":
        return readWords(bytes, 8, src.littleEndian, "f64");
      case "OV":
        return readWords(bytes, 8, src.littleEndian, "u64");
      default:
        return bytes;
    }
  }
}
