/**
 * The fuzz harness: seeded, reproducible mutations of the project's own fixtures and of
 * the corpus, sent through the whole toolkit. Every outcome must be a result or a typed
 * `DicomError`; anything else is a finding, and so is a case slower than 2 s (plus 40 ms
 * per MiB of its largest array), a hang, an allocation larger than the input justifies, a
 * truncated value read without a warning, a strict read that disagrees with the lenient
 * one, or a file-set instance outside its root.
 *
 * ```sh
 * deno task fuzz                          # 2000 cases, seed 1, the project's seeds only
 * deno task fuzz --cases 100000           # the long run
 * deno task fuzz --cases 5000 --seed 7 --corpus          # and mutations of ../shared/corpus
 * deno task fuzz --corpus path/to/files/dev               # another corpus folder
 * deno task fuzz --seed 7 --case 1234     # replay one case, in this process, with its stack
 * deno task fuzz --seed 7 --case 1234 --save out/         # and write its input to out/
 * deno task fuzz --workers 4 --save findings/             # inputs of all findings saved
 * ```
 *
 * Flags:
 * - `--cases N`: number of cases (default 2000), numbered from `--start` (default 0).
 * - `--seed S`: the run's seed (default 1). Case `I` draws everything from a PRNG seeded
 *   with `(S, I)`, so `--seed S --case I` replays it alone.
 * - `--corpus [DIR]`: also mutate the corpus files and its DICOMDIR file-sets (default
 *   DIR: `../shared/corpus/files/dev`).
 * - `--case I`: run case `I` only, in this process, and print its input and stages.
 * - `--workers W`: worker count (default: the number of CPUs, at most 4).
 * - `--timeout MS`: a case running longer is killed as a hang (default 30000).
 * - `--save DIR`: write the input of each finding to `DIR/seed-S-case-I.dcm`.
 *
 * Inputs are the CT phantom (`makeCtSlice`) written in explicit/implicit/big-endian/
 * deflated syntaxes and as RLE, JPEG baseline and lossless, JPEG-LS and JPEG 2000, in
 * several pixel formats (multi-frame, RGB, YBR_FULL_422, palette, segmented palette,
 * 1-bit, float, signed, Modality and VOI LUT sequences), a DICOMDIR, and with `--corpus`
 * every corpus file. Mutations: dataset edits before writing (giant or tiny sizes, bits,
 * samples, frame counts, photometric interpretations, LUTs, garbage fragments) and byte
 * edits after it (truncation at element, item and fragment boundaries, bit flips, length
 * fields set to 0xFFFFFFFF and other lies, random VRs and tags, deep nesting, chunks),
 * a lying file meta, and deflate bombs.
 *
 * The exported {@linkcode fuzz} runs the same from code (the CI test uses it).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import {
  type CaseResult,
  createContext,
  disposeContext,
  type Finding,
  type FromWorker,
  runCase,
  type ToWorker,
} from "./_fuzz_run.ts";

export type { CaseResult, Finding, FindingKind } from "./_fuzz_run.ts";
// the hand-made lossless JPEG seed, for the regression tests built on it
export { losslessJpeg2x2 } from "./_fuzz_inputs.ts";

/** The corpus folder used by `--corpus` without a value. */
export const DEFAULT_CORPUS: string = fileURLToPath(
  new URL("../../shared/corpus/files/dev", import.meta.url),
);

/** Options of {@linkcode fuzz}. */
export interface FuzzOptions {
  /** Number of cases (default 2000). */
  cases?: number;
  /** First case index (default 0). */
  start?: number;
  /** The run's seed (default 1). */
  seed?: number;
  /** A corpus folder whose files (and DICOMDIR file-sets) are mutated too. */
  corpus?: string;
  /** Worker count (default: CPUs, at most 4). */
  workers?: number;
  /** A case running longer is killed and reported as a hang (default 30000 ms). */
  timeoutMs?: number;
  /** A case slower than this is a finding (default 2000 ms). */
  slowMs?: number;
  /** Keep the input bytes of the cases with findings (in `report.inputs`). */
  keepInputs?: boolean;
  /** Called after each case. */
  onCase?: (result: CaseResult) => void;
}

