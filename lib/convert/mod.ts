/**
 * The tutorial's whole job as a library function: {@linkcode convertFileSet} converts
 * every image of a file-set (a DICOMDIR, a folder with one, or a folder of DICOM files)
 * to JPEG or PNG files named `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}`,
 * with workers, progress events and a report of every failure. `scripts/convert.ts` is
 * its command line; `lib/display`'s `progressView` shows its progress in a notebook.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeComponent } from "./mod.ts";
 * assert.equal(safeComponent("a/b"), "a_b");
 * ```
 *
 * @module
 */

export { convertFileSet, type ConvertFileSetOptions } from "./convert_file_set.ts";
export {
  type ConvertReport,
  type Failure,
  type MergedReport,
  mergeReports,
  reportText,
  type ReportTextOptions,
} from "./report.ts";
export { canPassThrough } from "./passthrough.ts";
export { isShard, parseShard, type Shard, shardOf } from "./shard.ts";
export { checkConvertOptions } from "./check_options.ts";
export { fnv1a, MAX_COMPONENT_BYTES, MISSING, safeComponent } from "../io/safe_name.ts";
export { type ConvertProgress, progressLine, progressText } from "./progress.ts";
export { planNames } from "./names.ts";
export {
  type ConvertError,
  convertOne,
  type ConvertOneOptions,
  type ConvertResult,
  type ConvertSettings,
  type ConvertTask,
  errorKind,
  type ExistingPolicy,
  extension,
  renderFrame,
} from "./convert_one.ts";
export { OutputError } from "../core/errors.ts";
