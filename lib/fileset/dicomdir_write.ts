/**
 * `writeDicomdir`: makes a folder of DICOM files a File-set by writing its DICOMDIR,
 * as pydicom's `FileSet.write` does: PATIENT/STUDY/SERIES/IMAGE records (or the leaf
 * type the SOP class calls for) with the keys PS3.3 Annex F requires, Referenced File
 * IDs as path components, and the record offsets.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from "../core/transfer_syntax.ts";
import { dirname, join, resolve, sep } from "node:path";
import { Dataset } from "../dataset/dataset.ts";
import { read } from "../io/read.ts";
import { write } from "../io/write.ts";
import { writeAtomicSync } from "../io/files.ts";
import { ValueError } from "../core/errors.ts";
import {
  componentName,
  FILE_ID,
  FIRST_OFFSET,
  isConformantFileId,
  itemOffset,
  LAST_OFFSET,
  LOWER_OFFSET,
  MEDIA_STORAGE_DIRECTORY,
  NEXT_OFFSET,
  RECORD_SEQUENCE,
} from "./_records.ts";
import { FileSet, fileSet } from "./file_set.ts";
import type { FileInstance } from "./file_instance.ts";
import type { RecordNode } from "./record_node.ts";
import { scanDatasets, scanFolder } from "./_scan.ts";

/** An instance of the folder whose dataset is in memory (see `WriteDicomdirOptions`). */
export interface DicomdirInstance {
  /** Its path relative to the folder, as components (`["PT000000", "ST000000", ...]`). */
  fileId: readonly string[];
  /**
   * Its dataset as written to the file, or just the attributes its records take
   * (`recordAttributes`).
   */
  dataset: Dataset;
  /**
   * The file's transfer syntax.
   *
   * @default {the dataset's `transferSyntaxUID`}
   */
  transferSyntax?: string;
}

/** Options for {@linkcode writeDicomdir}. */
export interface WriteDicomdirOptions {
  /**
   * (0004,1130) File-set ID: up to 16 characters A-Z, 0-9, space and _.
   *
   * @default {""}
   */
  fileSetId?: string;
  /**
   * The File-set UID.
   *
   * @default {a new `2.25.` UID}
   */
  fileSetUid?: string;
  /**
   * Where the files go:
   * - `"keep"`: the DICOMDIR references each file where it is. Every path
   *   relative to the folder must be a conformant File ID (PS3.10 8.5: up to 8
   *   components of 1-8 characters from A-Z, 0-9 and _), else a `ValueError` lists
   *   the ones that are not.
   * - `"standard"`: the files are moved (renamed) into pydicom's layout,
   *   `PT000000/ST000000/SE000000/IM000000`, before the DICOMDIR is written; other
   *   files stay where they are, and folders the moves emptied are removed.
   *
   * @default {"keep"}
   */
  layout?: "keep" | "standard";
  /**
   * The DICOMDIR's transfer syntax: Explicit VR Little Endian (the default and the
   * only conformant one), or Implicit VR Little Endian / Explicit VR Big Endian, which
   * some old media use and readers must cope with.
   *
   * @default {EXPLICIT_VR_LITTLE_ENDIAN}
   */
  transferSyntax?: string;
  /**
   * Also take the files of subfolders.
   *
   * @default {true}
   */
  recursive?: boolean;
  /**
   * The folder's instances, when their datasets are in memory (a job that has just
   * written them): the records are made from these and the files are not read (a scan
   * reads every file's header). They are taken in the order a scan would list their
   * files, and must be every instance of the folder that belongs in the DICOMDIR.
   *
   * @default {undefined} (the folder is scanned)
   */
  instances?: readonly DicomdirInstance[];
}

function preorder(top: readonly RecordNode[]): RecordNode[] {
  const out: RecordNode[] = [];
  for (const first of top) for (const n of first) out.push(n);
  return out;
}

