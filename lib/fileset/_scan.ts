/**
 * Scanning a folder of DICOM files into records, as pydicom's `FileSet.add` makes them:
 * the files streamed one folder at a time, each read up to its pixel data.
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

/**
 * The files under `dir`, each folder's entries sorted by name with its subfolders in
 * place, streamed: only the entries of the folders on the way are held.
 */
function* walkFiles(dir: string, recursive: boolean): Generator<string> {
  const entries = [...Deno.readDirSync(dir)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory) {
      if (recursive) yield* walkFiles(p, recursive);
    } else if (e.isFile) yield p;
  }
}

/**
 * True when `ds` is an instance to take: not a DICOMDIR, with a SOP Instance UID not seen
 * before (added to `seen`); otherwise false, with a note in `warnings`.
 */
function admit(ds: Dataset, rel: string, seen: Set<string>, warnings: string[]): boolean {
  const sopClass = text(ds.get("SOPClassUID")) ?? text(ds.fileMeta?.get(0x00020002));
  if (sopClass === MEDIA_STORAGE_DIRECTORY || ds.has(RECORD_SEQUENCE)) {
    // The folder's own DICOMDIR is no instance; a nested one is worth a note
    if (rel.toUpperCase() !== "DICOMDIR") warnings.push(`skipped ${rel}: a DICOMDIR`);
    return false;
  }
  const sop = text(ds.get("SOPInstanceUID"));
  if (!sop) {
    warnings.push(`skipped ${rel}: no SOP Instance UID`);
    return false;
  }
  if (seen.has(sop)) {
    warnings.push(`skipped ${rel}: SOP Instance UID ${sop} seen before`);
    return false;
  }
  seen.add(sop);
  return true;
}

/** One instance file of a scanned folder and the records made from it. */
export interface ScannedFile {
  /** The file's path. */
  file: string;
  /** The path relative to the folder. */
  rel: string;
  /** The File ID: `rel`'s components. */
  id: string[];
  /** Its records, highest first (PATIENT, STUDY, SERIES, leaf; or one single-level). */
  records: Dataset[];
}

/**
 * The instance files of a folder in file order, with their records, one at a time (the
 * datasets read are let go as the scan goes on). Files that are not DICOM, DICOMDIRs,
 * files without a SOP Instance UID and repeated SOP Instance UIDs are skipped with a
 * note in `warnings`.
 */
export function* scanFiles(
  folder: string,
  options: { recursive?: boolean; notes?: string[]; warnings: string[] },
): Generator<ScannedFile> {
  const { warnings } = options;
  const seen = new Set<string>();
  for (const file of walkFiles(folder, options.recursive ?? true)) {
    const rel = relative(folder, file);
    let ds: Dataset;
    try {
      ds = read(file, { stopBeforePixels: true });
    } catch (e) {
      warnings.push(`skipped ${rel}: ${(e as Error).message}`);
      continue;
    }
    if (!admit(ds, rel, seen, warnings)) continue;
    const id = rel.split(sep);
    const notes: string[] = [];
    const records = recordsFor(ds, id, ds.transferSyntaxUID, notes);
    options.notes?.push(...notes.map((n) => `${rel}: ${n}`));
    yield { file, rel, id, records };
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
  const top: RecordNode[] = [];
  const warnings: string[] = [];
  for (const { file, id, records } of scanFiles(folder, { ...options, warnings })) {
    const leaf = insertBranch(records, top);
    leaf.instance = new FileInstance(leaf, id, file);
  }
  // Instances in record order
  const ordered: FileInstance[] = [];
  for (const first of top) for (const n of first) if (n.instance) ordered.push(n.instance);
  return { top, instances: ordered, warnings };
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
  const top: RecordNode[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const order = [...entries].sort((a, b) => compareIds(a.fileId, b.fileId));
  for (const e of order) {
    const id = [...e.fileId];
    const rel = id.join(sep);
    if (!admit(e.dataset, rel, seen, warnings)) continue;
    const notes: string[] = [];
    const ts = e.transferSyntax ?? e.dataset.transferSyntaxUID;
    const leaf = insertBranch(recordsFor(e.dataset, id, ts, notes), top);
    options.notes?.push(...notes.map((n) => `${rel}: ${n}`));
    leaf.instance = new FileInstance(leaf, id, join(folder, ...id));
  }
  const ordered: FileInstance[] = [];
  for (const first of top) for (const n of first) if (n.instance) ordered.push(n.instance);
  return { top, instances: ordered, warnings };
}

/** Path components compared as the folder walk lists them: name by name. */
function compareIds(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
