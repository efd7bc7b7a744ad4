/**
 * File-sets (PS3.10): read a DICOMDIR, walk its records, find instances, scan a plain
 * folder, write a new DICOMDIR.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileSet } from "./mod.ts";
 * assert.equal(typeof FileSet, "function");
 * ```
 *
 * @module
 */

export {
  FileInstance,
  FileSet,
  fileSet,
  type FileSetInit,
  type FileSetOptions,
  type FileSetQuery,
  type FindOptions,
  RecordNode,
} from "./file_set.ts";
export { writeDicomdir, type WriteDicomdirOptions } from "./dicomdir_write.ts";
