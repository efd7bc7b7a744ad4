/**
 * DICOM File-sets (PS3.10, PS3.3 Annex F): `fileSet(path)` opens a DICOMDIR, or a
 * folder of DICOM files, as a tree of directory records (PATIENT, STUDY, SERIES,
 * IMAGE...) whose leaves are the instances; iterate it to load each instance.
 *
 * Reading follows pydicom 2.3's `FileSet`: the record offsets make the tree, records
 * that reference nothing and have no children are dropped, and orphaned records that
 * reference a file are placed by reading that file. `String(fs)` is pydicom's
 * `str(FileSet)` summary.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { transferSyntax } from "../core/transfer_syntax.ts";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Dataset, TagOrKeyword } from "../dataset/dataset.ts";
import type { DataElement, ElementValue } from "../dataset/element.ts";
import { PersonName } from "../dataset/person_name.ts";
import { tagForKeyword } from "../dictionary/mod.ts";
import { read, type ReadOptions } from "../io/read.ts";
import { DicomError, InvalidFileError, MalformedError } from "../core/errors.ts";
import {
  FILE_ID,
  FIRST_OFFSET,
  itemOffset,
  LOWER_OFFSET,
  MEDIA_STORAGE_DIRECTORY,
  NEXT_OFFSET,
  pyStr,
  RECORD_SEQUENCE,
  RECORD_TYPE,
  recordKey,
  recordsFor,
  REF_SOP_CLASS,
  REF_SOP_INSTANCE,
  REF_TRANSFER_SYNTAX,
  REFERENCED_ALIASES,
} from "./_records.ts";

/** Options for {@linkcode fileSet}. */
export interface FileSetOptions {
  /**
   * Throw a `MalformedError` when the DICOMDIR's record offsets are broken (an offset
   * that points to no record, a loop, no offset of the first record). By default the
   * tree is then rebuilt from the order of the records and their types, and
   * `fs.warnings` says so.
   */
  strict?: boolean;
  /** For a folder without a DICOMDIR: also scan its subfolders (default true). */
  recursive?: boolean;
}

/** Options for {@linkcode FileSet.find} and {@linkcode FileSet.findValues}. */
export interface FindOptions {
  /**
   * Match against the instances' own datasets (read up to the pixel data) instead of
   * their directory records. Slower, but every attribute is there.
   */
  load?: boolean;
  /** Search only these instances (default: all). */
  instances?: readonly FileInstance[];
}

/** A query for {@linkcode FileSet.find}: keyword → value the element must equal. */
export type FileSetQuery = Record<string, ElementValue>;

function text(v: ElementValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return "";
  if (Array.isArray(v)) return v.map((x) => String(x ?? "")).join("\\");
  return String(v);
}

function num(v: ElementValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (Array.isArray(v) && typeof v[0] === "number") return v[0];
  return undefined;
}

function resolveTag(key: TagOrKeyword): number | undefined {
  return typeof key === "number" ? key >>> 0 : tagForKeyword(key);
}

/**
 * One directory record and its place in the tree.
 *
 * @example
 * ```ts
 * import { fileSet } from "../../mod.ts";
 * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
 * for (const patient of fs.children) console.log(String(patient), patient.children.length);
 * ```
 */
export class RecordNode implements Iterable<RecordNode> {
  /** The directory record (an item of the Directory Record Sequence). */
  readonly record: Dataset;
  /** Byte offset of the record's item in the DICOMDIR; undefined if made from a file. */
  readonly offset?: number;
  /** The record above this one; undefined at the top level. */
  parent?: RecordNode;
  /** The records below this one, in order. */
  readonly children: RecordNode[] = [];
  /** The instance this record references, for leaf records. */
  instance?: FileInstance;

  /** A node for a directory record read at byte `offset` of the DICOMDIR. */
  constructor(record: Dataset, offset?: number) {
    this.record = record;
    this.offset = offset;
  }

  /** The Directory Record Type: `PATIENT`, `STUDY`, `SERIES`, `IMAGE`... */
  get recordType(): string {
    return text(this.record.get(RECORD_TYPE)) ?? "";
  }

  /** The record's unique key among its siblings (Patient ID, Study/Series/SOP UID). */
  get key(): string {
    return recordKey(this.record);
  }

  /** Levels below the top: 0 for a top-level record. */
  get depth(): number {
    let d = 0;
    for (let n = this.parent; n; n = n.parent) d++;
    return d;
  }

