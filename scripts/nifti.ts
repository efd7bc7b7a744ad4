/**
 * Converts every image series of a file-set or folder to NIfTI (and `.npy`), the input a
 * deep-learning pipeline wants: `{out}/{PatientID}/{StudyDate}/{SeriesNumber}.nii`
 * (`{SeriesNumber}_{n}` for each part of a series that splits into several grids) with a
 * JSON sidecar beside each.
 *
 * ```sh
 * deno run -A scripts/nifti.ts <DICOMDIR | folder> <out> [--gz] [--npy] [--tilt-correct] [--json]
 * ```
 *
 * - The series come from {@linkcode loadSeries}: grouped by Series Instance UID, split by
 *   orientation, size, echo and stack, sorted along the slice normal, checked (missing
 *   slices, uneven spacing, duplicates, gantry tilt: each a warning in the sidecar).
 * - The sidecar `{name}.json` holds the Series Instance UID and Description, the files in
 *   slice order, the shape, spacing, the affine (LPS and RAS) and the index order it maps,
 *   and the warnings.
 * - Names are made safe as convert's are (`safeComponent`): nothing lands outside `out`;
 *   two series with the same name get `_dup1`, `_dup2`... Every file is written under a
 *   temporary name and renamed (`writeAtomicSync`). An output already there is a failure
 *   unless `--overwrite`.
 * - A series that fails does not stop the run: the summary (and `--json`'s `failed`) lists
 *   it; the exit code is 1 when anything failed, 2 for bad arguments or an unreadable input.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  loadSeries,
  type Series,
  toNifti,
  toNpy,
  type VolumeArray,
  volumeJson,
} from "../lib/volume/mod.ts";
import { exists, writeAtomicSync } from "../lib/io/files.ts";
import { errorKind, progressText, safeComponent } from "../lib/convert/mod.ts";

const HELP = `usage: deno run -A scripts/nifti.ts <DICOMDIR | folder> <out> [flags]

  --gz              write .nii.gz (default .nii)
  --npy             also write numpy's .npy beside each NIfTI
  --tilt-correct    resample gantry-tilted series to an orthogonal grid
  --jobs N          threads decoding the files (default 1; more helps compressed images)
  --overwrite       replace outputs that are already there (default: a failure)
  --quiet           no progress, no summary unless something failed
  --json            print a machine-readable report on stdout

exit code: 0 done, 1 some series failed, 2 bad arguments or input
`;

/** Options of {@linkcode niftiConvert}. */
export interface NiftiConvertOptions {
  /** Write `.nii.gz` (default false). */
  gzip?: boolean;
  /** Also write `.npy` (default false). */
  npy?: boolean;
  /** Resample tilted series (default false). */
  tiltCorrect?: boolean;
  /** Threads decoding the files (default 1): see `Series.load`. */
  jobs?: number;
  /** Replace outputs already there (default false: a failure). */
  overwrite?: boolean;
  /** Progress on stderr (default `"none"`). */
  progress?: "none" | "lines";
}

/** One series written. */
export interface NiftiWritten {
  /** The Series Instance UID. */
  uid: string;
  /** The NIfTI file. */
  nifti: string;
  /** The JSON sidecar. */
  json: string;
  /** The `.npy`, with `--npy`. */
  npy?: string;
  /** `[slices, rows, columns]` (`[times, ...]` for 4-D). */
  shape: number[];
  /** The series' warnings. */
  warnings: string[];
}

/** A series that failed. */
export interface NiftiFailure {
  /** The Series Instance UID. */
  uid: string;
  /** The output path without extension. */
  output: string;
  /** Error class. */
  kind: string;
  /** What went wrong. */
  message: string;
}

/** The report of a run (`--json`). */
export interface NiftiReport {
  /** The input as given. */
  input: string;
  /** The output folder as given. */
  out: string;
  /** Series found (parts counted apart). */
  series: number;
  /** Series written. */
  written: NiftiWritten[];
  /** Every failure. */
  failed: NiftiFailure[];
  /** What reading the input skipped. */
  warnings: string[];
  /** Wall time. */
  seconds: number;
}

/**
 * The output path (without extension) of each series:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}` plus `_{part}` for a split series, each
 * component made safe; a taken path (case-insensitively) gets `_dup1`, `_dup2`...
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeries } from "../lib/volume/mod.ts";
 * import { seriesNames } from "./nifti.ts";
 * const { series } = loadSeries("fixtures/head3d");
 * assert.deepEqual(seriesNames(series, "out"), ["out/PHANTOM03/20240116/3"]);
 * ```
 */
export function seriesNames(series: readonly Series[], out: string): string[] {
  const taken = new Set<string>();
  const root = out.endsWith("/") ? out.slice(0, -1) : out;
  return series.map((s) => {
    const number = safeComponent(s.get("SeriesNumber"));
    const parts = [
      safeComponent(s.get("PatientID")),
      safeComponent(s.get("StudyDate")),
      s.parts > 1 ? `${number}_${s.part}` : number,
    ];
    let rel = parts.join("/");
    if (taken.has(rel.toLowerCase())) {
      let n = 1;
      while (taken.has(`${rel}_dup${n}`.toLowerCase())) n++;
      rel = `${rel}_dup${n}`;
    }
    taken.add(rel.toLowerCase());
    return `${root}/${rel}`;
  });
}

