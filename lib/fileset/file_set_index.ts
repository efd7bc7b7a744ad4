/**
 * A compact index of a file-set for jobs over whole archives: per instance only its
 * path and a few texts (the name parts of the convert job), in typed arrays and shared
 * string tables, in the order of {@linkcode fileSet}'s instances. A folder is scanned
 * one file at a time: no dataset, record or `FileInstance` is kept.
 *
 * @module
 */

import type { TagOrKeyword } from "../dataset/dataset.ts";
import type { Dataset } from "../dataset/dataset.ts";
import type { DataElement } from "../dataset/element.ts";
import { ValueError } from "../core/errors.ts";
import { RECORD_TYPE, recordKey, REFERENCED_ALIASES } from "./_records.ts";
import { scanFiles } from "./_scan.ts";
import { resolveTag, text as valueText } from "./_values.ts";
import { fileSet, type FileSetOptions } from "./file_set.ts";
import { findDicomdir } from "./_paths.ts";
import { join, relative, sep } from "node:path";
import { absolutePath } from "../io/absolute_path.ts";

/** Options for {@linkcode fileSetIndex}: those of `fileSet`, and what to keep. */
export interface FileSetIndexOptions extends FileSetOptions {
  /**
   * The elements kept per instance (as text), looked up as `FileInstance.element`
   * does: in the instance's leaf record, then in its ancestors (SERIES, STUDY,
   * PATIENT).
   *
   * @default {[]}
   */
  keys?: readonly TagOrKeyword[];
  /**
   * The text kept for an element (`undefined` when no record holds it). It is called
   * once per record, not once per instance, and equal texts are stored once.
   *
   * @default {the value as text, "" when missing}
   */
  text?: (element: DataElement | undefined) => string;
}

/**
 * The instances of a file-set as {@linkcode fileSetIndex} keeps them: for instance `i`
 * (0 to `length - 1`, in the order of `fileSet`'s instances) its file and the text of
 * each of `keys`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSetIndex } from "./mod.ts";
 * const index = fileSetIndex("fixtures/ct_phantom", { keys: ["PatientID", "InstanceNumber"] });
 * assert.equal(index.length, 12);
 * assert.equal(index.fileId(0), "IM000001");
 * assert.ok(index.path(0).endsWith("/fixtures/ct_phantom/IM000001"));
 * assert.deepEqual([index.text(0, 0), index.text(11, 1)], ["PHANTOM01", "12"]);
 * ```
 */
export interface FileSetIndex {
  /** Absolute path of the file-set's root folder. */
  readonly root: string;
  /** The elements kept, as given. */
  readonly keys: readonly TagOrKeyword[];
  /** What was skipped or repaired (as `FileSet.warnings`). */
  readonly warnings: readonly string[];
  /** Number of instances. */
  readonly length: number;
  /** The absolute path of instance `i`'s file. */
  path(i: number): string;
  /** The Referenced File ID of instance `i` (its path within the file-set), joined by `/`. */
  fileId(i: number): string;
  /** The text of `keys[key]` for instance `i`. */
  text(i: number, key: number): string;
}

/** Strings stored once each, by number. */
class Strings {
  readonly list: string[] = [];
  readonly #ids = new Map<string, number>();
  id(s: string): number {
    let id = this.#ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.#ids.set(s, id);
    }
    return id;
  }
}

