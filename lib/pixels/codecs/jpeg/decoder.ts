/**
 * A JPEG decoder for the DICOM JPEG transfer syntaxes, in TypeScript: baseline (SOF0),
 * extended sequential Huffman 8/12-bit (SOF1) and lossless process 14 (SOF3, 2–16 bits,
 * predictors 1–7, point transform). Any number of components, interleaved or not,
 * chroma subsampling, restart intervals.
 *
 * Its output is bit-identical to IJG libjpeg 6b as built into gdcm and DCMTK (integer
 * "islow" IDCT, fancy upsampling, table-driven YCbCr → RGB).
 *
 * Progressive, hierarchical and arithmetic-coded JPEG are not supported.
 *
 * @module
 */

import { CodecError, UnsupportedError } from "../../../core/errors.ts";
import { BitReader, buildHuffmanTable, type HuffmanTable } from "./_huffman.ts";
import type { JpegComponent, JpegFrame, JpegScan, ScanComponent } from "./_frame.ts";
import { decodeDctScan, NATURAL_ORDER } from "./_dct.ts";
import { decodeLosslessScan } from "./_lossless.ts";
import { assembleOutput } from "./_output.ts";

/** Options for {@linkcode decodeJpeg}. */
export interface JpegDecodeOptions {
  /**
   * Convert YCbCr to RGB. `false` (the default) returns the samples as coded, as gdcm
   * and pydicom 2.3 do for DICOM (a YBR_FULL/YBR_FULL_422 image stays YCbCr). `true`
   * converts 3-component images whose stream says it holds YCbCr, by IJG libjpeg's rules:
   * a JFIF APP0 marker means YCbCr; else an Adobe APP14 marker's transform flag decides
   * (0 = RGB); else, for DCT streams only, component identifiers other than `R`,`G`,`B`
   * mean YCbCr. The conversion is libjpeg's fixed-point one.
   *
   * @default {false}
   */
  colorTransform?: boolean;
}

/** A decoded JPEG image: interleaved samples, row by row. */
export interface DecodedJpeg {
  /** Samples per line (X). */
  width: number;
  /** Lines (Y). */
  height: number;
  /** Components per pixel. */
  components: number;
  /** Sample precision in bits from the frame header. */
  precision: number;
  /**
   * `width * height * components` samples: 8-bit for precision ≤ 8, else 16-bit. It may
   * be a view on a larger buffer (decoding pads to whole blocks).
   */
  data: Uint8Array | Uint16Array;
}

const MAX_SAMPLES = 1 << 28;

function hex(m: number): string {
  return `0xFF${m.toString(16).toUpperCase().padStart(2, "0")}`;
}

const SOF_NAMES: Record<number, string> = {
  0xc2: "progressive DCT (SOF2)",
  0xc5: "differential sequential DCT (SOF5)",
  0xc6: "differential progressive DCT (SOF6)",
  0xc7: "differential lossless (SOF7)",
  0xc9: "arithmetic-coded sequential DCT (SOF9)",
  0xca: "arithmetic-coded progressive DCT (SOF10)",
  0xcb: "arithmetic-coded lossless (SOF11)",
  0xcd: "arithmetic-coded differential sequential DCT (SOF13)",
  0xce: "arithmetic-coded differential progressive DCT (SOF14)",
  0xcf: "arithmetic-coded differential lossless (SOF15)",
};

function parseFrame(
  bytes: Uint8Array,
  marker: number,
  seg: number,
  segEnd: number,
  at: number,
): JpegFrame {
  const sof = marker - 0xc0;
  if (segEnd - seg < 6) throw new CodecError("jpeg: SOF segment too short", { offset: at });
  const precision = bytes[seg];
  const height = bytes[seg + 1] << 8 | bytes[seg + 2];
  const width = bytes[seg + 3] << 8 | bytes[seg + 4];
  const nf = bytes[seg + 5];
  if (segEnd - seg !== 6 + 3 * nf || nf === 0) {
    throw new CodecError(`jpeg: SOF segment length does not match ${nf} components`, {
      offset: at,
    });
  }
  const lossless = sof === 3;
  // Like libjpeg (and so gdcm), a 12-bit SOF0 is decoded as if it were SOF1.
  const precisionOk = lossless
    ? precision >= 2 && precision <= 16
    : precision === 8 || precision === 12;
  if (!precisionOk) {
    throw new UnsupportedError(`jpeg: ${precision}-bit precision not supported in SOF${sof}`, {
      offset: at,
    });
  }
  if (height === 0) {
    throw new UnsupportedError("jpeg: height 0 in SOF (DNL marker) not supported", {
      offset: at,
    });
  }
  if (width === 0) throw new CodecError("jpeg: width 0 in SOF", { offset: at });
  if (width * height * nf > MAX_SAMPLES) {
    throw new UnsupportedError(`jpeg: image of ${width}x${height}x${nf} samples too large`, {
      offset: at,
    });
  }
  const raw: { id: number; h: number; v: number; tq: number }[] = [];
  for (let i = 0; i < nf; i++) {
    const p = seg + 6 + 3 * i;
    const h = bytes[p + 1] >> 4;
    const v = bytes[p + 1] & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4) {
      throw new CodecError(`jpeg: invalid sampling factors ${h}x${v} for component ${i}`, {
        offset: p,
      });
    }
    raw.push({ id: bytes[p], h, v, tq: bytes[p + 2] & 3 });
  }
  const hmax = Math.max(...raw.map((c) => c.h));
  const vmax = Math.max(...raw.map((c) => c.v));
  const unit = lossless ? 1 : 8;
  const mcusPerLine = Math.ceil(width / (unit * hmax));
  const mcuRows = Math.ceil(height / (unit * vmax));
  const components: JpegComponent[] = raw.map((c) => {
    const cw = Math.ceil(width * c.h / hmax);
    const ch = Math.ceil(height * c.v / vmax);
    const stride = Math.max(Math.ceil(cw / unit), mcusPerLine * c.h) * unit;
    const rows = Math.max(Math.ceil(ch / unit), mcuRows * c.v) * unit;
    const plane = !lossless && precision <= 8
      ? new Uint8Array(stride * rows)
      : new Uint16Array(stride * rows);
    return { ...c, width: cw, height: ch, stride, rows, plane, decoded: false };
  });
  return { sof, precision, height, width, components, hmax, vmax, mcusPerLine, mcuRows };
}

