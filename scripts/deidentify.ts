/**
 * De-identifies a whole DICOM file-set by the PS3.15 Basic Application Level
 * Confidentiality Profile and the options chosen, into a new file-set.
 *
 * ```sh
 * deno run -A scripts/deidentify.ts <DICOMDIR | folder> <out> --key-file F [flags]
 * ```
 *
 * - `out` gets `PT000000/ST000000/SE000000/IM000000` files (names from the records'
 *   positions, nothing of the input), a new DICOMDIR and `DEID_REPORT.json` (counts,
 *   refused and failed instances by position and why, the options and CID 7050 codes).
 * - The key (`--key-file`, its bytes; at least 16) makes UIDs, pseudonyms and date
 *   offsets: the same key gives the same output, so later deliveries link to earlier
 *   ones. Without a key the script refuses; `--random-key` makes one for this run only
 *   (nothing can be linked later). The key is never written anywhere.
 * - `--map ids.csv` (header `original_id,new_id,new_name`) gives patients their new
 *   identity; others get keyed pseudonyms.
 * - Instances that may carry burned-in text (BurnedInAnnotation YES, secondary capture,
 *   ultrasound) are refused unless `--regions FILE.json` (`[{"x":0,"y":0,"width":512,
 *   "height":40}]`) says what to blank.
 * - Every file is written under a temporary name and renamed; the output must be a new or
 *   empty folder, neither inside the input nor containing it.
 * - `--jobs N` threads (default `auto`: one per core for large file-sets, else one); the
 *   output is the same whatever N.
 * - Exit code: 0 done, 1 some instances were refused or failed, 2 bad arguments or input,
 *   130 (143) interrupted by SIGINT (SIGTERM) after the file being written.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { DeidentifyReport, ProfileOption, Pseudonym } from "../lib/deid/mod.ts";
import { startWorkers } from "../lib/deid/worker_pool.ts";

/**
 * The threads of `--jobs N`, read before anything else: the workers start loading while
 * this thread loads the library (about 0.1 s each, at the same time). Without the flag
 * (or `--jobs auto`) the library decides once it knows the number of instances.
 */
function jobsWanted(args: readonly string[]): number | "auto" {
  let value: string | undefined;
  args.forEach((a, i) => {
    if (a === "--jobs") value = args[i + 1];
    else if (a.startsWith("--jobs=")) value = a.slice(7);
  });
  return value === undefined || value === "auto" ? "auto" : Number(value);
}

if (import.meta.main) {
  const jobs = jobsWanted(Deno.args);
  if (jobs !== "auto" && Number.isInteger(jobs) && jobs > 1 && !Deno.args.includes("--help")) {
    startWorkers(jobs - 1);
  }
}
// the parts the script uses, not lib/deid/mod.ts: the pixel decoders load only with --regions
const [
  { AUTO_THREADS_FROM, deidentifyFileSet },
  { parseRegions },
  { PROFILE_OPTIONS },
  { randomKey },
] = await Promise
  .all([
    import("../lib/deid/file_set.ts"),
    import("../lib/deid/regions.ts"),
    import("../lib/deid/profile.ts"),
    import("../lib/deid/keyed.ts"),
  ]);

/** The command-line flag of an option: `retainUids` → `retain-uids`. */
function flagOf(option: ProfileOption): string {
  return option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const HELP =
  `usage: deno run -A scripts/deidentify.ts <DICOMDIR | folder> <out> --key-file F [flags]

  --key-file F          the secret key (a file of at least 16 bytes); never written out
  --random-key          make a key for this run only (the output cannot be linked later)
${PROFILE_OPTIONS.map((o) => `  --${flagOf(o)}`).join("\n")}
  --map ids.csv         new identities: original_id,new_id,new_name
  --regions FILE.json   rectangles to blank in instances with burned-in text
  --jobs N|auto         threads (default auto: one per core from ${AUTO_THREADS_FROM} instances, else 1;
                        the output does not depend on it)
  --quiet               no progress, no summary unless something failed
  --json                print a machine-readable report on stdout

exit code: 0 done, 1 some instances refused or failed, 2 bad arguments or input, 130 interrupted
`;

function usage(message: string): never {
  console.error(`deidentify: ${message}\n\n${HELP}`);
  Deno.exit(2);
}

/** Splits one CSV line (double quotes for fields holding commas or quotes). */
function csvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Reads `--map`: a CSV with the header `original_id,new_id,new_name`. */
function readMap(path: string): Map<string, Pseudonym> {
  const lines = Deno.readTextFileSync(path).replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) =>
    l.trim()
  );
  const head = csvLine(lines[0] ?? "").map((h) => h.trim());
  if (head.join(",") !== "original_id,new_id,new_name") {
    throw new Error(`${path}: the header must be original_id,new_id,new_name`);
  }
  const map = new Map<string, Pseudonym>();
  lines.slice(1).forEach((line, i) => {
    const [original, id, name] = csvLine(line).map((c) => c.trim());
    if (!original || !id || name === undefined) {
      throw new Error(`${path}: line ${i + 2} needs original_id, new_id and new_name`);
    }
    // deno-lint-ignore no-control-regex -- control characters are what we refuse
    if (id.length > 64 || /[\\\x00-\x1f]/.test(id)) {
      throw new Error(`${path}: line ${i + 2}: new_id must be up to 64 characters of text`);
    }
    if (map.has(original)) throw new Error(`${path}: line ${i + 2}: original_id given twice`);
    map.set(original, { id, name });
  });
  return map;
}

