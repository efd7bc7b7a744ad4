/**
 * The report of a convert run, as `convertFileSet` returns it and
 * `scripts/convert.ts --json` prints it, and its text for people.
 *
 * @module
 */

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

/** The report of a run (what `scripts/convert.ts --json` prints). */
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
  /** Threads used (the main thread included). */
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

/** Options of {@linkcode reportText}. */
export interface ReportTextOptions {
  /**
   * Only what went wrong (interrupt, failures): no totals, no warnings.
   *
   * @default {false}
   */
  quiet?: boolean;
}

/**
 * The summary of a run for people: images, instances, time and rate, warnings, the
 * interrupt and every failure with its file, frame, kind and message (what
 * `scripts/convert.ts` prints on stderr).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportText } from "./mod.ts";
 * const report = {
 *   input: "in", out: "out", instances: 3, converted: 2, skipped: 0, images: 2,
 *   failed: [{ path: "in/IM3", kind: "CodecError", message: "jpeg: no SOF marker", output: "out/3" }],
 *   warnings: [], jobs: 2, interrupted: false, notDone: 0, seconds: 0.5, imagesPerSecond: 4,
 * };
 * assert.equal(
 *   reportText(report),
 *   "2 image(s) from 2 instance(s) in 0.50 s (4.0 images/s) to out\n" +
 *     "1 failed:\n  in/IM3: CodecError: jpeg: no SOF marker",
 * );
 * assert.equal(reportText(report, { quiet: true }), "1 failed:\n  in/IM3: CodecError: jpeg: no SOF marker");
 * ```
 */
export function reportText(report: ConvertReport, options: ReportTextOptions = {}): string {
  const quiet = options.quiet ?? false;
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