  /** The records above this one, nearest first. */
  get ancestors(): RecordNode[] {
    const out: RecordNode[] = [];
    for (let n = this.parent; n; n = n.parent) out.push(n);
    return out;
  }

  /** True when the record references an instance. */
  get hasInstance(): boolean {
    return this.instance !== undefined;
  }

  /** This record and every record below it, depth first. */
  *[Symbol.iterator](): Iterator<RecordNode> {
    yield this;
    for (const child of this.children) yield* child;
  }

  /** pydicom's one-line description: `PATIENT: PatientID='1', PatientName='Doe^J'`. */
  toString(): string {
    const r = this.record;
    const el = (kw: string) => r.element(kw);
    const type = this.recordType;
    const parts: string[] = [];
    if (type === "PATIENT") {
      parts.push(`PatientID='${pyStr(el("PatientID"))}'`);
      parts.push(`PatientName='${pyStr(el("PatientName"))}'`);
    } else if (type === "STUDY") {
      parts.push(`StudyDate=${pyStr(el("StudyDate"))}`, `StudyTime=${pyStr(el("StudyTime"))}`);
      const desc = pyStr(el("StudyDescription"));
      if (desc !== "") parts.push(`StudyDescription='${desc}'`);
    } else if (type === "SERIES") {
      parts.push(`Modality=${pyStr(el("Modality"))}`, `SeriesNumber=${pyStr(el("SeriesNumber"))}`);
    } else if (type === "IMAGE") {
      parts.push(`InstanceNumber=${pyStr(el("InstanceNumber"))}`);
    } else {
      parts.push(this.key);
    }
    return `${type}: ${parts.join(", ")}`;
  }
}

/**
 * One instance of a file-set: its file, its directory records, and `load()`.
 * Attributes are looked up in the leaf record, then in its ancestors (SERIES, STUDY,
 * PATIENT), as pydicom's `FileInstance` does.
 *
 * @example
 * ```ts
 * import { fileSet } from "../../mod.ts";
 * for (const inst of fileSet("fixtures/ct_phantom/DICOMDIR")) {
 *   console.log(inst.PatientID, inst.SeriesNumber, inst.InstanceNumber, inst.path);
 *   const ds = inst.load();
 *   console.log(ds.Rows);
 * }
 * ```
 */
export class FileInstance {
  /** The leaf record referencing the file. */
  readonly node: RecordNode;
  /** The Referenced File ID, as path components relative to the file-set root. */
  readonly fileId: readonly string[];
  /** The absolute path of the file. */
  readonly path: string;
  /**
   * True when the instance came from an orphaned record (one the offsets do not reach)
   * and was placed in the tree by reading its file, as pydicom stages an addition.
   */
  readonly added: boolean;

  /** The instance a leaf record refers to, with its File ID and absolute path. */
  constructor(node: RecordNode, fileId: readonly string[], path: string, added = false) {
    this.node = node;
    this.fileId = fileId;
    this.path = path;
    this.added = added;
  }

  /** The leaf directory record. */
  get record(): Dataset {
    return this.node.record;
  }

  /**
   * The element for a keyword or tag from the leaf record or its ancestors; SOP
   * Instance UID, SOP Class UID and Transfer Syntax UID give the record's Referenced
   * ... in File elements.
   */
  element(key: TagOrKeyword): DataElement | undefined {
    let t = resolveTag(key);
    if (t === undefined) return undefined;
    t = REFERENCED_ALIASES.get(t) ?? t;
    for (let n: RecordNode | undefined = this.node; n; n = n.parent) {
      const el = n.record.element(t);
      if (el) return el;
    }
    return undefined;
  }

  /** The value for a keyword or tag, from the records (see {@linkcode element}). */
  get(key: TagOrKeyword): ElementValue | undefined {
    return this.element(key)?.value;
  }

  /** True when the records hold the keyword or tag. */
  has(key: TagOrKeyword): boolean {
    return this.element(key) !== undefined;
  }

