/**
 * Checks made before a WebAssembly decoder sees a stream: the decoders allocate what
 * the stream's own header declares, so a hostile or mismatched header must be refused
 * first (fuzzing found headers that grew CharLS and OpenJPEG to 1-2 GB for seconds).
 *
 * @module
 */

import { CodecError, UnsupportedError } from "../../core/errors.ts";
import type { FrameInfo } from "./types.ts";

/**
 * The most samples a frame may have: the WebAssembly decoders' memory cannot grow past
 * 2 GiB, and a larger frame would grow it that far before failing.
 */
export const MAX_SAMPLES = 2 ** 28;
/**
 * Frames over `LARGE_FRAME` samples need a byte of stream per `SAMPLES_PER_BYTE`
 * samples: the corpus's streams give at most 103 samples a byte, while a hostile stream
 * of a few hundred KB can declare a frame that keeps a decoder busy for tens of seconds.
 */
export const LARGE_FRAME = 2 ** 24;
/** See {@linkcode LARGE_FRAME}. */
export const SAMPLES_PER_BYTE = 128;

/** The image size a stream header declares, and where that header is. */
export interface DeclaredSize {
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
  /** Components (samples per pixel). */
  components: number;
  /** Byte offset of the header in the stream. */
  at: number;
}

/**
 * Throws unless the stream's declared size (when found) matches the dataset's, and the
 * frame is one a WebAssembly decoder may be given.
 */
export function checkStreamSize(
  codec: string,
  declared: DeclaredSize | undefined,
  info: FrameInfo,
  streamLength: number,
): void {
  const { rows, columns, samplesPerPixel: spp } = info;
  if (
    declared &&
    (declared.width !== columns || declared.height !== rows || declared.components !== spp)
  ) {
    throw new CodecError(
      `${codec}: stream is ${declared.height}x${declared.width} with ${declared.components} ` +
        `component(s), the header says ${rows}x${columns} with ${spp}`,
      { offset: declared.at },
    );
  }
  const samples = rows * columns * spp;
  if (samples > MAX_SAMPLES) {
    throw new UnsupportedError(
      `${codec}: ${rows}x${columns}x${spp} samples are more than the WebAssembly decoder holds`,
    );
  }
  if (samples > LARGE_FRAME && samples > SAMPLES_PER_BYTE * streamLength) {
    throw new UnsupportedError(
      `${codec}: a stream of ${streamLength} bytes for ${rows}x${columns}x${spp} samples: ` +
        `frames over 2^24 samples need a byte per ${SAMPLES_PER_BYTE} samples`,
    );
  }
}
