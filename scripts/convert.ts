/**
 * Converts a whole DICOM file-set to images, the tutorial's job:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.jpg`.
 *
 * ```sh
 * deno run -A scripts/convert.ts <DICOMDIR | folder> <out> [flags]
 * ```
 *
 * Flags: `--format jpeg|png`, `--quality N`, `--bit-depth 8|16` (PNG), `--window N`,
 * `--center C --width W`, `--jobs N` (default: all cores), `--skip-existing`,
 * `--overwrite`, `--quiet`, `--json`.
 *
 * Every image is written under a temporary name and renamed, so an interrupted run
 * leaves no half-written file; a bad or missing instance never stops the run: the
 * summary lists each failure, and the exit code is 1 when anything failed (130 when
 * interrupted).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileSet } from "../lib/fileset/file_set.ts";
import type { ConvertResult, ConvertSettings, ConvertTask } from "./_convert_core.ts";
import type { WorkerRequest } from "./_convert_worker.ts";

const HELP = `usage: deno run -A scripts/convert.ts <DICOMDIR | folder> <out> [flags]

  --format jpeg|png   image format (default jpeg)
  --quality N         JPEG quality 1-100 (default 75)
  --bit-depth 8|16    PNG bit depth (default 8; 16 keeps the VOI output unscaled)
  --window N          which VOI window / VOI LUT of the dataset (default 0)
  --center C --width W  a window of your own instead
  --jobs N            worker threads (default: number of cores)
  --skip-existing     keep images that are already there (resume a run)
  --overwrite         redo images that are already there (default: they count as failures)
  --quiet             no progress
  --json              print a machine-readable report on stdout
`;

/** Placeholder used for an empty or missing attribute in an output path. */
export const MISSING = "_missing_";

/**
 * Makes one path component safe: no separators, NUL or control characters, never `.`
 * or `..`, never empty (then {@linkcode MISSING}).
 */