  /** (0004,1511) Referenced SOP Instance UID in File. */
  get SOPInstanceUID(): string | undefined {
    return text(this.record.get(REF_SOP_INSTANCE));
  }
  /** (0004,1510) Referenced SOP Class UID in File. */
  get SOPClassUID(): string | undefined {
    return text(this.record.get(REF_SOP_CLASS));
  }
  /** (0004,1512) Referenced Transfer Syntax UID in File. */
  get TransferSyntaxUID(): string | undefined {
    return text(this.record.get(REF_TRANSFER_SYNTAX));
  }
  /** Patient ID, from the PATIENT record. */
  get PatientID(): string | undefined {
    return text(this.get("PatientID"));
  }
  /** Study Date, from the STUDY record. */
  get StudyDate(): string | undefined {
    return text(this.get("StudyDate"));
  }
  /** Modality, from the SERIES record. */
  get Modality(): string | undefined {
    return text(this.get("Modality"));
  }
  /** Series Number, from the SERIES record. */
  get SeriesNumber(): number | undefined {
    return num(this.get("SeriesNumber"));
  }
  /** Instance Number, from the leaf record. */
  get InstanceNumber(): number | undefined {
    return num(this.get("InstanceNumber"));
  }

  /**
   * Reads the instance's file. A missing file throws an `InvalidFileError`, a broken one
   * the reader's `DicomError` (same class, offset and tag), each naming the path.
   */
  load(options: ReadOptions = {}): Dataset {
    if (!isFile(this.path)) {
      const at = this.node.offset === undefined ? "" : ` at byte ${this.node.offset}`;
      throw new InvalidFileError(
        `missing file ${this.path} referenced by the ${this.node.recordType} record${at}`,
      );
    }
    try {
      return read(this.path, options);
    } catch (e) {
      throw withPath(e, this.path);
    }
  }
}

function valuesEqual(a: ElementValue | undefined, b: ElementValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PersonName || b instanceof PersonName) return String(a) === String(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x as ElementValue, (b as ElementValue[])[i]));
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return false;
}

/** What a {@linkcode FileSet} is made of; see {@linkcode fileSet}. */
export interface FileSetInit {
  /** Absolute path of the root folder. */
  root: string;
  /** The DICOMDIR dataset, when read from one. */
  dicomdir?: Dataset;
  /** Absolute path of the DICOMDIR file, when read from one. */
  dicomdirPath?: string;
  /** File-set UID (Media Storage SOP Instance UID of the DICOMDIR). */
  uid: string;
  /** The top-level records. */
  children: RecordNode[];
  /** The instances, in record order. */
  instances: FileInstance[];
  /** What was skipped or repaired. */
  warnings: string[];
}

/**
 * A DICOM File-set: its directory records as a tree and its instances in record order.
 * Made by {@linkcode fileSet}.
 *
 * @example
 * ```ts
 * import { fileSet } from "../../mod.ts";
 * const fs = fileSet("fixtures/ct_phantom");
 * console.log(String(fs));
 * console.log(fs.length, fs.findValues("StudyDate"));
 * for (const inst of fs.find({ PatientID: "PHANTOM01" })) console.log(inst.path);
 * ```
 */
export class FileSet implements Iterable<FileInstance> {
  /** Absolute path of the file-set's root folder. */
  readonly root: string;
  /** The DICOMDIR dataset; undefined for a folder scanned without one. */
  readonly dicomdir?: Dataset;
  /** Absolute path of the DICOMDIR file; undefined for a scanned folder. */
  readonly dicomdirPath?: string;
  /** The File-set UID (a generated one for a scanned folder). */
  readonly uid: string;
  /** The top-level records (PATIENT records in the usual four-level model). */
  readonly children: readonly RecordNode[];
  /** The instances in record order. */
  readonly instances: readonly FileInstance[];
  /**
   * Notes on what was skipped or repaired: non-DICOM files in a scanned folder,
   * missing referenced files, orphaned records, broken offsets.
   */
  readonly warnings: readonly string[];

  /** A file-set from its parts; use {@linkcode fileSet} to read one. */
  constructor(init: FileSetInit) {
    this.root = init.root;
    this.dicomdir = init.dicomdir;
    this.dicomdirPath = init.dicomdirPath;
    this.uid = init.uid;
    this.children = init.children;
    this.instances = init.instances;
    this.warnings = init.warnings;
  }

  /** (0004,1130) File-set ID, if any. */
  get id(): string | undefined {
    const v = this.dicomdir?.get(0x00041130);
    return v === undefined ? undefined : text(v);
  }

