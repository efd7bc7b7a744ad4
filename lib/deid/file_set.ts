/**
 * `deidentifyFileSet`: a whole DICOM file-set (a DICOMDIR, or a folder of files)
 * de-identified into a new one, with names that carry nothing of the input, a new
 * DICOMDIR and a report.
 *
 * @module
 */

import { dirname, join, relative, resolve, sep } from "node:path";
import { fileSet } from "../fileset/file_set.ts";
import type { RecordNode } from "../fileset/file_set.ts";
import { writeDicomdir } from "../fileset/dicomdir_write.ts";
import { read } from "../io/read.ts";
import { write } from "../io/write.ts";
import { DicomError, RefusedError, ValueError } from "../core/errors.ts";
import { transferSyntax } from "../core/transfer_syntax.ts";
import type { Dataset } from "../dataset/dataset.ts";
import { deidentificationCodes, deidentify, type DeidentifyOptions } from "./deidentify.ts";
import { PROFILE_OPTIONS } from "./profile.ts";
import { Keyed, randomKey } from "./keyed.ts";

/** Options for {@linkcode deidentifyFileSet}. */
export interface DeidentifyFileSetOptions extends DeidentifyOptions {
  /** Called after each instance with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops after the instance being written when aborted (the output is then partial). */
  signal?: AbortSignal;
  /**
   * Say in the report that the key was made for this run only.
   *
   * @default false
   */
  randomKey?: boolean;
}

/** One instance that was not written. */
export interface DeidentifyProblem {
  /** 0-based position of the instance in the input's record order. */
  index: number;
  /** The input file (only in the returned report, never in the report file). */
  path: string;
  /** `refused` (burned-in text) or the error's class name. */
  kind: string;
  /** Why. */
  message: string;
}

/** What {@linkcode deidentifyFileSet} did. */
export interface DeidentifyReport {
  /** Instances in the input. */
  instances: number;
  /** Files written. */
  written: number;
  /** Instances refused (burned-in text without regions to blank). */
  refused: DeidentifyProblem[];
  /** Instances that failed (unreadable, missing, invalid). */
  failed: DeidentifyProblem[];
  /** The options used, by name. */
  options: string[];
  /** The CID 7050 codes recorded (Clean Pixel Data only when regions were given). */
  codes: { code: string; scheme: string; meaning: string }[];
  /** True when the run was stopped early. */
  interrupted: boolean;
  /** Wall time in seconds. */
  seconds: number;
  /** The output's DICOMDIR. */
  dicomdir: string;
  /** Notes of the input's file-set and of the new DICOMDIR. */
  warnings: string[];
}

/** The name of the report file written in the output folder. */
export const REPORT_NAME = "DEID_REPORT.json";

/**
 * The bytes of a de-identified dataset as parts to write one after the other: when the
 * native pixel data is the last element and kept as read, the writer encodes the rest
 * and the pixel bytes go out as they are (no copy of the largest value); the result is
 * byte for byte what `write` gives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { read, write } from "../io/mod.ts";
 * import { deidentify } from "./mod.ts";
 * import { encodeParts } from "./file_set.ts";
 * const ds = deidentify(read("fixtures/ct_small.dcm"), { key: "secret" });
 * const parts = encodeParts(ds);
 * assert.equal(parts.length, 3); // the dataset, the pixel data header, the pixels as read
 * const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
 * parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
 * assert.deepEqual(joined, write(ds, { transferSyntax: ds.transferSyntaxUID }));
 * ```
 */
