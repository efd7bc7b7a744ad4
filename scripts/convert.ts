/**
 * Converts a whole DICOM file-set to images, the tutorial's job:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.jpg`, and
 * `{InstanceNumber}_{frame}.jpg` for each frame of a multi-frame instance.
 *
 * ```sh
 * deno run -A scripts/convert.ts <DICOMDIR | folder> <out> [flags]
 * ```
 *
 * Flags: `--format jpeg|png`, `--quality N`, `--bit-depth 8|16` (PNG), `--window N`,
 * `--center C --width W`, `--jobs N` (default: all cores), `--skip-existing`,
 * `--overwrite`, `--quiet`, `--json`.
 *
 * - The input is a DICOMDIR, a folder holding one, or a folder of DICOM files without
 *   one (then every file is read to group the instances; files that are not DICOM are
 *   listed as warnings, not failures).
 * - The names come from the directory records (the file-set's PATIENT, STUDY, SERIES
 *   and IMAGE records), made safe by {@linkcode safeComponent}: a tag value can never
 *   name a path outside `out`; an empty or missing value becomes `_missing_`. Two
 *   instances that would get the same name (case-insensitively) get `_dup1`, `_dup2`...
 *   in record order, so the names are the same on every run whatever the workers do.
 * - Pixels: palette, modality LUT, the VOI window (`--window N` picks the dataset's
 *   window or VOI LUT item; `--center/--width` a window of your own, with the dataset's
 *   output range), then the tutorial's `max(x, 0) / max(x) * 255` to 8 bits, per frame.
 *   `--bit-depth 16` writes a 16-bit PNG of the VOI output instead (see `to16Bit` in
 *   `_convert_core.ts`: rounded, shifted up when its range goes below 0, never scaled).
 * - Every image is written under a temporary name (`.partial`) and renamed, so a
 *   stopped run leaves no half-written image. The first Ctrl-C (SIGINT) or SIGTERM lets
 *   the workers finish the image they are writing, then exits with 130 (143); a second
 *   stops at once, removes the in-flight `.partial` files it can and exits.
 *   `--skip-existing` resumes such a run (also inside a multi-frame instance);
 *   `--overwrite` redoes every image; without either an existing image is a failure.
 * - A bad or missing instance never stops the run: the summary (and `--json`'s
 *   `failed`) lists each failure with the input path, the error kind and the message;
 *   the exit code is 1 when anything failed, 2 for bad arguments or an unreadable input.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type FileInstance, fileSet } from "../lib/fileset/file_set.ts";
import {
  type ConvertError,
  convertOne,
  type ConvertResult,
  type ConvertSettings,
  type ConvertTask,
  type ExistingPolicy,
  exists,
  partialName,
} from "./_convert_core.ts";

/** What {@linkcode partialName} appends. */
const PARTIAL = partialName("");
import type { WorkerRequest } from "./_convert_worker.ts";

const HELP = `usage: deno run -A scripts/convert.ts <DICOMDIR | folder> <out> [flags]

  --format jpeg|png     image format (default jpeg)
  --quality N           JPEG quality 1-100 (default 75)
  --bit-depth 8|16      PNG bit depth (default 8; 16 keeps the VOI output, unscaled)
  --window N            which VOI window / VOI LUT of the dataset (default 0)
  --center C --width W  a window of your own instead
  --jobs N              worker threads (default: number of cores)
  --skip-existing       keep images that are already there (resume a run)
  --overwrite           redo images that are already there (default: they are failures)
  --quiet               no progress, no summary unless something failed
  --json                print a machine-readable report on stdout

exit code: 0 done, 1 some instances failed, 2 bad arguments or input, 130 interrupted
`;

/** Placeholder used for an empty or missing attribute in an output path. */
export const MISSING = "_missing_";

/** Longest path component made from a tag value, in UTF-8 bytes. */
export const MAX_COMPONENT_BYTES = 100;

const encoder = new TextEncoder();