  /** (0004,1141) File-set Descriptor File ID, as components. */
  get descriptorFileId(): string[] | undefined {
    const v = this.dicomdir?.get(0x00041141);
    if (v === undefined || v === null || v === "") return undefined;
    return Array.isArray(v) ? v.map(String) : [String(v)];
  }

  /** Number of instances. */
  get length(): number {
    return this.instances.length;
  }

  /** The instances in record order. */
  [Symbol.iterator](): Iterator<FileInstance> {
    return this.instances[Symbol.iterator]();
  }

  /** Every record, depth first (PATIENT, its first STUDY, that study's first SERIES...). */
  *records(): IterableIterator<RecordNode> {
    for (const child of this.children) yield* child;
  }

  /**
   * The instances whose records (or, with `load`, datasets) hold every queried
   * element with an equal value, as pydicom's `FileSet.find`. Person names compare
   * as text.
   *
   * @example
   * ```ts
   * import { fileSet } from "../../mod.ts";
   * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
   * console.log(fs.find({ PatientID: "PHANTOM01", Modality: "CT" }).length);
   * ```
   */
  find(query: FileSetQuery, options: FindOptions = {}): FileInstance[] {
    const instances = options.instances ?? this.instances;
    const keys = Object.keys(query);
    if (keys.length === 0) return [...instances];
    return instances.filter((inst) => {
      const source = options.load ? inst.load({ stopBeforePixels: true }) : inst;
      return keys.every((k) => {
        const el = source.element(k);
        return el !== undefined && valuesEqual(el.value, query[k]);
      });
    });
  }

  /**
   * The distinct values of an element over the instances, in record order (as
   * pydicom's `find_values`); with a list of elements, a record of such lists.
   *
   * @example
   * ```ts
   * import { fileSet } from "../../mod.ts";
   * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
   * console.log(fs.findValues("StudyDate"));
   * console.log(fs.findValues(["PatientID", "SeriesNumber"]));
   * ```
   */
  findValues(element: TagOrKeyword, options?: FindOptions): ElementValue[];
  /** The distinct values of each of several elements, by keyword (or tag in hex). */
  findValues(elements: TagOrKeyword[], options?: FindOptions): Record<string, ElementValue[]>;
  findValues(
    elements: TagOrKeyword | TagOrKeyword[],
    options: FindOptions = {},
  ): ElementValue[] | Record<string, ElementValue[]> {
    const list = Array.isArray(elements) ? elements : [elements];
    const results = list.map(() => [] as ElementValue[]);
    for (const inst of options.instances ?? this.instances) {
      const source = options.load ? inst.load({ stopBeforePixels: true }) : inst;
      list.forEach((key, i) => {
        const el = source.element(key);
        if (!el) return;
        const v = el.value;
        if (!results[i].some((x) => valuesEqual(x, v))) results[i].push(v);
      });
    }
    if (!Array.isArray(elements)) return results[0];
    const out: Record<string, ElementValue[]> = {};
    list.forEach((key, i) => out[String(key)] = results[i]);
    return out;
  }

  /**
   * pydicom's `str(FileSet)`: the root, ID, UID and descriptor file, then the record
   * tree with each level's instances counted. pydicom's "Changes staged for write()"
   * line is not printed (nothing is staged here).
   */
  toString(): string {
    const none = "(no value available)";
    const d = this.dicomdir;
    const id = d ? pyStr(d.element(0x00041130)) : "";
    const descriptor = d ? pyStr(d.element(0x00041141)) : "";
    const charset = d ? pyStr(d.element(0x00041142)) : "";
    const lines = [
      "DICOM File-set",
      `  Root directory: ${this.root}`,
      `  File-set ID: ${id || none}`,
      `  File-set UID: ${this.uid}`,
      `  Descriptor file ID: ${descriptor || none}`,
      `  Descriptor file character set: ${charset || none}`,
    ];
    if (this.children.length === 0) return lines.join("\n");
    lines.push("\n  Managed instances:");
    for (const line of prettify(this.children)) lines.push(`    ${line}`);
    return lines.join("\n");
  }
}

/** pydicom's `RecordNode.prettify` over the top-level records. */
function prettify(top: readonly RecordNode[]): string[] {
  const out: string[] = [];
  const indent = (n: RecordNode) => "  ".repeat(n.depth);
  for (const first of top) {
    for (const node of first) {
      if (node.children.length) {
        out.push(`${indent(node)}${node}`);
        const child = node.children.find((c) => c.hasInstance);
        if (child && child.children.length === 0) out.push(...leafSummary(child, indent(child)));
      } else if (node.depth === 0 && node.instance) {
        out.push(
          `${indent(node)}${node.recordType}: 1 SOP Instance${
            node.instance.added ? " (to be added)" : ""
          }`,
        );
      }
    }
  }
  return out;
}

