/**
 * NIfTI-1 (`.nii`, `.nii.gz`) out of a `Volume`, and back: the format nibabel, MONAI,
 * FSL, ITK and every deep-learning loader read.
 *
 * @module
 */

import { gunzipSync, gzipSync } from "node:zlib";
import { InvalidFileError, UnsupportedError } from "../core/errors.ts";
import { cross, dot, flipLpsRas, normalize, type Vec3 } from "./_geometry.ts";
import type { Volume, VolumeArray } from "./volume.ts";
import { hasHeadroom, HEADROOM } from "./_buffer.ts";

/** Options for {@linkcode toNifti} and {@linkcode writeNifti}. */
export interface NiftiOptions {
  /**
   * gzip the file (`.nii.gz`).
   *
   * @default {false} for {@linkcode toNifti}; {@linkcode writeNifti}: whether the name
   * ends in `.gz`
   */
  gzip?: boolean;
  /**
   * The header's description, at most 79 bytes.
   *
   * @default {volume.description}
   */
  descrip?: string;
}

/** A NIfTI-1 image read by {@linkcode readNifti}. */
export interface NiftiImage {
  /** NIfTI's dimensions, x fastest: `[columns, rows, slices]` (and time). */
  dim: number[];
  /** The same in C order, as `Volume.shape`: `[slices, rows, columns]`. */
  shape: number[];
  /** NIfTI datatype code (4 int16, 512 uint16, 16 float32...). */
  datatype: number;
  /** The voxels as stored (before scl_slope and scl_inter), C order. */
  data: VolumeArray;
  /** `pixdim[0..7]` (pixdim[0] is qfac). */
  pixdim: number[];
  /** Scale: real = data * sclSlope + sclInter (NIfTI: slope 0 means no scaling). */
  sclSlope: number;
  /** Scale: real = data * sclSlope + sclInter. */
  sclInter: number;
  /** xyzt_units (2 mm + 8 s = 10). */
  xyztUnits: number;
  /** The description. */
  descrip: string;
  /** qform_code and sform_code. */
  qformCode: number;
  /** sform_code. */
  sformCode: number;
  /** The qform as a 4x4 RAS affine. */
  qform: number[][];
  /** The sform rows as a 4x4 RAS affine. */
  sform: number[][];
  /** The affine a reader uses: the sform when its code is set, else the qform, in RAS. */
  affine: number[][];
}

const DATATYPES: [new (n: number) => VolumeArray, number, number][] = [
  [Uint8Array, 2, 8],
  [Int16Array, 4, 16],
  [Int32Array, 8, 32],
  [Float32Array, 16, 32],
  [Float64Array, 64, 64],
  [Int8Array, 256, 8],
  [Uint16Array, 512, 16],
  [Uint32Array, 768, 32],
];

/** nifti1_io's mat44_to_quatern for an orthonormal rotation R (columns). */
function quaternion(r: number[][]): { b: number; c: number; d: number; qfac: number } {
  let [r11, r12, r13] = r[0];
  let [r21, r22, r23] = r[1];
  let [r31, r32, r33] = r[2];
  const det = r11 * r22 * r33 - r11 * r32 * r23 - r21 * r12 * r33 + r21 * r32 * r13 +
    r31 * r12 * r23 - r31 * r22 * r13;
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1, b, c, d;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = 0.25 * (r32 - r23) / a;
    c = 0.25 * (r13 - r31) / a;
    d = 0.25 * (r21 - r12) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33), yd = 1 + r22 - (r11 + r33), zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = 0.25 * (r12 + r21) / b;
      d = 0.25 * (r13 + r31) / b;
      a = 0.25 * (r32 - r23) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = 0.25 * (r12 + r21) / c;
      d = 0.25 * (r23 + r32) / c;
      a = 0.25 * (r13 - r31) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = 0.25 * (r13 + r31) / d;
      c = 0.25 * (r23 + r32) / d;
      a = 0.25 * (r21 - r12) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

/** nifti1_io's quatern_to_mat44, RAS. */
function qformMatrix(
  b: number,
  c: number,
  d: number,
  offset: number[],
  pixdim: number[],
): number[][] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    a = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= a;
    c *= a;
    d *= a;
    a = 0;
  } else a = Math.sqrt(a);
  const xd = pixdim[1] > 0 ? pixdim[1] : 1, yd = pixdim[2] > 0 ? pixdim[2] : 1;
  let zd = pixdim[3] > 0 ? pixdim[3] : 1;
  if (pixdim[0] < 0) zd = -zd;
  return [
    [
      (a * a + b * b - c * c - d * d) * xd,
      2 * (b * c - a * d) * yd,
      2 * (b * d + a * c) * zd,
      offset[0],
    ],
    [
      2 * (b * c + a * d) * xd,
      (a * a + c * c - b * b - d * d) * yd,
      2 * (c * d - a * b) * zd,
      offset[1],
    ],
    [
      2 * (b * d - a * c) * xd,
      2 * (c * d + a * b) * yd,
      (a * a + d * d - c * c - b * b) * zd,
      offset[2],
    ],
    [0, 0, 0, 1],
  ];
}

