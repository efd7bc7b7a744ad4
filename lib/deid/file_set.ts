/**
 * `deidentifyFileSet`: a whole DICOM file-set (a DICOMDIR, or a folder of files)
 * de-identified into a new one, with names that carry nothing of the input, a new
 * DICOMDIR and a report.
 *
 * @module
 */

import { dirname, join, relative, sep } from "node:path";
import { absolutePath } from "../io/absolute_path.ts";
import { type FileSet, fileSet } from "../fileset/file_set.ts";
import type { RecordNode } from "../fileset/record_node.ts";
import { type DicomdirInstance, writeDicomdir } from "../fileset/dicomdir_write.ts";
import { read } from "../io/read.ts";
import { ValueError } from "../core/errors.ts";
import { deidentificationCodes, type DeidentifyOptions } from "./deidentify.ts";
import { type JobResult, runJob, STAGES } from "./_run.ts";
import type { WorkerMessage, WorkerStart } from "./_worker.ts";
import { takeWorkers } from "./worker_pool.ts";

export { encodeParts } from "./_run.ts";
import { PROFILE_OPTIONS } from "./profile.ts";
import { Keyed, randomKey } from "./keyed.ts";
import { sha256 } from "./_hmac.ts";

/** Options for {@linkcode deidentifyFileSet}. */
export interface DeidentifyFileSetOptions extends DeidentifyOptions {
  /**
   * Threads: the main thread and `jobs - 1` workers, each taking the next instance not
   * yet taken (the output does not depend on it). Workers start at once, while the
   * input's file-set is read; one that has not started when the others are done is
   * stopped. `"auto"`: one per core for a file-set of {@linkcode AUTO_THREADS_FROM}
   * instances or more, else 1 (on fewer, a worker's start-up costs more than it saves).
   *
   * @default {1}
   */
  jobs?: number | "auto";
  /** Called after each instance with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops after the instance being written when aborted (the output is then partial). */
  signal?: AbortSignal;
  /**
   * Say in the report that the key was made for this run only.
   *
   * @default {false}
   */
  randomKey?: boolean;
}

/**
 * The number of instances from which `jobs: "auto"` uses every core: below it, one
 * thread is faster (measured on 2 cores: `tools/bench_deidentify.ts`, `bench/RESULTS.md`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AUTO_THREADS_FROM } from "./mod.ts";
 * assert.ok(AUTO_THREADS_FROM > 300);
 * ```
 */
export const AUTO_THREADS_FROM = 1000;

function autoThreads(instances: number): number {
  return instances >= AUTO_THREADS_FROM ? navigator.hardwareConcurrency || 1 : 1;
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
   * Milliseconds spent in each stage (not in the report file): `input` (reading the
   * input's file-set); summed over the instances and threads, `read` (the file's bytes),
   * `parse`, `deidentify`, `encode`, `write` (the new file) and `records` (the attributes
   * of its DICOMDIR records); then `dicomdir` (the new DICOMDIR) and `wait` (the main
   * thread waiting for the workers after the last instance was taken).
   */
  stages: Record<string, number>;
  /** Instances done by each thread: the main thread's count first, then each worker's. */
  threads: number[];
}

/**
 * Yields to the event loop at most every 20 ms, by a message to itself: a `setTimeout(0)`
 * costs 2-3 ms here, which once every 8 instances was a sixth of the whole job.
 */
