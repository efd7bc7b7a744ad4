/**
 * What the main thread and the decode workers of `Series.load({ jobs })` share (private).
 *
 * @module
 */

import type { VolumeArray } from "./volume.ts";
import { ValueError } from "../core/errors.ts";
import { read } from "../io/read.ts";
import { readFileReusing } from "../io/files.ts";
import { pixelArray } from "../pixels/decode.ts";
import { applyModalityLut } from "../lut/modality.ts";

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

/** One file's frames for a worker to decode into the volume. */
export interface DecodeTask {
  path: string;
  multiFrame: boolean;
  /** `stored`: the values as stored (one rescale for all); else each frame's rescale or LUT. */
  mode: "stored" | "values";
  /** The constructor name of the volume's array. */
  type: string;
  shared: SharedArrayBuffer;
  offset: number;
  plane: number;
  frames: { frame: number; at: number; slope: number; intercept: number; lut: boolean }[];
}

/** The buffer this thread reads files into. */
let buffer: Uint8Array = new Uint8Array(0);

/** Decodes a task's frames into the shared volume (in a worker, or on the main thread). */
export function decodeTask(task: DecodeTask): void {
  const bytes = readFileReusing(task.path, buffer)!;
  buffer = new Uint8Array(bytes.buffer);
  const ds = read(bytes);
  const Out = TYPED[task.type];
  const total = (task.shared.byteLength - task.offset) / Out.BYTES_PER_ELEMENT;
  const out = new Out(task.shared, task.offset, total);
  for (const f of task.frames) {
    const target = out.subarray(f.at, f.at + task.plane);
    let arr = pixelArray(ds, {
      ...(task.multiFrame ? { frame: f.frame } : {}),
      ...(task.mode === "stored" ? { out: target } : {}),
    });
    if (arr.data.length !== task.plane) {
      throw new ValueError(
        `${task.path}: frame ${f.frame} has ${arr.data.length} pixels, the series ${task.plane}`,
      );
    }
    if (task.mode === "stored") {
      if (arr.data !== target) target.set(arr.data);
    } else if (f.lut) {
      arr = applyModalityLut(arr, ds);
      target.set(arr.data);
    } else {
      const src = arr.data;
      for (let i = 0; i < task.plane; i++) target[i] = src[i] * f.slope + f.intercept;
    }
  }
}