export function encodeParts(ds: Dataset): Uint8Array[] {
  const ts = ds.transferSyntaxUID;
  const px = ds.element(0x7fe00010);
  const syntax = ts ? transferSyntax(ts) : undefined;
  const elements = ds.elements();
  const src = px?.source;
  if (
    px && src && elements[elements.length - 1] === px && !px.encapsulated && syntax &&
    !syntax.deflated && syntax.littleEndian && src.littleEndian &&
    (px.vr === "OB" || px.vr === "OW") && ArrayBuffer.isView(px.value) &&
    (px.value as Uint8Array).buffer === src.bytes.buffer &&
    (px.value as Uint8Array).byteOffset === src.bytes.byteOffset &&
    (px.value as Uint8Array).byteLength ===
      src.bytes.byteLength - (src.bytes.byteLength % (px.vr === "OW" ? 2 : 1))
  ) {
    ds.delete(0x7fe00010);
    let head: Uint8Array;
    try {
      head = write(ds, { transferSyntax: ts });
    } finally {
      ds.add(px);
    }
    const value = src.bytes;
    const length = value.length + (value.length % 2);
    const header = new Uint8Array(syntax.implicitVR ? 8 : 12);
    const dv = new DataView(header.buffer);
    dv.setUint16(0, 0x7fe0, true);
    dv.setUint16(2, 0x0010, true);
    if (syntax.implicitVR) dv.setUint32(4, length, true);
    else {
      header[4] = px.vr.charCodeAt(0);
      header[5] = px.vr.charCodeAt(1);
      dv.setUint32(8, length, true);
    }
    return value.length % 2 ? [head, header, value, new Uint8Array(1)] : [head, header, value];
  }
  return [write(ds, { transferSyntax: ts })];
}

function writeParts(path: string, parts: Uint8Array[]): void {
  const file = Deno.openSync(path, { write: true, create: true, truncate: true });
  try {
    for (const part of parts) {
      let done = 0;
      while (done < part.length) done += file.writeSync(part.subarray(done));
    }
  } finally {
    file.close();
  }
}

const PREFIX: Record<string, string> = { PATIENT: "PT", STUDY: "ST", SERIES: "SE" };

function component(node: RecordNode, index: number): string {
  return `${PREFIX[node.recordType] ?? "IM"}${String(index).padStart(6, "0")}`;
}

function realOrResolved(path: string): string {
  // the nearest existing ancestor's real path, and the rest as given
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(Deno.realPathSync(p), ...rest.reverse());
    } catch {
      const parent = dirname(p);
      if (parent === p) return resolve(path);
      rest.push(p.slice(parent.length + 1));
      p = parent;
    }
  }
}

function inside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && r !== "..");
}

/**
 * Checks where the output of a de-identification may go: not the input, not inside it,
 * not containing it, and an empty or new folder. Throws a `ValueError` otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOutputFolder } from "./mod.ts";
 * const input = Deno.makeTempDirSync();
 * assert.throws(() => checkOutputFolder(input, `${input}/out`), /inside the input/);
 * assert.throws(() => checkOutputFolder(`${input}/a/DICOMDIR`, input), /contains the input/);
 * checkOutputFolder(input, `${input}-out`);
 * ```
 */
export function checkOutputFolder(input: string, out: string): void {
  const inPath = realOrResolved(input);
  let inRoot = inPath;
  try {
    if (!Deno.statSync(inPath).isDirectory) inRoot = dirname(inPath);
  } catch {
    inRoot = /DICOMDIR$/i.test(inPath) ? dirname(inPath) : inPath;
  }
  const outPath = realOrResolved(out);
  if (inside(outPath, inRoot)) {
    throw new ValueError(`output ${out} is inside the input ${inRoot}: choose another folder`);
  }
  if (inside(inRoot, outPath)) {
    throw new ValueError(`output ${out} contains the input ${inRoot}: choose another folder`);
  }
  try {
    const info = Deno.statSync(outPath);
    if (!info.isDirectory) throw new ValueError(`output ${out} exists and is not a folder`);
    for (const _ of Deno.readDirSync(outPath)) {
      throw new ValueError(`output ${out} is not empty: give a new or empty folder`);
    }
  } catch (e) {
    if (e instanceof ValueError) throw e;
  }
}

