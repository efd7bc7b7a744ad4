/**
 * `saveAs`: writes a dataset to a file atomically, and makes `Dataset.saveAs` do so (this
 * module installs itself in the dataset layer when loaded, so lib/dataset never imports
 * lib/io).
 *
 * @module
 */

import { type Dataset, installSaver, type SaveOptions } from "../dataset/dataset.ts";
import { write } from "./write.ts";
import { writeAtomicSync } from "./files.ts";
import { fileURLToPath } from "node:url";

/**
 * Writes `ds` as a DICOM file at `path` (see `write` for the options), as pydicom's
 * `save_as`: the bytes go to a temporary file beside it (`writeAtomicSync`), renamed over
 * `path` once complete, so a reader never sees a half-written file and a failure leaves no
 * file behind. The folder must exist.
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
  const target = path instanceof URL ? fileURLToPath(path) : path;
  writeAtomicSync(target, write(ds, options), { mkdir: false });
}

installSaver(saveAs);
