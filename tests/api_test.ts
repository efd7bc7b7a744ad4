// The public API in levels: what `deno doc --json` sees exported (values and types) from
// the root mod.ts and from each subpath of deno.json "exports", against literal lists.
// A change to the public API changes this file on purpose.

import assert from "node:assert/strict";
import { denoDocJson } from "./_deno_doc.ts";

/** Values (functions, classes, constants) and types (interfaces, type aliases) exported. */
interface Exported {
  values: string[];
  types: string[];
}

const API: Record<string, Exported> = {
  ".": {
    values: [
      "CodecError",
      "DataElement",
      "Dataset",
      "DicomError",
      "FileInstance",
      "FileSet",
      "InvalidFileError",
      "InvalidValueError",
      "MalformedError",
      "PersonName",
      "PixelArray",
      "PixelDataError",
      "TruncatedError",
      "UnsupportedError",
      "ValueError",
      "applyColorLut",
      "applyModalityLut",
      "applyVoiLut",
      "convertColorSpace",
      "convertFileSet",
      "dir",
      "fileSet",
      "frames",
      "grid",
      "hist",
      "pixelArray",
      "read",
      "saveImage",
      "saveImageSync",
      "show",
      "toImage",
      "write",
    ],
    types: [
      "ApplyColorLutOptions",
      "ApplyVoiLutOptions",
      "ConvertColorSpaceOptions",
      "ConvertFileSetOptions",
      "ConvertProgress",
      "ConvertReport",
      "Failure",
      "FileSetOptions",
      "FindOptions",
      "GridOptions",
      "ImageFormat",
      "PixelArrayOptions",
      "PixelTypedArray",
      "ReadOptions",
      "RenderOptions",
      "ShowOptions",
      "ToImageOptions",
      "WriteOptions",
    ],
  },
  "./core": {
    values: [
      "CodecError",
      "DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN",
      "DicomError",
      "DicomWebError",
      "ENCAPSULATED_UNCOMPRESSED",
      "EXPLICIT_VR_BIG_ENDIAN",
      "EXPLICIT_VR_LITTLE_ENDIAN",
      "HTJ2K",
      "HTJ2K_LOSSLESS",
      "HTJ2K_LOSSLESS_RPCL",
      "IMPLICIT_VR_LITTLE_ENDIAN",
      "InvalidFileError",
      "InvalidValueError",
      "JPEG_2000",
      "JPEG_2000_LOSSLESS",
      "JPEG_BASELINE",
      "JPEG_EXTENDED",
      "JPEG_LOSSLESS",
      "JPEG_LOSSLESS_SV1",
      "JPEG_LS_LOSSLESS",
      "JPEG_LS_NEAR_LOSSLESS",
      "MalformedError",
      "OutputError",
      "PixelDataError",
      "RLE_LOSSLESS",
      "RefusedError",
      "TRANSFER_SYNTAXES",
      "TruncatedError",
      "UnsupportedError",
      "ValueError",
      "formatTag",
      "isPrivateTag",
      "tag",
      "tagElement",
      "tagGroup",
      "transferSyntax",
    ],
    types: [
      "CodecFamily",
      "ErrorLocation",
      "HttpErrorDetails",
      "InvalidValueDetails",
      "InvalidValueRule",
      "Tag",
      "TransferSyntax",
      "VR",
    ],
  },
  "./dataset": {
    values: [
      "DataElement",
      "Dataset",
      "PersonName",
      "PrivateBlock",
      "checkValue",
      "decodeText",
      "decodeValues",
      "dir",
      "encodeText",
      "formatDataset",
      "formatElement",
      "formatTag",
      "formatValue",
      "isPrivateTag",
      "tag",
      "tagElement",
      "tagGroup",
    ],
    types: [
      "AssignableOfVR",
      "AssignableValue",
      "BaseVR",
      "CheckValueOptions",
      "CheckedValue",
      "DatasetEncoding",
      "DatasetKeywords",
      "DatasetLike",
      "DecodeTextOptions",
      "ElementSource",
      "ElementValue",
      "EncapsulatedPixelData",
      "EncodeTextOptions",
      "ItemList",
      "KeywordGetTypes",
      "KeywordSetTypes",
      "Multi",
      "PrintableDataset",
      "PrivateBlockHost",
      "PrivateBlockOptions",
      "PrivateSetOptions",
      "SaveOptions",
      "SetOptions",
      "Tag",
      "TagOrKeyword",
      "VMOf",
      "VR",
      "ValidationMode",
      "ValueOfVR",
      "WalkContext",
      "WalkOptions",
    ],
  },
  "./io": {
    values: [
      "IMPLEMENTATION_CLASS_UID",
      "exists",
      "parse",
      "partialName",
      "read",
      "saveAs",
      "write",
      "writeAtomic",
      "writeAtomicSync",
    ],
    types: ["ReadOptions", "WriteAtomicOptions", "WriteOptions"],
  },
  "./pixels": {
    values: [
      "CODECS",
      "PixelArray",
      "codecFor",
      "convertColorSpace",
      "decodeJpeg",
      "encodedFrame",
      "fragmentAt",
      "frameBytes",
      "frameFragmentIndices",
      "frameFragments",
      "frames",
      "pixelArray",
      "pixelInfo",
    ],
    types: [
      "Codec",
      "ColorSpace",
      "ConvertColorSpaceOptions",
      "DecodedJpeg",
      "FrameFragmentsOptions",
      "FrameInfo",
      "JpegDecodeOptions",
      "NativeKind",
      "PixelArrayInit",
      "PixelArrayOptions",
      "PixelInfo",
      "PixelTypedArray",
    ],
  },
  "./lut": {
    values: [
      "applyColorLut",
      "applyGrayscaleLuts",
      "applyModalityLut",
      "applyPresentationLut",
      "applyVoiLut",
      "applyWindow",
    ],
    types: [
      "ApplyColorLutOptions",
      "ApplyPresentationLutOptions",
      "ApplyVoiLutOptions",
      "ApplyWindowOptions",
      "WindowFunction",
    ],
  },
  "./image": {
    values: [
      "COLORMAPS",
      "applyColormap",
      "checkRenderOptions",
      "colormapTable",
      "decodePng",
      "encodeJpeg",
      "encodePng",
      "outputMinimum",
      "renderTutorial8",
      "saveImage",
      "saveImageSync",
      "scale",
      "scaleTutorial",
      "to16Bit",
      "toImage",
      "voiStage",
    ],
    types: [
      "CheckedImageOptions",
      "ColormapName",
      "DecodedPng",
      "EncodeJpegOptions",
      "EncodePngOptions",
      "ImageFormat",
      "JpegEncoderName",
      "PngFilter",
      "RenderOptions",
      "RenderTutorialOptions",
      "ScaleOptions",
      "Scaling",
      "ToImageOptions",
      "Window",
    ],
  },
  "./fileset": {
    values: [
      "FileInstance",
      "FileSet",
      "RecordNode",
      "fileSet",
      "fileSetIndex",
      "recordAttributes",
      "writeDicomdir",
    ],
    types: [
      "DicomdirInstance",
      "FileSetIndex",
      "FileSetIndexOptions",
      "FileSetInit",
      "FileSetOptions",
      "FileSetQuery",
      "FindOptions",
      "WriteDicomdirOptions",
    ],
  },
  "./display": {
    values: [
      "Figure",
      "Grid",
      "HistogramPlot",
      "JUPYTER_DISPLAY",
      "VolumeFigure",
      "grid",
      "hist",
      "histogram",
      "imageHtml",
      "progressBundle",
      "progressView",
      "show",
      "showVolume",
    ],
    types: [
      "DisplayFunction",
      "Displayable",
      "GridOptions",
      "Histogram",
      "HistogramOptions",
      "ImageHtmlOptions",
      "MediaBundle",
      "ProgressEvent",
      "ProgressViewOptions",
      "ShowOptions",
      "ShowVolumeOptions",
      "VolumePlane",
    ],
  },
  "./dictionary": {
    values: [
      "allKeywords",
      "dictionarySize",
      "lookupPrivate",
      "lookupTag",
      "lookupUid",
      "privateCreators",
      "tagForKeyword",
      "uidForKeyword",
      "uidName",
    ],
    types: [
      "DictionaryEntry",
      "DictionarySize",
      "Keyword",
      "KeywordTypeKey",
      "KeywordVM",
      "KeywordVR",
      "PrivateEntry",
      "UidEntry",
    ],
  },
  "./convert": {
    values: [
      "MAX_COMPONENT_BYTES",
      "MISSING",
      "OutputError",
      "canPassThrough",
      "checkConvertOptions",
      "convertFileSet",
      "convertOne",
      "errorKind",
      "extension",
      "fnv1a",
      "isShard",
      "mergeReports",
      "parseShard",
      "planNames",
      "progressLine",
      "progressText",
      "renderFrame",
      "reportText",
      "safeComponent",
      "shardOf",
    ],
    types: [
      "ConvertError",
      "ConvertFileSetOptions",
      "ConvertOneOptions",
      "ConvertProgress",
      "ConvertReport",
      "ConvertResult",
      "ConvertSettings",
      "ConvertTask",
      "ExistingPolicy",
      "Failure",
      "MergedReport",
      "ReportTextOptions",
      "Shard",
    ],
  },
  "./deid": {
    values: [
      "AUTO_THREADS_FROM",
      "DEIDENTIFY_OPTIONS",
      "Keyed",
      "PROFILE_OPTIONS",
      "REPORT_NAME",
      "blankRegions",
      "burnedInReason",
      "checkOutputFolder",
      "cid7050",
      "deidentificationCodes",
      "deidentify",
      "deidentifyFileSet",
      "keyedUid",
      "parseRegions",
      "profileAction",
      "profileRowFor",
      "profileRows",
      "randomKey",
      "resolveAction",
      "safePrivateRows",
      "startWorkers",
      "stopWorkers",
    ],
    types: [
      "ActionCode",
      "CidCode",
      "CleanPixelsOptions",
      "DeidKey",
      "DeidentifyFileSetOptions",
      "DeidentifyOptions",
      "DeidentifyProblem",
      "DeidentifyReport",
      "ProfileOption",
      "ProfileOptions",
      "ProfileRow",
      "Pseudonym",
      "Region",
      "SafePrivateRow",
    ],
  },
  "./volume": {
    values: [
      "Series",
      "Volume",
      "loadSeries",
      "niftiFileSet",
      "npyBytes",
      "readNifti",
      "seriesNames",
      "tiltCorrect",
      "toNifti",
      "toNpy",
      "volumeJson",
      "writeNifti",
      "writeNpy",
    ],
    types: [
      "FrameHeader",
      "LoadOptions",
      "LoadSeriesOptions",
      "LoadedSeries",
      "NiftiFailure",
      "NiftiFileSetOptions",
      "NiftiImage",
      "NiftiOptions",
      "NiftiReport",
      "NiftiWritten",
      "NpyOptions",
      "SeriesGeometry",
      "SeriesInstance",
      "SeriesSource",
      "Vec3",
      "VolumeArray",
      "VolumeInit",
      "VolumeJson",
      "VolumeOptions",
      "WriteNpyOptions",
    ],
  },
  "./dicomweb": {
    values: [
      "BulkDataElement",
      "DicomWebClient",
      "DicomWebError",
      "boundaryOf",
      "dicomweb",
      "encodeMultipart",
      "fromDicomJson",
      "readMultipart",
      "toDicomJson",
    ],
    types: [
      "BulkDataLoader",
      "DicomJsonAttribute",
      "DicomJsonObject",
      "DicomJsonPersonName",
      "DicomJsonValue",
      "DicomWebAuth",
      "DicomWebOptions",
      "DicomWebProgress",
      "DicomWebTarget",
      "FromDicomJsonOptions",
      "HttpErrorDetails",
      "MultipartPart",
      "OutgoingPart",
      "PullFailure",
      "PullOptions",
      "PullReport",
      "QueryValue",
      "ReadMultipartOptions",
      "RenderedOptions",
      "RetrieveOptions",
      "RetrievedInstance",
      "SearchOptions",
      "SearchQuery",
      "StoreOptions",
      "StoreReport",
      "StoredInstance",
      "ToDicomJsonOptions",
    ],
  },
};

