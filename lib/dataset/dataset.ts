/**
 * `Dataset`: the elements of a DICOM object by tag, with keyword access generated from
 * the data dictionary (`ds.PatientName`), sequences as lists of datasets, and the file
 * meta information of a Part 10 file in `fileMeta`.
 *
 * @module
 */

import type { Tag } from "../core/tag.ts";
import { formatTag, isPrivateTag, tag as makeTag } from "../core/tag.ts";
import { UnsupportedError, ValueError } from "../core/errors.ts";
import { CHARSET_VRS } from "../core/vr.ts";
import { DataElement, type ElementValue } from "./element.ts";
import { PersonName } from "./person_name.ts";
import { allKeywords, lookupPrivate, lookupTag, tagForKeyword } from "../dictionary/mod.ts";
import type { KeywordAccessors, KeywordTypeKey, KeywordVM, KeywordVR } from "../dictionary/mod.ts";
import { formatDataset } from "./print.ts";
import {
  type AssignableValue,
  checkValue,
  describeValue,
  unencodableChar,
  type ValidationMode,
} from "./validate.ts";
import { findPrivateBlock, type PrivateBlock, type PrivateBlockOptions } from "./private_block.ts";

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

/** Keyword properties of a dataset, typed from the data dictionary (read side only). */
export type DatasetKeywords = {
  readonly [K in keyof KeywordVR]?: Multi<
    KeywordVR[K],
    K extends keyof KeywordVM ? KeywordVM[K] : "1-n"
  >;
};

/**
 * What may be assigned to an element of the given VR: wider than what is read back
 * (text or a `PersonName` for PN, a number or its text for DS/IS, a `bigint` for SV/UV,
 * datasets for SQ); checked and normalised on assignment.
 */
export type AssignableOfVR<V> = V extends "SQ" ? Dataset[]
  : V extends "PN" ? string | PersonName
  : V extends "DS" | "IS" ? number | string
  : V extends "SV" | "UV" ? bigint
  : V extends "OW" | "OB or OW" | "US or OW" | "US or SS or OW" ? Uint8Array | Uint16Array
  : ValueOfVR<V>;

/** The VR of a {@linkcode KeywordTypeKey}, without the `*` that marks several values. */
export type BaseVR<K> = K extends `${infer V}*` ? V : K;
/** The value multiplicity a {@linkcode KeywordTypeKey} stands for: `"1-n"` with a `*`, else `"1"`. */
export type VMOf<K> = K extends `${string}*` ? "1-n" : "1";

/** The getter type of each {@linkcode KeywordTypeKey} (VR, `*` when VM allows several). */
export type KeywordGetTypes = { [K in KeywordTypeKey]: Multi<BaseVR<K>, VMOf<K>> };

/** The setter type of each {@linkcode KeywordTypeKey}: a value, a list of them, or null. */
export type KeywordSetTypes = {
  [K in KeywordTypeKey]: BaseVR<K> extends
    "SQ" | "OB" | "OW" | "UN" | "OF" | "OD" | "OL" | "OV" | "OB or OW" ? AssignableOfVR<BaseVR<K>>
    : VMOf<K> extends "1" ? AssignableOfVR<BaseVR<K>> | null
    : AssignableOfVR<BaseVR<K>> | (AssignableOfVR<BaseVR<K>> | null)[] | null;
};

/** Options of {@linkcode Dataset.set}. */
export interface SetOptions {
  /**
   * The VR; by default the element's own when present, else the dictionary's (private
   * elements: the private dictionary's, by creator). Needed for unknown tags.
   */
  vr?: string;
  /**
   * How the value is checked: `"raise"` refuses a bad value, `"warn"` stores it with a
   * line in `warnings`, `"ignore"` stores it unchecked.
   * @default {ds.validation}
   */
  validation?: ValidationMode;
}

