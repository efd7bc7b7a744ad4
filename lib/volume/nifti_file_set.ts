/**
 * `niftiFileSet`: every image series of a file-set or folder to NIfTI (and `.npy`), each
 * with a JSON sidecar, under `{out}/{PatientID}/{StudyDate}/{SeriesNumber}`; the batch job
 * behind `scripts/nifti.ts`.
 *
 * @module
 */

import { exists, writeAtomicSync } from "../io/files.ts";
import { safeComponent } from "../io/safe_name.ts";
import { DicomError } from "../core/errors.ts";
import { FileSet } from "../fileset/file_set.ts";
import { loadSeries, type Series, type SeriesSource } from "./series.ts";
import { toNifti } from "./nifti.ts";
import { toNpy, volumeJson } from "./npy.ts";
import type { VolumeArray } from "./volume.ts";
import { holdPool } from "./_parallel.ts";

/** Options of {@linkcode niftiFileSet}. */
export interface NiftiFileSetOptions {
  /**
   * Write `.nii.gz` instead of `.nii`.
   *
   * @default {false}
   */
  gzip?: boolean;
  /**
   * Also write numpy's `.npy` beside each NIfTI.
   *
   * @default {false}
   */
  npy?: boolean;
  /**
   * Resample gantry-tilted series to an orthogonal grid (`Series.volume`'s `tiltCorrect`).
   *
   * @default {false}
   */
  tiltCorrect?: boolean;
  /**
   * Threads decoding the frames (`Series.load`'s `jobs`): more helps compressed images.
   *
   * @default {compressed ? Math.min(navigator.hardwareConcurrency, 4) : 1}
   */
  jobs?: number;
  /**
   * Replace outputs already there; otherwise such a series is a failure.
   *
   * @default {false}
   */
  overwrite?: boolean;
  /**
   * Called after each series with the series done, all of them, and the failures so far.
   *
   * @default {undefined} (no progress is told)
   */
  onProgress?: (done: number, total: number, failed: number) => void;
}

/** One series written by {@linkcode niftiFileSet}. */
export interface NiftiWritten {
  /** The Series Instance UID. */
  uid: string;
  /** The NIfTI file. */
  nifti: string;
  /** The JSON sidecar. */
  json: string;
  /** The `.npy`, with the `npy` option. */
  npy?: string;
  /** `[slices, rows, columns]` (`[times, ...]` for 4-D). */
  shape: number[];
  /** The series' warnings. */
  warnings: string[];
}

/** A series that {@linkcode niftiFileSet} could not write. */
export interface NiftiFailure {
  /** The Series Instance UID. */
  uid: string;
  /** The output path without extension. */
  output: string;
  /** The error's class (`ValueError`, `AlreadyExists`...) or OS code. */
  kind: string;
  /** What went wrong. */
  message: string;
}

/** The report of {@linkcode niftiFileSet} (what `scripts/nifti.ts --json` prints). */
export interface NiftiReport {
  /** The input as given (a `FileSet`'s root; "" for datasets). */
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
  /** Wall time in seconds. */
  seconds: number;
}

/**
 * The output path (without extension) of each series:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}` plus `_{part}` for a split series, each
 * component made safe (`safeComponent`); a taken path (case-insensitively) gets `_dup1`,
 * `_dup2`...
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeries, seriesNames } from "./mod.ts";
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
    const rel = parts.join("/");
    let name = rel;
    for (let n = 1; taken.has(name.toLowerCase()); n++) name = `${rel}_dup${n}`;
    taken.add(name.toLowerCase());
    return `${root}/${name}`;
  });
}

/** The class of an error for the report: the error's name, else its OS code. */
function failureKind(e: unknown): string {
  if (e instanceof DicomError || !(e instanceof Error)) {
    return e instanceof Error ? e.name : "Error";
  }
  const code = (e as Error & { code?: unknown }).code;
  return e.name === "Error" && typeof code === "string" && code ? code : e.name || "Error";
}

/**
 * Converts every series of `source` (a DICOMDIR, a folder with one, a folder of DICOM
 * files, a `FileSet` or datasets) to NIfTI under `out`: `{PatientID}/{StudyDate}/
 * {SeriesNumber}.nii` ({@linkcode seriesNames}), with a JSON sidecar (the Series Instance
 * UID and Description, the files in slice order, shape, spacing, both affines and the
 * warnings) and, with `npy`, a `.npy` beside each. Every file is written under a temporary
 * name and renamed. A series that fails does not stop the run: the report lists it. One
 * volume's memory serves every series of the same size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { niftiFileSet } from "./mod.ts";
 * const out = Deno.makeTempDirSync();
 * const report = await niftiFileSet("fixtures/head3d", out, { npy: true });
 * assert.deepEqual(report.failed, []);
 * assert.equal(report.written[0].nifti, `${out}/PHANTOM03/20240116/3.nii`);
 * assert.equal(report.written[0].npy, `${out}/PHANTOM03/20240116/3.npy`);
 * assert.deepEqual(report.written[0].shape, [56, 128, 128]);
 * const again = await niftiFileSet("fixtures/head3d", out);
 * assert.equal(again.failed[0].kind, "AlreadyExists");
 * Deno.removeSync(out, { recursive: true });
 * ```
 */
export async function niftiFileSet(
  source: SeriesSource,
  out: string,
  options: NiftiFileSetOptions = {},
): Promise<NiftiReport> {
  const start = performance.now();
  const { series, warnings } = loadSeries(source);
  const names = seriesNames(series, out);
  const written: NiftiWritten[] = [];
  const failed: NiftiFailure[] = [];
  const ext = options.gzip ? ".nii.gz" : ".nii";
  let previous: VolumeArray | undefined;
  // the decode workers serve every series, then stop
  const release = holdPool();
  try {
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
        writeAtomicSync(outputs[0], toNifti(volume, { gzip: options.gzip }));
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
          kind: failureKind(e),
          message: e instanceof Error ? e.message : String(e),
        });
      }
      options.onProgress?.(i + 1, series.length, failed.length);
    }
  } finally {
    release();
  }
  return {
    input: typeof source === "string"
      ? source
      : source instanceof URL
      ? source.href
      : source instanceof FileSet
      ? source.root
      : "",
    out,
    series: series.length,
    written,
    failed,
    warnings,
    seconds: (performance.now() - start) / 1000,
  };
}
