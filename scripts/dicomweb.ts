/**
 * `scripts/dicomweb.ts`: search an archive, pull a study or series into the tutorial's
 * folder tree, push a folder or DICOMDIR, over DICOMweb (a thin command line over
 * `lib/dicomweb`).
 *
 * ```sh
 * deno run -A scripts/dicomweb.ts search http://localhost:8042/dicom-web --patient-id 'PAT*' --study-date 20240101-20241231 --modality CT
 * deno run -A scripts/dicomweb.ts pull http://localhost:8042/dicom-web out/ --study 1.2.3 [--series 1.2.3.4]
 * deno run -A scripts/dicomweb.ts push http://localhost:8042/dicom-web fixtures/ct_phantom/DICOMDIR
 * ```
 *
 * Credentials: `--user NAME:PASSWORD` or `--token T`, else `DICOMWEB_USER` and
 * `DICOMWEB_PASSWORD` or `DICOMWEB_TOKEN` from the environment; never printed.
 * Exit code: 0 done, 1 some instances failed, 2 bad arguments, or the server or input
 * could not be used at all.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DicomError } from "../lib/core/errors.ts";
// the client alone (not lib/dicomweb/mod.ts, which brings the DICOM JSON model and with
// it the dataset layer): a pull starts without the dictionary; the file-set reader is
// loaded by push only
import {
  dicomweb,
  type DicomWebAuth,
  type DicomWebClient,
  type DicomWebProgress,
  type SearchQuery,
} from "../lib/dicomweb/client.ts";
import type { Dataset } from "../lib/dataset/mod.ts";

const HELP = `usage:
  dicomweb.ts search <url> [--patient-id X] [--study-date A-B] [--modality M]
                           [--study UID] [--level studies|series|instances] [--limit N]
  dicomweb.ts pull <url> <out> --study UID [--series UID] [--overwrite]
  dicomweb.ts push <url> <folder | DICOMDIR> [--batch N]

options:
  --user NAME:PASSWORD  basic authentication (else DICOMWEB_USER, DICOMWEB_PASSWORD)
  --token T             bearer token (else DICOMWEB_TOKEN)
  --jobs N              transfers at once (default 4)
  --quiet, -q           no progress
  --json                print a machine-readable report on stdout
exit code: 0 done, 1 some instances failed, 2 bad arguments, server or input unusable`;

/** Bad command line. */
class UsageError extends Error {}

function auth(user?: string, token?: string): DicomWebAuth | undefined {
  if (token) return { token };
  if (user) {
    const colon = user.indexOf(":");
    if (colon < 0) throw new UsageError("--user takes NAME:PASSWORD");
    return { user: user.slice(0, colon), password: user.slice(colon + 1) };
  }
  return undefined;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  return Array.isArray(v) ? v.map(String).join("\\") : String(v);
}

/** Files of a folder (recursively) or the instances of a DICOMDIR. */
async function inputs(path: string): Promise<string[]> {
  const info = Deno.statSync(path);
  if (info.isFile) {
    if (/(^|\/)DICOMDIR$/i.test(path)) {
      const { fileSet } = await import("../lib/fileset/mod.ts");
      return [...fileSet(path)].map((i) => i.path);
    }
    return [path];
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.isFile && !/^DICOMDIR$/i.test(e.name) && isPart10(p)) out.push(p);
    }
  };
  walk(path.replace(/\/+$/, ""));
  return out;
}

function isPart10(path: string): boolean {
  try {
    const f = Deno.openSync(path);
    try {
      const head = new Uint8Array(132);
      const n = f.readSync(head);
      return n === 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 &&
        head[131] === 0x4d;
    } finally {
      f.close();
    }
  } catch {
    return false;
  }
}

function progress(quiet: boolean): ((e: DicomWebProgress) => void) | undefined {
  if (quiet || !Deno.stderr.isTerminal()) return undefined;
  const enc = new TextEncoder();
  return (e) => {
    const of = e.total === undefined ? "" : `/${e.total}`;
    const mb = (e.bytes / 1e6).toFixed(1);
    Deno.stderr.writeSync(enc.encode(`\r${e.kind}: ${e.done}${of} instances, ${mb} MB `));
  };
}

