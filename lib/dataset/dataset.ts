/**
 * `Dataset`: the elements of a DICOM object by tag, with keyword access generated from
 * the data dictionary (`ds.PatientName`), sequences as lists of datasets, and the file
 * meta information of a Part 10 file in `fileMeta`.
 *
 * @module
 */

import type { Tag } from "../core/tag.ts";
import { tag as makeTag } from "../core/tag.ts";
import { DataElement, type ElementValue } from "./element.ts";
import type { PersonName } from "./person_name.ts";
import { allKeywords, lookupTag, tagForKeyword } from "../dictionary/mod.ts";
import type { KeywordVM, KeywordVR } from "../dictionary/mod.ts";
import { formatDataset } from "./print.ts";

/** The TypeScript type of a value of the given VR. */
export type ValueOfVR<V> = V extends "SQ" ? Dataset[]
  : V extends "PN" ? PersonName
  : V extends "US" | "SS" | "UL" | "SL" | "FL" | "FD" | "DS" | "IS" | "AT" | "US or SS" ? number
  : V extends "SV" | "UV" ? bigint
  : V extends "OB" | "UN" ? Uint8Array
  : V extends "OW" | "OB or OW" | "US or OW" | "US or SS or OW" ? Uint8Array | Uint16Array
  : V extends "OF" ? Float32Array
  : V extends "OD" ? Float64Array
  : V extends "OL" ? Uint32Array
  : V extends "OV" ? BigUint64Array
  : string;

/** The value type of a keyword from its VR and VM: a list where VM allows several. */
export type Multi<V, M> = V extends
  "SQ" | "OB" | "OW" | "UN" | "OF" | "OD" | "OL" | "OV" | "OB or OW" ? ValueOfVR<V>
  : M extends "1" ? ValueOfVR<V> | null
  : ValueOfVR<V> | ValueOfVR<V>[] | null;

/** Keyword properties of a dataset, typed from the data dictionary. */
export type DatasetKeywords = {
  readonly [K in keyof KeywordVR]?: Multi<
    KeywordVR[K],
    K extends keyof KeywordVM ? KeywordVM[K] : "1-n"
  >;
};

/** A tag, as a number, or a dictionary keyword. */
export type TagOrKeyword = Tag | string;

/** How a dataset was encoded when read. */
export interface DatasetEncoding {
  /** True for implicit VR. */
  implicitVR: boolean;
  /** True for little endian. */
  littleEndian: boolean;
}

function resolveTag(t: TagOrKeyword): Tag | undefined {
  if (typeof t === "number") return t >>> 0;
  return tagForKeyword(t);
}

/**
 * A DICOM dataset: elements by tag, iterated in tag order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientName", "Doe^John");
 * ds.set("Rows", 512);
 * assert.equal(ds.Rows, 512);
 * assert.equal(String(ds.PatientName), "Doe^John");
 * ```
 */
export class Dataset {
  #elements = new Map<Tag, DataElement>();
  #sorted: DataElement[] | null = null;
  /** The dataset (sequence item's owner) this one is nested in. */
  parent?: Dataset;
  /** File meta information (group 0002) of a Part 10 file. */
  fileMeta?: Dataset;
  /** The 128-byte preamble of a Part 10 file. */
  preamble?: Uint8Array;
  /** How the dataset was encoded when read; explicit VR little endian by default. */
  encoding: DatasetEncoding = { implicitVR: false, littleEndian: true };
  /** Problems met while reading that did not stop it (truncation, VR switches). */
  warnings: string[] = [];

  /** The Transfer Syntax UID from the file meta, if any. */
  get transferSyntaxUID(): string | undefined {
    const v = this.fileMeta?.get(0x00020010);
    return typeof v === "string" ? v : undefined;
  }

  /** The Specific Character Set in force here: this dataset's own, else its parent's. */
  get charset(): readonly string[] {
    const el = this.#elements.get(0x00080005);
    if (el) {
      // only text counts: a broken file may store (0008,0005) with a numeric VR
      const v = el.value;
      if (Array.isArray(v)) {
        return (v as unknown[]).filter((x) => typeof x === "string") as string[];
      }
      return typeof v === "string" ? [v] : [];
    }
    return this.parent?.charset ?? [];
  }

  /** Number of elements at this level. */
  get size(): number {
    return this.#elements.size;
  }

