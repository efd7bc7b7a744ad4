/**
 * The DICOM JSON model (PS3.18 Annex F) both ways: {@linkcode fromDicomJson} makes a
 * `Dataset` of an object as QIDO-RS and WADO-RS metadata return it, and
 * {@linkcode toDicomJson} makes that object of a `Dataset`.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { DataElement, type ElementValue } from "../dataset/element.ts";
import { Dataset } from "../dataset/dataset.ts";
import { PersonName } from "../dataset/person_name.ts";
import { MalformedError } from "../core/errors.ts";
import { EMPTY_STRING_VRS, WIRE_VRS } from "../core/vr.ts";

/** VRs stored as binary numbers that the JSON model writes as numbers (AT, SV, UV aside). */
const BINARY_NUMBER_VRS: ReadonlySet<string> = new Set(["US", "SS", "UL", "SL", "FL", "FD"]);

/** A Person Name value in the JSON model: its three component groups. */
export interface DicomJsonPersonName {
  /** The alphabetic group, `Doe^John`. */
  Alphabetic?: string;
  /** The ideographic group. */
  Ideographic?: string;
  /** The phonetic group. */
  Phonetic?: string;
}

/** One value of an attribute in the JSON model. */
export type DicomJsonValue = string | number | null | DicomJsonPersonName | DicomJsonObject;

/** One attribute in the JSON model (PS3.18 F.2.2). */
export interface DicomJsonAttribute {
  /** The VR. */
  vr: string;
  /** The values, always a list. */
  Value?: DicomJsonValue[];
  /** Binary values, base64. */
  InlineBinary?: string;
  /** Where the binary value can be fetched. */
  BulkDataURI?: string;
}

/** A dataset in the JSON model: attributes by 8 hex digit tag. */
export type DicomJsonObject = { [tag: string]: DicomJsonAttribute };

/** Fetches the bytes behind a BulkDataURI (the client's, with its credentials). */
export type BulkDataLoader = (uri: string) => Promise<Uint8Array>;

/**
 * An element whose value is on the server: a `BulkDataURI` kept as a lazy reference.
 * Its `value` is `null` until {@linkcode BulkDataElement.load} has fetched it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BulkDataElement, fromDicomJson } from "./mod.ts";
 * const ds = fromDicomJson(
 *   { "7FE00010": { vr: "OW", BulkDataURI: "http://pacs/bulk/1" } },
 *   { loader: () => Promise.resolve(new Uint8Array([1, 0, 2, 0])) },
 * );
 * const el = ds.element(0x7fe00010) as BulkDataElement;
 * assert.equal(el.uri, "http://pacs/bulk/1");
 * assert.equal(el.value, null);
 * assert.deepEqual([...await el.load()], [1, 0, 2, 0]);
 * assert.deepEqual(el.value, new Uint16Array([1, 2]));
 * ```
 */
export class BulkDataElement extends DataElement {
  /** The BulkDataURI, as the server gave it. */
  readonly uri: string;
  #loader?: BulkDataLoader;

  /** A reference to `uri` for `tag`; `loader` fetches it. */
  constructor(tag: number, vr: string, uri: string, loader?: BulkDataLoader) {
    super(tag, vr);
    this.uri = uri;
    this.#loader = loader;
    this.value = null;
  }

  /** True once the value was fetched. */
  get loaded(): boolean {
    return this.value !== null;
  }

