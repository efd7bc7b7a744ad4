/**
 * Scanning a folder of DICOM files into records, as pydicom's `FileSet.add` makes them.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import { read } from "../io/read.ts";
import { MEDIA_STORAGE_DIRECTORY, RECORD_SEQUENCE, recordsFor } from "./_records.ts";
import { insertBranch } from "./_tree.ts";
import { text } from "./_values.ts";
import { FileInstance } from "./file_instance.ts";
import type { RecordNode } from "./record_node.ts";
import { join, relative, sep } from "node:path";

function listFiles(dir: string, recursive: boolean, out: string[]): void {
  const entries = [...Deno.readDirSync(dir)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory) {
      if (recursive) listFiles(p, recursive, out);
    } else if (e.isFile) out.push(p);
  }
}

/**
 * The instances of a folder of DICOM files, as records made from each file (what
 * pydicom's `FileSet.add` makes): used by {@linkcode fileSet} and `writeDicomdir`.
 * Files that are not DICOM, DICOMDIRs, files without a SOP Instance UID and repeated
 * SOP Instance UIDs are skipped with a note. Not re-exported by `mod.ts`: use `fileSet`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanFolder } from "./_scan.ts";
 * const { instances, warnings } = scanFolder("fixtures/ct_phantom");
 * assert.equal(instances.length, 12);
 * assert.deepEqual(warnings, []);
 * ```
 */
export function scanFolder(
  folder: string,
  options: { recursive?: boolean; notes?: string[] } = {},
): { top: RecordNode[]; instances: FileInstance[]; warnings: string[] } {
  const files: string[] = [];
  listFiles(folder, options.recursive ?? true, files);
  const top: RecordNode[] = [];
  const instances: FileInstance[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const rel = relative(folder, file);
    let ds: Dataset;
    try {
      ds = read(file, { stopBeforePixels: true });
    } catch (e) {
      warnings.push(`skipped ${rel}: ${(e as Error).message}`);
      continue;
    }
    const sopClass = text(ds.get("SOPClassUID")) ?? text(ds.fileMeta?.get(0x00020002));
    if (sopClass === MEDIA_STORAGE_DIRECTORY || ds.has(RECORD_SEQUENCE)) {
      // The folder's own DICOMDIR is no instance; a nested one is worth a note
      if (rel.toUpperCase() !== "DICOMDIR") warnings.push(`skipped ${rel}: a DICOMDIR`);
      continue;
    }
    const sop = text(ds.get("SOPInstanceUID"));
    if (!sop) {
      warnings.push(`skipped ${rel}: no SOP Instance UID`);
      continue;
    }
    if (seen.has(sop)) {
      warnings.push(`skipped ${rel}: SOP Instance UID ${sop} seen before`);
      continue;
    }
    seen.add(sop);
    const id = rel.split(sep);
    const notes: string[] = [];
    const leaf = insertBranch(recordsFor(ds, id, ds.transferSyntaxUID, notes), top);
    options.notes?.push(...notes.map((n) => `${rel}: ${n}`));
    leaf.instance = new FileInstance(leaf, id, file);
    instances.push(leaf.instance);
  }
  // Instances in record order
  const ordered: FileInstance[] = [];
  for (const first of top) for (const n of first) if (n.instance) ordered.push(n.instance);
  return { top, instances: ordered, warnings };
}