/**
 * Decodes a JPEG stream (baseline, extended 8/12-bit, or lossless process 14).
 *
 * Throws a `CodecError` naming the byte offset for corrupt or truncated streams and an
 * `UnsupportedError` for JPEG processes it does not implement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJpeg } from "./mod.ts";
 * // A 2x2 8-bit lossless JPEG (predictor 1) holding 10, 20 / 30, 40.
 * const stream = new Uint8Array([
 *   0xff, 0xd8, 0xff, 0xc4, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11,
 *   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
 *   0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
 *   0x0d, 0x0e, 0x0f, 0x10, 0xff, 0xc3, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00,
 *   0x02, 0x01, 0x01, 0x11, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00,
 *   0x01, 0x00, 0x00, 0x38, 0x92, 0x51, 0x68, 0x4a, 0xff, 0xd9,
 * ]);
 * const image = decodeJpeg(stream);
 * assert.deepEqual([image.width, image.height, image.precision], [2, 2, 8]);
 * assert.deepEqual(image.data, new Uint8Array([10, 20, 30, 40]));
 * ```
 */
export function decodeJpeg(bytes: Uint8Array, options: JpegDecodeOptions = {}): DecodedJpeg {
  const n = bytes.length;
  if (n < 2 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new CodecError("jpeg: no SOI marker at the start of the stream", { offset: 0 });
  }
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  const quantTables: (Int32Array | undefined)[] = [];
  let frame: JpegFrame | null = null;
  let restartInterval = 0;
  let jfif = false;
  let adobeTransform = -1;
  let scans = 0;
  let pointTransform = -1;
  let pos = 2;

  for (;;) {
    // Find the next marker: skip stray bytes, then 0xFF fill bytes (as libjpeg does).
    while (pos < n && bytes[pos] !== 0xff) pos++;
    while (pos + 1 < n && bytes[pos + 1] === 0xff) pos++;
    if (pos + 1 >= n) break; // no EOI: take what was decoded
    const at = pos;
    const marker = bytes[pos + 1];
    pos += 2;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd8) {
      throw new CodecError("jpeg: second SOI marker", { offset: at });
    }
    if (pos + 2 > n) {
      throw new CodecError(`jpeg: truncated stream in ${hex(marker)} segment header`, {
        offset: at,
      });
    }
    const length = bytes[pos] << 8 | bytes[pos + 1];
    const seg = pos + 2;
    const segEnd = pos + length;
    if (length < 2 || segEnd > n) {
      throw new CodecError(
        `jpeg: ${hex(marker)} segment of ${length} bytes runs past the end of the stream`,
        { offset: at },
      );
    }
    pos = segEnd;

    switch (marker) {
      case 0xc0:
      case 0xc1:
      case 0xc3:
        if (frame) throw new CodecError("jpeg: more than one SOF marker", { offset: at });
        frame = parseFrame(bytes, marker, seg, segEnd, at);
        break;
      case 0xc4: { // DHT
        let p = seg;
        while (p < segEnd) {
          if (p + 17 > segEnd) {
            throw new CodecError("jpeg: DHT segment too short", { offset: at });
          }
          const tc = bytes[p] >> 4;
          const th = bytes[p] & 15;
          const counts = bytes.subarray(p + 1, p + 17);
          let total = 0;
          for (let i = 0; i < 16; i++) total += counts[i];
          if (tc > 1 || th > 3 || total > 256 || p + 17 + total > segEnd) {
            throw new CodecError("jpeg: invalid DHT segment", { offset: p });
          }
          const table = buildHuffmanTable(
            counts,
            bytes.slice(p + 17, p + 17 + total),
            tc === 1,
            p,
          );
          (tc === 0 ? dcTables : acTables)[th] = table;
          p += 17 + total;
        }
        break;
      }
      case 0xdb: { // DQT
        let p = seg;
        while (p < segEnd) {
          const pq = bytes[p] >> 4;
          const tq = bytes[p] & 15;
          const size = pq ? 129 : 65;
          if (pq > 1 || tq > 3 || p + size > segEnd) {
            throw new CodecError("jpeg: invalid DQT segment", { offset: p });
          }
          const q = new Int32Array(64);
          for (let k = 0; k < 64; k++) {
            q[NATURAL_ORDER[k]] = pq
              ? bytes[p + 1 + 2 * k] << 8 | bytes[p + 2 + 2 * k]
              : bytes[p + 1 + k];
          }
          quantTables[tq] = q;
          p += size;
        }
        break;
      }
      case 0xdd: // DRI
        if (length !== 4) throw new CodecError("jpeg: invalid DRI segment", { offset: at });
        restartInterval = bytes[seg] << 8 | bytes[seg + 1];
        break;
      case 0xe0: // APP0: JFIF
        if (
          length >= 16 && bytes[seg] === 0x4a && bytes[seg + 1] === 0x46 &&
          bytes[seg + 2] === 0x49 && bytes[seg + 3] === 0x46 && bytes[seg + 4] === 0
        ) jfif = true;
        break;
      case 0xee: // APP14: Adobe
        if (
          length >= 14 && bytes[seg] === 0x41 && bytes[seg + 1] === 0x64 &&
          bytes[seg + 2] === 0x6f && bytes[seg + 3] === 0x62 && bytes[seg + 4] === 0x65
        ) adobeTransform = bytes[seg + 11];
        break;
      case 0xda: { // SOS
        if (!frame) throw new CodecError("jpeg: SOS marker before SOF", { offset: at });
        const ns = bytes[seg];
        if (ns < 1 || ns > 4 || length !== 6 + 2 * ns) {
          throw new CodecError("jpeg: invalid SOS segment", { offset: at });
        }
        const lossless = frame.sof === 3;
        const components: ScanComponent[] = [];
        for (let i = 0; i < ns; i++) {
          const p = seg + 1 + 2 * i;
          const component = frame.components.find((c) => c.id === bytes[p]);
          if (!component) {
            throw new CodecError(`jpeg: scan component ${bytes[p]} is not in the frame`, {
              offset: p,
            });
          }
          const dc = dcTables[bytes[p + 1] >> 4];
          const ac = lossless ? dc : acTables[bytes[p + 1] & 15];
          if (!dc || !ac) {
            throw new CodecError(
              `jpeg: scan component ${component.id} uses an undefined huffman table`,
              { offset: p },
            );
          }
          const quant = lossless ? new Int32Array(0) : quantTables[component.tq];
          if (!quant) {
            throw new CodecError(
              `jpeg: component ${component.id} uses undefined quantization table ${component.tq}`,
              { offset: p },
            );
          }
          components.push({ component, dc, ac, quant });
          component.decoded = true;
        }
        const p = seg + 1 + 2 * ns;
        const scan: JpegScan = {
          components,
          ss: bytes[p],
          se: bytes[p + 1],
          ah: bytes[p + 2] >> 4,
          al: bytes[p + 2] & 15,
          restartInterval,
        };
        if (lossless) {
          if (pointTransform >= 0 && scan.al !== pointTransform) {
            throw new UnsupportedError("jpeg: scans with different point transforms", {
              offset: at,
            });
          }
          pointTransform = scan.al;
        }
        const reader = new BitReader(bytes, segEnd);
        if (lossless) decodeLosslessScan(frame, scan, reader, at);
        else decodeDctScan(frame, scan, reader);
        pos = reader.endOfScan();
        scans++;
        break;
      }
      default:
        if (SOF_NAMES[marker]) {
          throw new UnsupportedError(`jpeg: ${SOF_NAMES[marker]} not supported`, {
            offset: at,
          });
        }
        // APPn, COM, DNL, DAC and others: skipped.
    }
  }

  if (!frame) throw new CodecError("jpeg: no SOF marker (frame header) in stream", { offset: n });
  if (scans === 0) throw new CodecError("jpeg: no SOS marker (scan) in stream", { offset: n });
  const missing = frame.components.find((c) => !c.decoded);
  if (missing) {
    throw new CodecError(`jpeg: component ${missing.id} has no scan`, { offset: n });
  }

  const lossless = frame.sof === 3;
  let ycc = false;
  if (frame.components.length === 3 && options.colorTransform) {
    if (jfif) ycc = true;
    else if (adobeTransform >= 0) ycc = adobeTransform !== 0;
    else if (!lossless) ycc = frame.components.map((c) => c.id).join(",") !== "82,71,66";
  }
  const data = assembleOutput(frame, lossless, lossless ? pointTransform : 0, ycc);
  return {
    width: frame.width,
    height: frame.height,
    components: frame.components.length,
    precision: frame.precision,
    data,
  };
}
