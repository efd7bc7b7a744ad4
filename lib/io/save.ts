/**
 * `saveAs`: writes a dataset to a file atomically, and makes `Dataset.saveAs` do so (this
 * module installs itself in the dataset layer when loaded, so lib/dataset never imports
 * lib/io).
 *
 * @module
 */

import { type Dataset, installSaver, type SaveOptions } from "../dataset/dataset.ts";
import { write } from "./write.ts";

let counter = 0;

/**
 * Writes `ds` as a DICOM file at `path` (see `write` for the options): the bytes go to a
 * temporary file beside it, renamed over `path` once complete, so a reader never sees a
 * half-written file and a failure leaves no file behind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { read, saveAs } from "./mod.ts";
 * const ds = new Dataset();
 * ds.PatientID = "99999999";
 * const path = Deno.makeTempFileSync({ suffix: ".dcm" });
 * saveAs(ds, path);
 * assert.equal(read(path).PatientID, "99999999");
 * Deno.removeSync(path);
 * ```
 */
export function saveAs(ds: Dataset, path: string | URL, options: SaveOptions = {}): void {
  const bytes = write(ds, options);
  const target = path instanceof URL ? path.pathname : path;
  const temp = `${target}.${Deno.pid}.${++counter}.tmp`;
  try {
    Deno.writeFileSync(temp, bytes);
    Deno.renameSync(temp, target);
  } catch (e) {
    try {
      Deno.removeSync(temp);
    } catch {
      // nothing was written
    }
    throw e;
  }
}

installSaver(saveAs);