/**
 * The bytes of a NIfTI-1 single file (`.nii`, or `.nii.gz` with `{ gzip: true }`) of a
 * volume: `dim` `[columns, rows, slices(, times)]` with the voxels as `data` holds them;
 * `scl_slope`/`scl_inter` the volume's slope and intercept; `pixdim` the spacing (and
 * the time step); `xyzt_units` mm and s; the sform from the affine (in RAS, shear kept)
 * and the qform from its rotation, both with code 1 (scanner), as dcm2niix writes.
 *
 * A volume from `series.volume()` keeps room for the header before its voxels: the `.nii`
 * bytes then share memory with `volume.data` (no copy of the voxels; do not modify them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readNifti, toNifti, Volume } from "./mod.ts";
 * const v = new Volume({
 *   data: new Int16Array([1, 2, 3, 4, 5, 6]),
 *   shape: [1, 2, 3],
 *   affine: [[0.5, 0, 0, -10], [0, 0.5, 0, -20], [0, 0, 2, 30], [0, 0, 0, 1]],
 *   slope: 1,
 *   intercept: -1024,
 * });
 * const back = readNifti(toNifti(v));
 * assert.deepEqual(back.dim, [3, 2, 1]);
 * assert.deepEqual(Array.from(back.data), [1, 2, 3, 4, 5, 6]);
 * assert.equal(back.sclInter, -1024);
 * assert.deepEqual(back.affine[0], [-0.5, 0, 0, 10]);
 * ```
 */
export function toNifti(volume: Volume, options: NiftiOptions = {}): Uint8Array {
  const entry = DATATYPES.find(([C]) => volume.data instanceof C);
  if (!entry) throw new UnsupportedError(`no NIfTI datatype for ${volume.dtype}`);
  const [, datatype, bitpix] = entry;
  const header = new ArrayBuffer(352);
  const view = new DataView(header);
  const bytes = new Uint8Array(header);
  const ascii = (offset: number, s: string, max: number) => {
    const enc = new TextEncoder().encode(s);
    let n = Math.min(enc.length, max - 1);
    // keep whole UTF-8 characters
    while (n > 0 && n < enc.length && (enc[n] & 0xc0) === 0x80) n--;
    bytes.set(enc.subarray(0, n), offset);
  };
  view.setInt32(0, 348, true);
  bytes[38] = 0x72; // regular = 'r'
  const dims = [...volume.shape].reverse();
  view.setInt16(40, dims.length, true);
  dims.forEach((d, i) => view.setInt16(42 + 2 * i, d, true));
  for (let i = dims.length; i < 7; i++) view.setInt16(42 + 2 * i, 1, true);
  view.setInt16(70, datatype, true);
  view.setInt16(72, bitpix, true);
  // geometry in RAS
  const ras = flipLpsRas(volume.affine);
  const col = (j: number): Vec3 => [ras[0][j], ras[1][j], ras[2][j]];
  const x = normalize(col(0)), y = normalize(col(1));
  const n = normalize(cross(x, y));
  const [sx, sy] = volume.spacing;
  const along = dot(col(2), n); // slice distance along the normal (negative: left-handed)
  const z = along < 0 ? n.map((v) => -v) as Vec3 : n;
  const rotation = [[x[0], y[0], z[0]], [x[1], y[1], z[1]], [x[2], y[2], z[2]]];
  const q = quaternion(rotation);
  const pixdim = [q.qfac, sx, sy, Math.abs(along), volume.timeStep, 0, 0, 0];
  pixdim.forEach((p, i) => view.setFloat32(76 + 4 * i, p, true));
  view.setFloat32(108, 352, true); // vox_offset
  view.setFloat32(112, volume.slope, true);
  view.setFloat32(116, volume.intercept, true);
  bytes[123] = 2 | 8; // mm, s
  ascii(148, options.descrip ?? volume.description, 80);
  view.setInt16(252, 1, true); // qform_code scanner
  view.setInt16(254, 1, true); // sform_code scanner
  view.setFloat32(256, q.b, true);
  view.setFloat32(260, q.c, true);
  view.setFloat32(264, q.d, true);
  view.setFloat32(268, ras[0][3], true);
  view.setFloat32(272, ras[1][3], true);
  view.setFloat32(276, ras[2][3], true);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, ras[r][c], true);
  }
  ascii(344, "n+1", 4);
  const data = volume.data;
  let out: Uint8Array;
  if (littleEndianHost && hasHeadroom(data)) {
    // the volume was made with room for the header: no copy of the voxels
    out = new Uint8Array(data.buffer as ArrayBuffer, 0, HEADROOM + data.byteLength);
    out.set(bytes, 0);
  } else {
    out = new Uint8Array(352 + data.byteLength);
    out.set(bytes, 0);
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 352);
    if (!littleEndianHost) swapInPlace(out.subarray(352), bitpix / 8);
  }
  return options.gzip ? new Uint8Array(gzipSync(out, { level: 6 })) : out;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapInPlace(b: Uint8Array, size: number): void {
  if (size < 2) return;
  for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
}

