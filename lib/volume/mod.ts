/**
 * From a series to a volume for deep learning: `loadSeries` groups and sorts the slices
 * of a folder, DICOMDIR, file-set or datasets and checks their spacing; `series.volume()`
 * gives a `Volume` (voxels in C order with their LPS/RAS affine); `writeNifti` and
 * `writeNpy` save it where nibabel, MONAI, PyTorch and numpy read it.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeries, toNifti } from "./mod.ts";
 * const volume = loadSeries("fixtures/ct_phantom").series[0].volume();
 * assert.equal(toNifti(volume).length, 352 + volume.data.byteLength);
 * ```
 *
 * @module
 */

export { Volume, type VolumeArray, type VolumeInit } from "./volume.ts";
export {
  type LoadedSeries,
  type LoadOptions,
  loadSeries,
  type LoadSeriesOptions,
  Series,
  type SeriesGeometry,
  type SeriesInstance,
  type SeriesSource,
  type VolumeOptions,
} from "./series.ts";
export type { FrameHeader } from "./_frames.ts";
export type { Vec3 } from "./_geometry.ts";
export { tiltCorrect } from "./tilt.ts";
export { type NiftiImage, type NiftiOptions, readNifti, toNifti, writeNifti } from "./nifti.ts";
export {
  npyBytes,
  type NpyOptions,
  toNpy,
  type VolumeJson,
  volumeJson,
  writeNpy,
  type WriteNpyOptions,
} from "./npy.ts";
export {
  type NiftiFailure,
  niftiFileSet,
  type NiftiFileSetOptions,
  type NiftiReport,
  type NiftiWritten,
  seriesNames,
} from "./nifti_file_set.ts";