  /** Fetches the value (once) and keeps it as the element's value; returns its bytes. */
  async load(): Promise<Uint8Array> {
    if (this.value !== null) return bytesOf(this.value);
    if (!this.#loader) throw new MalformedError(`no loader for bulk data at ${this.uri}`);
    const bytes = await this.#loader(this.uri);
    this.value = binaryValue(bytes, this.vr);
    return bytes;
  }
}

/** Options of {@linkcode fromDicomJson}. */
export interface FromDicomJsonOptions {
  /**
   * Fetches BulkDataURI values on {@linkcode BulkDataElement.load}.
   *
   * @default {undefined} (none: `load()` of a value not yet fetched throws a
   * `MalformedError`)
   */
  loader?: BulkDataLoader;
}

/** Options of {@linkcode toDicomJson}. */
export interface ToDicomJsonOptions {
  /**
   * Gives a BulkDataURI for a binary element instead of InlineBinary (undefined: inline).
   *
   * @default {undefined} (every binary value inline)
   */
  bulkDataURI?: (element: DataElement, path: string) => string | undefined;
}

function bytesOf(v: ElementValue): Uint8Array {
  const view = v as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Bytes (little endian, as the JSON model has them) as the typed array of the VR. */
function binaryValue(bytes: Uint8Array, vr: string): ElementValue {
  const size = vr === "OW"
    ? 2
    : vr === "OF" || vr === "OL"
    ? 4
    : vr === "OD" || vr === "OV"
    ? 8
    : 1;
  if (size === 1) return bytes;
  const n = Math.floor(bytes.length / size);
  const copy = new Uint8Array(n * size);
  copy.set(bytes.subarray(0, n * size));
  switch (vr) {
    case "OW":
      return new Uint16Array(copy.buffer);
    case "OF":
      return new Float32Array(copy.buffer);
    case "OL":
      return new Uint32Array(copy.buffer);
    case "OD":
      return new Float64Array(copy.buffer);
    default:
      return new BigUint64Array(copy.buffer);
  }
}

function fromBase64(text: string): Uint8Array {
  const b = Buffer.from(text, "base64");
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function binaryFromNumbers(values: DicomJsonValue[], vr: string, tagText: string): ElementValue {
  if (!values.every((v) => typeof v === "number")) {
    throw new MalformedError(`binary ${tagText} has a Value list that is not numbers`);
  }
  const nums = values as number[];
  switch (vr) {
    case "OW":
      return Uint16Array.from(nums);
    case "OF":
      return Float32Array.from(nums);
    case "OL":
      return Uint32Array.from(nums);
    case "OD":
      return Float64Array.from(nums);
    case "OV":
      return BigUint64Array.from(nums, (x) => BigInt(x));
    default:
      return Uint8Array.from(nums);
  }
}

function personName(v: DicomJsonValue): PersonName {
  if (v === null || typeof v !== "object") return new PersonName(v === null ? "" : String(v));
  const pn = v as DicomJsonPersonName;
  return new PersonName([pn.Alphabetic ?? "", pn.Ideographic ?? "", pn.Phonetic ?? ""].join("="));
}

function decimal(v: DicomJsonValue, vr: string): number | string | null {
  if (v === null) return null;
  if (typeof v === "number") return v;
  const t = String(v).trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (vr === "IS" ? /^[+-]?\d+$/.test(t) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    return Number(t);
  }
  return String(v);
}

function single<T>(list: T[]): T | T[] {
  return list.length === 1 ? list[0] : list;
}

function attributeValue(
  tagText: string,
  attr: DicomJsonAttribute,
  options: FromDicomJsonOptions,
): DataElement {
  const tag = parseInt(tagText, 16) >>> 0;
  if (!/^[0-9A-Fa-f]{8}$/.test(tagText)) throw new MalformedError(`invalid tag "${tagText}"`);
  const vr = attr.vr;
  if (!WIRE_VRS.has(vr)) throw new MalformedError(`invalid VR "${vr}" for ${tagText}`);
  if (attr.BulkDataURI !== undefined) {
    return new BulkDataElement(tag, vr, attr.BulkDataURI, options.loader);
  }
  if (attr.InlineBinary !== undefined) {
    return DataElement.fromValue(tag, vr, binaryValue(fromBase64(attr.InlineBinary), vr));
  }
  const values = attr.Value ?? [];
  if (vr === "SQ") {
    return DataElement.fromValue(
      tag,
      vr,
      values.map((item) => fromDicomJson((item ?? {}) as DicomJsonObject, options)),
    );
  }
  if (values.length === 0) {
    const empty = vr === "PN" ? new PersonName("") : EMPTY_STRING_VRS.has(vr) ? "" : null;
    return DataElement.fromValue(tag, vr, empty);
  }
  let value: ElementValue;
  switch (vr) {
    case "PN":
      value = single(values.map(personName));
      break;
    case "DS":
    case "IS": {
      const nums = values.map((v) => decimal(v, vr));
      value = nums.some((n) => typeof n === "string")
        ? single(nums.map((n) => n === null ? "" : String(n)))
        : single(nums as (number | null)[]) as ElementValue;
      break;
    }
    case "SV":
    case "UV":
      value = single(values.map((v) => BigInt(v as string | number)));
      break;
    case "AT":
      value = single(values.map((v) => parseInt(String(v), 16) >>> 0)) as ElementValue;
      break;
    case "OB":
    case "OD":
    case "OF":
    case "OL":
    case "OV":
    case "OW":
    case "UN":
      // not the standard's form, but some servers (Orthanc) send short binary values so
      value = binaryFromNumbers(values, vr, tagText);
      break;
    default:
      value = BINARY_NUMBER_VRS.has(vr)
        ? single(values.map((v) => v === null ? null : Number(v))) as ElementValue
        : single(values.map((v) => v === null ? "" : String(v)));
  }
  return DataElement.fromValue(tag, vr, value);
}

/**
 * The `Dataset` of a DICOM JSON object (PS3.18 Annex F): Person Names from their
 * component groups, numbers as numbers (DS and IS too), AT as tags, sequences as
 * datasets, InlineBinary as the VR's typed array, and BulkDataURI as a
 * {@linkcode BulkDataElement} fetched on demand.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromDicomJson } from "./mod.ts";
 * const ds = fromDicomJson({
 *   "00100010": { vr: "PN", Value: [{ Alphabetic: "Doe^John", Ideographic: "山田^太郎" }] },
 *   "00280010": { vr: "US", Value: [512] },
 *   "00281050": { vr: "DS", Value: [40, 400] },
 *   "00081140": { vr: "SQ", Value: [{ "00081155": { vr: "UI", Value: ["1.2.3"] } }] },
 * });
 * assert.equal(ds.PatientName?.familyName, "Doe");
 * assert.equal(ds.PatientName?.ideographic, "山田^太郎");
 * assert.equal(ds.Rows, 512);
 * assert.deepEqual(ds.WindowCenter, [40, 400]);
 * assert.equal(ds.ReferencedImageSequence?.[0].ReferencedSOPInstanceUID, "1.2.3");
 * ```
 */
export function fromDicomJson(obj: DicomJsonObject, options: FromDicomJsonOptions = {}): Dataset {
  const ds = new Dataset();
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new MalformedError("a DICOM JSON dataset must be an object");
  }
  for (const [tagText, attr] of Object.entries(obj)) {
    if (attr === null || typeof attr !== "object" || typeof attr.vr !== "string") {
      throw new MalformedError(`attribute ${tagText} has no vr`);
    }
    ds.add(attributeValue(tagText, attr, options));
  }
  return ds;
}

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, "0");
}

