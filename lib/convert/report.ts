/**
 * The report of a convert run, as `convertFileSet` returns it and
 * `scripts/convert.ts --json` prints it, and its text for people.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import type { Shard } from "./shard.ts";

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
  /** Instances in the file-set (in this shard, with `shard`). */
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
  /**
   * With `passthrough`: the input files whose stored JPEG frames were written as they
   * are (sorted); the other instances took the normal pipeline.
   */
  passedThrough?: string[];
  /** The shard this run converted (`--shard K/N`); absent for a whole run. */
  shard?: Shard;
}

/** Reports of shards merged into one ({@linkcode mergeReports}). */
export interface MergedReport extends ConvertReport {
  /** How many reports were merged. */
  reports: number;
  /** The shard count the reports name (0 when none is a shard's). */
  shardCount: number;
  /** Shards of `0..shardCount-1` without a report: their instances are not counted. */
  missingShards: number[];
}

/**
 * Merges the reports of the shards of one job into one summary: counts and images
 * added up, failures of every shard (by input path), warnings once each, the wall time
 * of the slowest shard, the shards without a report listed. Throws a `ValueError` when
 * the reports are of different jobs (shard counts, outputs) or a shard comes twice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConvertReport, mergeReports } from "./mod.ts";
 * const shard = (index: number, images: number): ConvertReport => ({
 *   input: "in", out: "out", instances: images, converted: images, skipped: 0, images,
 *   failed: [], warnings: ["skipped README"], jobs: 2, interrupted: false, notDone: 0,
 *   seconds: 1 + index, imagesPerSecond: images / (1 + index), shard: { index, count: 3 },
 * });
 * const merged = mergeReports([shard(0, 10), shard(2, 12)]);
 * assert.deepEqual(
 *   [merged.instances, merged.images, merged.seconds, merged.warnings, merged.missingShards],
 *   [22, 22, 3, ["skipped README"], [1]],
 * );
 * ```
 */
export function mergeReports(reports: readonly ConvertReport[]): MergedReport {
  const counts = new Set(reports.map((r) => r.shard?.count ?? 0));
  if (counts.size > 1) {
    throw new ValueError(`merge: reports of different shard counts (${[...counts].join(", ")})`);
  }
  const outs = new Set(reports.map((r) => r.out));
  if (outs.size > 1) {
    throw new ValueError(`merge: reports of different outputs (${[...outs].join(", ")})`);
  }
  const shardCount = [...counts][0] ?? 0;
  const seen = new Set<number>();
  for (const r of reports) {
    if (!r.shard) continue;
    if (seen.has(r.shard.index)) {
      throw new ValueError(`merge: two reports of shard ${r.shard.index}/${r.shard.count}`);
    }
    seen.add(r.shard.index);
  }
  const sum = (f: (r: ConvertReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const seconds = Math.max(0, ...reports.map((r) => r.seconds));
  const images = sum((r) => r.images);
  const failed = reports.flatMap((r) => r.failed).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : (a.frame ?? -1) - (b.frame ?? -1)
  );
  const passed = reports.filter((r) => r.passedThrough);
  const merged: MergedReport = {
    input: reports[0]?.input ?? "",
    out: reports[0]?.out ?? "",
    instances: sum((r) => r.instances),
    converted: sum((r) => r.converted),
    skipped: sum((r) => r.skipped),
    images,
    failed,
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    jobs: sum((r) => r.jobs),
    interrupted: reports.some((r) => r.interrupted),
    notDone: sum((r) => r.notDone),
    seconds,
    imagesPerSecond: seconds > 0 ? images / seconds : 0,
    reports: reports.length,
    shardCount,
    missingShards: Array.from({ length: shardCount }, (_, i) => i).filter((i) => !seen.has(i)),
  };
  if (passed.length) merged.passedThrough = passed.flatMap((r) => r.passedThrough!).sort();
  return merged;
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
  const merged = "missingShards" in report ? report as MergedReport : undefined;
  if (!quiet) {
    const shard = report.shard ? `shard ${report.shard.index}/${report.shard.count}: ` : "";
    const of = merged ? `${merged.reports} report(s): ` : "";
    lines.push(
      `${shard}${of}${report.images} image(s) from ${report.converted} instance(s) in ` +
        `${report.seconds.toFixed(2)} s (${report.imagesPerSecond.toFixed(1)} images/s) ` +
        `to ${report.out}` +
        (report.skipped ? `, ${report.skipped} instance(s) skipped (already there)` : ""),
    );
    for (const w of report.warnings) lines.push(`warning: ${w}`);
  }
  if (merged?.missingShards.length) {
    lines.push(
      `missing: no report of shard(s) ${merged.missingShards.join(", ")} of ${merged.shardCount}`,
    );
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
