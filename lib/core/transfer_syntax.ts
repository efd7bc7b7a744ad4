/**
 * The transfer syntax table (PS3.5 section 10 and annex A, PS3.6 table A-1): how each
 * transfer syntax encodes a dataset (byte order, implicit or explicit VR, deflate) and its
 * pixel data (native or encapsulated, and which family of codec decodes it). Reading,
 * writing, file-sets and the pixel pipeline ask this table instead of keeping their own
 * constants.
 *
 * @module
 */

/**
 * The codec family that decodes a transfer syntax's pixel data; the codec registry in
 * `lib/pixels/codecs/registry.ts` maps each family to its decoder. `"native"` is pixel data
 * stored as it is (no codec).
 */
export type CodecFamily =
  | "native"
  | "encapsulated-uncompressed"
  | "deflated-frames"
  | "rle"
  | "jpeg-baseline"
  | "jpeg-extended"
  | "jpeg-lossless"
  | "jpeg-ls"
  | "jpeg-2000"
  | "jpeg-2000-multicomponent"
  | "htj2k"
  | "jpip"
  | "mpeg"
  | "jpeg-xl";

/** One transfer syntax: its UID and how it encodes datasets and pixel data. */
export interface TransferSyntax {
  /** The UID, e.g. `"1.2.840.10008.1.2.1"`. */
  readonly uid: string;
  /** The standard's name, e.g. `"Explicit VR Little Endian"`. */
  readonly name: string;
  /** The standard's keyword, e.g. `"ExplicitVRLittleEndian"`. */
  readonly keyword: string;
  /** Little endian byte order (only Explicit VR Big Endian is not). */
  readonly littleEndian: boolean;
  /** Implicit VR (the VR comes from the data dictionary). */
  readonly implicitVR: boolean;
  /** The dataset after the file meta is deflated (RFC 1951). */
  readonly deflated: boolean;
  /** Pixel data is encapsulated: fragments in items, with a Basic Offset Table. */
  readonly encapsulated: boolean;
  /** Lossy compression: decoded values may differ from the original ones. */
  readonly lossy: boolean;
  /** Which codec family decodes the pixel data. */
  readonly family: CodecFamily;
}

/** Implicit VR Little Endian, the default transfer syntax of DICOM. */
export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
/** Explicit VR Little Endian. */
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** Encapsulated Uncompressed Explicit VR Little Endian. */
export const ENCAPSULATED_UNCOMPRESSED = "1.2.840.10008.1.2.1.98";
/** Deflated Explicit VR Little Endian. */
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
/** Explicit VR Big Endian (retired). */
export const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
/** RLE Lossless. */
export const RLE_LOSSLESS = "1.2.840.10008.1.2.5";
/** JPEG Baseline (Process 1), 8-bit lossy. */
export const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
/** JPEG Extended (Process 2 & 4), 12-bit lossy. */
export const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
/** JPEG Lossless, Non-Hierarchical (Process 14). */
export const JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
/** JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1). */
export const JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
/** JPEG-LS Lossless. */
export const JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
/** JPEG-LS Lossy (Near-Lossless). */
export const JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
/** JPEG 2000 Image Compression (Lossless Only). */
export const JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
/** JPEG 2000 Image Compression (lossless or lossy). */
export const JPEG_2000 = "1.2.840.10008.1.2.4.91";
/** High-Throughput JPEG 2000 Image Compression (Lossless Only). */
export const HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201";
/** High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only). */
export const HTJ2K_LOSSLESS_RPCL = "1.2.840.10008.1.2.4.202";
/** High-Throughput JPEG 2000 Image Compression. */
export const HTJ2K = "1.2.840.10008.1.2.4.203";

function ts(
  uid: string,
  name: string,
  keyword: string,
  family: CodecFamily,
  flags: { be?: true; implicit?: true; deflated?: true; lossy?: true } = {},
): TransferSyntax {
  return Object.freeze({
    uid,
    name,
    keyword,
    littleEndian: !flags.be,
    implicitVR: !!flags.implicit,
    deflated: !!flags.deflated,
    encapsulated: family !== "native",
    lossy: !!flags.lossy,
    family,
  });
}

