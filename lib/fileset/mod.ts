/**
 * File-sets (PS3.10): read a DICOMDIR, walk its records, find instances, scan a plain
 * folder, write a new DICOMDIR; index an archive compactly (`fileSetIndex`).
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileSet } from "./mod.ts";
 * const fs = new FileSet({ root: "/data", uid: "1.2.3", children: [], instances: [], warnings: [] });
 * assert.equal(fs.length, 0);
 * assert.equal(String(fs).split("\n")[3], "  File-set UID: 1.2.3");
 * ```
 *
 * @module
 */

export {
  FileSet,
  fileSet,
  type FileSetInit,
  type FileSetOptions,
  type FileSetQuery,
  type FindOptions,
} from "./file_set.ts";
export { type FileSetIndex, fileSetIndex, type FileSetIndexOptions } from "./file_set_index.ts";
export { RecordNode } from "./record_node.ts";
export { FileInstance } from "./file_instance.ts";
export {
  type DicomdirInstance,
  writeDicomdir,
  type WriteDicomdirOptions,
} from "./dicomdir_write.ts";
export { recordAttributes } from "./record_attributes.ts";
