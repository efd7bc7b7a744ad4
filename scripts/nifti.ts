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
 * The job is `niftiFileSet` of `lib/volume`; this file parses the flags, shows progress
 * and sets the exit code.
 *
 * - The series come from `loadSeries`: grouped by Series Instance UID, split by
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
import { niftiFileSet, type NiftiReport } from "../lib/volume/mod.ts";
import { progressText } from "../lib/convert/progress.ts";

const HELP = `usage: deno run -A scripts/nifti.ts <DICOMDIR | folder> <out> [flags]

  --gz              write .nii.gz (default .nii)
  --npy             also write numpy's .npy beside each NIfTI
  --tilt-correct    resample gantry-tilted series to an orthogonal grid
  --jobs N          threads decoding the frames (default: one per core, at most 4, for
                    compressed images; 1 for uncompressed ones)
  --overwrite       replace outputs that are already there (default: a failure)
  --quiet           no progress, no summary unless something failed
  --json            print a machine-readable report on stdout

exit code: 0 done, 1 some series failed, 2 bad arguments or input
`;

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
        jobs: { type: "string" },
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
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    usage(`--jobs must be an integer from 1 up`);
  }
  let report: NiftiReport;
  const start = performance.now();
  let last = -Infinity;
  // a line every 2 s at most, and the last one
  const onProgress = (done: number, total: number, failed: number) => {
    const now = performance.now();
    if (done < total && now - last < 2000) return;
    last = now;
    console.error(progressText(done, total, failed, (now - start) / 1000));
  };
  try {
    report = await niftiFileSet(positionals[0], positionals[1].replace(/(.)\/+$/, "$1"), {
      gzip: values.gz,
      npy: values.npy,
      tiltCorrect: values["tilt-correct"],
      jobs,
      overwrite: values.overwrite,
      ...(values.quiet ? {} : { onProgress }),
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
