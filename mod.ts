/**
 * dicom-deno: open DICOM medical images in TypeScript, in scripts and in Jupyter
 * notebooks (Deno kernel).
 *
 * ```ts
 * import { dir, read } from "./mod.ts";
 * const ds = read("fixtures/ct_small.dcm");
 * console.log(String(ds));
 * console.log(ds.PatientName, dir(ds, "pat"));
 * ```
 *
 * @module
 */

export { formatTag, isPrivateTag, type Tag, tag, tagElement, tagGroup } from "./lib/core/tag.ts";
export type { VR } from "./lib/core/vr.ts";
export { PersonName } from "./lib/dataset/person_name.ts";
export {
  DataElement,
  type DatasetLike,
  type ElementSource,
  type ElementValue,
  type EncapsulatedPixelData,
  type ItemList,
} from "./lib/dataset/element.ts";
export {
  Dataset,
  type DatasetEncoding,
  type DatasetKeywords,
  dir,
  type Multi,
  type TagOrKeyword,
  type ValueOfVR,
} from "./lib/dataset/dataset.ts";
export {
  formatDataset,
  formatElement,
  formatValue,
  type PrintableDataset,
} from "./lib/dataset/print.ts";
export {
  decodeText,
  type DecodeTextOptions,
  encodeText,
  type EncodeTextOptions,
} from "./lib/dataset/charset.ts";
export {
  type DictionaryEntry,
  type KeywordVM,
  type KeywordVR,
  lookupPrivate,
  lookupTag,
  lookupUid,
  type PrivateEntry,
  tagForKeyword,
  type UidEntry,
  uidName,
} from "./lib/dictionary/mod.ts";
export { parse, read, type ReadOptions } from "./lib/io/read.ts";
export {
  CodecError,
  DicomError,
  type ErrorLocation,
  InvalidFileError,
  MalformedError,
  PixelDataError,
  TruncatedError,
  UnsupportedError,
  ValueError,
} from "./lib/core/errors.ts";
export {
  frames,
  pixelArray,
  type PixelArrayOptions,
  type PixelInfo,
  pixelInfo,
} from "./lib/pixels/decode.ts";
export { PixelArray, type PixelTypedArray } from "./lib/pixels/pixel_array.ts";
export {
  frameBytes,
  frameFragments,
  type FrameFragmentsOptions,
} from "./lib/pixels/encapsulation.ts";
export { codecFor, CODECS } from "./lib/pixels/codecs/registry.ts";
export type { Codec, FrameInfo } from "./lib/pixels/codecs/types.ts";
export { IMPLEMENTATION_CLASS_UID, write, type WriteOptions } from "./lib/io/write.ts";
export { applyModalityLut } from "./lib/lut/modality.ts";
export {
  applyGrayscaleLuts,
  applyVoiLut,
  type ApplyVoiLutOptions,
  applyWindow,
  type ApplyWindowOptions,
  type WindowFunction,
} from "./lib/lut/voi.ts";
export { applyColorLut, type ApplyColorLutOptions } from "./lib/lut/palette.ts";
export { applyPresentationLut, type ApplyPresentationLutOptions } from "./lib/lut/presentation.ts";
export {
  type ColorSpace,
  convertColorSpace,
  type ConvertColorSpaceOptions,
} from "./lib/pixels/color_space.ts";
export { decodeValues } from "./lib/dataset/charset.ts";
export {
  FileInstance,
  FileSet,
  fileSet,
  type FileSetInit,
  type FileSetOptions,
  type FileSetQuery,
  type FindOptions,
  RecordNode,
} from "./lib/fileset/file_set.ts";
export { writeDicomdir, type WriteDicomdirOptions } from "./lib/fileset/dicomdir_write.ts";
export { scale, type ScaleMode, type ScaleOptions, scaleTutorial } from "./lib/image/scale.ts";
export {
  applyColormap,
  type ColormapName,
  COLORMAPS,
  colormapTable,
} from "./lib/image/colormap.ts";
export {
  type DecodedPng,
  decodePng,
  encodePng,
  type EncodePngOptions,
  type PngFilter,
} from "./lib/image/png.ts";
export { encodeJpeg, type EncodeJpegOptions, type JpegEncoderName } from "./lib/image/jpeg.ts";
export {
  type ImageFormat,
  saveImage,
  saveImageSync,
  type Scaling,
  toImage,
  type ToImageOptions,
} from "./lib/image/to_image.ts";
export {
  type Displayable,
  type DisplayScaling,
  Figure,
  Grid,
  grid,
  type GridOptions,
  hist,
  HistogramPlot,
  JUPYTER_DISPLAY,
  type MediaBundle,
  show,
  type ShowOptions,
} from "./lib/display/notebook.ts";
export {
  base64,
  datasetHtml,
  escapeHtml,
  type Histogram,
  histogram,
  type HistogramOptions,
  histogramSvg,
  imageHtml,
  type ImageHtmlOptions,
} from "./lib/display/html.ts";
export { makeCtSlice, phantomHU, type PhantomOptions } from "./lib/sample/phantom.ts";
export { type DecodedJpeg, decodeJpeg, type JpegDecodeOptions } from "./lib/pixels/codecs/jpeg.ts";
export type { NativeKind } from "./lib/pixels/codecs/native.ts";
export { renderTutorial8, type RenderTutorialOptions } from "./lib/image/tutorial.ts";
