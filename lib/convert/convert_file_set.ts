/**
 * The convert job as a library function: {@linkcode convertFileSet} converts every
 * instance of a file-set to images with Web Workers, reports every failure, never leaves
 * a half-written image, and can be stopped gracefully or at once.
 *
 * @module
 */

import { fileSetIndex } from "../fileset/mod.ts";
import { exists, partialName } from "../io/files.ts";
import { colormapOf, type RenderOptions } from "../image/render_options.ts";
import {
  type ConvertError,
  convertOne,
  type ConvertResult,
  type ConvertSettings,
  type ConvertTask,
  type ExistingPolicy,
  extension,
} from "./convert_one.ts";
import { NAME_KEYS, namePart, NamePlanner, outputName } from "./_name_planner.ts";
import { type Shard, shardOfFileId } from "./shard.ts";
import { checkConvertOptions } from "./check_options.ts";
import type { ConvertReport, Failure } from "./report.ts";
import type { ConvertProgress } from "./progress.ts";
import type { WorkerRequest } from "./_worker.ts";
import { ProcessWorker } from "./_process_pool.ts";

/** What {@linkcode partialName} appends. */
const PARTIAL = partialName("");

/**
 * Options of {@linkcode convertFileSet}: the shared rendering options (`window` as the
 * dataset's window index or a window of your own, `scaling`, `colormap`, `bitDepth`), the
 * format, the workers and what to do with images already there.
 */
export interface ConvertFileSetOptions extends RenderOptions {
  /**
   * The image format.
   *
   * @default {"jpeg"}
   */
  format?: "jpeg" | "png";
  /**
   * JPEG quality 1-100 (Pillow's default).
   *
   * @default {75}
   */
  quality?: number;
  /**
   * Threads converting at once (the main thread is one of them).
   *
   * @default {navigator.hardwareConcurrency}
   */
  jobs?: number;
  /**
   * Images already there: a failure (`"fail"`), kept (`"skip"`: resumes a run), or
   * redone (`"overwrite"`).
   *
   * @default {"fail"}
   */
  existing?: ExistingPolicy;
  /**
   * Called with each progress event: once at the start, after each instance, when
   * stopping, and once at the end (`lib/display`'s `progressView` shows them in a
   * notebook).
   */
  onProgress?: (event: ConvertProgress) => void;
  /**
   * Convert only shard `index` of `count`: the instances whose file's path within the
   * file-set hashes to `index` ({@linkcode shardOf}). Names are planned over the whole
   * file-set, so N runs with shards 0..N-1 into one `out` write exactly the images of one
   * full run; `existing: "skip"` resumes a shard.
   *
   * @default {undefined} (the whole file-set)
   */
  shard?: Shard;
  /**
   * Write each JPEG Baseline frame that can be shown as it is stored (8 bits; MONOCHROME2
   * without a modality or VOI step, or YBR_FULL_422/YBR_FULL colour, or RGB whose stream
   * declares its colour transform: see `canPassThrough`) as the `.jpg` itself, without
   * decoding and re-encoding: faster and without a second loss, but it is the stored
   * picture, not the tutorial's rescaled one (no `max(x, 0) / max(x) * 255` stretch).
   * Other instances go the normal way; the report's `passedThrough` lists the ones that
   * did not. JPEG output only.
   *
   * @default {false}
   */
  passthrough?: boolean;
  /**
   * Where the conversions run: `"thread"`, Web Workers and the main thread (the fastest);
   * or `"process"`, one child process per job, so that a file that exhausts memory (a
   * JavaScript heap bomb, or pixel buffers too big) kills only its process: it is
   * reported as a failure of that file ("worker died: ..."), the process is replaced and
   * the other files go on.
   *
   * @default {"thread"}
   */
  isolation?: "thread" | "process";
  /**
   * With `isolation: "process"`, the memory of each worker process in MiB: its
   * JavaScript heap limit, and the resident memory (typed arrays, WebAssembly memories
   * included) above which it is killed.
   *
   * @default {2048}
   */
  workerMemory?: number;
  /** Stops the run gracefully: images being written are finished, nothing new starts. */
  signal?: AbortSignal;
  /** Stops the run at once: workers are terminated and their `.partial` files removed. */
  stopNow?: AbortSignal;
}

/** One instance given to a worker (made when it is given, let go when it is done). */
interface Plan {
  task: ConvertTask;
}

/**
 * Resolves once the event loop has polled its pending operations (the workers' results,
 * signals): an asynchronous no-op of the runtime. (A resolved promise or a MessageChannel
 * message is not enough: with them the workers' results waited, measured, until the
 * main thread's queue ran dry; a timer costs 1-2 ms.)
 */
function nextTurn(): Promise<void> {
  return Deno.stat("/").then(() => {}, () => {});
}