function summary(report: DeidentifyReport, out: string, quiet: boolean): string {
  const lines: string[] = [];
  if (!quiet) {
    lines.push(
      `${report.written} of ${report.instances} instance(s) de-identified in ` +
        `${report.seconds.toFixed(2)} s to ${out} (options: ${
          report.options.join(", ") || "none"
        }; codes ${report.codes.map((c) => c.code).join(" ")})`,
    );
    if (report.warnings.length) {
      lines.push(`${report.warnings.length} note(s) (see --json)`);
    }
  }
  if (report.interrupted) lines.push(`interrupted: the output is partial`);
  if (report.refused.length) {
    lines.push(`${report.refused.length} refused:`);
    for (const p of report.refused) lines.push(`  ${p.path}: ${p.message}`);
  }
  if (report.failed.length) {
    lines.push(`${report.failed.length} failed:`);
    for (const p of report.failed) lines.push(`  ${p.path}: ${p.kind}: ${p.message}`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  let values: Record<string, string | boolean | undefined>, positionals: string[];
  try {
    const options: Record<string, { type: "string" | "boolean" }> = {
      "key-file": { type: "string" },
      "random-key": { type: "boolean" },
      map: { type: "string" },
      regions: { type: "string" },
      jobs: { type: "string" },
      quiet: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    };
    for (const o of PROFILE_OPTIONS) options[flagOf(o)] = { type: "boolean" };
    ({ values, positionals } = parseArgs({ args: Deno.args, options, allowPositionals: true }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  if (positionals.length !== 2) {
    usage("give the input (a DICOMDIR or folder) and the output folder");
  }
  if (values["key-file"] && values["random-key"]) {
    usage("--key-file and --random-key exclude each other");
  }
  if (!values["key-file"] && !values["random-key"]) {
    usage("a key is needed: --key-file F (keep it secret), or --random-key for a one-off run");
  }
  let key: Uint8Array;
  if (values["random-key"]) {
    key = randomKey();
    if (!values.quiet) {
      console.error("deidentify: random key: this output cannot be linked to any other run");
    }
  } else {
    try {
      key = Deno.readFileSync(String(values["key-file"]));
    } catch (e) {
      usage(`cannot read --key-file: ${(e as Error).message}`);
    }
    while (key.length && (key[key.length - 1] === 0x0a || key[key.length - 1] === 0x0d)) {
      key = key.subarray(0, key.length - 1);
    }
    if (key.length < 16) usage("the key file must hold at least 16 bytes");
  }
  const chosen: Partial<Record<ProfileOption, boolean>> = {};
  for (const o of PROFILE_OPTIONS) if (values[flagOf(o)]) chosen[o] = true;
  if (chosen.retainLongitudinalFullDates && chosen.retainLongitudinalModifiedDates) {
    usage(
      "--retain-longitudinal-full-dates and --retain-longitudinal-modified-dates exclude each other",
    );
  }
  let pseudonyms: Map<string, Pseudonym> | undefined;
  let regions;
  try {
    if (values.map) pseudonyms = readMap(String(values.map));
    if (values.regions) {
      regions = parseRegions(JSON.parse(Deno.readTextFileSync(String(values.regions))));
    }
  } catch (e) {
    usage((e as Error).message);
  }
  // the workers were started by jobsWanted's count, at the top
  const jobs = jobsWanted(Deno.args);
  if (jobs !== "auto" && (!Number.isInteger(jobs) || jobs < 1)) {
    usage(`--jobs must be a whole number >= 1, or auto`);
  }
  const quiet = Boolean(values.quiet || values.json);
  const graceful = new AbortController();
  let signalCode = 130;
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const handlers = signals.map((sig) => {
    const handler = () => {
      signalCode = sig === "SIGTERM" ? 143 : 130;
      if (graceful.signal.aborted) Deno.exit(signalCode);
      graceful.abort();
    };
    Deno.addSignalListener(sig, handler);
    return [sig, handler] as const;
  });
  const started = performance.now();
  let last = 0;
  const encoder = new TextEncoder();
  const terminal = Deno.stderr.isTerminal();
  let report: DeidentifyReport;
  try {
    report = await deidentifyFileSet(positionals[0], positionals[1], {
      ...chosen,
      key,
      randomKey: Boolean(values["random-key"]),
      jobs,
      pseudonyms,
      cleanPixels: regions ? { regions } : undefined,
      signal: graceful.signal,
      onProgress: (done, total) => {
        if (quiet) return;
        const now = performance.now();
        if (done < total && now - last < (terminal ? 100 : 2000)) return;
        last = now;
        const rate = done / Math.max(1e-3, (now - started) / 1000);
        const text = `progress: ${done}/${total} ${Math.floor(done * 100 / total)}% ${
          rate.toFixed(1)
        }/s`;
        if (terminal) {
          Deno.stderr.writeSync(encoder.encode(`\r${text}\x1b[K${done === total ? "\n" : ""}`));
        } else console.error(text);
      },
    });
  } catch (e) {
    console.error(`deidentify: ${(e as Error).message}`);
    Deno.exit(2);
  }
  for (const [sig, handler] of handlers) Deno.removeSignalListener(sig, handler);
  if (values.json) console.log(JSON.stringify(report, null, 2));
  const text = summary(report, positionals[1], Boolean(values.quiet));
  if (text) console.error(text);
  Deno.exit(
    report.interrupted ? signalCode : report.failed.length || report.refused.length ? 1 : 0,
  );
}