export function safeComponent(value: unknown): string {
  let s = value === undefined || value === null
    ? ""
    : Array.isArray(value)
    ? String(value[0] ?? "")
    : String(value);
  // deno-lint-ignore no-control-regex -- control characters are what we remove
  s = s.trim().replace(/[\x00-\x1f\x7f/\\:*?"<>|]/g, "_");
  if (s === "") return MISSING;
  if (/^\.+$/.test(s)) return s.replace(/\./g, "_");
  return s.slice(0, 128);
}

interface Args {
  input: string;
  out: string;
  settings: ConvertSettings;
  jobs: number;
  skipExisting: boolean;
  overwrite: boolean;
  quiet: boolean;
  json: boolean;
}

function parse(argv: string[]): Args {
  const { values, positionals } = parseArgs({
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
      quiet: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length !== 2) {
    console.error(HELP);
    Deno.exit(values.help ? 0 : 2);
  }
  const format = values.format === "png"
    ? "png"
    : values.format === "jpeg" || values.format === "jpg"
    ? "jpeg"
    : undefined;
  if (!format) fail(`--format must be jpeg or png, not ${values.format}`);
  const bitDepth = Number(values["bit-depth"]);
  if (bitDepth !== 8 && bitDepth !== 16) fail(`--bit-depth must be 8 or 16`);
  if (bitDepth === 16 && format !== "png") fail(`--bit-depth 16 needs --format png`);
  const quality = Number(values.quality);
  if (!(quality >= 1 && quality <= 100)) fail(`--quality must be 1-100`);
  if ((values.center === undefined) !== (values.width === undefined)) {
    fail(`--center and --width go together`);
  }
  const jobs = values.jobs ? Number(values.jobs) : navigator.hardwareConcurrency || 1;
  if (!(jobs >= 1)) fail(`--jobs must be at least 1`);
  if (values["skip-existing"] && values.overwrite) {
    fail(`--skip-existing and --overwrite exclude each other`);
  }
  return {
    input: positionals[0],
    out: positionals[1].replace(/\/+$/, "") || "/",
    settings: {
      format: format!,
      quality,
      bitDepth: bitDepth as 8 | 16,
      window: Number(values.window),
      center: values.center === undefined ? undefined : Number(values.center),
      width: values.width === undefined ? undefined : Number(values.width),
    },
    jobs: Math.floor(jobs),
    skipExisting: values["skip-existing"],
    overwrite: values.overwrite,
    quiet: values.quiet,
    json: values.json,
  };
}

function fail(message: string): never {
  console.error(`convert: ${message}`);
  Deno.exit(2);
}

/** One planned instance. */
interface Plan {
  task: ConvertTask;
  path: string;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A failure in the final report. */
export interface Failure {
  /** The input file. */
  path: string;
  /** Error class, e.g. `CodecError`, `NotFound`. */
  kind: string;
  /** What went wrong. */
  message: string;
}

/** The final report (`--json`). */
export interface Report {
  input: string;
  out: string;
  instances: number;
  converted: number;
  skipped: number;
  images: number;
  failed: Failure[];
  seconds: number;
  imagesPerSecond: number;
  interrupted: boolean;
}

class Progress {
  #tty: boolean;
  #quiet: boolean;
  #start = performance.now();
  #last = 0;
  #total: number;
  constructor(total: number, quiet: boolean) {
    this.#total = total;
    this.#quiet = quiet;
    this.#tty = Deno.stderr.isTerminal();
  }
  update(done: number, failed: number, final = false): void {
    if (this.#quiet) return;
    const now = performance.now();
    if (!final && now - this.#last < (this.#tty ? 100 : 2000)) return;
    this.#last = now;
    const secs = (now - this.#start) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    const eta = rate > 0 ? (this.#total - done) / rate : 0;
    const pct = this.#total ? Math.floor(done * 100 / this.#total) : 100;
    const tail = `${done}/${this.#total} ${pct}% ${rate.toFixed(1)} img/s ETA ${eta.toFixed(1)}s${
      failed ? ` (${failed} failed)` : ""
    }`;
    if (this.#tty) {
      const width = 30;
      const fill = Math.round(width * done / Math.max(this.#total, 1));
      const bar = "#".repeat(fill) + ".".repeat(width - fill);
      Deno.stderr.writeSync(
        new TextEncoder().encode(`\r[${bar}] ${tail}\x1b[K${final ? "\n" : ""}`),
      );
    } else {
      console.error(`progress: ${tail}`);
    }
  }
}

/**
 * Runs the job; returns the report. Used by the CLI below and by tests.
 */
export async function convert(args: Args): Promise<Report> {
  const t0 = performance.now();
  const fs = fileSet(args.input);
  const plans: Plan[] = [];
  const taken = new Map<string, number>();
  const failures: Failure[] = [];
  let skipped = 0;
  let id = 0;
  for (const inst of fs) {
    const parts = [inst.PatientID, inst.StudyDate, inst.SeriesNumber].map(safeComponent);
    const name = safeComponent(inst.InstanceNumber);
    let base = `${args.out}/${parts.join("/")}/${name}`;
    const n = taken.get(base) ?? 0;
    taken.set(base, n + 1);
    if (n > 0) base = `${base}_dup${n}`;
    const ext = args.settings.format === "png" ? "png" : "jpg";
    const task = { id: id++, path: inst.path, outBase: base };
    if (exists(`${base}.${ext}`) || exists(`${base}_0.${ext}`)) {
      if (args.skipExisting) {
        skipped++;
        continue;
      }
      if (!args.overwrite) {
        failures.push({
          path: inst.path,
          kind: "Exists",
          message: `${base}.${ext} already exists (use --skip-existing or --overwrite)`,
        });
        continue;
      }
    }
    plans.push({ task, path: inst.path });
  }
  const progress = new Progress(plans.length, args.quiet);
  let images = 0, converted = 0, done = 0, interrupted = false;
  const jobs = Math.max(1, Math.min(args.jobs, plans.length));
  const workers: Worker[] = [];
  const inFlight = new Map<number, Plan>();
  let next = 0;
  const finished = Promise.withResolvers<void>();
  const onSignal = () => {
    interrupted = true;
    for (const w of workers) w.terminate();
    for (const p of inFlight.values()) {
      for (const ext of ["jpg", "png"]) {
        try {
          Deno.removeSync(`${p.task.outBase}.${ext}.partial`);
        } catch { /* not there */ }
      }
    }
    finished.resolve();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  const dispatch = (w: Worker) => {
    if (interrupted) return;
    if (next >= plans.length) {
      if (inFlight.size === 0) finished.resolve();
      return;
    }
    const plan = plans[next++];
    inFlight.set(plan.task.id, plan);
    w.postMessage({ type: "task", task: plan.task } satisfies WorkerRequest);
  };
  for (let i = 0; i < jobs; i++) {
    const w = new Worker(new URL("./_convert_worker.ts", import.meta.url), { type: "module" });
    w.postMessage({ type: "settings", settings: args.settings } satisfies WorkerRequest);
    w.onmessage = (e: MessageEvent<ConvertResult>) => {
      const r = e.data;
      const plan = inFlight.get(r.id)!;
      inFlight.delete(r.id);
      done++;
      images += r.written.length;
      if (r.error) failures.push({ path: plan.path, kind: r.error.kind, message: r.error.message });
      else converted++;
      progress.update(done, failures.length);
      dispatch(w);
    };
    w.onerror = (e) => {
      e.preventDefault();
      failures.push({ path: "(worker)", kind: "WorkerError", message: e.message });
      finished.resolve();
    };
    workers.push(w);
  }
  if (plans.length === 0) finished.resolve();
  for (const w of workers) {
    dispatch(w);
    if (jobs > 1) dispatch(w); // keep a second task queued per worker
  }
  await finished.promise;
  Deno.removeSignalListener("SIGINT", onSignal);
  for (const w of workers) w.terminate();
  progress.update(done, failures.length, true);
  const seconds = (performance.now() - t0) / 1000;
  return {
    input: args.input,
    out: args.out,
    instances: plans.length + skipped + failures.filter((f) => f.kind === "Exists").length,
    converted,
    skipped,
    images,
    failed: failures,
    seconds,
    imagesPerSecond: images / seconds,
    interrupted,
  };
}

if (import.meta.main) {
  const args = parse(Deno.args);
  let report: Report;
  try {
    report = await convert(args);
  } catch (e) {
    fail((e as Error).message);
  }
  if (args.json) console.log(JSON.stringify(report, null, 2));
  if (!args.quiet || report.failed.length) {
    console.error(
      `${report.images} image(s) from ${report.converted} instance(s) in ${
        report.seconds.toFixed(2)
      } s ` +
        `(${report.imagesPerSecond.toFixed(1)} images/s) to ${report.out}` +
        (report.skipped ? `, ${report.skipped} skipped (already there)` : ""),
    );
    if (report.failed.length) {
      console.error(`${report.failed.length} failed:`);
      for (const f of report.failed) console.error(`  ${f.path}: ${f.kind}: ${f.message}`);
    }
  }
  Deno.exit(report.interrupted ? 130 : report.failed.length ? 1 : 0);
}