/** What a run found. */
export interface FuzzReport {
  /** The run's seed. */
  seed: number;
  /** Cases run. */
  cases: number;
  /** Wall-clock time of the run, workers' start-up included. */
  ms: number;
  /** `cases` per second of `ms`. */
  casesPerSecond: number;
  /** Every finding, by case index. */
  findings: Finding[];
  /** For each stage, how often each outcome (`ok` or an error class) happened. */
  outcomes: Record<string, Record<string, number>>;
  /** The slowest case and its time. */
  slowest: { index: number; ms: number; source: string };
  /** The input of each case with findings, by case index (with `keepInputs`). */
  inputs: Map<number, Uint8Array>;
}

const WORKER_URL = new URL("./_fuzz_run.ts", import.meta.url);

interface Pending {
  index: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Runs `cases` seeded cases in workers and returns what they found. A case that runs
 * past `timeoutMs` has its worker terminated (a "hang" finding) and a new one started.
 *
 * @example
 * ```ts ignore
 * import { fuzz } from "./fuzz.ts";
 * const report = await fuzz({ cases: 200, seed: 3 });
 * console.log(report.casesPerSecond, report.findings.length);
 * ```
 */
export async function fuzz(options: FuzzOptions = {}): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const cases = options.cases ?? 2000;
  const start = options.start ?? 0;
  const timeoutMs = options.timeoutMs ?? 30000;
  const workerCount = Math.max(
    1,
    Math.min(options.workers ?? Math.min(4, navigator.hardwareConcurrency || 1), cases),
  );
  const report: FuzzReport = {
    seed,
    cases,
    ms: 0,
    casesPerSecond: 0,
    findings: [],
    outcomes: {},
    slowest: { index: -1, ms: 0, source: "" },
    inputs: new Map(),
  };
  const t0 = performance.now();
  let next = start;
  const end = start + cases;

  function collect(result: CaseResult): void {
    report.findings.push(...result.findings);
    for (const [stage, outcome] of Object.entries(result.outcomes)) {
      const counts = report.outcomes[stage] ??= {};
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    if (result.ms > report.slowest.ms) {
      report.slowest = { index: result.index, ms: result.ms, source: result.source };
    }
    if (result.bytes) report.inputs.set(result.index, result.bytes);
    options.onCase?.(result);
  }

  function lost(index: number, kind: "hang" | "crash", message: string): void {
    const f: Finding = {
      kind,
      seed,
      index,
      source: "(see --case)",
      mutations: [],
      stage: "worker",
      message,
    };
    collect({
      index,
      source: f.source,
      mutations: [],
      size: 0,
      outcomes: {},
      findings: [f],
      ms: kind === "hang" ? timeoutMs : 0,
      maxAllocation: 0,
    });
  }

  /** One worker's loop: take the next case until none is left; restart after a hang. */
  async function lane(): Promise<void> {
    while (next < end) {
      const worker = new Worker(WORKER_URL, { type: "module", name: "dicom-fuzz" });
      const done = await new Promise<boolean>((resolveLane) => {
        let pending: Pending | undefined;
        const finish = (allDone: boolean) => {
          if (pending) clearTimeout(pending.timer);
          worker.terminate();
          resolveLane(allDone);
        };
        const send = () => {
          if (next >= end) {
            finish(true);
            return;
          }
          const index = next++;
          const timer = setTimeout(() => {
            lost(index, "hang", `case ${index} ran longer than ${timeoutMs} ms: worker killed`);
            finish(false);
          }, timeoutMs);
          pending = { index, timer };
          const keepBytes = options.keepInputs ? "findings" : undefined;
          const m: ToWorker = { type: "case", seed, index, keepBytes };
          worker.postMessage(m);
        };
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          const m = e.data;
          if (m.type === "ready") send();
          else if (m.type === "result") {
            clearTimeout(pending!.timer);
            pending = undefined;
            collect(m.result);
            send();
          } else {
            clearTimeout(pending!.timer);
            lost(m.index, "crash", `the harness failed on case ${m.index}: ${m.message}`);
            pending = undefined;
            send();
          }
        };
        worker.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          if (pending) lost(pending.index, "crash", `worker died: ${e.message}`);
          finish(false);
        };
        const init: ToWorker = { type: "init", corpus: options.corpus, slowMs: options.slowMs };
        worker.postMessage(init);
      });
      if (done) return;
    }
  }

  await Promise.all(Array.from({ length: workerCount }, () => lane()));
  report.ms = performance.now() - t0;
  report.casesPerSecond = cases / (report.ms / 1000);
  report.findings.sort((a, b) => a.index - b.index);
  return report;
}

