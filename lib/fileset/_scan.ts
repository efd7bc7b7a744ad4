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

/** What a scan has made so far. */
interface Scan {
  top: RecordNode[];
  warnings: string[];
  seen: Set<string>;
  notes?: string[];
}

/**
 * Adds one instance's records to a scan, or a note why not: a DICOMDIR, no SOP Instance
 * UID, a SOP Instance UID seen before.
 */
function addInstance(
  scan: Scan,
  ds: Dataset,
  id: string[],
  file: string,
  transferSyntax: string | undefined,
): void {
  const rel = id.join(sep);
  const sopClass = text(ds.get("SOPClassUID")) ?? text(ds.fileMeta?.get(0x00020002));
  if (sopClass === MEDIA_STORAGE_DIRECTORY || ds.has(RECORD_SEQUENCE)) {
    // The folder's own DICOMDIR is no instance; a nested one is worth a note
    if (rel.toUpperCase() !== "DICOMDIR") scan.warnings.push(`skipped ${rel}: a DICOMDIR`);
    return;
  }
  const sop = text(ds.get("SOPInstanceUID"));
  if (!sop) {
    scan.warnings.push(`skipped ${rel}: no SOP Instance UID`);
    return;
  }
  if (scan.seen.has(sop)) {
    scan.warnings.push(`skipped ${rel}: SOP Instance UID ${sop} seen before`);
    return;
  }
  scan.seen.add(sop);
  const notes: string[] = [];
  const leaf = insertBranch(recordsFor(ds, id, transferSyntax, notes), scan.top);
  scan.notes?.push(...notes.map((n) => `${rel}: ${n}`));
  leaf.instance = new FileInstance(leaf, id, file);
}

function finish(scan: Scan): { top: RecordNode[]; instances: FileInstance[]; warnings: string[] } {
  // Instances in record order
  const ordered: FileInstance[] = [];
  for (const first of scan.top) for (const n of first) if (n.instance) ordered.push(n.instance);
  return { top: scan.top, instances: ordered, warnings: scan.warnings };
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
  const scan: Scan = { top: [], warnings: [], seen: new Set(), notes: options.notes };
  for (const file of files) {
    const rel = relative(folder, file);
    let ds: Dataset;
    try {
      ds = read(file, { stopBeforePixels: true });
    } catch (e) {
      scan.warnings.push(`skipped ${rel}: ${(e as Error).message}`);
      continue;
    }
    addInstance(scan, ds, rel.split(sep), file, ds.transferSyntaxUID);
  }
  return finish(scan);
}

/**
 * What {@linkcode scanFolder} gives for a folder whose files' datasets are already in
 * memory (or the attributes their records take): the files are not read. Instances
 * are taken in the order a scan lists their files (by name, folder by folder).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { read } from "../io/mod.ts";
 * import { scanDatasets } from "./_scan.ts";
 * const ds = read("fixtures/ct_phantom/IM000001");
 * const { instances } = scanDatasets("/nowhere", [{ fileId: ["IM1"], dataset: ds }]);
 * assert.equal(instances[0].path, "/nowhere/IM1");
 * assert.equal(instances[0].PatientID, "PHANTOM01");
 * ```
 */
export function scanDatasets(
  folder: string,
  entries: readonly { fileId: readonly string[]; dataset: Dataset; transferSyntax?: string }[],
  options: { notes?: string[] } = {},
): { top: RecordNode[]; instances: FileInstance[]; warnings: string[] } {
  const scan: Scan = { top: [], warnings: [], seen: new Set(), notes: options.notes };
  const order = [...entries].sort((a, b) => compareIds(a.fileId, b.fileId));
  for (const e of order) {
    const id = [...e.fileId];
    addInstance(
      scan,
      e.dataset,
      id,
      join(folder, ...id),
      e.transferSyntax ?? e.dataset.transferSyntaxUID,
    );
  }
  return finish(scan);
}

/** Path components compared as `listFiles` walks them: name by name. */
function compareIds(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