function leafSummary(leaf: RecordNode, indent: string): string[] {
  const parent = leaf.parent!;
  const siblings = [...parent].filter((n) => n.hasInstance);
  const types = [...new Set(siblings.map((n) => n.recordType))].sort();
  return types.map((type) => {
    const nodes = siblings.filter((n) => n.recordType === type);
    const add = nodes.filter((n) => n.instance!.added).length;
    const initial = nodes.length - add;
    const changes: string[] = [];
    if (add && initial > 0) changes.push(`${initial} initial`);
    if (add) changes.push(`${add} addition${add > 1 ? "s" : ""}`);
    const n = nodes.length;
    let line = `${indent}${type}: ${n} SOP Instance${n === 1 ? "" : "s"}`;
    if (changes.length) line += ` (${changes.join(", ")})`;
    return line;
  });
}

// ---- building the tree ----

function fileIdOf(record: Dataset): string[] | undefined {
  const el = record.element(FILE_ID);
  if (!el) return undefined;
  const v = el.value;
  if (v === null || v === undefined || v === "") return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x ?? ""));
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** True when a File ID has a `..` component, which would lead outside the file-set root. */
function leavesRoot(components: readonly string[]): boolean {
  return components.some((c) => c.split(/[\\/]/).includes(".."));
}

/**
 * The path of a File ID under the root; when it does not exist as written, a
 * case-insensitive match of each component (media written on other systems). A File ID
 * with `..` components (never valid, PS3.10 8.5) stays under the root: each `..`
 * becomes `__`, so no file outside the file-set is ever read.
 */
function locate(root: string, components: readonly string[]): string {
  if (leavesRoot(components)) {
    const inside = components.map((c) =>
      c.split(/[\\/]/).map((part) => part === ".." ? "__" : part).join(sep)
    );
    return join(root, ...inside);
  }
  const direct = join(root, ...components);
  if (exists(direct)) return direct;
  let dir = root;
  for (const c of components) {
    let found: string | undefined;
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.name.toUpperCase() === c.toUpperCase()) {
          found = entry.name;
          break;
        }
      }
    } catch {
      return direct;
    }
    if (found === undefined) return direct;
    dir = join(dir, found);
  }
  return dir;
}

/** Level of a record type in the four-level model, for rebuilding without offsets. */
function level(type: string): number {
  if (type === "PATIENT") return 0;
  if (type === "STUDY") return 1;
  if (type === "SERIES") return 2;
  if (
    type === "HANGING PROTOCOL" || type === "PALETTE" || type === "IMPLANT" ||
    type === "IMPLANT ASSY" || type === "IMPLANT GROUP"
  ) return 0;
  return 3;
}

function attach(child: RecordNode, parent: RecordNode | undefined, top: RecordNode[]): void {
  child.parent = parent;
  (parent ? parent.children : top).push(child);
}

/** Follows the offsets; returns the broken-offset message, if any. */
function linkByOffsets(
  ds: Dataset,
  nodes: RecordNode[],
  top: RecordNode[],
): string | undefined {
  const byOffset = new Map<number, RecordNode>();
  for (const n of nodes) if (n.offset !== undefined) byOffset.set(n.offset, n);
  const seen = new Set<RecordNode>();
  const chain = (
    first: number,
    parent: RecordNode | undefined,
    from: string,
  ): string | undefined => {
    let off = first;
    let where = from;
    while (off) {
      const node = byOffset.get(off);
      if (!node) return `${where} points to byte ${off}, where no record starts`;
      if (seen.has(node)) return `${where} points back to the record at byte ${off}`;
      seen.add(node);
      attach(node, parent, top);
      const lower = Number(node.record.get(LOWER_OFFSET) ?? 0);
      if (lower) {
        const err: string | undefined = chain(
          lower,
          node,
          `the lower-level offset of the record at byte ${off}`,
        );
        if (err) return err;
      }
      where = `the next-record offset of the record at byte ${off}`;
      off = Number(node.record.get(NEXT_OFFSET) ?? 0);
    }
    return undefined;
  };
  if (nodes.length === 0) return undefined;
  const first = Number(ds.get(FIRST_OFFSET) ?? 0);
  if (!first) return "the offset of the first root record (0004,1200) is missing or zero";
  return chain(first, undefined, "the offset of the first root record (0004,1200)");
}

