/**
 * `writeDicomdir`: makes a folder of DICOM files a File-set by writing its DICOMDIR,
 * as pydicom's `FileSet.write` does: PATIENT/STUDY/SERIES/IMAGE records (or the leaf
 * type the SOP class calls for) with the keys PS3.3 Annex F requires, Referenced File
 * IDs as path components, and the record offsets.
 *
 * @module
 */

import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from "../core/transfer_syntax.ts";
import { dirname, join, sep } from "node:path";
import { Dataset } from "../dataset/dataset.ts";
import { writeDirectory } from "../io/write.ts";
import { writeAtomicSync } from "../io/files.ts";
import { absolutePath } from "../io/absolute_path.ts";
import { ValueError } from "../core/errors.ts";
import {
  componentName,
  FILE_ID,
  FIRST_OFFSET,
  isConformantFileId,
  LAST_OFFSET,
  LOWER_OFFSET,
  MEDIA_STORAGE_DIRECTORY,
  NEXT_OFFSET,
  RECORD_SEQUENCE,
} from "./_records.ts";
import { FileSet } from "./file_set.ts";
import { FileInstance } from "./file_instance.ts";
import { RecordNode } from "./record_node.ts";
import { scanDatasets, scanFolder } from "./_scan.ts";
import { fileIdOf } from "./_tree.ts";

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

/**
 * The DICOMDIR's bytes, encoded once: the writer says where each record's item starts
 * and where each offset value lies, and those values (zero when written) are patched in
 * the bytes and set in the records.
 */
function encode(
  ds: Dataset,
  transferSyntax: string,
  nodes: RecordNode[],
): { bytes: Uint8Array; starts: Map<Dataset, number>; meta: Dataset } {
  for (const node of nodes) {
    node.record.set(NEXT_OFFSET, 0, { vr: "UL", validation: "ignore" });
    node.record.set(LOWER_OFFSET, 0, { vr: "UL", validation: "ignore" });
  }
  const { bytes, starts, values, littleEndian, meta } = writeDirectory(ds, transferSyntax);
  const startOf = (node: RecordNode | undefined): number => {
    if (!node) return 0;
    const at = starts.get(node.record);
    if (at === undefined) throw new ValueError(`DICOMDIR encoding lost a record`);
    return at;
  };
  const top = nodes.filter((n) => !n.parent);
  const links = new Map<Dataset, Map<number, number>>();
  for (const siblings of [top, ...nodes.map((n) => n.children)]) {
    siblings.forEach((node, i) => {
      links.set(
        node.record,
        new Map([[NEXT_OFFSET, startOf(siblings[i + 1])], [
          LOWER_OFFSET,
          startOf(node.children[0]),
        ]]),
      );
    });
  }
  links.set(
    ds,
    new Map([[FIRST_OFFSET, startOf(top[0])], [LAST_OFFSET, startOf(top[top.length - 1])]]),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let patched = 0;
  for (const { at, owner, tag } of values) {
    const value = links.get(owner)?.get(tag);
    if (value === undefined) continue;
    view.setUint32(at, value, littleEndian);
    owner.set(tag, value, { vr: "UL", validation: "ignore" });
    patched++;
  }
  if (patched !== nodes.length * 2 + 2) {
    throw new ValueError(`DICOMDIR offsets: ${patched} of ${nodes.length * 2 + 2} written`);
  }
  return { bytes, starts, meta };
}

/**
 * The tree as reading the DICOMDIR back gives it: the same records, each node with its
 * item's offset, the instances in record order.
 */
function placed(
  root: string,
  top: readonly RecordNode[],
  starts: ReadonlyMap<Dataset, number>,
): { children: RecordNode[]; instances: FileInstance[] } {
  const instances: FileInstance[] = [];
  const copy = (node: RecordNode, parent?: RecordNode): RecordNode => {
    const here = new RecordNode(node.record, starts.get(node.record));
    here.parent = parent;
    if (node.instance) {
      // the File ID as written (the standard layout renamed the files)
      const fileId = fileIdOf(node.record) ?? [...node.instance.fileId];
      here.instance = new FileInstance(here, fileId, join(root, ...fileId));
      instances.push(here.instance);
    }
    for (const child of node.children) here.children.push(copy(child, here));
    return here;
  };
  return { children: top.map((n) => copy(n)), instances };
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
 * File-set as reading it back gives it (made from the records in memory, not read).
 * Every DICOM file below the folder becomes an instance under PATIENT/STUDY/SERIES
 * records made from its attributes; other files are skipped. `fs.warnings` lists skipped files and Type 1 record attributes the files
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
  const root = absolutePath(folder);
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
  const { bytes, starts, meta: written } = encode(ds, transferSyntax, nodes);
  const name = existingDicomdir(root) ?? "DICOMDIR";
  const target = join(root, name);
  writeAtomicSync(target, bytes, { mkdir: false });
  ds.fileMeta = written;
  ds.encoding = {
    implicitVR: transferSyntax === IMPLICIT_VR_LITTLE_ENDIAN,
    littleEndian: transferSyntax !== EXPLICIT_VR_BIG_ENDIAN,
  };
  return new FileSet({
    root,
    dicomdir: ds,
    dicomdirPath: target,
    uid,
    ...placed(root, scan.top, starts),
    warnings: [...scan.warnings, ...notes],
  });
}