/**
 * De-identifies a whole file-set into a new folder:
 * `PT000000/ST000000/SE000000/IM000000` names from the records' positions (nothing of the
 * input's values or names), each file written under a temporary name and renamed, a new
 * DICOMDIR made from the de-identified files (its File-set UID keyed), and
 * `DEID_REPORT.json` (counts, refused and failed instances by position and why, the
 * options and CID 7050 codes; no input path, value or key). Instances that are refused
 * or fail are reported and the run goes on. The same key gives byte-identical files and
 * DICOMDIR.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deidentifyFileSet } from "./mod.ts";
 * const out = Deno.makeTempDirSync() + "/deid";
 * const report = await deidentifyFileSet("fixtures/ct_phantom", out, { key: "secret key!!" });
 * assert.equal(report.written, report.instances);
 * assert.deepEqual(report.failed, []);
 * ```
 */
export async function deidentifyFileSet(
  input: string,
  out: string,
  options: DeidentifyFileSetOptions = {},
): Promise<DeidentifyReport> {
  const started = performance.now();
  checkOutputFolder(input, out);
  options = { ...options, key: options.key ?? randomKey() };
  const fs = fileSet(input);
  const root = resolve(out);
  Deno.mkdirSync(root, { recursive: true });
  const jobs: { path: string; name: string[] }[] = [];
  fs.children.forEach((top, i) => {
    const walk = (node: RecordNode, index: number, chain: string[]) => {
      const here = [...chain, component(node, index)];
      if (node.instance) jobs.push({ path: node.instance.path, name: here });
      node.children.forEach((c, j) => walk(c, j, here));
    };
    walk(top, i, []);
  });
  const refused: DeidentifyProblem[] = [];
  const failed: DeidentifyProblem[] = [];
  const made = new Set<string>();
  let written = 0;
  let interrupted = false;
  for (let i = 0; i < jobs.length; i++) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const job = jobs[i];
    try {
      const ds = read(job.path);
      const clean = deidentify(ds, options);
      const parts = encodeParts(clean);
      const dir = join(root, ...job.name.slice(0, -1));
      if (!made.has(dir)) {
        Deno.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const target = join(dir, job.name[job.name.length - 1]);
      writeParts(`${target}.partial`, parts);
      Deno.renameSync(`${target}.partial`, target);
      written++;
    } catch (e) {
      const err = e as Error;
      const problem = {
        index: i,
        path: job.path,
        kind: e instanceof RefusedError
          ? "refused"
          : e instanceof DicomError || e instanceof Error
          ? err.name
          : "Error",
        message: err.message ?? String(e),
      };
      (e instanceof RefusedError ? refused : failed).push(problem);
    }
    options.onProgress?.(i + 1, jobs.length);
    if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0));
  }
  const keyed = new Keyed(options.key!);
  const built = writeDicomdir(root, {
    fileSetId: "DEIDENTIFIED",
    fileSetUid: keyed.uid(`file-set:${fs.uid}`),
  });
  const report: DeidentifyReport = {
    instances: jobs.length,
    written,
    refused,
    failed,
    options: PROFILE_OPTIONS.filter((o) => options[o]),
    codes: deidentificationCodes(options).map(({ code, scheme, meaning }) => ({
      code,
      scheme,
      meaning,
    })),
    interrupted,
    seconds: (performance.now() - started) / 1000,
    dicomdir: join(root, "DICOMDIR"),
    warnings: [...fs.warnings, ...built.warnings],
  };
  const onDisk = {
    tool: "dicom-deno scripts/deidentify.ts",
    profile: "DICOM PS3.15 2024b Annex E, Basic Application Level Confidentiality Profile",
    options: report.options,
    codes: report.codes,
    key: options.randomKey
      ? "random, made for this run and not kept: the output cannot be linked to other runs"
      : "given by the user (not stored)",
    instances: report.instances,
    written,
    refused: refused.map((p) => ({ index: p.index, reason: p.message })),
    failed: failed.map((p) => ({ index: p.index, kind: p.kind })),
    interrupted,
    seconds: Math.round(report.seconds * 1000) / 1000,
  };
  const reportPath = join(root, REPORT_NAME);
  Deno.writeTextFileSync(`${reportPath}.partial`, JSON.stringify(onDisk, null, 2) + "\n");
  Deno.renameSync(`${reportPath}.partial`, reportPath);
  return report;
}
