/**
 * Files and bytes: `read` (and `parse` of bytes) gives a `Dataset`, `write` gives the
 * bytes of a DICOM file, `saveAs` writes one atomically (and makes `ds.saveAs(path)` work).
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { read, write } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientID", "12345");
 * assert.equal(read(write(ds)).PatientID, "12345");
 * ```
 *
 * @module
 */

export { parse, read, type ReadOptions } from "./read.ts";
export { saveAs } from "./save.ts";
export { IMPLEMENTATION_CLASS_UID, write, type WriteOptions } from "./write.ts";
export {
  exists,
  partialName,
  writeAtomic,
  type WriteAtomicOptions,
  writeAtomicSync,
} from "./files.ts";
