/**
 * `deidentifyFileSet`: a whole DICOM file-set (a DICOMDIR, or a folder of files)
 * de-identified into a new one, with names that carry nothing of the input, a new
 * DICOMDIR and a report.
 *
 * @module
 */

import { dirname, join, relative, resolve, sep } from "node:path";
import { createHash } from "node:crypto";
import { type FileSet, fileSet } from "../fileset/file_set.ts";
import type { RecordNode } from "../fileset/record_node.ts";
import { type DicomdirInstance, writeDicomdir } from "../fileset/dicomdir_write.ts";
import { read } from "../io/read.ts";
import { ValueError } from "../core/errors.ts";
import { deidentificationCodes, type DeidentifyOptions } from "./deidentify.ts";
import { type JobResult, runJob, STAGES } from "./_run.ts";
import type { WorkerMessage, WorkerStart } from "./_worker.ts";

export { encodeParts } from "./_run.ts";
import { PROFILE_OPTIONS } from "./profile.ts";
import { Keyed, randomKey } from "./keyed.ts";

/** Options for {@linkcode deidentifyFileSet}. */
export interface DeidentifyFileSetOptions extends DeidentifyOptions {
  /**
   * Threads: the main thread and `jobs - 1` workers, each taking every `jobs`-th
   * instance (the output does not depend on it).
   *
   * @default 1
   */
  jobs?: number;
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
  /**
   * Milliseconds spent in each stage, summed over the instances and threads: `read`
   * (the file's bytes), `parse`, `deidentify`, `encode`, `write` (the new file),
   * `records` (the DICOMDIR records' attributes), then once `dicomdir` (the new DICOMDIR)
   * and `wait` (the main thread waiting for the workers after its own share). Not in the
   * report file.
   */
  stages: Record<string, number>;
}

/** The name of the report file written in the output folder. */
export const REPORT_NAME = "DEID_REPORT.json";

const PREFIX: Record<string, string> = { PATIENT: "PT", STUDY: "ST", SERIES: "SE" };

function component(node: RecordNode, index: number): string {
  return `${PREFIX[node.recordType] ?? "IM"}${String(index).padStart(6, "0")}`;
}

/**
 * What names a folder without a DICOMDIR (whose File-set UID is made anew at each
 * reading): its instances' SOP Instance UIDs, so the same input gives the same output.
 */
function folderIdentity(fs: FileSet): string {
  const hash = createHash("sha256");
  for (const instance of fs.instances) {
    hash.update(`${instance.record.get(0x00041511) ?? ""}\n`);
  }
  return `folder:${hash.digest("hex")}`;
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
  const count = Math.max(1, Math.min(Math.floor(options.jobs ?? 1), jobs.length));
  const results: (JobResult | undefined)[] = new Array(jobs.length);
  let done = 0;
  const record = (r: JobResult) => {
    results[r.index] = r;
    options.onProgress?.(++done, jobs.length);
  };
  // workers take every count-th instance from 1, the main thread those from 0
  const abort = new SharedArrayBuffer(4);
  const { onProgress: _p, signal: _s, ...cloneable } = options;
  const finished: Promise<void>[] = [];
  const workers: Worker[] = [];
  for (let k = 1; k < count; k++) {
    const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
    workers.push(worker);
    finished.push(
      new Promise((resolve) => {
        worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
          if ("done" in e.data) resolve();
          else record(e.data);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          resolve();
        };
      }),
    );
    const start: WorkerStart = {
      jobs: jobs.map((j, index) => ({ index, ...j })).filter((j) => j.index % count === k),
      root,
      options: cloneable,
      abort,
    };
    worker.postMessage(start);
  }
  let interrupted = false;
  const made = new Set<string>();
  for (let i = 0; i < jobs.length; i += count) {
    if (options.signal?.aborted) {
      interrupted = true;
      Atomics.store(new Int32Array(abort), 0, 1);
      break;
    }
    record(runJob(i, jobs[i].path, jobs[i].name, root, options, made));
    if ((i / count) % 8 === 7) await new Promise((r) => setTimeout(r, 0));
  }
  const waitStart = performance.now();
  if (!interrupted && options.signal) {
    const stop = () => Atomics.store(new Int32Array(abort), 0, 1);
    options.signal.addEventListener("abort", stop);
    await Promise.all(finished);
    options.signal.removeEventListener("abort", stop);
    interrupted = options.signal.aborted;
  } else await Promise.all(finished);
  const waited = performance.now() - waitStart;
  for (const w of workers) w.terminate();
  const refused: DeidentifyProblem[] = [];
  const failed: DeidentifyProblem[] = [];
  let written = 0;
  const stages: Record<string, number> = {};
  for (const s of STAGES) stages[s] = 0;
  stages.dicomdir = 0;
  stages.wait = waited;
  const instances: DicomdirInstance[] = [];
  results.forEach((r, index) => {
    if (r) STAGES.forEach((s, i) => stages[s] += r.times[i]);
    if (r?.attributes) {
      const t = performance.now();
      instances.push({
        fileId: jobs[index].name,
        dataset: read(r.attributes),
        transferSyntax: r.transferSyntax,
      });
      stages.dicomdir += performance.now() - t;
    }
    if (!r) {
      if (!interrupted) {
        failed.push({ index, path: jobs[index].path, kind: "Error", message: "a worker stopped" });
      }
      return;
    }
    if (r.kind === "written") written++;
    else {
      const problem = { index, path: jobs[index].path, kind: r.kind, message: r.message ?? "" };
      (r.kind === "refused" ? refused : failed).push(problem);
    }
  });
  const keyed = new Keyed(options.key!);
  const dicomdirStart = performance.now();
  // the records come from the de-identified datasets (their attributes, kept by each
  // job), not from reading the files back
  const built = writeDicomdir(root, {
    fileSetId: "DEIDENTIFIED",
    fileSetUid: keyed.uid(`file-set:${fs.dicomdir ? fs.uid : folderIdentity(fs)}`),
    instances,
  });
  stages.dicomdir += performance.now() - dicomdirStart;
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
    stages,
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