  /** Adds or replaces an element; returns it. */
  add(element: DataElement): DataElement {
    element.dataset = this;
    if (!this.#elements.has(element.tag)) this.#sorted = null;
    else if (this.#sorted) {
      const i = this.#sorted.findIndex((e) => e.tag === element.tag);
      this.#sorted[i] = element;
    }
    this.#elements.set(element.tag, element);
    if (element.items) { for (const item of element.items) (item as Dataset).parent = this; }
    return element;
  }

  /**
   * Sets an element's value by keyword or tag; the VR comes from the dictionary unless
   * given (private and unknown tags need it).
   */
  set(key: TagOrKeyword, value: ElementValue, vr?: string): DataElement {
    const t = resolveTag(key);
    if (t === undefined) throw new TypeError(`unknown keyword "${key}"`);
    let useVr = vr ?? lookupTag(t)?.vr;
    if (!useVr) throw new TypeError(`no VR known for tag ${t.toString(16)}: pass one`);
    if (useVr.includes(" or ")) useVr = useVr.slice(0, 2);
    return this.add(DataElement.fromValue(t, useVr, value));
  }

  /** Removes an element; true if it was there. */
  delete(key: TagOrKeyword): boolean {
    const t = resolveTag(key);
    if (t === undefined || !this.#elements.delete(t)) return false;
    this.#sorted = null;
    return true;
  }

  /**
   * The element for a tag or keyword, or for `(group, element)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset } from "./mod.ts";
   * const ds = new Dataset();
   * ds.set("PatientID", "12345");
   * assert.equal(ds.element(0x0010, 0x0020)?.name, "Patient ID");
   * assert.equal(ds.element("PatientID")?.value, "12345");
   * assert.equal(ds.element(0x00100020)?.tag, 0x00100020);
   * ```
   */
  element(key: TagOrKeyword, elementNumber?: number): DataElement | undefined {
    const t = elementNumber === undefined ? resolveTag(key) : makeTag(key as number, elementNumber);
    return t === undefined ? undefined : this.#elements.get(t);
  }

  /** The value of a tag or keyword, or `undefined` when absent. */
  get(key: TagOrKeyword): ElementValue | undefined {
    return this.element(key)?.value;
  }

  /** True when the tag or keyword is present. */
  has(key: TagOrKeyword): boolean {
    const t = resolveTag(key);
    return t !== undefined && this.#elements.has(t);
  }

  /** The elements in tag order. */
  elements(): readonly DataElement[] {
    if (!this.#sorted) this.#sorted = [...this.#elements.values()].sort((a, b) => a.tag - b.tag);
    return this.#sorted;
  }

  /** Iterates the elements in tag order. */
  [Symbol.iterator](): Iterator<DataElement> {
    return this.elements()[Symbol.iterator]();
  }

  /** pydicom's `str(ds)`, byte for byte. */
  toString(): string {
    return formatDataset(this);
  }

  /**
   * The sorted non-private keywords present whose name contains `filter`
   * (case-insensitive), as pydicom's `ds.dir()`.
   */
  dir(filter?: string): string[] {
    return dir(this, filter);
  }
}

// Keyword accessors: one getter per dictionary keyword on the prototype (plain data, no Proxy).
/** Every dictionary keyword is a read-only property of a dataset (undefined when absent). */
export interface Dataset extends DatasetKeywords {}
{
  const proto = Dataset.prototype as unknown as Record<string, unknown>;
  for (const kw of allKeywords()) {
    if (kw in proto) continue;
    const t = tagForKeyword(kw)!;
    Object.defineProperty(proto, kw, {
      get(this: Dataset) {
        return this.element(t)?.value;
      },
      enumerable: false,
      configurable: true,
    });
  }
}

/**
 * The sorted non-private keywords of the elements present at the top level whose
 * keyword contains `filter`, ignoring case, as pydicom's `Dataset.dir()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset, dir } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientID", "1");
 * ds.set("PatientName", "A^B");
 * ds.set("Rows", 4);
 * assert.deepEqual(dir(ds, "pat"), ["PatientID", "PatientName"]);
 * assert.deepEqual(dir(ds), ["PatientID", "PatientName", "Rows"]);
 * ```
 */
export function dir(ds: Dataset, filter?: string): string[] {
  const out: string[] = [];
  const f = filter?.toLowerCase();
  for (const el of ds) {
    const kw = el.keyword;
    if (!kw) continue;
    if (f && !kw.toLowerCase().includes(f)) continue;
    out.push(kw);
  }
  return out.sort();
}