function moveToStandardLayout(folder: string, top: readonly RecordNode[], count: number): void {
  const alphanumeric = count > 1_000_000;
  const moves: { from: string; to: string[]; instance: FileInstance }[] = [];
  for (const node of preorder(top)) {
    if (!node.instance) continue;
    const chain = [...node.ancestors.reverse(), node];
    const id = chain.map((n) => {
      const siblings = n.parent ? n.parent.children : top;
      return componentName(n.recordType, siblings.indexOf(n), alphanumeric);
    });
    moves.push({ from: node.instance.path, to: id, instance: node.instance });
  }
  // Two steps, so that no file overwrites another still to be moved
  const staging = join(folder, `.dicomdir_staging_${crypto.randomUUID().slice(0, 8)}`);
  Deno.mkdirSync(staging);
  moves.forEach((m, i) => Deno.renameSync(m.from, join(staging, String(i))));
  moves.forEach((m, i) => {
    const dest = join(folder, ...m.to);
    Deno.mkdirSync(dirname(dest), { recursive: true });
    Deno.renameSync(join(staging, String(i)), dest);
    const record = m.instance.record;
    record.set(FILE_ID, m.to.length === 1 ? m.to[0] : m.to, { vr: "CS", validation: "ignore" });
  });
  Deno.removeSync(staging);
  // Remove the folders the moves emptied (a folder still holding anything stays)
  for (const m of moves) {
    for (let dir = dirname(m.from); dir.startsWith(folder + sep); dir = dirname(dir)) {
      try {
        Deno.removeSync(dir);
      } catch {
        break;
      }
    }
  }
}

function encode(ds: Dataset, transferSyntax: string, nodes: RecordNode[]): Uint8Array {
  const first = write(ds, { transferSyntax });
  const items = (read(first).get(RECORD_SEQUENCE) ?? []) as Dataset[];
  if (items.length !== nodes.length) {
    throw new ValueError(`DICOMDIR encoding lost records: ${items.length} of ${nodes.length}`);
  }
  const offsets = new Map<RecordNode, number>();
  items.forEach((item, i) => {
    const off = itemOffset(item, first);
    if (off === undefined) throw new ValueError(`DICOMDIR record ${i} was written empty`);
    offsets.set(nodes[i], off);
  });
  const top = nodes.filter((n) => !n.parent);
  for (const node of nodes) {
    const siblings = node.parent ? node.parent.children : top;
    const next = siblings[siblings.indexOf(node) + 1];
    node.record.set(NEXT_OFFSET, next ? offsets.get(next)! : 0, { vr: "UL", validation: "ignore" });
    node.record.set(LOWER_OFFSET, node.children.length ? offsets.get(node.children[0])! : 0, {
      vr: "UL",
      validation: "ignore",
    });
  }
  ds.set(FIRST_OFFSET, top.length ? offsets.get(top[0])! : 0, { vr: "UL", validation: "ignore" });
  ds.set(LAST_OFFSET, top.length ? offsets.get(top[top.length - 1])! : 0, {
    vr: "UL",
    validation: "ignore",
  });
  const bytes = write(ds, { transferSyntax });
  if (bytes.length !== first.length) {
    throw new ValueError(`DICOMDIR size changed when its offsets were set`);
  }
  return bytes;
}

function makeUid(): string {
  const hex = crypto.randomUUID().replaceAll("-", "");
  return `2.25.${BigInt("0x" + hex).toString()}`;
}

function existingDicomdir(folder: string): string | undefined {
  for (const e of Deno.readDirSync(folder)) {
    if (e.isFile && e.name.toUpperCase() === "DICOMDIR") return e.name;
  }
  return undefined;
}