/**
 * Writes a volume as NIfTI-1 ({@linkcode toNifti}); a name ending in `.gz` is gzipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readNifti, Volume, writeNifti } from "./mod.ts";
 * const path = Deno.makeTempFileSync({ suffix: ".nii.gz" });
 * const v = new Volume({ data: new Uint8Array(8), shape: [2, 2, 2], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] });
 * writeNifti(path, v);
 * assert.deepEqual(readNifti(path).shape, [2, 2, 2]);
 * ```
 */
export function writeNifti(path: string, volume: Volume, options: NiftiOptions = {}): void {
  const gzip = options.gzip ?? path.toLowerCase().endsWith(".gz");
  Deno.writeFileSync(path, toNifti(volume, { ...options, gzip }));
}

/**
 * Reads a NIfTI-1 single file (`.nii` or `.nii.gz`, little or big endian) from a path
 * or bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readNifti, toNifti, Volume } from "./mod.ts";
 * const v = new Volume({ data: new Float32Array([0.5, 1.5]), shape: [2, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 3, 0], [0, 0, 0, 1]] });
 * const img = readNifti(toNifti(v, { gzip: true }));
 * assert.equal(img.datatype, 16);
 * assert.deepEqual(Array.from(img.data), [0.5, 1.5]);
 * assert.deepEqual(img.pixdim.slice(1, 4), [1, 1, 3]);
 * ```
 */
export function readNifti(source: string | Uint8Array): NiftiImage {
  let bytes = typeof source === "string" ? Deno.readFileSync(source) : source;
  const where = typeof source === "string" ? source : "NIfTI bytes";
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes));
  if (bytes.length < 348) throw new InvalidFileError(`${where}: too short for a NIfTI header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le = true;
  if (view.getInt32(0, true) !== 348) {
    if (view.getInt32(0, false) !== 348) {
      throw new InvalidFileError(`${where}: sizeof_hdr is not 348 (not NIfTI-1)`, { offset: 0 });
    }
    le = false;
  }
  const magic = String.fromCharCode(...bytes.subarray(344, 347));
  if (magic !== "n+1") {
    throw new UnsupportedError(`${where}: magic "${magic}" is not a single-file NIfTI-1`, {
      offset: 344,
    });
  }
  const i16 = (o: number) => view.getInt16(o, le);
  const f32 = (o: number) => view.getFloat32(o, le);
  const ndim = i16(40);
  const dim = Array.from({ length: ndim }, (_, i) => i16(42 + 2 * i));
  const datatype = i16(70);
  const entry = DATATYPES.find(([, code]) => code === datatype);
  if (!entry) throw new UnsupportedError(`${where}: NIfTI datatype ${datatype}`, { offset: 70 });
  const [Ctor, , bitpix] = entry;
  const pixdim = Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i));
  const offset = Math.floor(f32(108));
  const count = dim.reduce((a, b) => a * b, 1);
  const size = count * bitpix / 8;
  if (offset + size > bytes.length) {
    throw new InvalidFileError(
      `${where}: ${size} bytes of voxels needed at ${offset}, file has ${bytes.length}`,
    );
  }
  const raw = bytes.slice(offset, offset + size);
  if (le !== littleEndianHost) swapInPlace(raw, bitpix / 8);
  const data = new (Ctor as unknown as new (b: ArrayBuffer) => VolumeArray)(raw.buffer);
  const descripBytes = bytes.subarray(148, 228);
  const end = descripBytes.indexOf(0);
  const descrip = new TextDecoder().decode(end < 0 ? descripBytes : descripBytes.subarray(0, end));
  const qformCode = i16(252), sformCode = i16(254);
  const qform = qformMatrix(f32(256), f32(260), f32(264), [f32(268), f32(272), f32(276)], pixdim);
  const sform = [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c)));
  sform.push([0, 0, 0, 1]);
  const affine = sformCode > 0
    ? sform
    : qformCode > 0
    ? qform
    : [[pixdim[1], 0, 0, 0], [0, pixdim[2], 0, 0], [0, 0, pixdim[3], 0], [0, 0, 0, 1]];
  return {
    dim,
    shape: [...dim].reverse(),
    datatype,
    data,
    pixdim,
    sclSlope: f32(112),
    sclInter: f32(116),
    xyztUnits: bytes[123],
    descrip,
    qformCode,
    sformCode,
    qform,
    sform,
    affine,
  };
}