async function search(client: DicomWebClient, v: Record<string, unknown>, json: boolean) {
  const level = String(v.level ?? "studies");
  if (!["studies", "series", "instances"].includes(level)) {
    throw new UsageError("--level is studies, series or instances");
  }
  const query: SearchQuery = {};
  if (v["patient-id"]) query.PatientID = String(v["patient-id"]);
  if (v["study-date"]) query.StudyDate = String(v["study-date"]);
  if (v.modality) {
    query[level === "studies" ? "ModalitiesInStudy" : "Modality"] = String(v.modality);
  }
  const limit = v.limit === undefined ? undefined : Number(v.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new UsageError("--limit takes a positive integer");
  }
  const keys = ["PatientID", "PatientName", "StudyDate", "StudyInstanceUID"];
  if (level === "studies") {
    keys.push("ModalitiesInStudy", "StudyDescription", "NumberOfStudyRelatedInstances");
  } else keys.push("SeriesInstanceUID", "Modality", "SeriesNumber");
  if (level === "instances") keys.push("SOPInstanceUID", "InstanceNumber");
  else if (level === "series") keys.push("SeriesDescription", "NumberOfSeriesRelatedInstances");
  const options = {
    study: v.study === undefined ? undefined : String(v.study),
    includefield: ["PatientID", "PatientName", "StudyDate"],
    limit,
  };
  const found: Record<string, string>[] = [];
  const it = level === "studies"
    ? client.searchStudies(query, options)
    : level === "series"
    ? client.searchSeries(query, options)
    : client.searchInstances(query, options);
  for await (const ds of it as AsyncGenerator<Dataset>) {
    const row: Record<string, string> = {};
    for (const k of keys) row[k] = text(ds.get(k));
    found.push(row);
    if (!json) console.log(keys.map((k) => row[k]).join("\t"));
  }
  if (json) console.log(JSON.stringify({ level, found }, null, 2));
  else console.error(`${found.length} ${level} found`);
  return 0;
}

async function pull(
  client: DicomWebClient,
  out: string,
  v: Record<string, unknown>,
  json: boolean,
) {
  if (!v.study) throw new UsageError("pull needs --study UID");
  const target = { study: String(v.study), series: v.series ? String(v.series) : undefined };
  const report = await client.pull(target, out, { overwrite: Boolean(v.overwrite) });
  const failed = report.failed.map((f) => ({ ...f.target, error: f.error.message }));
  if (json) {
    console.log(JSON.stringify(
      { written: report.written, skipped: report.skipped, failed, bytes: report.bytes },
      null,
      2,
    ));
  } else {
    for (const f of failed) console.error(`failed: ${f.error}`);
    console.error(
      `\npulled ${report.written.length} instances (${(report.bytes / 1e6).toFixed(1)} MB), ` +
        `${report.skipped.length} already there, ${failed.length} failed transfers`,
    );
  }
  return failed.length ? 1 : 0;
}

async function push(
  client: DicomWebClient,
  input: string,
  v: Record<string, unknown>,
  json: boolean,
) {
  const batchSize = v.batch === undefined ? 16 : Number(v.batch);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new UsageError("--batch takes a positive integer");
  }
  let paths: string[];
  try {
    paths = await inputs(input);
  } catch (e) {
    throw new DicomError(`cannot read ${input}: ${e instanceof Error ? e.message : e}`);
  }
  const report = await client.store(paths, { batchSize });
  const rows = report.instances.map((s) => ({
    source: s.source,
    sopInstanceUID: s.sopInstanceUID,
    ok: s.ok,
    failureReason: s.failureReason,
    error: s.error?.message,
  }));
  if (json) {
    console.log(
      JSON.stringify({ stored: report.stored, failed: report.failed, instances: rows }, null, 2),
    );
  } else {
    for (const r of rows) {
      if (!r.ok) {
        const why = r.error ??
          `failure reason 0x${(r.failureReason ?? 0).toString(16).toUpperCase()}`;
        console.error(`failed: ${r.source}: ${why}`);
      }
    }
    console.error(
      `\nstored ${report.stored} of ${paths.length} instances, ${report.failed} failed`,
    );
  }
  return report.failed ? 1 : 0;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "patient-id": { type: "string" },
        "study-date": { type: "string" },
        modality: { type: "string" },
        level: { type: "string" },
        limit: { type: "string" },
        study: { type: "string" },
        series: { type: "string" },
        overwrite: { type: "boolean", default: false },
        batch: { type: "string" },
        user: { type: "string" },
        token: { type: "string" },
        jobs: { type: "string" },
        quiet: { type: "boolean", short: "q", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`dicomweb: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values: v, positionals: [command, url, path] } = parsed;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  try {
    if (!command || !url) throw new UsageError("expected a command and a URL");
    const concurrency = v.jobs === undefined ? 4 : Number(v.jobs);
    if (!(Number.isInteger(concurrency) && concurrency > 0)) {
      throw new UsageError("--jobs takes a positive integer");
    }
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      throw new UsageError(`not a URL: ${url.replace(/\/\/[^@/]*@/, "//")}`);
    }
    const client = dicomweb(base, {
      auth: auth(v.user, v.token),
      concurrency,
      onProgress: progress(v.quiet || v.json),
    });
    switch (command) {
      case "search":
        return await search(client, v, v.json);
      case "pull":
        if (!path) throw new UsageError("pull needs an output folder");
        return await pull(client, path, v, v.json);
      case "push":
        if (!path) throw new UsageError("push needs a folder or DICOMDIR");
        return await push(client, path, v, v.json);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`dicomweb: ${e.message}\n\n${HELP}`);
      return 2;
    }
    if (e instanceof DicomError) {
      if (v.json) console.log(JSON.stringify({ error: e.message }, null, 2));
      console.error(`dicomweb: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
