/**
 * The tutorial's folder tree for pulled instances,
 * `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.dcm`, with each part made
 * safe for a file name by `safeComponent` of `lib/io/safe_name.ts`, as convert does.
 * Private to `lib/dicomweb`.
 *
 * A pull names a file from the server's DICOM JSON (a planned pull) or from the file's
 * own header (a pull into a new folder), and both must give one name, or a resumed pull
 * would fetch again what it has: IS and DS values are named by their numbers, as DICOM
 * JSON carries them (`01` stored is `1`), not by their stored text as convert does.
 *
 * @module
 */

import type { DataElement } from "../dataset/element.ts";
import { nameText, safeComponent } from "../io/safe_name.ts";

/** Patient ID, Study Date, Series Number, Instance Number. */
const TREE_TAGS = [0x00100020, 0x00080020, 0x00200011, 0x00200013];

/** Anything with elements by tag: a `Dataset`, or the header walk's few elements. */
export interface HasElements {
  /** The element with this tag, if present. */
  element(tag: number): DataElement | undefined;
}

/** One path component: numbers for IS and DS (when they read as numbers), else the text. */
function component(el: DataElement | undefined): string {
  if (el && (el.vr === "IS" || el.vr === "DS")) {
    const v = el.value;
    const numbers = Array.isArray(v) ? v : [v];
    if (numbers.length && numbers.every((x) => typeof x === "number")) return safeComponent(v);
  }
  return safeComponent(nameText(el));
}

/** `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}` of an instance. */
export function treePath(ds: HasElements): string {
  return TREE_TAGS.map((tag) => component(ds.element(tag))).join("/");
}