/** Places records by their order and types: each under the last record of a higher level. */
function linkByOrder(nodes: RecordNode[], top: RecordNode[]): void {
  const stack: RecordNode[] = [];
  for (const node of nodes) {
    const l = level(node.recordType);
    while (stack.length && level(stack[stack.length - 1].recordType) >= l) stack.pop();
    attach(node, stack[stack.length - 1], top);
    stack.push(node);
  }
}

/** Drops records with no children that reference no file, then their emptied parents. */
function prune(top: RecordNode[]): void {
  const visit = (list: RecordNode[]) => {
    for (let i = list.length - 1; i >= 0; i--) {
      const n = list[i];
      visit(n.children);
      if (n.children.length === 0 && !n.record.has(FILE_ID)) list.splice(i, 1);
    }
  };
  visit(top);
}

/** Inserts a branch (highest record first), merging records with the same key. */
function insertBranch(records: Dataset[], top: RecordNode[]): RecordNode {
  let siblings = top;
  let parent: RecordNode | undefined;
  for (let i = 0; i < records.length; i++) {
    const key = recordKey(records[i]);
    const type = text(records[i].get(RECORD_TYPE));
    const last = i === records.length - 1;
    const existing = last
      ? undefined
      : siblings.find((n) => n.key === key && n.recordType === type && n.children.length);
    if (existing) {
      parent = existing;
      siblings = existing.children;
      continue;
    }
    const node = new RecordNode(records[i]);
    attach(node, parent, top);
    parent = node;
    siblings = node.children;
  }
  return parent!;
}

function makeUid(): string {
  const hex = crypto.randomUUID().replaceAll("-", "");
  return `2.25.${BigInt("0x" + hex).toString()}`;
}

/** The same error class and location, with the file's path in front of the message. */
function withPath(e: unknown, path: string): unknown {
  if (!(e instanceof DicomError) || e.message.includes(path)) return e;
  const Ctor = e.constructor as new (
    message: string,
    location: object,
    o: ErrorOptions,
  ) => DicomError;
  const err = new Ctor(`${path}: ${e.message}`, {}, { cause: e });
  Object.assign(err, { offset: e.offset, tag: e.tag, frame: e.frame });
  return err;
}

/** Where the dataset starts in the file: after the preamble, `DICM` and the file meta. */
function metaEnd(ds: Dataset): number {
  let end = ds.preamble ? 132 : 4;
  for (const el of ds.fileMeta ?? []) {
    if (el.source) end = Math.max(end, el.source.offset + el.source.bytes.length);
  }
  return end;
}

