/**
 * The parsed frame and scan headers the JPEG scan decoders work on.
 *
 * @module
 */

import type { HuffmanTable } from "./_huffman.ts";

/** One image component of a frame, with the plane its samples are decoded into. */
export interface JpegComponent {
  /** Component identifier Ci. */
  id: number;
  /** Horizontal sampling factor Hi. */
  h: number;
  /** Vertical sampling factor Vi. */
  v: number;
  /** Quantization table selector Tqi. */
  tq: number;
  /** Samples per line of this component: ceil(X * Hi / Hmax). */
  width: number;
  /** Lines of this component: ceil(Y * Vi / Vmax). */
  height: number;
  /** Allocated plane width (covers every MCU of an interleaved scan). */
  stride: number;
  /** Allocated plane height. */
  rows: number;
  /** The decoded samples (DCT: 8 or 12 bits; lossless: undifferenced values). */
  plane: Uint8Array | Uint16Array;
  /** True once a scan has carried this component. */
  decoded: boolean;
}

/** The frame header (SOFn) plus what the decoders derive from it. */
export interface JpegFrame {
  /** SOF marker type: 0 baseline, 1 extended, 3 lossless. */
  sof: number;
  /** Sample precision P in bits. */
  precision: number;
  /** Number of lines Y. */
  height: number;
  /** Samples per line X. */
  width: number;
  /** The components in SOF order. */
  components: JpegComponent[];
  /** Largest Hi. */
  hmax: number;
  /** Largest Vi. */
  vmax: number;
  /** MCUs per line of an interleaved scan. */
  mcusPerLine: number;
  /** MCU rows of an interleaved scan. */
  mcuRows: number;
}

/** One component of a scan with its tables. */
export interface ScanComponent {
  /** The frame component. */
  component: JpegComponent;
  /** DC (or lossless) Huffman table. */
  dc: HuffmanTable;
  /** AC Huffman table (DCT only; same as `dc` for lossless). */
  ac: HuffmanTable;
  /** Quantization table in natural order (DCT only). */
  quant: Int32Array;
}

/** The scan header (SOS) and the restart interval in force. */
export interface JpegScan {
  /** Components of the scan, in scan order. */
  components: ScanComponent[];
  /** Ss: spectral start (lossless: predictor selection value). */
  ss: number;
  /** Se: spectral end. */
  se: number;
  /** Ah: successive approximation high. */
  ah: number;
  /** Al: successive approximation low (lossless: point transform). */
  al: number;
  /** Restart interval in MCUs, 0 for none. */
  restartInterval: number;
}
