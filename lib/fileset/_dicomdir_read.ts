/**
 * Reading a DICOMDIR into the parts of a `FileSet`: records, tree, instances, orphans
 * and notes.
 *
 * @module
 */

import { InvalidFileError, MalformedError } from "../core/errors.ts";
import { transferSyntax } from "../core/transfer_syntax.ts";
import type { Dataset } from "../dataset/dataset.ts";
import { read } from "../io/read.ts";
import { isFile, leavesRoot, locate, withPath } from "./_paths.ts";
import {
  FILE_ID,
  itemOffset,
  MEDIA_STORAGE_DIRECTORY,
  RECORD_SEQUENCE,
  recordsFor,
} from "./_records.ts";
import {
  attach,
  fileIdOf,
  insertBranch,
  linkByOffsets,
  linkByOrder,
  makeUid,
  prune,
} from "./_tree.ts";
import { text } from "./_values.ts";
import { FileInstance } from "./file_instance.ts";
import type { FileSetInit } from "./file_set.ts";
import { RecordNode } from "./record_node.ts";
import { dirname } from "node:path";

/** Where the dataset starts in the file: after the preamble, `DICM` and the file meta. */
function metaEnd(ds: Dataset): number {
  let end = ds.preamble ? 132 : 4;
  for (const el of ds.fileMeta ?? []) {
    if (el.source) end = Math.max(end, el.source.offset + el.source.bytes.length);
  }
  return end;
}

/**
 * Reads a DICOMDIR into the parts of a file-set: the record tree from the offsets (or,
 * when they are broken and not `strict`, from the records' order), orphans placed by
 * reading their files, and notes on what was repaired.
 */
export function loadDicomdir(file: string, strict: boolean): FileSetInit {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(file);
  } catch (e) {
    throw new InvalidFileError(`cannot read DICOMDIR ${file}: ${(e as Error).message}`);
  }
  let ds: Dataset;
  try {
    ds = read(bytes);
  } catch (e) {
    throw withPath(e, file);
  }
  const sopClass = ds.fileMeta?.get(0x00020002);
  if (
    sopClass !== MEDIA_STORAGE_DIRECTORY && !(sopClass === undefined && ds.has(RECORD_SEQUENCE))
  ) {
    throw new InvalidFileError(
      `not a DICOMDIR: ${file} has SOP class ${
        sopClass === undefined ? "(none)" : String(sopClass)
      } and no Directory Record Sequence`,
    );
  }
  const root = dirname(file);
  const warnings: string[] = [...ds.warnings.map((w) => `DICOMDIR: ${w}`)];
  const recordSequence = ds.element(RECORD_SEQUENCE);
  if (recordSequence && !recordSequence.items) {
    throw withPath(
      new MalformedError(
        `the Directory Record Sequence is not a sequence (VR ${recordSequence.vr})`,
        { tag: RECORD_SEQUENCE, offset: recordSequence.source?.offset },
      ),
      file,
    );
  }
  const items = (recordSequence?.items ?? []) as Dataset[];
  const deflated = transferSyntax(ds.transferSyntaxUID ?? "")?.deflated === true;
  let nodes = items.map((item) =>
    new RecordNode(item, itemOffset(item, deflated ? undefined : bytes))
  );
  let top: RecordNode[] = [];
  let broken = linkByOffsets(ds, nodes, top);
  if (broken && deflated) {
    // Offsets in a deflated DICOMDIR may count from the start of the inflated dataset
    // (as read here) or from the start of the file: try the latter too
    const shift = metaEnd(ds);
    const shifted = items.map((item, i) =>
      new RecordNode(item, nodes[i].offset === undefined ? undefined : nodes[i].offset! + shift)
    );
    const shiftedTop: RecordNode[] = [];
    if (!linkByOffsets(ds, shifted, shiftedTop)) {
      nodes = shifted;
      top = shiftedTop;
      broken = undefined;
    }
  }
  if (broken) {
    if (strict) throw new MalformedError(`broken DICOMDIR ${file}: ${broken}`);
    warnings.push(`broken record offsets: ${broken}; records placed by their order instead`);
    for (const n of nodes) {
      n.parent = undefined;
      n.children.length = 0;
    }
    top = [];
    linkByOrder(nodes, top);
  }
  prune(top);
  const instances: FileInstance[] = [];
  for (const first of top) {
    for (const node of first) {
      const id = fileIdOf(node.record);
      if (id === undefined) continue;
      node.instance = new FileInstance(node, id, locate(root, id));
      instances.push(node.instance);
    }
  }
  if (!broken) {
    // Orphans: records the offsets never reach
    const linked = new Set<RecordNode>();
    for (const n of nodes) if (n.parent || top.includes(n)) linked.add(n);
    const orphans = nodes.filter((n) => !linked.has(n) && n.record.has(FILE_ID));
    orphans.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
    for (const orphan of orphans) {
      const inst = placeOrphan(orphan, root, top, instances, warnings);
      if (inst) instances.push(inst);
    }
  }
  for (const inst of instances) {
    const at = inst.node.offset === undefined ? "" : ` (record at byte ${inst.node.offset})`;
    if (inst.fileId.length === 0) warnings.push(`empty Referenced File ID${at}`);
    else if (leavesRoot(inst.fileId)) {
      warnings.push(
        `Referenced File ID ${inst.fileId.join("\\")} leaves the file-set root: not read${at}`,
      );
    } else if (!isFile(inst.path)) warnings.push(`missing file ${inst.path}${at}`);
  }
  const uid = text(ds.fileMeta?.get(0x00020003)) || makeUid();
  return {
    root,
    dicomdir: ds,
    dicomdirPath: file,
    uid,
    children: top,
    instances,
    warnings,
  };
}

/** An orphaned record with a file: placed by reading the file, as pydicom's `add`. */
function placeOrphan(
  orphan: RecordNode,
  root: string,
  top: RecordNode[],
  instances: FileInstance[],
  warnings: string[],
): FileInstance | undefined {
  const id = fileIdOf(orphan.record) ?? [];
  if (id.length === 0) return undefined;
  const path = locate(root, id);
  const at = `orphaned ${orphan.recordType} record at byte ${orphan.offset}`;
  let ds: Dataset;
  try {
    ds = read(path, { stopBeforePixels: true });
  } catch (e) {
    warnings.push(`${at}: ${(e as Error).message}; kept as a top-level record`);
    attach(orphan, undefined, top);
    orphan.instance = new FileInstance(orphan, id, path, true);
    return orphan.instance;
  }
  const sop = text(ds.get("SOPInstanceUID"));
  if (sop && instances.some((i) => i.SOPInstanceUID === sop)) {
    warnings.push(`${at}: instance ${sop} is already in the file-set`);
    return undefined;
  }
  const leaf = insertBranch(recordsFor(ds, id, ds.transferSyntaxUID, []), top);
  leaf.instance = new FileInstance(leaf, id, path, true);
  warnings.push(`${at}: placed by reading ${path}`);
  return leaf.instance;
}
