/**
 * The directory record of a file-set and its place in the tree.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { pyStr, RECORD_TYPE, recordKey } from "./_records.ts";
import { text } from "./_values.ts";
import type { FileInstance } from "./file_instance.ts";

/**
 * One directory record and its place in the tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSet } from "./mod.ts";
 * const [patient] = fileSet("fixtures/ct_phantom/DICOMDIR").children;
 * assert.equal(String(patient), "PATIENT: PatientID='PHANTOM01', PatientName='Phantom^Head'");
 * assert.equal(patient.children.length, 1);
 * // the patient, its study, the study's series and the series' 12 images
 * assert.equal([...patient].length, 15);
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