/** Options of {@linkcode Dataset.saveAs} and of lib/io's `write`. */
export interface SaveOptions {
  /**
   * Transfer syntax of the dataset: Explicit VR Little Endian (`1.2.840.10008.1.2.1`, the
   * default), Implicit VR Little Endian (`1.2.840.10008.1.2`), Explicit VR Big Endian
   * (`1.2.840.10008.1.2.2`) or Deflated (`1.2.840.10008.1.2.1.99`). A dataset with
   * encapsulated (compressed) pixel data keeps its own transfer syntax.
   *
   * @default {"1.2.840.10008.1.2.1"}
   */
  transferSyntax?: string;
  /**
   * Implementation Class UID written in the file meta.
   *
   * @default {IMPLEMENTATION_CLASS_UID} this toolkit's (lib/io)
   */
  implementationClassUID?: string;
}

/** Where {@linkcode Dataset.walk} met an element. */
export interface WalkContext {
  /** The dataset holding the element (a sequence item below the top level). */
  dataset: Dataset;
  /**
   * The element's path from the top: keywords (or `(gggg,eeee)` for private and unknown
   * tags) and item indexes, `"ReferencedImageSequence[0].ReferencedSOPInstanceUID"`.
   */
  path: string;
  /** The tags from the top level down to the element (the element's own last). */
  tags: readonly Tag[];
  /** The item index in each sequence on the way down. */
  items: readonly number[];
}

/** Options of {@linkcode Dataset.walk}. */
export interface WalkOptions {
  /**
   * Go into sequence items.
   * @default {true}
   */
  recursive?: boolean;
}

/** Writes a dataset to a file; installed by lib/io (see {@linkcode installSaver}). */
export type Saver = (ds: Dataset, path: string | URL, options?: SaveOptions) => void;

let saver: Saver | undefined;

/**
 * Installs the function `Dataset.saveAs` calls. lib/io installs its `saveAs` when
 * loaded, so the dataset layer writes files without importing lib/io.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset, installSaver } from "./dataset.ts";
 * const saved: string[] = [];
 * const previous = installSaver((_ds, path) => saved.push(String(path)));
 * new Dataset().saveAs("out.dcm");
 * installSaver(previous);
 * assert.deepEqual(saved, ["out.dcm"]);
 * ```
 */
export function installSaver(fn: Saver | undefined): Saver | undefined {
  const previous = saver;
  saver = fn;
  return previous;
}

function pathStep(el: DataElement): string {
  const kw = el.keyword;
  return kw || formatTag(el.tag).replace(" ", "");
}

/**
 * The first text value (in `ds` and its items that have no character set of their own)
 * that `charset` cannot encode, with where it is.
 */
function unencodableText(
  ds: Dataset,
  charset: readonly string[],
): { where: string; ch: string; text: string } | undefined {
  for (const el of ds) {
    if (el.vr === "SQ") {
      for (const item of (el.items ?? []) as Dataset[]) {
        if (item.has(0x00080005)) continue;
        const found = unencodableText(item, charset);
        if (found) return { ...found, where: `${pathStep(el)}[...].${found.where}` };
      }
      continue;
    }
    if (!CHARSET_VRS.has(el.vr)) continue;
    for (const text of textsOf(el.value)) {
      const ch = unencodableChar(text, charset, el.vr);
      if (ch !== undefined) return { where: pathStep(el), ch, text };
    }
  }
  return undefined;
}

