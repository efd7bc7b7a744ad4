/**
 * One encoded frame for a decode worker of `Series.load`: its bytes, its pixel
 * description and where its values go in the volume's shared memory. Light on purpose:
 * a worker loads this and one codec, not the dataset reader and its dictionary (private).
 *
 * @module
 */

import { PixelDataError } from "../core/errors.ts";
import type { Codec, FrameInfo } from "../pixels/codecs/types.ts";
import { fitBitsStored } from "../pixels/bits_stored.ts";
import type { VolumeArray } from "./volume.ts";

/** The typed arrays by name, to rebuild a view of the shared memory in a worker. */
export const TYPED: Record<
  string,
  { new (b: ArrayBufferLike, o: number, n: number): VolumeArray; BYTES_PER_ELEMENT: number }
> = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
};

/** One encoded frame and its place in the volume. */
export interface FrameTask {
  /** File and frame, for messages. */
  name: string;
  /** The frame's encoded bytes (a JPEG 2000 codestream...). */
  stream: Uint8Array;
  /** Its pixel description, as the codec wants it. */
  info: FrameInfo;
  /** The codec family of its transfer syntax (`jpeg-2000`...). */
  family: string;
  /** The transfer syntax UID. */
  transferSyntax: string;
  /** The constructor name of the volume's array, its memory and its offset in bytes. */
  type: string;
  shared: SharedArrayBuffer;
  offset: number;
  /** Where the frame starts in the volume (values) and its length. */
  at: number;
  plane: number;
  /** The rescale to apply, or none: the stored values. */
  rescale?: { slope: number; intercept: number };
}

/** Decodes a frame task with `codec` into the volume; a failure is a `PixelDataError` naming it. */
export function decodeFrameTask(task: FrameTask, codec: Codec): void {
  const Out = TYPED[task.type];
  const target = new Out(task.shared, task.offset + task.at * Out.BYTES_PER_ELEMENT, task.plane);
  // the stored values go straight into the volume when the codec can write there
  let decoded;
  try {
    decoded = codec.decode(task.stream, task.info, task.rescale ? undefined : target);
  } catch (e) {
    throw new PixelDataError(`${task.name}: ${(e as Error).message}`, {}, { cause: e });
  }
  if (decoded.length !== task.plane) {
    throw new PixelDataError(
      `${task.name}: ${codec.name} gave ${decoded.length} values, the series ${task.plane}`,
    );
  }
  fitBitsStored(decoded, task.info);
  if (!task.rescale) {
    if (decoded.buffer !== target.buffer || decoded.byteOffset !== target.byteOffset) {
      target.set(decoded);
    }
  } else {
    const { slope, intercept } = task.rescale;
    for (let i = 0; i < task.plane; i++) target[i] = decoded[i] * slope + intercept;
  }
}
