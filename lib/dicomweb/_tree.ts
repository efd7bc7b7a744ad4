/**
 * The tutorial's folder tree for pulled instances,
 * `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.dcm`, with each part made
 * safe for a file name by `safeComponent` of `lib/io/safe_name.ts`, as convert does.
 * Private to `lib/dicomweb`.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { nameText, safeComponent } from "../io/safe_name.ts";

/** `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}` of an instance. */
export function treePath(ds: Dataset): string {
  return ["PatientID", "StudyDate", "SeriesNumber", "InstanceNumber"]
    .map((k) => safeComponent(nameText(ds.element(k))))
    .join("/");
}