/** The text of a governed value, for re-checking under another character set. */
function textsOf(v: ElementValue): string[] {
  if (typeof v === "string") return [v];
  if (v instanceof PersonName) return [String(v)];
  if (Array.isArray(v)) {
    return (v as unknown[]).filter((x) => typeof x === "string" || x instanceof PersonName).map(
      String,
    );
  }
  return [];
}

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
 * ds.Rows = 512;
 * ds.PatientAge = "090Y";
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
   * How values are checked on assignment (`ds.PatientName = ...`, `set`): `"raise"`
   * refuses a bad value with an `InvalidValueError`, `"warn"` stores it with a line in
   * `warnings`, `"ignore"` stores it unchecked, as pydicom's `writing_validation_mode`.
   * A sequence item follows its parent unless given its own.
   */
  get validation(): ValidationMode {
    return this.#validation ?? this.parent?.validation ?? "raise";
  }

  set validation(mode: ValidationMode) {
    if (mode !== "raise" && mode !== "warn" && mode !== "ignore") {
      throw new ValueError(`validation is "raise", "warn" or "ignore", not ${describeValue(mode)}`);
    }
    this.#validation = mode;
  }

  #validation?: ValidationMode;

  /**
   * Sets an element's value by keyword or tag, checked against its VR, the dictionary's
   * VM and the character set (see `lib/dataset/validate.ts` for the rules and the
   * normalisations); a bad value throws an `InvalidValueError` (a `ValueError`) and
   * leaves the dataset unchanged. The VR is the element's own when present, else the
   * dictionary's, unless given; private and unknown tags may need one.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset, ValueError } from "../../mod.ts";
   * const ds = new Dataset();
   * ds.set("PatientAge", "090Y");
   * ds.set(0x00091001, "x", { vr: "LO" });
   * assert.throws(() => ds.set("PatientAge", "90"), ValueError);
   * ds.set("PatientAge", "90", { validation: "ignore" });
   * assert.equal(ds.PatientAge, "90");
   * ```
   */
  set(key: TagOrKeyword, value: AssignableValue, options: SetOptions = {}): DataElement {
    const t = resolveTag(key);
    if (t === undefined) throw new ValueError(`unknown keyword "${key}"`);
    const existing = this.#elements.get(t);
    const dictionaryVr = this.#dictionaryVr(t);
    // an element keeps its VR, but bytes or words pick theirs (OB or OW) from the value
    const keep = existing && existing.vr !== "UN" &&
        !(dictionaryVr?.includes("OW") && ArrayBuffer.isView(value))
      ? existing.vr
      : undefined;
    const vr = options.vr ?? keep ?? dictionaryVr;
    if (!vr) {
      throw new ValueError(`no VR known for ${formatTag(t)}: pass one, set(tag, value, { vr })`);
    }
    const mode = options.validation ?? this.validation;
    if (mode === "ignore") {
      return this.add(
        DataElement.fromValue(t, vr.includes(" or ") ? vr.slice(0, 2) : vr, value as ElementValue),
      );
    }
    const keyword = isPrivateTag(t) ? "" : lookupTag(t)?.keyword ?? "";
    const vm = isPrivateTag(t) ? undefined : lookupTag(t)?.vm;
    const charset = t === 0x00080005 ? [] : this.charset;
    let checked;
    try {
      checked = checkValue(t, vr, value, { charset, keyword, vm });
      if (t === 0x00080005) this.#recheckText(checked.value, keyword);
      if (checked.vr === "SQ") this.#checkItems(t, checked.value as Dataset[], keyword);
    } catch (e) {
      if (mode === "warn" && e instanceof ValueError) {
        this.warnings.push(e.message);
        return this.add(
          DataElement.fromValue(
            t,
            vr.includes(" or ") ? vr.slice(0, 2) : vr,
            value as ElementValue,
          ),
        );
      }
      throw e;
    }
    return this.add(DataElement.fromValue(t, checked.vr, checked.value));
  }

  /** Items about to join this dataset: their text must fit the character set they inherit. */
  #checkItems(t: Tag, items: Dataset[], keyword: string): void {
    const charset = this.charset;
    for (const [i, item] of items.entries()) {
      if (item.has(0x00080005)) continue;
      const bad = unencodableText(item, charset);
      if (!bad) continue;
      throw new ValueError(
        `invalid SQ value for ${
          keyword || formatTag(t)
        }: item ${i} holds "${bad.ch}" in ${bad.where} (${
          describeValue(bad.text)
        }), which is not in the character set it would take, ${
          charset.length ? charset.join("\\") : "ISO_IR 6 (ASCII)"
        }`,
      );
    }
  }

  /** The VR the dictionaries give a tag (private ones by their creator). */
  #dictionaryVr(t: Tag): string | undefined {
    if (!isPrivateTag(t)) return lookupTag(t)?.vr;
    const el = t & 0xffff;
    if (el >= 0x0010 && el <= 0x00ff) return "LO";
    const creator = this.#elements.get(((t & 0xffff0000) | (el >>> 8)) >>> 0)?.value;
    return typeof creator === "string" ? lookupPrivate(creator, t)?.vr : undefined;
  }

  /**
   * Before a new Specific Character Set is stored: every text value it governs (here and
   * in items without their own) must be encodable in it.
   */
  #recheckText(value: ElementValue, keyword: string): void {
    const charset = (Array.isArray(value) ? value : [value]).filter((x) =>
      typeof x === "string"
    ) as string[];
    const bad = unencodableText(this, charset);
    if (!bad) return;
    throw new ValueError(
      `invalid CS value ${
        describeValue(value)
      } for ${keyword} (0008, 0005): ${bad.where} holds "${bad.ch}" (${
        describeValue(bad.text)
      }), which is not in ${
        charset.length ? charset.join("\\") : "ISO_IR 6 (ASCII)"
      }; use "ISO_IR 192" (UTF-8) for any character`,
    );
  }

  /**
   * Removes an element; true if it was there. Removing Specific Character Set re-checks
   * the text it governed against what is left (the parent's, or ASCII).
   */
  delete(key: TagOrKeyword): boolean {
    const t = resolveTag(key);
    if (t === undefined || !this.#elements.has(t)) return false;
    if (t === 0x00080005 && this.validation !== "ignore") {
      // without a Specific Character Set the text falls back to the parent's, or ASCII
      const fallback = this.parent?.charset ?? [];
      try {
        this.#recheckText(fallback as string[], "SpecificCharacterSet");
      } catch (e) {
        if (this.validation === "raise") throw e;
        this.warnings.push((e as Error).message);
      }
    }
    this.#elements.delete(t);
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

  /**
   * Calls `callback` for every element in tag order, going into each sequence's items
   * right after the sequence, with where it is (`path`, `tags`, `items`). The callback
   * may delete or change the element it is given (pydicom's `Dataset.walk`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset } from "./dataset.ts";
   * const item = new Dataset();
   * item.set("ReferencedSOPInstanceUID", "1.2.3");
   * const ds = new Dataset();
   * ds.set("PatientID", "7");
   * ds.set("ReferencedImageSequence", [item]);
   * const paths: string[] = [];
   * ds.walk((_el, { path }) => paths.push(path));
   * assert.deepEqual(paths, [
   *   "ReferencedImageSequence",
   *   "ReferencedImageSequence[0].ReferencedSOPInstanceUID",
   *   "PatientID",
   * ]);
   * ```
   */
  walk(
    callback: (element: DataElement, context: WalkContext) => void,
    options: WalkOptions = {},
  ): void {
    const recursive = options.recursive ?? true;
    const visit = (ds: Dataset, prefix: string, tags: Tag[], items: number[]) => {
      for (const el of [...ds.elements()]) {
        const path = prefix + pathStep(el);
        const here = [...tags, el.tag];
        callback(el, { dataset: ds, path, tags: here, items });
        if (!recursive || el.vr !== "SQ" || ds.#elements.get(el.tag) !== el) continue;
        ((el.items ?? []) as Dataset[]).forEach((item, i) => {
          visit(item, `${path}[${i}].`, here, [...items, i]);
        });
      }
    };
    visit(this, "", [], []);
  }

  /**
   * Removes every private element (odd group: private creators and their data) at every
   * depth, as pydicom's `remove_private_tags`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset } from "./dataset.ts";
   * const ds = new Dataset();
   * ds.set("PatientID", "7");
   * ds.privateBlock(0x0009, "ACME", { create: true }).set(0x01, "secret", { vr: "LO" });
   * ds.removePrivateTags();
   * assert.deepEqual(ds.elements().map((e) => e.tag), [0x00100020]);
   * ```
   */
  removePrivateTags(): void {
    this.walk((el, { dataset }) => {
      if (isPrivateTag(el.tag)) dataset.delete(el.tag);
    });
  }

  /**
   * A deep copy: elements, sequence items, file meta, preamble, encoding and validation
   * mode; editing one never changes the other.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset } from "./dataset.ts";
   * const ds = new Dataset();
   * ds.set("PatientID", "7");
   * const copy = ds.copy();
   * copy.PatientID = "8";
   * assert.equal(ds.PatientID, "7");
   * ```
   */
  copy(): Dataset {
    const out = new Dataset();
    out.encoding = { ...this.encoding };
    out.warnings = [...this.warnings];
    out.#validation = this.#validation;
    if (this.preamble) out.preamble = this.preamble.slice();
    if (this.fileMeta) out.fileMeta = this.fileMeta.copy();
    for (const el of this) {
      const items = el.vr === "SQ" || el.items
        ? ((el.items ?? []) as Dataset[]).map((item) => item.copy())
        : undefined;
      out.add(el.clone(items));
    }
    return out;
  }

  /**
   * The block of private elements `creator` owns in `group`, to read and add them as
   * pydicom's `private_block`; with `{ create: true }` the creator is added in the first
   * free slot when missing, otherwise a missing creator is a `ValueError`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset } from "./dataset.ts";
   * const ds = new Dataset();
   * const block = ds.privateBlock(0x0011, "ACME 1.0", { create: true });
   * block.set(0x02, 42, { vr: "US" });
   * assert.equal(ds.get(0x00111002), 42);
   * assert.equal(ds.privateBlock(0x0011, "ACME 1.0").get(0x02), 42);
   * ```
   */
  privateBlock(group: number, creator: string, options: PrivateBlockOptions = {}): PrivateBlock {
    return findPrivateBlock(this, group, creator, options);
  }

  /**
   * Writes the dataset to a DICOM file as lib/io's `write` does, atomically (a temporary
   * file renamed over `path`), as pydicom's `save_as`. Needs lib/io loaded (the root
   * `mod.ts` and `lib/io/mod.ts` load it).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Dataset, read } from "../../mod.ts";
   * const ds = new Dataset();
   * ds.PatientName = "ROSSI^MARIO";
   * const path = Deno.makeTempFileSync({ suffix: ".dcm" });
   * ds.saveAs(path);
   * assert.equal(String(read(path).PatientName), "ROSSI^MARIO");
   * Deno.removeSync(path);
   * ```
   */
  saveAs(path: string | URL, options?: SaveOptions): void {
    if (!saver) {
      throw new UnsupportedError(
        "saveAs needs lib/io: import it (or the root mod.ts) to write files",
      );
    }
    saver(this, path, options);
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

// Keyword accessors: one getter and setter per dictionary keyword on the prototype (plain
// data, no Proxy). Their types are generated per keyword in lib/dictionary/_keywords.ts.
/**
 * Every dictionary keyword is a read-write property of a dataset: reading gives the value
 * (undefined when absent); assigning checks and sets it (adding the element with the
 * dictionary's VR), assigning `undefined` removes it. `delete ds.PatientName` does
 * nothing (the property lives on the prototype): use `ds.delete("PatientName")`.
 */
export interface Dataset extends KeywordAccessors<KeywordGetTypes, KeywordSetTypes> {}
{
  // Defined on a plain object that becomes the prototype's prototype: defining ~5000
  // accessors on a class prototype one by one costs V8 a new map each time (0.2-0.4 s and
  // 25 MB at start-up, in every worker); on an object not yet used as a prototype it is
  // cheap. Methods of the class still come first in the chain.
  const proto = Dataset.prototype as unknown as Record<string, unknown>;
  const accessors: Record<string, unknown> = {};
  for (const kw of allKeywords()) {
    if (kw in proto) continue;
    const t = tagForKeyword(kw)!;
    Object.defineProperty(accessors, kw, {
      get(this: Dataset) {
        return this.element(t)?.value;
      },
      set(this: Dataset, value: AssignableValue | undefined) {
        if (value === undefined) this.delete(t);
        else this.set(t, value);
      },
      enumerable: false,
      configurable: true,
    });
  }
  Object.setPrototypeOf(accessors, Object.getPrototypeOf(proto));
  Object.setPrototypeOf(proto, accessors);
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