const ROOT = new URL("../", import.meta.url);
const VALUE_KINDS = new Set(["function", "class", "variable", "enum", "namespace"]);

interface DocLocation {
  filename: string;
  line: number;
  col: number;
}
interface DocDeclaration {
  kind: string;
  location: DocLocation;
  /** For `kind: "reference"` (a symbol documented under another entry point): where it is. */
  def?: { target?: DocLocation };
}
interface DocSymbol {
  name: string;
  declarations: DocDeclaration[];
}

/** The names `deno doc --json` lists for each module (one run for all), split into values and types. */
async function exported(files: string[]): Promise<Map<string, Exported>> {
  const doc = await denoDocJson(files) as {
    nodes: Record<string, { symbols: DocSymbol[] }>;
  };
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  // with several entry points, a symbol already documented under one is a "reference"
  // to its declaration under the others: resolve it to the declaration's kind
  const at = (l: DocLocation) => `${l.filename}:${l.line}:${l.col}`;
  const kinds = new Map<string, string>();
  for (const node of Object.values(doc.nodes)) {
    for (const s of node.symbols) {
      for (const d of s.declarations) if (d.kind !== "reference") kinds.set(at(d.location), d.kind);
    }
  }
  const kindOf = (name: string, d: DocDeclaration) => {
    if (d.kind !== "reference") return d.kind;
    const kind = d.def?.target ? kinds.get(at(d.def.target)) : undefined;
    assert.ok(kind, `cannot resolve the declaration of ${name}`);
    return kind;
  };
  const result = new Map<string, Exported>();
  for (const file of files) {
    const node = doc.nodes[new URL(file, ROOT).href];
    assert.ok(node, `deno doc said nothing of ${file}`);
    const values = new Set<string>();
    const types = new Set<string>();
    for (const s of node.symbols) {
      const isValue = s.declarations.some((d) => VALUE_KINDS.has(kindOf(s.name, d)));
      (isValue ? values : types).add(s.name);
    }
    result.set(file, { values: sorted(values), types: sorted(types) });
  }
  return result;
}

const exportsMap = JSON.parse(
  Deno.readTextFileSync(new URL("deno.json", ROOT)),
).exports as Record<string, string>;

Deno.test("api: deno.json exports exactly the entry points listed here", () => {
  assert.deepEqual(Object.keys(exportsMap).sort(), Object.keys(API).sort());
  assert.equal(exportsMap["."], "./mod.ts");
  for (const [key, file] of Object.entries(exportsMap)) {
    if (key !== ".") assert.equal(file, `./lib${key.slice(1)}/mod.ts`, key);
  }
});

Deno.test("api: the root mod.ts keeps the tutorial's vocabulary (at most 40 values)", () => {
  assert.ok(API["."].values.length <= 40, `${API["."].values.length} values`);
});

Deno.test("api: each entry point exports the values and types listed here", async (t) => {
  const docs = await exported(Object.values(exportsMap));
  for (const [key, want] of Object.entries(API)) {
    await t.step(key, () => {
      const file = exportsMap[key];
      assert.ok(file, `${key} is not in deno.json exports`);
      assert.deepEqual(docs.get(file), want);
    });
  }
});
