/**
 * The command line of the tutorial's whole job, `convertFileSet` (`lib/convert`): every
 * image of a DICOM file-set to
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.jpg` (and
 * `{InstanceNumber}_{frame}.jpg` for each frame of a multi-frame instance).
 *
 * ```sh
 * deno run -A scripts/convert.ts <DICOMDIR | folder> <out> [flags]
 * ```
 *
 * This file holds the flags, the terminal's progress bar and the exit code; what is
 * converted and how is `convertFileSet`'s documentation. The first Ctrl-C (SIGINT) or
 * SIGTERM lets the workers finish the images they are writing, then exits with 130
 * (143); a second stops at once, removing the in-flight `.partial` files.
 * `--skip-existing` resumes such a run. The exit code is 1 when anything failed, 2 for
 * bad arguments or an unreadable input.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  checkConvertOptions,
  convertFileSet,
  type ConvertFileSetOptions,
  type ConvertProgress,
  type ConvertReport,
  type MergedReport,
  mergeReports,
  parseShard,
  progressLine,
  reportText,
} from "../lib/convert/mod.ts";
import { writeAtomicSync } from "../lib/io/files.ts";

const HELP = `usage: deno run -A scripts/convert.ts <DICOMDIR | folder> <out> [flags]
       deno run -A scripts/convert.ts --merge-reports DIR [--json]

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
  --passthrough         write stored JPEG Baseline frames as they are when they can be shown so
  --isolate             one process per job: a file that exhausts memory costs only itself
  --worker-memory MB    memory of each --isolate process (default 2048)
  --shard K/N           convert only shard K (0..N-1) of N: N runs, one output folder
  --report PATH         write the JSON report to PATH (a shard's, for --merge-reports)
  --merge-reports DIR   merge the JSON reports in DIR into one summary

exit code: 0 done, 1 some instances failed, 2 bad arguments or input, 130 interrupted
`;

const encoder = new TextEncoder();

/** The terminal's progress: a bar redrawn at most every 0.1 s, or a line every 2 s. */
function terminalProgress(mode: "bar" | "lines"): (e: ConvertProgress) => void {
  let last = -Infinity;
  return (e) => {
    if (e.phase === "stopping") {
      console.error(`${mode === "bar" ? "\n" : ""}interrupted: finishing the images being written`);
      return;
    }
    const final = e.phase === "done";
    const now = performance.now();
    if (!final && now - last < (mode === "bar" ? 100 : 2000)) return;
    last = now;
    if (mode === "lines") {
      console.error(progressLine(e));
      return;
    }
    let columns = 80;
    try {
      columns = Deno.consoleSize().columns;
    } catch { /* not a console after all */ }
    const text = progressLine(e, columns);
    Deno.stderr.writeSync(encoder.encode(`\r${text}\x1b[K${final ? "\n" : ""}`));
  };
}

function usage(message: string): never {
  console.error(`convert: ${message}\n\n${HELP}`);
  Deno.exit(2);
}

/** The number a flag says, or usage when it is not one; range checks are the library's. */
function num(text: string | undefined, flag: string): number | undefined {
  const n = Number(text);
  if (text !== undefined && (text.trim() === "" || !Number.isFinite(n))) {
    usage(`${flag} must be a number, not "${text}"`);
  }
  return text === undefined ? undefined : n;
}

/** The command line, parsed; the options are checked by `checkConvertOptions`. */
function parse(argv: string[]) {
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
        shard: { type: "string" },
        isolate: { type: "boolean", default: false },
        passthrough: { type: "boolean", default: false },
        "worker-memory": { type: "string" },
        report: { type: "string" },
        "merge-reports": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    usage((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  const merge = v["merge-reports"];
  if (merge !== undefined && positionals.length) usage(`--merge-reports takes no input`);
  if (merge === undefined && positionals.length !== 2) {
    usage(`expected an input and an output folder`);
  }
  if ((v.center === undefined) !== (v.width === undefined)) {
    usage(`--center and --width go together`);
  }
  if (v["skip-existing"] && v.overwrite) {
    usage(`--skip-existing and --overwrite exclude each other`);
  }
  const options: ConvertFileSetOptions = {
    format: (v.format === "jpg" ? "jpeg" : v.format) as "jpeg" | "png",
    quality: num(v.quality, "--quality"),
    bitDepth: num(v["bit-depth"], "--bit-depth") as 8 | 16,
    window: v.center !== undefined
      ? { center: num(v.center, "--center")!, width: num(v.width, "--width")! }
      : num(v.window, "--window"),
    jobs: num(v.jobs, "--jobs") ?? (navigator.hardwareConcurrency || 1),
    isolation: v.isolate ? "process" : "thread",
    passthrough: v.passthrough,
    workerMemory: num(v["worker-memory"], "--worker-memory"),
    existing: v["skip-existing"] ? "skip" : v.overwrite ? "overwrite" : "fail",
    onProgress: v.quiet ? undefined : terminalProgress(Deno.stderr.isTerminal() ? "bar" : "lines"),
  };
  try {
    if (v.shard !== undefined) options.shard = parseShard(v.shard);
    checkConvertOptions(options);
  } catch (e) {
    usage((e as Error).message.replace(/^(convert|image): /, ""));
  }
  return {
    input: positionals[0],
    out: positionals[1]?.replace(/(.)\/+$/, "$1"),
    merge,
    reportPath: v.report,
    options,
    quiet: v.quiet,
    json: v.json,
  };
}

/** `--merge-reports DIR`: every `*.json` report in DIR, merged. */
function merged(dir: string): MergedReport {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".json"));
  return mergeReports(names.sort().map((n) => JSON.parse(Deno.readTextFileSync(`${dir}/${n}`))));
}

if (import.meta.main) {
  const cli = parse(Deno.args);
  if (cli.merge !== undefined) {
    let report: MergedReport;
    try {
      report = merged(cli.merge);
    } catch (e) {
      console.error(`convert: ${(e as Error).message}`);
      Deno.exit(2);
    }
    if (cli.json) console.log(JSON.stringify(report, null, 2));
    console.error(reportText(report, { quiet: cli.quiet }));
    Deno.exit(report.failed.length || report.missingShards.length || report.interrupted ? 1 : 0);
  }
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
    report = await convertFileSet(cli.input, cli.out!, {
      ...cli.options,
      signal: graceful.signal,
      stopNow: now.signal,
    });
  } catch (e) {
    console.error(`convert: ${(e as Error).message}`);
    Deno.exit(2);
  }
  for (const [sig, handler] of handlers) Deno.removeSignalListener(sig, handler);
  try {
    if (cli.reportPath) writeAtomicSync(cli.reportPath, encoder.encode(JSON.stringify(report)));
  } catch (e) {
    console.error(`convert: cannot write the report ${cli.reportPath}: ${(e as Error).message}`);
    Deno.exit(2);
  }
  if (cli.json) console.log(JSON.stringify(report, null, 2));
  const text = reportText(report, { quiet: cli.quiet });
  if (text) console.error(text);
  Deno.exit(report.interrupted ? signalCode : report.failed.length ? 1 : 0);
}
