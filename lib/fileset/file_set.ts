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

import { InvalidFileError } from "../core/errors.ts";
import type { Dataset, TagOrKeyword } from "../dataset/dataset.ts";
import type { ElementValue } from "../dataset/element.ts";
import { PersonName } from "../dataset/person_name.ts";
import { loadDicomdir } from "./_dicomdir_read.ts";
import { findDicomdir } from "./_paths.ts";
import { pyStr } from "./_records.ts";
import { scanFolder } from "./_scan.ts";
import { makeUid } from "./_tree.ts";
import { text } from "./_values.ts";
import type { FileInstance } from "./file_instance.ts";
import type { RecordNode } from "./record_node.ts";
import { absolutePath } from "../io/absolute_path.ts";

/** Options for {@linkcode fileSet}. */
export interface FileSetOptions {
  /**
   * Throw a `MalformedError` when the DICOMDIR's record offsets are broken (an offset
   * that points to no record, a loop, no offset of the first record). By default the
   * tree is then rebuilt from the order of the records and their types, and
   * `fs.warnings` says so.
   *
   * @default {false}
   */
  strict?: boolean;
  /**
   * For a folder without a DICOMDIR: also scan its subfolders.
   *
   * @default {true}
   */
  recursive?: boolean;
}

/** Options for {@linkcode FileSet.find} and {@linkcode FileSet.findValues}. */
export interface FindOptions {
  /**
   * Match against the instances' own datasets (read up to the pixel data) instead of
   * their directory records. Slower, but every attribute is there.
   *
   * @default {false}
   */
  load?: boolean;
  /**
   * Search only these instances.
   *
   * @default {all instances}
   */
  instances?: readonly FileInstance[];
}

/** A query for {@linkcode FileSet.find}: keyword → value the element must equal. */
export type FileSetQuery = Record<string, ElementValue>;

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
 * import assert from "node:assert/strict";
 * import { fileSet } from "./mod.ts";
 * const fs = fileSet("fixtures/ct_phantom");
 * assert.equal(fs.length, 12);
 * assert.deepEqual(fs.findValues("StudyDate"), ["20240115"]);
 * assert.equal(fs.find({ PatientID: "PHANTOM01" })[0].fileId.join("/"), "IM000001");
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
   * import assert from "node:assert/strict";
   * import { fileSet } from "./mod.ts";
   * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
   * assert.equal(fs.find({ PatientID: "PHANTOM01", Modality: "CT" }).length, 12);
   * assert.equal(fs.find({ Modality: "MR" }).length, 0);
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
   * import assert from "node:assert/strict";
   * import { fileSet } from "./mod.ts";
   * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
   * assert.deepEqual(fs.findValues("StudyDate"), ["20240115"]);
   * assert.deepEqual(fs.findValues(["PatientID", "SeriesNumber"]), {
   *   PatientID: ["PHANTOM01"],
   *   SeriesNumber: [2],
   * });
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
 * import assert from "node:assert/strict";
 * import { fileSet } from "./mod.ts";
 * const fs = fileSet("fixtures/ct_phantom/DICOMDIR");
 * assert.deepEqual(String(fs).split("\n").slice(-4), [
 *   "    PATIENT: PatientID='PHANTOM01', PatientName='Phantom^Head'",
 *   "      STUDY: StudyDate=20240115, StudyTime=093000, StudyDescription='CT HEAD PHANTOM'",
 *   "        SERIES: Modality=CT, SeriesNumber=2",
 *   "          IMAGE: 12 SOP Instances",
 * ]);
 * assert.deepEqual([...fs].map((inst) => inst.InstanceNumber), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
 * assert.equal(fs.instances[0].load().Rows, 512);
 * ```
 */
export function fileSet(path: string | URL, options: FileSetOptions = {}): FileSet {
  const abs = absolutePath(path);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(abs);
  } catch (e) {
    throw new InvalidFileError(`cannot open file-set ${abs}: ${(e as Error).message}`);
  }
  if (!info.isDirectory) return new FileSet(loadDicomdir(abs, options.strict === true));
  const dicomdir = findDicomdir(abs);
  if (dicomdir) return new FileSet(loadDicomdir(dicomdir, options.strict === true));
  const { top, instances, warnings } = scanFolder(abs, { recursive: options.recursive });
  return new FileSet({ root: abs, uid: makeUid(), children: top, instances, warnings });
}
