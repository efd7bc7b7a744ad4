/**
 * Volume arrays with room for a NIfTI header in front of them, so that `toNifti` gives
 * the file's bytes without copying the voxels (private to lib/volume).
 *
 * @module
 */

import type { VolumeArray } from "./volume.ts";

/** Bytes before the voxels: a NIfTI-1 header and its 4-byte extension flag. */
export const HEADROOM = 352;

const reserved = new WeakSet<ArrayBufferLike>();

/** A typed array of `n` values whose buffer starts with {@linkcode HEADROOM} free bytes. */
export function allocate(
  Ctor: { new (buffer: ArrayBufferLike, offset: number, length: number): VolumeArray },
  bytesPerValue: number,
  n: number,
): VolumeArray {
  const buffer = new ArrayBuffer(HEADROOM + n * bytesPerValue);
  reserved.add(buffer);
  return new Ctor(buffer, HEADROOM, n);
}

/** True when `data` was made by {@linkcode allocate}: the bytes before it are free. */
export function hasHeadroom(data: VolumeArray): boolean {
  return data.byteOffset === HEADROOM && reserved.has(data.buffer) &&
    data.buffer.byteLength === HEADROOM + data.byteLength;
}

/** {@linkcode allocate} on shared memory, for decode workers to write into. */
export function allocateShared(
  Ctor: { new (buffer: SharedArrayBuffer, offset: number, length: number): VolumeArray },
  bytesPerValue: number,
  n: number,
): VolumeArray {
  const buffer = new SharedArrayBuffer(HEADROOM + n * bytesPerValue);
  reserved.add(buffer);
  return new Ctor(buffer, HEADROOM, n);
}