/**
 * Converts every series of `input` (a DICOMDIR, a folder with one, or a folder of DICOM
 * files) to NIfTI under `out`, with a JSON sidecar (and `.npy`) beside each.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { niftiConvert } from "./nifti.ts";
 * const out = Deno.makeTempDirSync();
 * const report = await niftiConvert("fixtures/head3d", out, { npy: true });
 * assert.equal(report.failed.length, 0);
 * assert.equal(report.written[0].nifti, `${out}/PHANTOM03/20240116/3.nii`);
 * assert.deepEqual(report.written[0].shape, [56, 128, 128]);
 * ```
 */
export async function niftiConvert(
  input: string,
  out: string,
  options: NiftiConvertOptions = {},
): Promise<NiftiReport> {
  const start = performance.now();
  const { series, warnings } = loadSeries(input);
  const names = seriesNames(series, out);
  const written: NiftiWritten[] = [];
  const failed: NiftiFailure[] = [];
  const ext = options.gzip ? ".nii.gz" : ".nii";
  let last = -Infinity, shown = -1;
  const progress = (done: number, final = false) => {
    if (options.progress !== "lines" || done === shown) return;
    const now = performance.now();
    if (!final && now - last < 2000) return;
    last = now;
    shown = done;
    console.error(progressText(done, series.length, failed.length, (now - start) / 1000));
  };
  let previous: VolumeArray | undefined;
  for (const [i, s] of series.entries()) {
    const base = names[i];
    try {
      const outputs = [`${base}${ext}`, `${base}.json`, ...(options.npy ? [`${base}.npy`] : [])];
      if (!options.overwrite) {
        const there = outputs.find(exists);
        if (there) throw new Deno.errors.AlreadyExists(`${there} exists (use --overwrite)`);
      }
      // the last volume's memory is used again: one volume in memory, not one per series
      const volume = await s.load({
        tiltCorrect: options.tiltCorrect,
        out: previous,
        jobs: options.jobs,
      });
      previous = volume.data;
      const nifti = toNifti(volume, { gzip: options.gzip });
      const sidecar = {
        SeriesInstanceUID: s.uid,
        SeriesDescription: s.description,
        SeriesNumber: s.number ?? null,
        Modality: s.modality,
        part: s.part,
        parts: s.parts,
        files: s.files,
        dtype: volume.dtype,
        sclSlope: volume.slope,
        sclInter: volume.intercept,
        tiltCorrected: options.tiltCorrect === true && s.geometry.tilt !== 0,
        ...volumeJson(volume),
        niftiIndexOrder: "NIfTI dim (column, row, slice); the sform is affineRas",
      };
      writeAtomicSync(outputs[0], nifti);
      writeAtomicSync(
        outputs[1],
        new TextEncoder().encode(JSON.stringify(sidecar, null, 2) + "\n"),
      );
      if (options.npy) writeAtomicSync(outputs[2], toNpy(volume));
      written.push({
        uid: s.uid,
        nifti: outputs[0],
        json: outputs[1],
        ...(options.npy ? { npy: outputs[2] } : {}),
        shape: [...volume.shape],
        warnings: volume.warnings,
      });
    } catch (e) {
      failed.push({
        uid: s.uid,
        output: base,
        kind: errorKind(e),
        message: e instanceof Error ? e.message : String(e),
      });
    }
    progress(i + 1);
  }
  progress(series.length, true);
  return {
    input,
    out,
    series: series.length,
    written,
    failed,
    warnings,
    seconds: (performance.now() - start) / 1000,
  };
}

function usage(message: string): never {
  console.error(`nifti: ${message}\n\n${HELP}`);
  Deno.exit(2);
}

if (import.meta.main) {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        gz: { type: "boolean", default: false },
        npy: { type: "boolean", default: false },
        "tilt-correct": { type: "boolean", default: false },
        jobs: { type: "string", default: "1" },
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
  if (positionals.length !== 2) usage("expected an input and an output folder");
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) usage(`--jobs must be an integer from 1 up`);
  let report: NiftiReport;
  try {
    report = await niftiConvert(positionals[0], positionals[1].replace(/(.)\/+$/, "$1"), {
      gzip: values.gz,
      npy: values.npy,
      tiltCorrect: values["tilt-correct"],
      jobs,
      overwrite: values.overwrite,
      progress: values.quiet ? "none" : "lines",
    });
  } catch (e) {
    console.error(`nifti: ${(e as Error).message}`);
    Deno.exit(2);
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
  const lines: string[] = [];
  if (!values.quiet) {
    lines.push(
      `${report.written.length} of ${report.series} series in ${
        report.seconds.toFixed(2)
      } s to ${report.out}`,
    );
    for (const w of report.warnings) lines.push(`warning: ${w}`);
    for (const s of report.written) for (const w of s.warnings) lines.push(`${s.nifti}: ${w}`);
  }
  if (report.failed.length) {
    lines.push(`${report.failed.length} failed:`);
    for (const f of report.failed) lines.push(`  ${f.output} (${f.uid}): ${f.kind}: ${f.message}`);
  }
  if (lines.length) console.error(lines.join("\n"));
  Deno.exit(report.failed.length ? 1 : 0);
}