function loadDicomdir(file: string, options: FileSetOptions): FileSet {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(file);
  } catch (e) {
    throw new InvalidFileError(`cannot read DICOMDIR ${file}: ${(e as Error).message}`);
  }
  let ds: Dataset;
  try {
    ds = read(bytes);
  } catch (e) {
    throw withPath(e, file);
  }
  const sopClass = ds.fileMeta?.get(0x00020002);
  if (
    sopClass !== MEDIA_STORAGE_DIRECTORY && !(sopClass === undefined && ds.has(RECORD_SEQUENCE))
  ) {
    throw new InvalidFileError(
      `not a DICOMDIR: ${file} has SOP class ${
        sopClass === undefined ? "(none)" : String(sopClass)
      } and no Directory Record Sequence`,
    );
  }
  const root = dirname(file);
  const warnings: string[] = [...ds.warnings.map((w) => `DICOMDIR: ${w}`)];
  const recordSequence = ds.element(RECORD_SEQUENCE);
  if (recordSequence && !recordSequence.items) {
    throw withPath(
      new MalformedError(
        `the Directory Record Sequence is not a sequence (VR ${recordSequence.vr})`,
        { tag: RECORD_SEQUENCE, offset: recordSequence.source?.offset },
      ),
      file,
    );
  }
  const items = (recordSequence?.items ?? []) as Dataset[];
  const deflated = transferSyntax(ds.transferSyntaxUID ?? "")?.deflated === true;
  let nodes = items.map((item) =>
    new RecordNode(item, itemOffset(item, deflated ? undefined : bytes))
  );
  let top: RecordNode[] = [];
  let broken = linkByOffsets(ds, nodes, top);
  if (broken && deflated) {
    // Offsets in a deflated DICOMDIR may count from the start of the inflated dataset
    // (as read here) or from the start of the file: try the latter too
    const shift = metaEnd(ds);
    const shifted = items.map((item, i) =>
      new RecordNode(item, nodes[i].offset === undefined ? undefined : nodes[i].offset! + shift)
    );
    const shiftedTop: RecordNode[] = [];
    if (!linkByOffsets(ds, shifted, shiftedTop)) {
      nodes = shifted;
      top = shiftedTop;
      broken = undefined;
    }
  }
  if (broken) {
    if (options.strict) throw new MalformedError(`broken DICOMDIR ${file}: ${broken}`);
    warnings.push(`broken record offsets: ${broken}; records placed by their order instead`);
    for (const n of nodes) {
      n.parent = undefined;
      n.children.length = 0;
    }
    top = [];
    linkByOrder(nodes, top);
  }
  prune(top);
  const instances: FileInstance[] = [];
  for (const first of top) {
    for (const node of first) {
      const id = fileIdOf(node.record);
      if (id === undefined) continue;
      node.instance = new FileInstance(node, id, locate(root, id));
      instances.push(node.instance);
    }
  }
  if (!broken) {
    // Orphans: records the offsets never reach
    const linked = new Set<RecordNode>();
    for (const n of nodes) if (n.parent || top.includes(n)) linked.add(n);
    const orphans = nodes.filter((n) => !linked.has(n) && n.record.has(FILE_ID));
    orphans.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
    for (const orphan of orphans) {
      const inst = placeOrphan(orphan, root, top, instances, warnings);
      if (inst) instances.push(inst);
    }
  }
  for (const inst of instances) {
    const at = inst.node.offset === undefined ? "" : ` (record at byte ${inst.node.offset})`;
    if (inst.fileId.length === 0) warnings.push(`empty Referenced File ID${at}`);
    else if (leavesRoot(inst.fileId)) {
      warnings.push(
        `Referenced File ID ${inst.fileId.join("\\")} leaves the file-set root: not read${at}`,
      );
    } else if (!isFile(inst.path)) warnings.push(`missing file ${inst.path}${at}`);
  }
  const uid = text(ds.fileMeta?.get(0x00020003)) || makeUid();
  return new FileSet({
    root,
    dicomdir: ds,
    dicomdirPath: file,
    uid,
    children: top,
    instances,
    warnings,
  });
}

/** An orphaned record with a file: placed by reading the file, as pydicom's `add`. */
function placeOrphan(
  orphan: RecordNode,
  root: string,
  top: RecordNode[],
  instances: FileInstance[],
  warnings: string[],
): FileInstance | undefined {
  const id = fileIdOf(orphan.record) ?? [];
  if (id.length === 0) return undefined;
  const path = locate(root, id);
  const at = `orphaned ${orphan.recordType} record at byte ${orphan.offset}`;
  let ds: Dataset;
  try {
    ds = read(path, { stopBeforePixels: true });
  } catch (e) {
    warnings.push(`${at}: ${(e as Error).message}; kept as a top-level record`);
    attach(orphan, undefined, top);
    orphan.instance = new FileInstance(orphan, id, path, true);
    return orphan.instance;
  }
  const sop = text(ds.get("SOPInstanceUID"));
  if (sop && instances.some((i) => i.SOPInstanceUID === sop)) {
    warnings.push(`${at}: instance ${sop} is already in the file-set`);
    return undefined;
  }
  const leaf = insertBranch(recordsFor(ds, id, ds.transferSyntaxUID, []), top);
  leaf.instance = new FileInstance(leaf, id, path, true);
  warnings.push(`${at}: placed by reading ${path}`);
  return leaf.instance;
}

function listFiles(dir: string, recursive: boolean, out: string[]): void {
  const entries = [...Deno.readDirSync(dir)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory) {
      if (recursive) listFiles(p, recursive, out);
    } else if (e.isFile) out.push(p);
  }
}