function pauser(): { maybe(): Promise<void>; close(): void } {
  const channel = new MessageChannel();
  let last = performance.now();
  return {
    maybe() {
      const now = performance.now();
      if (now - last < 20) return Promise.resolve();
      last = now;
      return new Promise((resolve) => {
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      });
    },
    close() {
      channel.port1.close();
      channel.port2.close();
    },
  };
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
  const uids = fs.instances.map((instance) => `${instance.record.get(0x00041511) ?? ""}\n`);
  const digest = sha256(new TextEncoder().encode(uids.join("")));
  return `folder:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function realOrResolved(path: string): string {
  // the nearest existing ancestor's real path, and the rest as given
  let p = absolutePath(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(Deno.realPathSync(p), ...rest.reverse());
    } catch {
      const parent = dirname(p);
      if (parent === p) return absolutePath(path);
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
  // the pixel decoders, only when something may be blanked
  if (options.cleanPixels) await import("./pixels.ts");
  options = { ...options, key: options.key ?? randomKey() };
  // Workers start first (or were started by `startWorkers`): their module loading
  // overlaps the reading of the input's file-set; with `jobs: "auto"` they start once the
  // number of instances is known. All threads take the next instance from one shared
  // counter, so a worker that starts late (a busy machine) takes less; the output does
  // not depend on who wrote what.
  const shared = new Int32Array(new SharedArrayBuffer(8)); // [abort, next instance]
  const { onProgress: _p, signal: _s, ...cloneable } = options;
  const workers: Worker[] = [];
  const finished: Promise<void>[] = [];
  let record = (_r: JobResult) => {};
  const startThreads = (threads: number) => {
    for (const { worker, failed } of takeWorkers(Math.max(0, threads - 1))) {
      workers.push(worker);
      finished.push(
        new Promise((resolve) => {
          if (failed) return resolve();
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
    }
  };
  if (options.jobs !== "auto") startThreads(Math.floor(options.jobs ?? 1));
  const inputStart = performance.now();
  let fs: FileSet;
  try {
    fs = fileSet(input);
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  }
  if (options.jobs === "auto") startThreads(autoThreads(fs.instances.length));
  const root = absolutePath(out);
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
  const inputTime = performance.now() - inputStart;
  const results: (JobResult | undefined)[] = new Array(jobs.length);
  let done = 0;
  let allDone = () => {};
  const everyResult = new Promise<void>((resolve) => allDone = resolve);
  record = (r: JobResult) => {
    results[r.index] = r;
    options.onProgress?.(++done, jobs.length);
    if (done === jobs.length) allDone();
  };
  if (jobs.length === 0) allDone();
  workers.forEach((worker, k) => {
    const start: WorkerStart = {
      jobs,
      root,
      options: cloneable,
      shared: shared.buffer,
      thread: k + 1,
    };
    worker.postMessage(start);
  });
  let interrupted = false;
  const made = new Set<string>();
  const pause = pauser();
  try {
    for (;;) {
      if (options.signal?.aborted) {
        interrupted = true;
        Atomics.store(shared, 0, 1);
        break;
      }
      const i = Atomics.add(shared, 1, 1);
      if (i >= jobs.length) break;
      const result = runJob(i, jobs[i].path, jobs[i].name, root, options, made, false);
      result.thread = 0;
      record(result);
      // let progress, worker messages and signals in now and then
      await pause.maybe();
    }
  } finally {
    pause.close();
  }
  // Wait for the instances the workers took: when every instance has its result, a
  // worker still loading its modules (few files, a busy machine) is not waited for.
  // Workers that stop (interrupted, or failing) end the wait too.
  const waitStart = performance.now();
  const workersDone = Promise.all(finished);
  if (!interrupted && options.signal) {
    const stop = () => Atomics.store(shared, 0, 1);
    options.signal.addEventListener("abort", stop);
    await Promise.race([everyResult, workersDone]);
    options.signal.removeEventListener("abort", stop);
    interrupted = options.signal.aborted;
  } else if (interrupted) await workersDone;
  else await Promise.race([everyResult, workersDone]);
  const waited = performance.now() - waitStart;
  for (const w of workers) w.terminate();
  const refused: DeidentifyProblem[] = [];
  const failed: DeidentifyProblem[] = [];
  let written = 0;
  const stages: Record<string, number> = { input: inputTime };
  for (const s of STAGES) stages[s] = 0;
  stages.dicomdir = 0;
  stages.wait = waited;
  const instances: DicomdirInstance[] = [];
  const threads = new Array<number>(workers.length + 1).fill(0);
  results.forEach((r, index) => {
    if (r) threads[r.thread ?? 0]++;
    const t = performance.now();
    if (r) STAGES.forEach((s, i) => stages[s] += r.times[i]);
    const attributes = r?.dataset ?? (r?.attributes && read(r.attributes));
    if (r?.attributes) stages.dicomdir += performance.now() - t;
    if (attributes) {
      instances.push({
        fileId: jobs[index].name,
        dataset: attributes,
        transferSyntax: r!.transferSyntax,
      });
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
    threads,
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