/** A growing column of 32-bit numbers. */
class Column {
  data: Uint32Array = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  trim(): void {
    this.data = this.data.slice(0, this.length);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Relative paths as a folder (a shared string) and a name (UTF-8 in one buffer). */
class Paths {
  readonly #dirs = new Strings();
  readonly #dir = new Column();
  readonly #end = new Column();
  #bytes = new Uint8Array(16384);
  #used = 0;
  add(rel: string, separator: string): void {
    const cut = rel.lastIndexOf(separator);
    this.#dir.push(this.#dirs.id(cut < 0 ? "" : rel.slice(0, cut + separator.length)));
    const name = cut < 0 ? rel : rel.slice(cut + separator.length);
    const need = this.#used + name.length * 3;
    if (need > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = grown;
    }
    this.#used += encoder.encodeInto(name, this.#bytes.subarray(this.#used)).written;
    this.#end.push(this.#used);
  }
  get(i: number): string {
    const start = i === 0 ? 0 : this.#end.data[i - 1];
    const name = decoder.decode(this.#bytes.subarray(start, this.#end.data[i]));
    return this.#dirs.list[this.#dir.data[i]] + name;
  }
  trim(): void {
    this.#dir.trim();
    this.#end.trim();
    this.#bytes = this.#bytes.slice(0, this.#used);
  }
}

/** A PATIENT, STUDY or SERIES record of a scan, as far as the index needs it. */
interface Group {
  parent?: Group;
  /** Per key: the text id when this record holds the element, else -1. */
  texts: Int32Array;
  /** Groups and instances below, in record order. */
  children: (Group | number)[];
  /** The groups below by record type and key. */
  groups: Map<string, Group>;
}

/** What {@linkcode fileSetIndex} builds: instances added in any order, then `order`. */
class Index implements FileSetIndex {
  readonly root: string;
  readonly keys: readonly TagOrKeyword[];
  warnings: string[] = [];
  readonly #tags: number[];
  readonly #text: (element: DataElement | undefined) => string;
  readonly #strings = new Strings();
  readonly #missing: number;
  readonly #paths = new Paths();
  readonly #texts = new Column();
  /** File IDs that are not the path relative to the root with `/` (DICOMDIR input). */
  readonly #fileIds = new Map<number, string>();
  /** Paths that are not the root joined with the relative path. */
  readonly #absolute = new Map<number, string>();
  #order?: Uint32Array;
  #count = 0;

  constructor(root: string, options: FileSetIndexOptions) {
    this.root = root;
    this.keys = [...(options.keys ?? [])];
    this.#tags = this.keys.map((k) => {
      const t = resolveTag(k);
      if (t === undefined) throw new ValueError(`file-set index: unknown keyword ${k}`);
      return REFERENCED_ALIASES.get(t) ?? t;
    });
    this.#text = options.text ?? ((el) => valueText(el?.value) ?? "");
    this.#missing = this.#strings.id(this.#text(undefined));
  }

  get length(): number {
    return this.#count;
  }

  /** The text id of an element (of a missing one: `text(undefined)`'s). */
  textId(element: DataElement | undefined): number {
    return this.#strings.id(this.#text(element));
  }

  /** The text ids of the keys a record holds (-1 for the others). */
  textsOf(record: Dataset): Int32Array {
    return Int32Array.from(this.#tags, (t) => {
      const el = record.element(t);
      return el === undefined ? -1 : this.textId(el);
    });
  }

  /** Adds an instance: its file, File ID and text ids; returns its number. */
  add(path: string, fileId: string, texts: ArrayLike<number>): number {
    const i = this.#count++;
    const rel = relative(this.root, path);
    this.#paths.add(rel, sep);
    if (join(this.root, rel) !== path) this.#absolute.set(i, path);
    if (rel.split(sep).join("/") !== fileId) this.#fileIds.set(i, fileId);
    for (let k = 0; k < this.#tags.length; k++) {
      this.#texts.push(texts[k] < 0 ? this.#missing : texts[k]);
    }
    return i;
  }

  /** Sets the order of the instances (numbers as `add` gave them) and trims the columns. */
  finish(order?: Uint32Array): void {
    this.#order = order;
    this.#paths.trim();
    this.#texts.trim();
  }

  #at(i: number): number {
    if (!(i >= 0 && i < this.#count)) {
      throw new RangeError(`file-set index: no instance ${i} (${this.#count} instances)`);
    }
    return this.#order ? this.#order[i] : i;
  }

  path(i: number): string {
    const at = this.#at(i);
    return this.#absolute.get(at) ?? join(this.root, this.#paths.get(at));
  }

