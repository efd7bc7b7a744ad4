/**
 * numpy's `.npy` format out of a `Volume`: `numpy.load` gives the array in the same C
 * order `[slice][row][column]`, with the affine beside it as JSON.
 *
 * @module
 */

import { dtypeOf, type Volume, type VolumeArray } from "./volume.ts";

/** Options for {@linkcode toNpy}. */
export interface NpyOptions {
  /**
   * Write the real values (`Volume.values()`: slope and intercept applied, integers when
   * they stay integers, else float32) instead of `data` as stored.
   *
   * @default {true}
   */
  values?: boolean;
}

/** Options for {@linkcode writeNpy}. */
export interface WriteNpyOptions extends NpyOptions {
  /**
   * Also write `{name}.json` beside `{name}.npy` with the affine and geometry; see
   * {@linkcode volumeJson}.
   *
   * @default {true}
   */
  sidecar?: boolean;
}

const DESCR: Record<string, string> = {
  uint8: "|u1",
  int8: "|i1",
  uint16: "<u2",
  int16: "<i2",
  uint32: "<u4",
  int32: "<i4",
  float32: "<f4",
  float64: "<f8",
};

/**
 * The bytes of a `.npy` file (format 1.0) of a typed array with a shape, C order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npyBytes } from "./npy.ts";
 * const b = npyBytes(new Int16Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * assert.equal(b.length, 128 + 12);
 * assert.match(new TextDecoder().decode(b.subarray(10, 128)), /'descr': '<i2', 'fortran_order': False, 'shape': \(2, 3\)/);
 * ```
 */
export function npyBytes(data: VolumeArray, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let dict = `{'descr': '${
    DESCR[dtypeOf(data)]
  }', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY 1.0
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/**
 * A volume as `.npy` bytes: shape `[slices, rows, columns]` (`[times, ...]` for 4-D),
 * real values by default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toNpy, Volume } from "./mod.ts";
 * const v = new Volume({ data: new Uint16Array([0, 1024, 2048, 4095]), shape: [1, 2, 2], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], intercept: -1024 });
 * const bytes = toNpy(v);
 * assert.deepEqual(Array.from(new Int16Array(bytes.slice(128).buffer)), [-1024, 0, 1024, 3071]);
 * ```
 */
export function toNpy(volume: Volume, options: NpyOptions = {}): Uint8Array {
  return npyBytes(options.values ?? true ? volume.values() : volume.data, volume.shape);
}

/** The geometry of a volume as JSON-ready data (what {@linkcode writeNpy}'s sidecar holds). */
export interface VolumeJson {
  /** `[slices, rows, columns]` or `[times, slices, rows, columns]`. */
  shape: number[];
  /** How the affine's voxel index maps to the array: `"(column, row, slice) = array[slice, row, column]"`. */
  indexOrder: string;
  /** Voxel to patient LPS mm, 4x4. */
  affineLps: number[][];
  /** Voxel to patient RAS mm (NIfTI, nibabel), 4x4. */
  affineRas: number[][];
  /** Column, row, slice spacing in mm. */
  spacing: number[];
  /** LPS position of voxel (0, 0, 0). */
  origin: number[];
  /** Warnings of the volume. */
  warnings: string[];
}

/**
 * The geometry of a volume for a JSON sidecar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Volume, volumeJson } from "./mod.ts";
 * const v = new Volume({ data: new Uint8Array(1), shape: [1, 1, 1], affine: [[1, 0, 0, 5], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] });
 * assert.deepEqual(volumeJson(v).affineRas[0], [-1, 0, 0, -5]);
 * ```
 */
export function volumeJson(volume: Volume): VolumeJson {
  return {
    shape: [...volume.shape],
    indexOrder: volume.shape.length === 4
      ? "affine maps (column, row, slice); array[time, slice, row, column]"
      : "affine maps (column, row, slice); array[slice, row, column]",
    affineLps: volume.affine,
    affineRas: volume.affineRas,
    spacing: volume.spacing,
    origin: volume.origin,
    warnings: volume.warnings,
  };
}

/**
 * Writes `{name}.npy` and, unless `{ sidecar: false }`, `{name}.json` with
 * {@linkcode volumeJson}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Volume, writeNpy } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * const v = new Volume({ data: new Uint8Array(8), shape: [2, 2, 2], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] });
 * writeNpy(`${dir}/ct.npy`, v);
 * assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${dir}/ct.json`)).shape, [2, 2, 2]);
 * ```
 */
export function writeNpy(path: string, volume: Volume, options: WriteNpyOptions = {}): void {
  Deno.writeFileSync(path, toNpy(volume, options));
  if (options.sidecar ?? true) {
    const base = path.replace(/\.npy$/i, "");
    Deno.writeTextFileSync(`${base}.json`, JSON.stringify(volumeJson(volume), null, 2) + "\n");
  }
}