/** Every transfer syntax of PS3.6 table A-1 that carries a dataset, retired ones included. */
export const TRANSFER_SYNTAXES: readonly TransferSyntax[] = Object.freeze([
  ts(IMPLICIT_VR_LITTLE_ENDIAN, "Implicit VR Little Endian", "ImplicitVRLittleEndian", "native", {
    implicit: true,
  }),
  ts(EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian", "ExplicitVRLittleEndian", "native"),
  ts(
    ENCAPSULATED_UNCOMPRESSED,
    "Encapsulated Uncompressed Explicit VR Little Endian",
    "EncapsulatedUncompressedExplicitVRLittleEndian",
    "encapsulated-uncompressed",
  ),
  ts(
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
    "Deflated Explicit VR Little Endian",
    "DeflatedExplicitVRLittleEndian",
    "native",
    { deflated: true },
  ),
  ts(EXPLICIT_VR_BIG_ENDIAN, "Explicit VR Big Endian", "ExplicitVRBigEndian", "native", {
    be: true,
  }),
  ts(JPEG_BASELINE, "JPEG Baseline (Process 1)", "JPEGBaseline8Bit", "jpeg-baseline", {
    lossy: true,
  }),
  ts(JPEG_EXTENDED, "JPEG Extended (Process 2 & 4)", "JPEGExtended12Bit", "jpeg-extended", {
    lossy: true,
  }),
  ts(
    "1.2.840.10008.1.2.4.53",
    "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)",
    "JPEGSpectralSelectionNonHierarchical68",
    "jpeg-extended",
    { lossy: true },
  ),
  ts(
    "1.2.840.10008.1.2.4.55",
    "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)",
    "JPEGFullProgressionNonHierarchical1012",
    "jpeg-extended",
    { lossy: true },
  ),
  ts(
    JPEG_LOSSLESS,
    "JPEG Lossless, Non-Hierarchical (Process 14)",
    "JPEGLossless",
    "jpeg-lossless",
  ),
  ts(
    JPEG_LOSSLESS_SV1,
    "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
    "JPEGLosslessSV1",
    "jpeg-lossless",
  ),
  ts(JPEG_LS_LOSSLESS, "JPEG-LS Lossless Image Compression", "JPEGLSLossless", "jpeg-ls"),
  ts(
    JPEG_LS_NEAR_LOSSLESS,
    "JPEG-LS Lossy (Near-Lossless) Image Compression",
    "JPEGLSNearLossless",
    "jpeg-ls",
    { lossy: true },
  ),
  ts(
    JPEG_2000_LOSSLESS,
    "JPEG 2000 Image Compression (Lossless Only)",
    "JPEG2000Lossless",
    "jpeg-2000",
  ),
  ts(JPEG_2000, "JPEG 2000 Image Compression", "JPEG2000", "jpeg-2000", { lossy: true }),
  ts(
    "1.2.840.10008.1.2.4.92",
    "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)",
    "JPEG2000MCLossless",
    "jpeg-2000-multicomponent",
  ),
  ts(
    "1.2.840.10008.1.2.4.93",
    "JPEG 2000 Part 2 Multi-component Image Compression",
    "JPEG2000MC",
    "jpeg-2000-multicomponent",
    { lossy: true },
  ),
  ts("1.2.840.10008.1.2.4.94", "JPIP Referenced", "JPIPReferenced", "jpip", { lossy: true }),
  ts("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", "JPIPReferencedDeflate", "jpip", {
    deflated: true,
    lossy: true,
  }),
  ...[
    ["100", "MPEG2 Main Profile / Main Level", "MPEG2MPML"],
    ["100.1", "Fragmentable MPEG2 Main Profile / Main Level", "MPEG2MPMLF"],
    ["101", "MPEG2 Main Profile / High Level", "MPEG2MPHL"],
    ["101.1", "Fragmentable MPEG2 Main Profile / High Level", "MPEG2MPHLF"],
    ["102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", "MPEG4HP41"],
    ["102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1", "MPEG4HP41F"],
    ["103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", "MPEG4HP41BD"],
    [
      "103.1",
      "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
      "MPEG4HP41BDF",
    ],
    ["104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", "MPEG4HP422D"],
    [
      "104.1",
      "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
      "MPEG4HP422DF",
    ],
    ["105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", "MPEG4HP423D"],
    [
      "105.1",
      "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
      "MPEG4HP423DF",
    ],
    ["106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", "MPEG4HP42STEREO"],
    ["106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", "MPEG4HP42STEREOF"],
    ["107", "HEVC/H.265 Main Profile / Level 5.1", "HEVCMP51"],
    ["108", "HEVC/H.265 Main 10 Profile / Level 5.1", "HEVCM10P51"],
  ].map(([n, name, keyword]) =>
    ts(`1.2.840.10008.1.2.4.${n}`, name, keyword, "mpeg", { lossy: true })
  ),
  ts("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", "JPEGXLLossless", "jpeg-xl"),
  ts(
    "1.2.840.10008.1.2.4.111",
    "JPEG XL JPEG Recompression",
    "JPEGXLJPEGRecompression",
    "jpeg-xl",
  ),
  ts("1.2.840.10008.1.2.4.112", "JPEG XL", "JPEGXL", "jpeg-xl", { lossy: true }),
  ts(
    HTJ2K_LOSSLESS,
    "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
    "HTJ2KLossless",
    "htj2k",
  ),
  ts(
    HTJ2K_LOSSLESS_RPCL,
    "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
    "HTJ2KLosslessRPCL",
    "htj2k",
  ),
  ts(HTJ2K, "High-Throughput JPEG 2000 Image Compression", "HTJ2K", "htj2k", { lossy: true }),
  ts(RLE_LOSSLESS, "RLE Lossless", "RLELossless", "rle"),
  ts(
    "1.2.840.10008.1.2.8.1",
    "Deflated Image Frame Compression",
    "DeflatedImageFrameCompression",
    "deflated-frames",
  ),
]);

const BY_UID = new Map(TRANSFER_SYNTAXES.map((t) => [t.uid, t]));

/**
 * The table entry of a transfer syntax UID, or undefined for a UID that is not a
 * transfer syntax of the standard. Trailing NUL padding and spaces are ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { transferSyntax } from "./mod.ts";
 * const t = transferSyntax("1.2.840.10008.1.2.2");
 * assert.equal(t?.name, "Explicit VR Big Endian");
 * assert.equal(t?.littleEndian, false);
 * assert.equal(transferSyntax("1.2.840.10008.1.2.4.70")?.family, "jpeg-lossless");
 * assert.equal(transferSyntax("1.2.3"), undefined);
 * ```
 */
export function transferSyntax(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid) ?? BY_UID.get(uid.replace(/[\0 ]+$/, ""));
}
