/**
 * dicom-deno: open DICOM medical images in TypeScript, in scripts and in Jupyter
 * notebooks (Deno kernel). This module holds the tutorial's vocabulary; each area has
 * its own entry point for the rest (`@dicom-deno/dicom/dataset`, `/pixels`, `/lut`,
 * `/image`, `/fileset`, `/display`, `/dictionary`, `/convert`).
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset, dir, read, write } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientName", "Doe^John");
 * ds.set("PatientID", "12345");
 * const again = read(write(ds));
 * assert.equal(String(again.PatientName), "Doe^John");
 * assert.deepEqual(dir(again, "pat"), ["PatientID", "PatientName"]);
 * ```
 *
 * @module
 */

export { read, type ReadOptions } from "./lib/io/read.ts";
export { write, type WriteOptions } from "./lib/io/write.ts";
export { Dataset, dir } from "./lib/dataset/dataset.ts";
export { DataElement } from "./lib/dataset/element.ts";
export { PersonName } from "./lib/dataset/person_name.ts";
export { frames, pixelArray, type PixelArrayOptions } from "./lib/pixels/decode.ts";
export { PixelArray, type PixelTypedArray } from "./lib/pixels/pixel_array.ts";
export { applyModalityLut } from "./lib/lut/modality.ts";
export { applyVoiLut, type ApplyVoiLutOptions } from "./lib/lut/voi.ts";
export { applyColorLut, type ApplyColorLutOptions } from "./lib/lut/palette.ts";
export { convertColorSpace, type ConvertColorSpaceOptions } from "./lib/pixels/color_space.ts";
export {
  type ImageFormat,
  saveImage,
  saveImageSync,
  toImage,
  type ToImageOptions,
} from "./lib/image/to_image.ts";
export { type RenderOptions } from "./lib/image/render_options.ts";
export { grid, type GridOptions, hist, show, type ShowOptions } from "./lib/display/notebook.ts";
export { FileSet, fileSet, type FileSetOptions, type FindOptions } from "./lib/fileset/file_set.ts";
export { FileInstance } from "./lib/fileset/file_instance.ts";
export { convertFileSet, type ConvertFileSetOptions } from "./lib/convert/convert_file_set.ts";
export { type ConvertReport, type Failure } from "./lib/convert/report.ts";
export { type ConvertProgress } from "./lib/convert/progress.ts";
export {
  CodecError,
  DicomError,
  InvalidFileError,
  InvalidValueError,
  MalformedError,
  PixelDataError,
  TruncatedError,
  UnsupportedError,
  ValueError,
} from "./lib/core/errors.ts";