/**
 * Writes `DICOMDIR` in a folder of DICOM files (replacing any there) and returns the
 * File-set read back from it. Every DICOM file below the folder becomes an instance
 * under PATIENT/STUDY/SERIES records made from its attributes; other files are
 * skipped. `fs.warnings` lists skipped files and Type 1 record attributes the files
 * lack (written empty).
 *
 * File IDs must conform to PS3.10 (see `layout`): with the default `"keep"` layout a
 * folder with names such as `IM0001.dcm` throws a `ValueError`; `{ layout: "standard" }`
 * renames the files to `PT000000/ST000000/SE000000/IM000000` first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { write } from "../io/mod.ts";
 * import { fileSet, writeDicomdir } from "./mod.ts";
 * const folder = Deno.makeTempDirSync();
 * Deno.writeFileSync(`${folder}/IM000001`, write(makeCtSlice(0, { size: 64 })));
 * const fs = writeDicomdir(folder, { fileSetId: "MY_CD" });
 * assert.equal(fs.length, 1);
 * assert.equal(fs.id, "MY_CD");
 * assert.deepEqual(fileSet(`${folder}/DICOMDIR`).instances[0].fileId, ["IM000001"]);
 * assert.deepEqual(fs.warnings, []);
 * Deno.removeSync(folder, { recursive: true });
 * ```
 */
export function writeDicomdir(folder: string | URL, options: WriteDicomdirOptions = {}): FileSet {
  const root = resolve(folder instanceof URL ? fileURLToPath(folder) : folder);
  const transferSyntax = options.transferSyntax ?? EXPLICIT_VR_LITTLE_ENDIAN;
  if (
    ![EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN].includes(
      transferSyntax,
    )
  ) {
    throw new ValueError(
      `a DICOMDIR cannot be written as ${transferSyntax}: use explicit or implicit VR`,
    );
  }
  const id = options.fileSetId ?? "";
  if (id.length > 16 || !/^[A-Z0-9_ ]*$/.test(id)) {
    throw new ValueError(`invalid File-set ID "${id}": up to 16 characters A-Z, 0-9, _ and space`);
  }
  const notes: string[] = [];
  const scan = options.instances
    ? scanDatasets(root, options.instances, { notes })
    : scanFolder(root, { recursive: options.recursive, notes });
  const layout = options.layout ?? "keep";
  if (layout === "standard") {
    moveToStandardLayout(root, scan.top, scan.instances.length);
  } else {
    const bad = scan.instances.filter((i) => !isConformantFileId(i.fileId));
    if (bad.length) {
      const shown = bad.slice(0, 5).map((i) => i.fileId.join("/")).join(", ");
      throw new ValueError(
        `${bad.length} file name${bad.length > 1 ? "s" : ""} in ${root} ${
          bad.length > 1 ? "are not conformant File IDs" : "is not a conformant File ID"
        } (PS3.10 8.5: up to 8 components of 1-8 characters A-Z, 0-9 and _): ${shown}${
          bad.length > 5 ? ", ..." : ""
        }; rename them or pass { layout: "standard" }`,
      );
    }
  }
  const nodes = preorder(scan.top);
  const uid = options.fileSetUid ?? makeUid();
  const ds = new Dataset();
  const meta = new Dataset();
  meta.set(0x00020002, MEDIA_STORAGE_DIRECTORY, { vr: "UI", validation: "ignore" });
  meta.set(0x00020003, uid, { vr: "UI", validation: "ignore" });
  ds.fileMeta = meta;
  ds.set(0x00041130, id, { vr: "CS", validation: "ignore" });
  ds.set(FIRST_OFFSET, 0, { vr: "UL", validation: "ignore" });
  ds.set(LAST_OFFSET, 0, { vr: "UL", validation: "ignore" });
  ds.set(0x00041212, 0, { vr: "US", validation: "ignore" });
  ds.set(RECORD_SEQUENCE, nodes.map((n) => n.record), { vr: "SQ", validation: "ignore" });
  const bytes = encode(ds, transferSyntax, nodes);
  const name = existingDicomdir(root) ?? "DICOMDIR";
  const target = join(root, name);
  writeAtomicSync(target, bytes, { mkdir: false });
  const fs = fileSet(target);
  return new FileSet({
    root: fs.root,
    dicomdir: fs.dicomdir,
    dicomdirPath: fs.dicomdirPath,
    uid: fs.uid,
    children: [...fs.children],
    instances: [...fs.instances],
    warnings: [...scan.warnings, ...notes, ...fs.warnings],
  });
}