/**
 * The main thread as one of the `--jobs` workers: it would wait idle otherwise, and a
 * real worker costs a start-up (about 0.1 s of CPU: modules, tables, compiling) and
 * 50-70 MB. It answers the same messages as `_worker.ts`.
 */
class MainThreadWorker {
  onmessage: ((e: MessageEvent<ConvertResult>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  #settings?: ConvertSettings;
  #abort: Int32Array<ArrayBufferLike> = new Int32Array(1);
  #queue: ConvertTask[] = [];
  #busy = false;
  #terminated = false;
  postMessage(msg: WorkerRequest): void {
    if (msg.type === "settings") {
      this.#settings = msg.settings;
      this.#abort = new Int32Array(msg.abort);
      return;
    }
    this.#queue.push(msg.task);
    if (!this.#busy) this.#run();
  }
  async #run(): Promise<void> {
    this.#busy = true;
    while (this.#queue.length && !this.#terminated) {
      // let the other workers' results in (and their next tasks out) between images
      await nextTurn();
      const task = this.#queue.shift();
      if (!task || this.#terminated) break;
      let result: ConvertResult;
      try {
        result = await convertOne(task, this.#settings!, {
          aborted: () => Atomics.load(this.#abort, 0) !== 0,
          between: nextTurn,
        });
      } catch (e) {
        // convertOne reports its failures; this is a bug, said as a worker's crash would be
        this.#queue.length = 0;
        this.#busy = false;
        this.onerror?.(new ErrorEvent("error", { message: String(e), error: e }));
        return;
      }
      if (this.#terminated) break;
      this.onmessage?.(new MessageEvent("message", { data: result }));
    }
    this.#busy = false;
  }
  terminate(): void {
    this.#terminated = true;
  }
}

/** A worker and the tasks sent to it, oldest first. */
interface Slot {
  worker: Worker | MainThreadWorker | ProcessWorker;
  assigned: Plan[];
}

/** Removes the `.partial` files of `outBase` (every frame), as far as it can. */
function removePartials(outBase: string): void {
  const slash = outBase.lastIndexOf("/");
  const dir = slash >= 0 ? outBase.slice(0, slash) : ".";
  const base = outBase.slice(slash + 1);
  try {
    for (const e of Deno.readDirSync(dir || "/")) {
      const rest = e.name.slice(base.length);
      if (
        e.name.startsWith(base) && rest.endsWith(PARTIAL) &&
        /^(_\d+)?\.(jpg|png)$/.test(rest.slice(0, -PARTIAL.length))
      ) {
        Deno.removeSync(`${dir}/${e.name}`);
      }
    }
  } catch { /* the folder is not there: nothing to remove */ }
}

/**
 * Converts every instance of a file-set (a DICOMDIR, a folder with one, or a folder of
 * DICOM files) to images under `out`, the tutorial's job:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.jpg`, and
 * `{InstanceNumber}_{frame}.jpg` for each frame of a multi-frame instance (names by
 * {@linkcode planNames}). Each picture is `toImage(pixels, { ...options, dataset })`'s:
 * the tutorial's palette, modality LUT, VOI window (`window`: the dataset's index, or a
 * window of your own) and 8-bit scaling by default, or a 16-bit PNG by the 16-bit rule.
 * Instances are converted by `jobs` threads (Web Workers and the main thread); each image
 * is written under a temporary name and renamed. Failures never throw: they are in the
 * report, and the other instances go on. Throws only when the input cannot be opened.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSet, writeDicomdir } from "../fileset/mod.ts";
 * import { write } from "../io/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { convertFileSet, type ConvertProgress } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/in`);
 * for (const i of [0, 1, 2]) {
 *   Deno.writeFileSync(`${dir}/in/IM${i}`, write(makeCtSlice(i, { size: 16, slices: 3 })));
 * }
 * writeDicomdir(`${dir}/in`);
 * const events: ConvertProgress[] = [];
 * const report = await convertFileSet(`${dir}/in`, `${dir}/out`, {
 *   format: "png",
 *   jobs: 1,
 *   onProgress: (e) => events.push(e),
 * });
 * assert.deepEqual([report.instances, report.images, report.failed], [3, 3, []]);
 * assert.deepEqual(events.map((e) => e.phase), ["start", "instance", "instance", "instance", "done"]);
 * assert.deepEqual([...Deno.readDirSync(`${dir}/out/PHANTOM01/20240115/2`)].map((e) => e.name).sort(), [
 *   "1.png",
 *   "2.png",
 *   "3.png",
 * ]);
 * ```
 */
export async function convertFileSet(
  source: string,
  out: string,
  options: ConvertFileSetOptions = {},
): Promise<ConvertReport> {
  const t0 = performance.now();
  checkConvertOptions(options);
  const format = options.format ?? "jpeg";
  const settings: ConvertSettings = {
    format,
    quality: options.quality ?? 75,
    bitDepth: format === "png" ? options.bitDepth ?? 8 : 8,
    window: options.window ?? 0,
    scaling: options.scaling,
    colormap: colormapOf(options),
    passthrough: options.passthrough ?? false,
  };
  const passedThrough: number[] = [];
  const input = source;
  const policy = options.existing ?? "fail";
  const ext = extension(format);
  const shard = options.shard;
  // Per instance only its path and name parts (fileSetIndex: typed arrays and shared
  // strings), its `_dupN` when it has one, and a number in the queue: an archive's run
  // holds some tens of bytes per instance, no dataset, record or task object.
  const index = fileSetIndex(input, { keys: NAME_KEYS, text: namePart });
  const root = out.endsWith("/") ? out.slice(0, -1) : out;
  const parts = (id: number) => NAME_KEYS.map((_, k) => index.text(id, k));
  // names over the whole file-set, so that the shards' outputs add up to one full run
  const dups = new Map<number, number>();
  let planner: NamePlanner | undefined = new NamePlanner();
  for (let id = 0; id < index.length; id++) {
    const dup = planner.add(parts(id));
    if (dup) dups.set(id, dup);
  }
  planner = undefined;
  const outBaseOf = (id: number) => outputName(root, parts(id), dups.get(id) ?? 0);
  const taskOf = (id: number): ConvertTask => ({
    id,
    path: index.path(id),
    outBase: outBaseOf(id),
    existing: policy,
  });
  let mine = 0;
  // the instances to convert, in record order
  const planned = new Uint32Array(index.length);
  let plannedCount = 0;
  const failures: Failure[] = [];
  const failureIds = new Map<Failure, number>();
  const fail = (id: number, path: string, outBase: string, e: ConvertError) => {
    const f: Failure = { path, kind: e.kind, message: e.message, output: outBase };
    if (e.frame !== undefined) f.frame = e.frame;
    failures.push(f);
    failureIds.set(f, id);
  };
  let skipped = 0;
  for (let id = 0; id < index.length; id++) {
    if (shard && shardOfFileId(index.fileId(id), shard.count) !== shard.index) continue;
    mine++;
    if (policy !== "overwrite") {
      const outBase = outBaseOf(id);
      const single = `${outBase}.${ext}`;
      const first = `${outBase}_0.${ext}`;
      if (policy === "skip" && exists(single)) {
        skipped++;
        continue;
      }
      if (policy === "fail" && (exists(single) || exists(first))) {
        fail(id, index.path(id), outBase, {
          kind: "Exists",
          message: `${exists(single) ? single : first} is already there ` +
            `(use --skip-existing or --overwrite)`,
        });
        continue;
      }
    }
    planned[plannedCount++] = id;
  }
  const warnings = [...index.warnings];

  const onProgress = options.onProgress;
  const emit = (phase: ConvertProgress["phase"], path?: string) => {
    if (!onProgress) return;
    const seconds = (performance.now() - t0) / 1000;
    const e: ConvertProgress = {
      phase,
      total: plannedCount,
      done,
      images,
      failed: failures.length,
      seconds,
    };
    if (path !== undefined) e.path = path;
    if (shard) e.shard = { index: shard.index, count: shard.count };
    onProgress(e);
  };
  const jobs = Math.max(
    1,
    Math.min(Math.floor(options.jobs ?? navigator.hardwareConcurrency ?? 1), plannedCount),
  );
  // Tasks given ahead to each worker thread: it never waits for the main thread, which
  // answers only between its own images (30 ms apart for JPEG 2000). The main thread
  // takes its next task as it finishes one.
  const depth = (slot: Slot) => slot.worker instanceof MainThreadWorker ? 1 : 3;
  const isolated = options.isolation === "process";
  const workerMemory = options.workerMemory ?? 2048;
  const abortBuffer = new SharedArrayBuffer(4);
  const abortFlag = new Int32Array(abortBuffer);
  // the queue: the planned instances from `next` on, after the ones given back by a
  // crashed worker (`retry`, first)
  let next = 0;
  const retry: Plan[] = [];
  const queued = () => retry.length + plannedCount - next;
  const take = (): Plan => retry.shift() ?? { task: taskOf(planned[next++]) };
  const slots: Slot[] = [];
  const finished = Promise.withResolvers<void>();
  let images = 0, converted = 0, done = 0, notDone = 0;
  let stopping = false, stopped = false;
  emit("start");

  const checkDone = () => {
    if (slots.every((s) => s.assigned.length === 0) && (stopping || queued() === 0)) {
      finished.resolve();
    }
  };
  const feed = (slot: Slot) => {
    while (!stopping && slot.assigned.length < depth(slot) && queued()) {
      const plan = take();
      slot.assigned.push(plan);
      slot.worker.postMessage({ type: "task", task: plan.task } satisfies WorkerRequest);
    }
  };
  const record = (plan: Plan, r: ConvertResult) => {
    images += r.written.length;
    if (r.passedThrough) passedThrough.push(plan.task.id);
    for (const e of r.errors) fail(plan.task.id, plan.task.path, plan.task.outBase, e);
    if (r.interrupted) notDone++;
    else if (r.errors.length === 0 && r.written.length === 0 && r.skipped > 0) skipped++;
    else if (r.errors.length === 0) converted++;
    done++;
    emit("instance", plan.task.path);
  };
  const spawn = (onMain = false): Slot => {
    const worker = isolated
      ? new ProcessWorker(workerMemory)
      : onMain
      ? new MainThreadWorker()
      : new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
    const slot: Slot = { worker, assigned: [] };
    worker.postMessage(
      { type: "settings", settings, abort: abortBuffer } satisfies WorkerRequest,
    );
    worker.onmessage = (e: MessageEvent<ConvertResult>) => {
      if (stopped) return;
      const r = e.data;
      const at = slot.assigned.findIndex((p) => p.task.id === r.id);
      if (at < 0) return;
      const [plan] = slot.assigned.splice(at, 1);
      record(plan, r);
      feed(slot);
      checkDone();
    };
    worker.onerror = (e: ErrorEvent) => {
      // A crash of the worker itself (not of a conversion, which convertOne catches):
      // the task it was on fails, the others go back to the queue, a new worker follows.
      e.preventDefault();
      if (stopped) return;
      worker.terminate();
      const [plan, ...rest] = slot.assigned;
      slot.assigned = [];
      if (plan) {
        removePartials(plan.task.outBase);
        record(plan, {
          id: plan.task.id,
          written: [],
          skipped: 0,
          errors: [{
            kind: "WorkerError",
            message: e.message.startsWith("worker died")
              ? e.message
              : `worker crashed: ${e.message}`,
          }],
          interrupted: false,
        });
      }
      retry.unshift(...rest);
      if (!stopping && queued()) {
        const next = spawn();
        slots[slots.indexOf(slot)] = next;
        feed(next);
      }
      checkDone();
    };
    return slot;
  };

  const onStop = () => {
    if (stopping) return;
    stopping = true;
    Atomics.store(abortFlag, 0, 1);
    for (const s of slots) if (s.worker instanceof ProcessWorker) s.worker.abort();
    if (slots.some((s) => s.assigned.length)) emit("stopping");
    checkDone();
  };
  const onStopNow = () => {
    onStop();
    stopped = true;
    for (const s of slots) {
      s.worker.terminate();
      for (const p of s.assigned) {
        notDone++;
        removePartials(p.task.outBase);
      }
    }
    // A write already under way in a terminated worker may still create its file:
    // look once more a moment later.
    const late = slots.flatMap((s) => s.assigned);
    setTimeout(() => {
      for (const p of late) {
        removePartials(p.task.outBase);
        if (policy !== "overwrite" && exists(`${p.task.outBase}.${ext}`)) {
          // finished between the terminate and now (a single-frame image, renamed whole)
          notDone--;
          converted++;
          images++;
        }
      }
      for (const s of slots) s.assigned = [];
      finished.resolve();
    }, 200);
  };
  options.signal?.addEventListener("abort", onStop);
  options.stopNow?.addEventListener("abort", onStopNow);
  if (options.signal?.aborted) onStop();
  if (options.stopNow?.aborted) onStopNow();

  if (!stopping && plannedCount) {
    // jobs - 1 worker threads, and the main thread itself (or jobs worker processes)
    for (let i = 0; i < jobs; i++) slots.push(spawn(i === jobs - 1));
    for (const slot of slots) feed(slot);
  } else {
    finished.resolve();
  }
  await finished.promise;
  options.signal?.removeEventListener("abort", onStop);
  options.stopNow?.removeEventListener("abort", onStopNow);
  for (const s of slots) s.worker.terminate();
  notDone += queued();
  emit("done");
  const seconds = (performance.now() - t0) / 1000;
  failures.sort((a, b) =>
    (failureIds.get(a)! - failureIds.get(b)!) || ((a.frame ?? -1) - (b.frame ?? -1))
  );
  const report: ConvertReport = {
    input,
    out,
    instances: mine,
    converted,
    skipped,
    images,
    failed: failures,
    warnings,
    jobs: slots.length,
    interrupted: stopping,
    notDone,
    seconds,
    imagesPerSecond: seconds > 0 ? images / seconds : 0,
  };
  if (shard) report.shard = { index: shard.index, count: shard.count };
  if (settings.passthrough) report.passedThrough = passedThrough.map((id) => index.path(id)).sort();
  return report;
}