/**
 * Makes and runs one case in this process (no worker, no time limit): for replaying a
 * finding with its stack.
 *
 * @example
 * ```ts ignore
 * import { replay } from "./fuzz.ts";
 * const result = await replay({ seed: 7, index: 1234 });
 * console.log(result.source, result.mutations, result.outcomes);
 * ```
 */
export async function replay(
  options: { seed: number; index: number; corpus?: string },
): Promise<CaseResult> {
  const ctx = await createContext({ corpus: options.corpus });
  try {
    return runCase(ctx, options.seed, options.index, { keepBytes: "always" });
  } finally {
    disposeContext(ctx);
  }
}

/** A finding as one line, with the command that replays it. */
export function describeFinding(f: Finding, corpus?: string): string {
  const replayCmd = `deno task fuzz --seed ${f.seed} --case ${f.index}${
    corpus ? ` --corpus ${corpus === DEFAULT_CORPUS ? "" : corpus}`.trimEnd() : ""
  }`;
  const what = f.mutations.length ? ` [${f.mutations.join("; ")}]` : "";
  return `${f.kind} in ${f.stage}: ${f.message}\n  seed ${f.seed} case ${f.index}: ${f.source}${what}\n  replay: ${replayCmd}`;
}

function parseArgs(args: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    const value = args[i + 1];
    if (value !== undefined && !value.startsWith("--")) {
      out[key] = value;
      i++;
    } else out[key] = true;
  }
  return out;
}

function numberFlag(flags: Record<string, string | true>, key: string): number | undefined {
  const v = flags[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n)) throw new Error(`--${key} needs an integer`);
  return n;
}

async function main(): Promise<number> {
  const flags = parseArgs(Deno.args);
  const known = ["cases", "seed", "corpus", "case", "workers", "timeout", "save", "start"];
  for (const k of Object.keys(flags)) {
    if (!known.includes(k)) throw new Error(`unknown flag --${k}`);
  }
  const seed = numberFlag(flags, "seed") ?? 1;
  const corpus = flags.corpus === true ? DEFAULT_CORPUS : flags.corpus;
  const save = typeof flags.save === "string" ? flags.save : undefined;
  const single = numberFlag(flags, "case");
  if (single !== undefined) {
    const r = await replay({ seed, index: single, corpus });
    console.log(`seed ${seed} case ${single}: ${r.source} (${r.size} bytes)`);
    for (const m of r.mutations) console.log(`  mutation: ${m}`);
    for (const [stage, outcome] of Object.entries(r.outcomes)) {
      console.log(`  ${stage}: ${outcome}`);
    }
    console.log(`  ${r.ms.toFixed(1)} ms, largest allocation ${r.maxAllocation} bytes`);
    for (const f of r.findings) {
      console.log(describeFinding(f, corpus));
      if (f.stack) console.log(f.stack);
    }
    if (save && r.bytes) {
      Deno.mkdirSync(save, { recursive: true });
      Deno.writeFileSync(`${save}/seed-${seed}-case-${single}.dcm`, r.bytes);
    }
    return r.findings.length ? 1 : 0;
  }
  const cases = numberFlag(flags, "cases") ?? 2000;
  let done = 0;
  const report = await fuzz({
    cases,
    seed,
    corpus,
    start: numberFlag(flags, "start"),
    workers: numberFlag(flags, "workers"),
    timeoutMs: numberFlag(flags, "timeout"),
    keepInputs: save !== undefined,
    onCase(result) {
      done++;
      for (const f of result.findings) console.log(describeFinding(f, corpus));
      if (done % 1000 === 0) console.error(`${done}/${cases} cases`);
    },
  });
  if (save) {
    Deno.mkdirSync(save, { recursive: true });
    for (const [index, bytes] of report.inputs) {
      Deno.writeFileSync(`${save}/seed-${seed}-case-${index}.dcm`, bytes);
    }
  }
  console.log(
    `\n${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s ` +
      `(${report.casesPerSecond.toFixed(0)} cases/s), seed ${seed}, ` +
      `${report.findings.length} finding(s); slowest: case ${report.slowest.index} ` +
      `${report.slowest.ms.toFixed(0)} ms (${report.slowest.source})`,
  );
  for (const [stage, counts] of Object.entries(report.outcomes)) {
    const parts = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
    console.log(`  ${stage}: ${parts.join(", ")}`);
  }
  return report.findings.length ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
