/**
 * One instance of a file-set: its file, its records, and `load()`.
 *
 * @module
 */

import { InvalidFileError } from "../core/errors.ts";
import type { Dataset, TagOrKeyword } from "../dataset/dataset.ts";
import type { DataElement, ElementValue } from "../dataset/element.ts";
import { read, type ReadOptions } from "../io/read.ts";
import { isFile, withPath } from "./_paths.ts";
import {
  REF_SOP_CLASS,
  REF_SOP_INSTANCE,
  REF_TRANSFER_SYNTAX,
  REFERENCED_ALIASES,
} from "./_records.ts";
import { resolveTag, text } from "./_values.ts";
import { numberValue } from "../dataset/numbers.ts";
import type { RecordNode } from "./record_node.ts";

/**
 * One instance of a file-set: its file, its directory records, and `load()`.
 * Attributes are looked up in the leaf record, then in its ancestors (SERIES, STUDY,
 * PATIENT), as pydicom's `FileInstance` does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSet } from "./mod.ts";
 * const [first] = fileSet("fixtures/ct_phantom/DICOMDIR");
 * assert.equal(first.PatientID, "PHANTOM01");
 * assert.equal(first.SeriesNumber, 2);
 * assert.equal(first.InstanceNumber, 1);
 * assert.deepEqual(first.fileId, ["IM000001"]);
 * assert.equal(first.load().Rows, 512);
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
    return numberValue(this.get("SeriesNumber"));
  }
  /** Instance Number, from the leaf record. */
  get InstanceNumber(): number | undefined {
    return numberValue(this.get("InstanceNumber"));
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