function asList<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function jsonNumber(x: number | null | string): DicomJsonValue {
  if (x === null) return null;
  if (typeof x === "string") return x === "" ? null : x;
  if (!Number.isFinite(x)) return String(x); // JSON has no NaN or infinity
  return x;
}

function pnJson(name: PersonName | string): DicomJsonPersonName | null {
  const pn = typeof name === "string" ? new PersonName(name) : name;
  const out: DicomJsonPersonName = {};
  const [a, i, p] = pn.components;
  if (a) out.Alphabetic = a;
  if (i) out.Ideographic = i;
  if (p) out.Phonetic = p;
  // a group left empty between others must still be there
  if (!a && (i || p)) out.Alphabetic = "";
  if (!i && p) out.Ideographic = "";
  return Object.keys(out).length ? out : null;
}

function elementJson(
  el: DataElement,
  path: string,
  options: ToDicomJsonOptions,
): DicomJsonAttribute {
  const vr = el.vr.length === 2 ? el.vr : el.vr.slice(0, 2);
  const attr: DicomJsonAttribute = { vr };
  if (el instanceof BulkDataElement && !el.loaded) {
    attr.BulkDataURI = el.uri;
    return attr;
  }
  const v = el.value;
  if (vr === "SQ") {
    const items = (v ?? []) as Dataset[];
    if (items.length) {
      attr.Value = items.map((d, i) => datasetJson(d, `${path}/${hex8(el.tag)}[${i}]`, options));
    }
    return attr;
  }
  if (ArrayBuffer.isView(v) || el.encapsulated) {
    const uri = options.bulkDataURI?.(el, path);
    if (uri !== undefined) attr.BulkDataURI = uri;
    else {
      const bytes = ArrayBuffer.isView(v) ? bytesOf(v) : el.bytes ?? new Uint8Array(0);
      if (bytes.length) attr.InlineBinary = Buffer.from(bytes).toString("base64");
    }
    return attr;
  }
  if (v === null || v === undefined || v === "") return attr;
  if (v instanceof PersonName && v.components.length === 0) return attr;
  let values: DicomJsonValue[];
  switch (vr) {
    case "PN":
      values = asList(v as PersonName | PersonName[]).map((x) => pnJson(x ?? ""));
      break;
    case "AT":
      values = asList(v as number | number[]).map((x) => x === null ? null : hex8(x));
      break;
    case "SV":
    case "UV":
      values = asList(v as bigint | bigint[]).map((x) =>
        x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(x)
          : String(x)
      );
      break;
    default:
      values = vr === "DS" || vr === "IS" || BINARY_NUMBER_VRS.has(vr)
        ? asList(v as number | string | (number | string | null)[]).map((x) =>
          jsonNumber(x as number | string | null)
        )
        : asList(v as string | string[]).map((x) => x === "" ? null : String(x));
  }
  attr.Value = values;
  return attr;
}

function datasetJson(ds: Dataset, path: string, options: ToDicomJsonOptions): DicomJsonObject {
  const out: DicomJsonObject = {};
  for (const el of ds) out[hex8(el.tag)] = elementJson(el, path, options);
  return out;
}

/**
 * The DICOM JSON object of a `Dataset` (PS3.18 Annex F), as STOW-RS and QIDO-RS carry
 * it: tags as 8 upper-case hex digits, values always in a list (empty ones left out,
 * `null` for an empty value among several), Person Names by component group, numbers as
 * numbers, binary values as InlineBinary (or a BulkDataURI the caller chooses).
 * File meta information (group 0002) is not part of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { toDicomJson } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientName", "Doe^John");
 * ds.set("Rows", 512);
 * ds.set("ImageType", ["ORIGINAL", "PRIMARY"]);
 * assert.deepEqual(toDicomJson(ds), {
 *   "00080008": { vr: "CS", Value: ["ORIGINAL", "PRIMARY"] },
 *   "00100010": { vr: "PN", Value: [{ Alphabetic: "Doe^John" }] },
 *   "00280010": { vr: "US", Value: [512] },
 * });
 * ```
 */
export function toDicomJson(ds: Dataset, options: ToDicomJsonOptions = {}): DicomJsonObject {
  return datasetJson(ds, "", options);
}