/** FNV-1a of the UTF-8 bytes, as 8 hex digits: a short deterministic fingerprint. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(s)) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The longest prefix of `s` of at most `bytes` UTF-8 bytes, whole code points only. */
function prefixBytes(s: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const ch of s) {
    const n = encoder.encode(ch).length;
    if (used + n > bytes) break;
    used += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

/**
 * Makes one path component safe from a tag value:
 * - `undefined`, `null`, empty or blank → {@linkcode MISSING};
 * - separators (`/`, `\`), NUL and every control character (C0, DEL, C1), and the
 *   characters Windows forbids (`: * ? " < > |`) → `_`; lone surrogates → U+FFFD;
 *   surrounding spaces trimmed;
 * - names made only of dots (`.`, `..`) → as many `_`; a trailing dot → `._`;
 *   Windows device names (`CON`, `NUL`, `COM1`...) get a leading `_`;
 * - longer than {@linkcode MAX_COMPONENT_BYTES} UTF-8 bytes → its first 80 bytes, `~`
 *   and 8 hex digits of a hash of the whole value, so distinct long values stay distinct.
 *
 * Arrays (multi-valued elements) are joined with `\` first.
 *
 * @example
 * ```ts
 * import { safeComponent } from "./convert.ts";
 * console.log(safeComponent("../../etc"), safeComponent(""), safeComponent(7)); // .._.._etc _missing_ 7
 * ```
 */
export function safeComponent(value: unknown): string {
  let s = value === undefined || value === null
    ? ""
    : Array.isArray(value)
    ? value.map((v) => String(v ?? "")).join("\\")
    : String(value);
  s = s.toWellFormed();
  // deno-lint-ignore no-control-regex -- control characters are what we remove
  s = s.replace(/[\x00-\x1f\x7f-\x9f/\\:*?"<>|]/g, "_").trim();
  if (s === "") return MISSING;
  if (/^\.+$/.test(s)) return "_".repeat(s.length > 8 ? 8 : s.length);
  if (s.endsWith(".")) s += "_";
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i.test(s)) s = `_${s}`;
  if (encoder.encode(s).length > MAX_COMPONENT_BYTES) {
    s = `${prefixBytes(s, 80)}~${fingerprint(s)}`;
  }
  return s;
}

/**
 * The text of an attribute for a file name, from the instance's directory records: the
 * value as stored for IS and DS (pydicom's `str()` keeps `0005`), else the decoded value.
 */
function attribute(inst: FileInstance, keyword: string): unknown {
  const el = inst.element(keyword);
  if (!el) return undefined;
  if ((el.vr === "IS" || el.vr === "DS") && el.bytes) {
    let text = "";
    for (const b of el.bytes) text += String.fromCharCode(b);
    return text.replace(/[\0 ]+$/, "").trim();
  }
  const v = el.value;
  return ArrayBuffer.isView(v) ? undefined : v;
}

/**
 * The output path (without extension) of each instance, in the order given:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}`, each part made safe
 * by {@linkcode safeComponent}; a path already taken (compared case-insensitively, for
 * macOS and Windows) gets `_dup1`, `_dup2`... in that order.
 *
 * @example
 * ```ts
 * import { fileSet } from "../lib/fileset/file_set.ts";
 * import { planNames } from "./convert.ts";
 * const names = planNames([...fileSet("fixtures/ct_phantom")], "out");
 * console.log(names[0]); // out/PHANTOM01/20240115/2/1
 * ```
 */
export function planNames(instances: Iterable<FileInstance>, out: string): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  const root = out.endsWith("/") ? out.slice(0, -1) : out;
  for (const inst of instances) {
    const parts = ["PatientID", "StudyDate", "SeriesNumber", "InstanceNumber"].map((k) =>
      safeComponent(attribute(inst, k))
    );
    let rel = parts.join("/");
    if (taken.has(rel.toLowerCase())) {
      let n = 1;
      while (taken.has(`${rel}_dup${n}`.toLowerCase())) n++;
      rel = `${rel}_dup${n}`;
    }
    taken.add(rel.toLowerCase());
    names.push(`${root}/${rel}`);
  }
  return names;
}

/** Options of {@linkcode convert}. */
export interface ConvertOptions {
  /** `"jpeg"` (default) or `"png"`. */
  format?: "jpeg" | "png";
  /** JPEG quality 1-100 (default 75). */
  quality?: number;
  /** 8 (default) or 16 (PNG only). */
  bitDepth?: 8 | 16;
  /** The dataset's window or VOI LUT item to apply (default 0). */
  window?: number;
  /** Center of a window of your own (with `width`). */
  center?: number;
  /** Width of a window of your own (with `center`). */
  width?: number;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  /** Images already there: a failure (`"fail"`, default), kept, or redone. */
  existing?: ExistingPolicy;
  /** Progress on stderr: `"none"` (default), `"bar"` (a terminal) or `"lines"`. */
  progress?: "none" | "bar" | "lines";
  /** Stops the run gracefully: images being written are finished, nothing new starts. */
  signal?: AbortSignal;
  /** Stops the run at once: workers are terminated and their `.partial` files removed. */
  stopNow?: AbortSignal;
}

/** A failure in the report. */
export interface Failure {
  /** The input file. */
  path: string;
  /** Error class (`InvalidFileError`, `CodecError`, `NotFound`, `Exists`, `ENOSPC`...). */
  kind: string;
  /** What went wrong. */
  message: string;
  /** The frame of a multi-frame instance. */
  frame?: number;
  /** The output path without extension. */
  output: string;
}

/** The report of a run (`--json`). */
export interface ConvertReport {
  /** The input as given. */
  input: string;
  /** The output folder as given. */
  out: string;
  /** Instances in the file-set. */
  instances: number;
  /** Instances converted by this run (a resumed multi-frame one: its missing images). */
  converted: number;
  /** Instances left alone: their images were there (`--skip-existing`). */
  skipped: number;
  /** Images written by this run. */
  images: number;
  /** Every failure, in record order. */
  failed: Failure[];
  /** What the file-set reader skipped or repaired (files that are not DICOM...). */
  warnings: string[];
  /** Worker threads used. */
  jobs: number;
  /** True when the run was stopped. */
  interrupted: boolean;
  /** Instances not finished because of the interrupt. */
  notDone: number;
  /** Wall time of the run. */
  seconds: number;
  /** Images written per second. */
  imagesPerSecond: number;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

/**
 * One progress report: a bar (`[####......] 12/60 20% 9.8/s ETA 5s`) for a terminal of
 * `columns` columns, or a plain line (`progress: 12/60 20% 9.8/s ETA 5s`) without.
 *
 * @example
 * ```ts
 * import { progressText } from "./convert.ts";
 * console.log(progressText(12, 60, 0, 1.2)); // progress: 12/60 20% 10.0/s ETA 5s
 * ```
 */
export function progressText(
  done: number,
  total: number,
  failed: number,
  seconds: number,
  columns?: number,
): string {
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = done >= total ? 0 : rate > 0 ? (total - done) / rate : Infinity;
  const pct = total ? Math.floor(done * 100 / total) : 100;
  const tail = `${done}/${total} ${pct}% ${rate.toFixed(1)}/s ETA ${formatDuration(eta)}${
    failed ? ` (${failed} failed)` : ""
  }`;
  if (columns === undefined) return `progress: ${tail}`;
  const width = Math.max(10, Math.min(40, columns - tail.length - 4));
  const fill = total ? Math.round(width * done / total) : width;
  return `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${tail}`;
}

class Progress {
  #mode: "none" | "bar" | "lines";
  #start = performance.now();
  #last = -Infinity;
  #total: number;
  constructor(total: number, mode: "none" | "bar" | "lines") {
    this.#total = total;
    this.#mode = mode;
  }
  update(done: number, failed: number, final = false): void {
    if (this.#mode === "none") return;
    const now = performance.now();
    if (!final && now - this.#last < (this.#mode === "bar" ? 100 : 2000)) return;
    this.#last = now;
    const seconds = (now - this.#start) / 1000;
    if (this.#mode === "bar") {
      let columns = 80;
      try {
        columns = Deno.consoleSize().columns;
      } catch { /* not a console after all */ }
      const text = progressText(done, this.#total, failed, seconds, columns);
      Deno.stderr.writeSync(encoder.encode(`\r${text}\x1b[K${final ? "\n" : ""}`));
    } else {
      console.error(progressText(done, this.#total, failed, seconds));
    }
  }
  note(message: string): void {
    if (this.#mode === "none") return;
    console.error(`${this.#mode === "bar" ? "\n" : ""}${message}`);
  }
}

/** One planned instance. */
interface Plan {
  task: ConvertTask;
  instance: FileInstance;
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
 * 50-70 MB. It answers the same messages as `_convert_worker.ts`.
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
  worker: Worker | MainThreadWorker;
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
 * DICOM files) to images under `out`, with Web Workers; returns the report. Failures
 * never throw: they are in the report. Throws only when the input cannot be opened.
 *
 * @example
 * ```ts
 * import { convert } from "./convert.ts";
 * const out = Deno.makeTempDirSync();
 * const report = await convert("fixtures/ct_phantom", out, { format: "png", jobs: 2 });
 * console.log(report.images, report.failed.length); // 12 0
 * ```
 */
export async function convert(
  input: string,
  out: string,
  options: ConvertOptions = {},
): Promise<ConvertReport> {
  const t0 = performance.now();
  const settings: ConvertSettings = {
    format: options.format ?? "jpeg",
    quality: options.quality ?? 75,
    bitDepth: options.bitDepth ?? 8,
    window: options.window ?? 0,
    center: options.center,
    width: options.width,
  };
  const policy = options.existing ?? "fail";
  const ext = settings.format === "png" ? "png" : "jpg";
  const fs = fileSet(input);
  const instances = [...fs];
  const names = planNames(instances, out);
  const plans: Plan[] = [];
  const failures: Failure[] = [];
  const failureIds = new Map<Failure, number>();
  const fail = (id: number, inst: FileInstance, outBase: string, e: ConvertError) => {
    const f: Failure = { path: inst.path, kind: e.kind, message: e.message, output: outBase };
    if (e.frame !== undefined) f.frame = e.frame;
    failures.push(f);
    failureIds.set(f, id);
  };
  let skipped = 0;
  instances.forEach((instance, id) => {
    const outBase = names[id];
    const task: ConvertTask = { id, path: instance.path, outBase, existing: policy };
    const single = `${outBase}.${ext}`;
    const first = `${outBase}_0.${ext}`;
    if (policy === "skip" && exists(single)) {
      skipped++;
      return;
    }
    if (policy === "fail" && (exists(single) || exists(first))) {
      fail(id, instance, outBase, {
        kind: "Exists",
        message: `${exists(single) ? single : first} is already there ` +
          `(use --skip-existing or --overwrite)`,
      });
      return;
    }
    plans.push({ task, instance });
  });

  const progress = new Progress(plans.length, options.progress ?? "none");
  const jobs = Math.max(
    1,
    Math.min(Math.floor(options.jobs ?? navigator.hardwareConcurrency ?? 1), plans.length),
  );
  // Tasks given ahead to each worker thread: it never waits for the main thread, which
  // answers only between its own images (30 ms apart for JPEG 2000). The main thread
  // takes its next task as it finishes one.
  const depth = (slot: Slot) => slot.worker instanceof MainThreadWorker ? 1 : 3;
  const abortBuffer = new SharedArrayBuffer(4);
  const abortFlag = new Int32Array(abortBuffer);
  const queue = plans.slice();
  const slots: Slot[] = [];
  const finished = Promise.withResolvers<void>();
  let images = 0, converted = 0, done = 0, notDone = 0;
  let stopping = false, stopped = false;

  const checkDone = () => {
    if (slots.every((s) => s.assigned.length === 0) && (stopping || queue.length === 0)) {
      finished.resolve();
    }
  };
  const feed = (slot: Slot) => {
    while (!stopping && slot.assigned.length < depth(slot) && queue.length) {
      const plan = queue.shift()!;
      slot.assigned.push(plan);
      slot.worker.postMessage({ type: "task", task: plan.task } satisfies WorkerRequest);
    }
  };
  const record = (plan: Plan, r: ConvertResult) => {
    images += r.written.length;
    for (const e of r.errors) fail(plan.task.id, plan.instance, plan.task.outBase, e);
    if (r.interrupted) notDone++;
    else if (r.errors.length === 0 && r.written.length === 0 && r.skipped > 0) skipped++;
    else if (r.errors.length === 0) converted++;
    done++;
    progress.update(done, failures.length);
  };
  const spawn = (onMain = false): Slot => {
    const worker = onMain
      ? new MainThreadWorker()
      : new Worker(new URL("./_convert_worker.ts", import.meta.url), { type: "module" });
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
          errors: [{ kind: "WorkerError", message: `worker crashed: ${e.message}` }],
          interrupted: false,
        });
      }
      queue.unshift(...rest);
      if (!stopping && queue.length) {
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
    const busy = slots.reduce((n, s) => n + s.assigned.length, 0);
    if (busy) progress.note(`interrupted: finishing the images being written`);
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

  if (!stopping && plans.length) {
    // jobs - 1 worker threads, and the main thread itself
    for (let i = 0; i < jobs; i++) slots.push(spawn(i === jobs - 1));
    for (const slot of slots) feed(slot);
  } else {
    finished.resolve();
  }
  await finished.promise;
  options.signal?.removeEventListener("abort", onStop);
  options.stopNow?.removeEventListener("abort", onStopNow);
  for (const s of slots) s.worker.terminate();
  notDone += queue.length;
  progress.update(done, failures.length, true);
  const seconds = (performance.now() - t0) / 1000;
  failures.sort((a, b) =>
    (failureIds.get(a)! - failureIds.get(b)!) || ((a.frame ?? -1) - (b.frame ?? -1))
  );
  return {
    input,
    out,
    instances: instances.length,
    converted,
    skipped,
    images,
    failed: failures,
    warnings: [...fs.warnings],
    jobs: slots.length,
    interrupted: stopping,
    notDone,
    seconds,
    imagesPerSecond: seconds > 0 ? images / seconds : 0,
  };
}

/** The command line, parsed. */
interface Cli {
  input: string;
  out: string;
  options: ConvertOptions;
  quiet: boolean;
  json: boolean;
}

function usage(message: string): never {
  console.error(`convert: ${message}\n\n${HELP}`);
  Deno.exit(2);
}

function integer(text: string | undefined, name: string, min: number, max = Infinity): number {
  const n = Number(text);
  if (text === undefined || !/^\s*\d+\s*$/.test(text) || n < min || n > max) {
    usage(
      `${name} must be an integer from ${min}${
        max < Infinity ? ` to ${max}` : " up"
      }, not "${text}"`,
    );
  }
  return n;
}

function parse(argv: string[]): Cli {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", default: "jpeg" },
        quality: { type: "string", default: "75" },
        "bit-depth": { type: "string", default: "8" },
        window: { type: "string", default: "0" },
        center: { type: "string" },
        width: { type: "string" },
        jobs: { type: "string" },
        "skip-existing": { type: "boolean", default: false },
        overwrite: { type: "boolean", default: false },
        quiet: { type: "boolean", short: "q", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  if (positionals.length !== 2) usage(`expected an input and an output folder`);
  const format = values.format === "png"
    ? "png"
    : values.format === "jpeg" || values.format === "jpg"
    ? "jpeg"
    : usage(`--format must be jpeg or png, not "${values.format}"`);
  const bitDepth = integer(values["bit-depth"], "--bit-depth", 8, 16);
  if (bitDepth !== 8 && bitDepth !== 16) usage(`--bit-depth must be 8 or 16`);
  if (bitDepth === 16 && format !== "png") usage(`--bit-depth 16 needs --format png`);
  const quality = integer(values.quality, "--quality", 1, 100);
  const window = integer(values.window, "--window", 0);
  if ((values.center === undefined) !== (values.width === undefined)) {
    usage(`--center and --width go together`);
  }
  let center: number | undefined, width: number | undefined;
  if (values.center !== undefined) {
    center = Number(values.center);
    width = Number(values.width);
    if (values.center.trim() === "" || !Number.isFinite(center)) {
      usage(`--center must be a number, not "${values.center}"`);
    }
    if (values.width!.trim() === "" || !(width > 0) || !Number.isFinite(width)) {
      usage(`--width must be a number above 0, not "${values.width}"`);
    }
  }
  const jobs = values.jobs === undefined
    ? navigator.hardwareConcurrency || 1
    : integer(values.jobs, "--jobs", 1);
  if (values["skip-existing"] && values.overwrite) {
    usage(`--skip-existing and --overwrite exclude each other`);
  }
  return {
    input: positionals[0],
    out: positionals[1].replace(/(.)\/+$/, "$1"),
    options: {
      format,
      quality,
      bitDepth: bitDepth as 8 | 16,
      window,
      center,
      width,
      jobs,
      existing: values["skip-existing"] ? "skip" : values.overwrite ? "overwrite" : "fail",
      progress: values.quiet ? "none" : Deno.stderr.isTerminal() ? "bar" : "lines",
    },
    quiet: values.quiet,
    json: values.json,
  };
}

function summary(report: ConvertReport, quiet: boolean): string {
  const lines: string[] = [];
  if (!quiet) {
    lines.push(
      `${report.images} image(s) from ${report.converted} instance(s) in ` +
        `${report.seconds.toFixed(2)} s (${report.imagesPerSecond.toFixed(1)} images/s) ` +
        `to ${report.out}` +
        (report.skipped ? `, ${report.skipped} instance(s) skipped (already there)` : ""),
    );
    for (const w of report.warnings) lines.push(`warning: ${w}`);
  }
  if (report.interrupted) {
    lines.push(
      `interrupted: ${report.notDone} instance(s) not done; ` +
        `run again with --skip-existing to finish`,
    );
  }
  if (report.failed.length) {
    lines.push(`${report.failed.length} failed:`);
    for (const f of report.failed) {
      const frame = f.frame === undefined ? "" : ` (frame ${f.frame})`;
      lines.push(`  ${f.path}${frame}: ${f.kind}: ${f.message}`);
    }
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const cli = parse(Deno.args);
  const graceful = new AbortController();
  const now = new AbortController();
  let signalCode = 130;
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const handlers = signals.map((sig) => {
    const handler = () => {
      signalCode = sig === "SIGTERM" ? 143 : 130;
      if (graceful.signal.aborted) now.abort();
      else graceful.abort();
    };
    Deno.addSignalListener(sig, handler);
    return [sig, handler] as const;
  });
  let report: ConvertReport;
  try {
    report = await convert(cli.input, cli.out, {
      ...cli.options,
      signal: graceful.signal,
      stopNow: now.signal,
    });
  } catch (e) {
    console.error(`convert: ${(e as Error).message}`);
    Deno.exit(2);
  }
  for (const [sig, handler] of handlers) Deno.removeSignalListener(sig, handler);
  if (cli.json) console.log(JSON.stringify(report, null, 2));
  const text = summary(report, cli.quiet);
  if (text) console.error(text);
  Deno.exit(report.interrupted ? signalCode : report.failed.length ? 1 : 0);
}