/**
 * The instances of a folder of DICOM files, as records made from each file (what
 * pydicom's `FileSet.add` makes): used by {@linkcode fileSet} and `writeDicomdir`.
 * Files that are not DICOM, DICOMDIRs, files without a SOP Instance UID and repeated
 * SOP Instance UIDs are skipped with a note. Not re-exported by `mod.ts`: use `fileSet`.
 *
 * @example
 * ```ts
 * import { scanFolder } from "./file_set.ts";
 * const { instances, warnings } = scanFolder("fixtures/ct_phantom");
 * console.log(instances.length, warnings);
 * ```
 */
export function scanFolder(
  folder: string,
  options: { recursive?: boolean; notes?: string[] } = {},
): { top: RecordNode[]; instances: FileInstance[]; warnings: string[] } {
  const files: string[] = [];
  listFiles(folder, options.recursive ?? true, files);
  const top: RecordNode[] = [];
  const instances: FileInstance[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const rel = relative(folder, file);
    let ds: Dataset;
    try {
      ds = read(file, { stopBeforePixels: true });
    } catch (e) {
      warnings.push(`skipped ${rel}: ${(e as Error).message}`);
      continue;
    }
    const sopClass = text(ds.get("SOPClassUID")) ?? text(ds.fileMeta?.get(0x00020002));
    if (sopClass === MEDIA_STORAGE_DIRECTORY || ds.has(RECORD_SEQUENCE)) {
      // The folder's own DICOMDIR is no instance; a nested one is worth a note
      if (rel.toUpperCase() !== "DICOMDIR") warnings.push(`skipped ${rel}: a DICOMDIR`);
      continue;
    }
    const sop = text(ds.get("SOPInstanceUID"));
    if (!sop) {
      warnings.push(`skipped ${rel}: no SOP Instance UID`);
      continue;
    }
    if (seen.has(sop)) {
      warnings.push(`skipped ${rel}: SOP Instance UID ${sop} seen before`);
      continue;
    }
    seen.add(sop);
    const id = rel.split(sep);
    const notes: string[] = [];
    const leaf = insertBranch(recordsFor(ds, id, ds.transferSyntaxUID, notes), top);
    options.notes?.push(...notes.map((n) => `${rel}: ${n}`));
    leaf.instance = new FileInstance(leaf, id, file);
    instances.push(leaf.instance);
  }
  // Instances in record order
  const ordered: FileInstance[] = [];
  for (const first of top) for (const n of first) if (n.instance) ordered.push(n.instance);
  return { top, instances: ordered, warnings };
}

function findDicomdir(folder: string): string | undefined {
  const direct = join(folder, "DICOMDIR");
  if (exists(direct)) return direct;
  for (const e of Deno.readDirSync(folder)) {
    if (e.isFile && e.name.toUpperCase() === "DICOMDIR") return join(folder, e.name);
  }
  return undefined;
}

/**
 * Opens a DICOM File-set: a DICOMDIR file, a folder holding one, or a folder of DICOM
 * files without one (every file is read up to its pixel data and grouped by Patient
 * ID, Study and Series Instance UID; other files are skipped and listed in
 * `fs.warnings`).
 *
 * The DICOMDIR's record offsets build the tree, as pydicom does; explicit or implicit
 * VR, little or big endian. Broken offsets (an offset to no record, a loop) rebuild
 * the tree from the records' order and types with a warning, or throw a
 * `MalformedError` with `{ strict: true }`. Records that reference a missing file are
 * still instances (their `load()` throws) and are listed in `fs.warnings`.
 *
 * @example
 * ```ts
 * import { fileSet } from "../../mod.ts";
 * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
 * console.log(String(fs));
 * for (const inst of fs) {
 *   const ds = inst.load();
 *   console.log(inst.PatientID, inst.StudyDate, inst.SeriesNumber, inst.InstanceNumber, ds.Rows);
 * }
 * ```
 */
export function fileSet(path: string | URL, options: FileSetOptions = {}): FileSet {
  const abs = resolve(path instanceof URL ? fileURLToPath(path) : path);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(abs);
  } catch (e) {
    throw new InvalidFileError(`cannot open file-set ${abs}: ${(e as Error).message}`);
  }
  if (!info.isDirectory) return loadDicomdir(abs, options);
  const dicomdir = findDicomdir(abs);
  if (dicomdir) return loadDicomdir(dicomdir, options);
  const { top, instances, warnings } = scanFolder(abs, { recursive: options.recursive });
  return new FileSet({ root: abs, uid: makeUid(), children: top, instances, warnings });
}