  fileId(i: number): string {
    const at = this.#at(i);
    return this.#fileIds.get(at) ?? this.#paths.get(at).split(sep).join("/");
  }

  text(i: number, key: number): string {
    const at = this.#at(i);
    if (!(key >= 0 && key < this.#tags.length)) {
      throw new RangeError(`file-set index: no key ${key} (${this.#tags.length} keys)`);
    }
    return this.#strings.list[this.#texts.data[at * this.#tags.length + key]];
  }
}

/** Scans a folder into `index`, grouping records as `insertBranch` does. */
function scanInto(index: Index, folder: string, recursive: boolean | undefined): void {
  const top: (Group | number)[] = [];
  const topGroups = new Map<string, Group>();
  const keys = index.keys.length;
  for (const { file, id, records } of scanFiles(folder, { recursive, warnings: index.warnings })) {
    let siblings = top;
    let groups = topGroups;
    let parent: Group | undefined;
    for (let level = 0; level < records.length - 1; level++) {
      const record = records[level];
      const key = `${valueText(record.get(RECORD_TYPE)) ?? ""}\0${recordKey(record)}`;
      let group = groups.get(key);
      if (!group) {
        group = { parent, texts: index.textsOf(record), children: [], groups: new Map() };
        groups.set(key, group);
        siblings.push(group);
      }
      parent = group;
      siblings = group.children;
      groups = group.groups;
    }
    // each key from the leaf record, else from the nearest record above that holds it
    const texts = index.textsOf(records[records.length - 1]);
    for (let k = 0; k < keys; k++) {
      for (let g = parent; texts[k] < 0 && g; g = g.parent) texts[k] = g.texts[k];
    }
    siblings.push(index.add(file, id.join("/"), texts));
  }
  // record order: depth first
  const order = new Uint32Array(index.length);
  let n = 0;
  const visit = (list: (Group | number)[]) => {
    for (const c of list) {
      if (typeof c === "number") order[n++] = c;
      else visit(c.children);
    }
  };
  visit(top);
  index.finish(order);
}

/**
 * Opens a file-set as {@linkcode fileSet} does (a DICOMDIR, a folder holding one, or a
 * folder of DICOM files) and keeps per instance only its file and the text of a few
 * elements: for jobs over archives of millions of instances, where `fileSet`'s records
 * and `FileInstance`s would not fit. The instances, their order, paths, File IDs,
 * texts and warnings are `fileSet`'s. A folder is scanned one file at a time and each
 * dataset let go once read; a DICOMDIR is read whole (it is one dataset), then let go.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSet, fileSetIndex } from "./mod.ts";
 * const index = fileSetIndex("fixtures/ct_phantom", { keys: ["SeriesNumber", "InstanceNumber"] });
 * const fs = fileSet("fixtures/ct_phantom");
 * assert.equal(index.length, fs.length);
 * for (let i = 0; i < index.length; i++) {
 *   assert.equal(index.path(i), fs.instances[i].path);
 *   assert.equal(index.text(i, 1), String(fs.instances[i].InstanceNumber));
 * }
 * assert.equal(index.text(0, 0), "2");
 * ```
 */
export function fileSetIndex(path: string | URL, options: FileSetIndexOptions = {}): FileSetIndex {
  const abs = absolutePath(path);
  let folder: string | undefined;
  try {
    if (Deno.statSync(abs).isDirectory && !findDicomdir(abs)) folder = abs;
  } catch { /* fileSet says why */ }
  if (folder !== undefined) {
    const index = new Index(folder, options);
    scanInto(index, folder, options.recursive);
    return index;
  }
  const fs = fileSet(abs, options);
  const index = new Index(fs.root, options);
  index.warnings = [...fs.warnings];
  for (const inst of fs) {
    index.add(
      inst.path,
      inst.fileId.join("/"),
      index.keys.map((k) => index.textId(inst.element(k))),
    );
  }
  index.finish();
  return index;
}
