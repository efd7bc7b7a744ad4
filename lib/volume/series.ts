/**
 * `loadSeries`: the image series of a folder, a DICOMDIR, a `FileSet` or datasets,
 * grouped by Series Instance UID and split where one grid cannot hold them; each
 * `Series` knows its slice order and geometry from the headers alone and reads its
 * pixels when `volume()` is asked.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { ElementValue } from "../dataset/element.ts";
import { read } from "../io/read.ts";
import { readFileReusing } from "../io/files.ts";
import { FileSet, fileSet } from "../fileset/file_set.ts";
import { pixelArray, pixelInfo } from "../pixels/decode.ts";
import { encodedFrame } from "../pixels/encoded_frame.ts";
import { codecFor } from "../pixels/codecs/registry.ts";
import { transferSyntax } from "../core/transfer_syntax.ts";
import { applyModalityLut } from "../lut/modality.ts";
import { UnsupportedError, ValueError } from "../core/errors.ts";
import { cross, dot, median, norm, normalize, scale, sub, type Vec3 } from "./_geometry.ts";
import { type FrameHeader, frameHeaders } from "./_frames.ts";
import { Volume, type VolumeArray } from "./volume.ts";
import { allocate, allocateShared, hasHeadroom } from "./_buffer.ts";
import { acquirePool, releasePool } from "./_parallel.ts";
import { decodeFrameTask, type FrameTask } from "./_frame_task.ts";
import { tiltCorrect } from "./tilt.ts";

/** What {@linkcode loadSeries} reads. */
export type SeriesSource = string | URL | FileSet | Iterable<Dataset>;

/** Options for {@linkcode loadSeries}. */
export interface LoadSeriesOptions {
  /**
   * For a folder without a DICOMDIR: also read its subfolders.
   *
   * @default {true}
   */
  recursive?: boolean;
}

/** Options for {@linkcode Series.volume}. */
export interface VolumeOptions {
  /**
   * Resample a gantry-tilted series onto an orthogonal grid (as dcm2niix does), instead
   * of keeping the sheared affine.
   *
   * @default {false}
   */
  tiltCorrect?: boolean;
  /**
   * The voxels of a volume no longer needed (e.g. the last series' `volume.data`), used
   * again when it has the type and length this volume needs; otherwise a new array is
   * made. A batch job then keeps one volume's memory instead of one per series.
   *
   * @default {undefined} (a new array)
   */
  out?: VolumeArray;
}

/** Options for {@linkcode Series.load}. */
export interface LoadOptions extends VolumeOptions {
  /**
   * Threads decoding the frames: this one and `jobs - 1` workers. By default, for
   * compressed images (JPEG 2000 decodes at tens of ms a frame), one per core
   * (`navigator.hardwareConcurrency`, at most 4); for uncompressed ones 1, as the disk is
   * the limit there.
   *
   * @default {compressed ? Math.min(navigator.hardwareConcurrency, 4) : 1}
   */
  jobs?: number;
}

/** One instance of a series: its file (when read from one) and its header. */
export interface SeriesInstance {
  /** The file, when the series was read from files. */
  path?: string;
  /** The dataset up to its pixel data (or the whole dataset when given datasets). */
  header: Dataset;
}

/** The result of {@linkcode loadSeries}. */
export interface LoadedSeries {
  /** Every image series, in the order first met; a split series gives several. */
  series: Series[];
  /** Instances that are no image of a series (unreadable, no rows) and why. */
  warnings: string[];
}

/** Where the frames of a series go in the volume, and the geometry, from headers alone. */
export interface SeriesGeometry {
  /** `grid[time][slice]`: the index in `series.frames`, or -1 for an inserted empty slice. */
  grid: number[][];
  /** Voxel `(column, row, slice)` to patient LPS mm, 4x4. */
  affine: number[][];
  /** Patient LPS position (mm) of each slice's first voxel, inserted slices included. */
  positions: Vec3[];
  /** Distance of each slice along the normal (mm). */
  distances: number[];
  /** Gantry tilt in degrees (0 when the slices are stacked along the normal). */
  tilt: number;
  /** What was found wrong or odd. */
  warnings: string[];
}

const POSITION_TOLERANCE = 0.01; // mm: positions closer than this are the same slice

function text(v: ElementValue | undefined): string {
  if (v === undefined || v === null) return "";
  return Array.isArray(v) ? v.join("\\") : String(v);
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fmt(p: readonly number[]): string {
  return `(${p.map((x) => round(x, 2)).join(", ")})`;
}

/**
 * The slices of one grid: one Series Instance UID, one orientation, one size, one
 * echo and one stack. Made by {@linkcode loadSeries}.
 */
export class Series {
  /** Series Instance UID. */
  readonly uid: string;
  /** The instances holding this series' frames (for a split series: only theirs). */
  readonly instances: SeriesInstance[];
  /** Every frame, each naming its instance and frame number. */
  readonly frames: FrameHeader[];
  /** 1-based part when the UID's images split into several grids (1 otherwise). */
  readonly part: number;
  /** How many grids the UID's images split into. */
  parts: number;
  #geometry?: SeriesGeometry;

  /** A series of `instances` and their `frames` under `uid`, part `part` of its UID's grids. */
  constructor(uid: string, instances: SeriesInstance[], frames: FrameHeader[], part = 1) {
    this.uid = uid;
    this.instances = instances;
    this.frames = frames;
    this.part = part;
    this.parts = 1;
  }

  #header(): Dataset {
    return this.instances[this.frames[0].instance].header;
  }

  /** Series Number. */
  get number(): number | undefined {
    const v = this.#header().get("SeriesNumber");
    return typeof v === "number" ? v : undefined;
  }

  /** Series Description ("" when absent). */
  get description(): string {
    return text(this.#header().get("SeriesDescription"));
  }

  /** Modality. */
  get modality(): string {
    return text(this.#header().get("Modality"));
  }

  /** The first instance's value of an attribute (Patient ID, Study Date...). */
  get(keyword: string): ElementValue | undefined {
    return this.#header().get(keyword);
  }

  /** The slice order, spacing checks and affine, from the headers (computed once). */
  get geometry(): SeriesGeometry {
    return this.#geometry ??= layout(this);
  }

  /** What was wrong or odd with the series (missing slices, tilt, duplicates). */
  get warnings(): string[] {
    return this.geometry.warnings;
  }

  /** The files in slice order (the first time point's, then each next one's new files). */
  get files(): string[] {
    const seen = new Set<string>();
    for (const row of this.geometry.grid) {
      for (const f of row) {
        const p = f >= 0 ? this.instances[this.frames[f].instance].path : undefined;
        if (p !== undefined) seen.add(p);
      }
    }
    return [...seen];
  }

  /** `[times, slices, rows, columns]` of the volume (times 1 for 3-D). */
  get shape(): [number, number, number, number] {
    const g = this.geometry.grid;
    return [g.length, g[0].length, this.frames[0].rows, this.frames[0].columns];
  }

  /**
   * Reads the pixels (each file once) and makes the volume: the modality LUT of each
   * slice applied; integers with one slope and intercept when the slices share them,
   * integers when every slice's rescale gives integers, else float32.
   */
  volume(options: VolumeOptions = {}): Volume {
    const v = assemble(this, options.out);
    return options.tiltCorrect && this.geometry.tilt !== 0 ? tiltCorrect(v) : v;
  }

  /**
   * {@linkcode Series.volume} with the frames decoded by `jobs` threads: this one reads
   * and parses the files and decodes when no worker is idle, `jobs - 1` workers decode
   * encoded frames straight into the volume's shared memory. Worth it for compressed
   * images (the default there: one thread per core), not for native ones. A worker loads
   * only its codec (about 10 MB, plus the codec's own memory). Falls back to `volume()`
   * for one job, datasets without files, or pixels other than 8 or 16 bits.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { loadSeries } from "./mod.ts";
   * const series = loadSeries("fixtures/head3d").series[0];
   * const volume = await series.load({ jobs: 2 });
   * assert.deepEqual(volume.data, series.volume().data);
   * ```
   */
  async load(options: LoadOptions = {}): Promise<Volume> {
    const jobs = options.jobs ?? defaultJobs(this);
    const v = jobs > 1 ? await assembleParallel(this, jobs, options.out) : undefined;
    if (!v) return this.volume(options);
    return options.tiltCorrect && this.geometry.tilt !== 0 ? tiltCorrect(v) : v;
  }

  /** `uid`, part, shape. */
  toString(): string {
    const [t, s, r, c] = this.shape;
    const part = this.parts > 1 ? ` part ${this.part}/${this.parts}` : "";
    const dims = t > 1 ? `${t}x${s}x${r}x${c}` : `${s}x${r}x${c}`;
    return `Series ${this.number ?? "?"} "${this.description}" ${this.modality} ${dims}${part}`;
  }
}

/** One thread per core (at most 4) for compressed images, else 1. */
function defaultJobs(series: Series): number {
  const uid = series.instances[0]?.header.transferSyntaxUID;
  const compressed = uid !== undefined && transferSyntax(uid)?.encapsulated === true;
  return compressed ? Math.max(1, Math.min(navigator.hardwareConcurrency ?? 1, 4)) : 1;
}

/** The images of a source as headers with their paths. */
function instancesOf(
  source: SeriesSource,
  options: LoadSeriesOptions,
  warnings: string[],
): SeriesInstance[] {
  if (typeof source === "string" || source instanceof URL) {
    return instancesOf(fileSet(source, { recursive: options.recursive }), options, warnings);
  }
  if (source instanceof FileSet) {
    warnings.push(...source.warnings);
    const out: SeriesInstance[] = [];
    for (const inst of source) {
      try {
        out.push({
          path: inst.path,
          header: header(inst.path) ?? inst.load({ stopBeforePixels: true }),
        });
      } catch (e) {
        warnings.push(`skipped ${inst.path}: ${(e as Error).message}`);
      }
    }
    return out;
  }
  return [...source].map((header) => ({ header }));
}

/** Bytes read for a header; a longer one is read again on demand. */
const HEADER_BYTES = 1 << 14;

/**
 * The header of a file from its first 16 KiB, in a buffer of its own (a dataset keeps
 * its file's buffer: hundreds of headers should not keep hundreds of files' worth), or
 * undefined when it is longer or cannot be read that way.
 */
function header(path: string): Dataset | undefined {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path);
    const size = file.statSync().size;
    const bytes = new Uint8Array(Math.min(size, HEADER_BYTES));
    let got = 0;
    while (got < bytes.length) {
      const n = file.readSync(bytes.subarray(got));
      if (!n) break;
      got += n;
    }
    const ds = read(bytes.subarray(0, got), { stopBeforePixels: true });
    // cut short (a warning) or no pixel data reached: read it the usual way
    if (ds.warnings.length) return undefined;
    if (got < size && !sawPixels(bytes.subarray(0, got))) return undefined;
    return ds;
  } catch {
    return undefined;
  } finally {
    file?.close();
  }
}

/** True when the bytes hold the tag of Pixel Data (7FE0,0010) little endian. */
function sawPixels(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 4; i >= 132; i--) {
    if (bytes[i] === 0xe0 && bytes[i + 1] === 0x7f && bytes[i + 2] === 0x10 && bytes[i + 3] === 0) {
      return true;
    }
  }
  return false;
}

/** The grouping key of a frame: what must be equal for frames to share a grid. */
function gridKey(f: FrameHeader): string {
  const o = f.orientation?.map((x) => round(x, 4)).join(",") ?? "none";
  const s = f.pixelSpacing?.map((x) => round(x, 4)).join(",") ?? "none";
  return `${o}|${f.rows}x${f.columns}|${s}|${f.echo ?? ""}|${f.stack ?? ""}`;
}

/**
 * Finds the image series of a folder (with or without a DICOMDIR), a DICOMDIR file, a
 * `FileSet` or datasets. Reads each file up to its pixel data only; the pixels are read
 * by `series.volume()`.
 *
 * Images are grouped by Series Instance UID, then split where one grid cannot hold them:
 * another orientation, size or pixel spacing, another echo (Echo Numbers, or MR Echo of
 * an enhanced image), another stack (Stack ID). Time points (Temporal Position
 * Identifier, Trigger Time, Acquisition Time or Number; Temporal Position Index of an
 * enhanced image) at every position make one 4-D series. Files that are not images are
 * listed in `warnings`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeries } from "./mod.ts";
 * const { series } = loadSeries("fixtures/ct_phantom");
 * assert.equal(series.length, 1);
 * assert.equal(series[0].description, "Axial 5mm");
 * assert.deepEqual(series[0].shape, [1, 12, 512, 512]);
 * const volume = series[0].volume();
 * assert.deepEqual(volume.shape, [12, 512, 512]);
 * assert.deepEqual(volume.spacing.map((x) => Math.round(x * 1000) / 1000), [0.488, 0.488, 5]);
 * ```
 */
export function loadSeries(source: SeriesSource, options: LoadSeriesOptions = {}): LoadedSeries {
  const warnings: string[] = [];
  const instances = instancesOf(source, options, warnings);
  // uid -> key -> frames
  const groups = new Map<string, Map<string, FrameHeader[]>>();
  const usable: SeriesInstance[] = [];
  for (const inst of instances) {
    const name = inst.path ?? text(inst.header.get("SOPInstanceUID"));
    const rows = inst.header.get("Rows");
    if (typeof rows !== "number" || rows <= 0) {
      warnings.push(`skipped ${name}: no image (no Rows)`);
      continue;
    }
    const index = usable.length;
    usable.push(inst);
    const uid = text(inst.header.get("SeriesInstanceUID"));
    let byKey = groups.get(uid);
    if (!byKey) groups.set(uid, byKey = new Map());
    for (const f of frameHeaders(inst.header, index)) {
      const key = gridKey(f);
      const list = byKey.get(key);
      if (list) list.push(f);
      else byKey.set(key, [f]);
    }
  }
  const series: Series[] = [];
  for (const [uid, byKey] of groups) {
    const parts: Series[] = [];
    // parts in a fixed order: lowest Instance Number first, then the larger, then the key
    const lowest = (fs: FrameHeader[]) => Math.min(...fs.map((f) => f.instanceNumber ?? Infinity));
    const keyed = [...byKey].sort(([ka, a], [kb, b]) =>
      lowest(a) - lowest(b) || b.length - a.length || (ka < kb ? -1 : ka > kb ? 1 : 0)
    );
    for (const [, frames] of keyed) {
      // each part keeps only its own instances, renumbered
      const map = new Map<number, number>();
      const own: SeriesInstance[] = [];
      const renumbered = frames.map((f) => {
        let i = map.get(f.instance);
        if (i === undefined) {
          map.set(f.instance, i = own.length);
          own.push(usable[f.instance]);
        }
        return { ...f, instance: i };
      });
      parts.push(new Series(uid, own, renumbered, parts.length + 1));
    }
    for (const p of parts) p.parts = parts.length;
    series.push(...parts);
  }
  return { series, warnings };
}

/** Sorts a series' frames into a grid and works out its affine and problems. */
function layout(series: Series): SeriesGeometry {
  const frames = series.frames;
  const warnings: string[] = [];
  const f0 = frames[0];
  const name = (i: number) => {
    const f = frames[i];
    const inst = series.instances[f.instance];
    const file = inst.path ?? text(inst.header.get("SOPInstanceUID"));
    return f.frames > 1 ? `${file} frame ${f.frame + 1}` : file;
  };
  const ps = f0.pixelSpacing ?? [1, 1];
  if (!f0.pixelSpacing) warnings.push("no Pixel Spacing: 1 mm assumed");
  const hasGeometry = frames.every((f) => f.position?.length === 3) &&
    f0.orientation?.length === 6;
  let rowDir: Vec3 = [1, 0, 0], colDir: Vec3 = [0, 1, 0];
  if (hasGeometry) {
    rowDir = normalize(f0.orientation!.slice(0, 3));
    colDir = normalize(f0.orientation!.slice(3, 6));
  } else {
    warnings.push(
      "no Image Position/Orientation (Patient) on every frame: slices in Instance Number order, " +
        "identity orientation",
    );
  }
  const normal = cross(rowDir, colDir);
  const distance = (i: number) =>
    hasGeometry ? dot(frames[i].position!, normal) : (frames[i].instanceNumber ?? i);
  const order = frames.map((_, i) => i).sort((a, b) =>
    distance(a) - distance(b) ||
    (frames[a].time ?? 0) - (frames[b].time ?? 0) ||
    (frames[a].instanceNumber ?? 0) - (frames[b].instanceNumber ?? 0) ||
    a - b
  );
  // buckets of frames at one position
  const buckets: number[][] = [];
  for (const i of order) {
    const last = buckets[buckets.length - 1];
    if (last && Math.abs(distance(i) - distance(last[0])) < POSITION_TOLERANCE) last.push(i);
    else buckets.push([i]);
  }
  const times = Math.max(...buckets.map((b) => b.length));
  let fourD = false;
  if (times > 1) {
    fourD = buckets.every((b) => new Set(b.map((i) => frames[i].time)).size === b.length);
    if (!fourD) {
      for (const b of buckets) {
        if (b.length > 1) {
          warnings.push(
            `duplicate position ${fmt(frames[b[0]].position ?? [])}: ${
              b.map(name).join(", ")
            }; kept ${name(b[0])}`,
          );
          b.length = 1;
        }
      }
    } else if (buckets.some((b) => b.length !== times)) {
      warnings.push(
        `${times} time points but some positions have fewer: their missing slices are empty`,
      );
    }
  }
  const d = buckets.map((b) => distance(b[0]));
  const pos = buckets.map((b): Vec3 =>
    hasGeometry ? frames[b[0]].position!.slice(0, 3) as Vec3 : [0, 0, 0]
  );
  // spacing checks on the positions along the normal
  const diffs = d.slice(1).map((x, i) => x - d[i]);
  const m = median(diffs);
  const tolerance = Math.max(POSITION_TOLERANCE, 0.01 * m);
  const slotOf: number[] = [0];
  let uneven = 0;
  for (let k = 0; k < diffs.length; k++) {
    const steps = diffs[k] > 1.5 * m ? Math.max(1, Math.round(diffs[k] / m)) : 1;
    if (steps > 1) {
      const missing = [];
      for (let s = 1; s < steps; s++) {
        missing.push(fmt(pos[k].map((p, i) => p + (pos[k + 1][i] - p) * s / steps)));
      }
      warnings.push(
        `missing slice${steps > 2 ? "s" : ""} at ${missing.join(", ")}: gap of ${
          round(diffs[k], 3)
        } mm between ${name(buckets[k][0])} and ${name(buckets[k + 1][0])}, ${
          round(diffs[k] / m, 2)
        } times the median spacing ${round(m, 3)} mm; filled with ${steps - 1} empty slice${
          steps > 2 ? "s" : ""
        }`,
      );
    }
    if (Math.abs(diffs[k] - steps * m) > tolerance) uneven = Math.max(uneven, diffs[k] - steps * m);
    slotOf.push(slotOf[k] + steps);
  }
  const slices = slotOf[slotOf.length - 1] + 1;
  if (uneven) {
    warnings.push(
      `uneven slice spacing: spacings from ${round(Math.min(...diffs), 3)} to ${
        round(Math.max(...diffs), 3)
      } mm (median ${round(m, 3)} mm); the affine assumes even spacing`,
    );
  }
  // the slice vector: first to last slice, shear included
  let sliceVector: Vec3;
  if (buckets.length > 1) {
    sliceVector = scale(sub(pos[pos.length - 1], pos[0]), 1 / (slices - 1));
    if (!hasGeometry) {
      sliceVector = scale(normal, f0.spacingBetweenSlices ?? f0.sliceThickness ?? 1);
    }
  } else {
    sliceVector = scale(normal, f0.spacingBetweenSlices ?? f0.sliceThickness ?? 1);
  }
  const along = dot(sliceVector, normal);
  const across = norm(sub(sliceVector, scale(normal, along)));
  const tiltRad = Math.atan2(across, along);
  let tilt = Math.abs(tiltRad * 180 / Math.PI) > 1e-3 ? round(tiltRad * 180 / Math.PI, 4) : 0;
  if (tilt) {
    const g = series.get("GantryDetectorTilt");
    warnings.push(
      `gantry tilt of ${round(tilt, 2)} degrees${
        typeof g === "number" ? ` (Gantry/Detector Tilt ${g})` : ""
      }: the affine keeps the sheared grid; tiltCorrect resamples to an orthogonal one`,
    );
  }
  if (!hasGeometry) tilt = 0;
  const positions: Vec3[] = [];
  const distances: number[] = [];
  for (let k = 0; k < slices; k++) {
    positions.push(pos[0].map((p, i) => p + sliceVector[i] * k) as Vec3);
    distances.push(d[0] + along * k);
  }
  // uneven spacing: how far the worst slice is from its place on the grid
  if (uneven) {
    let worst = 0;
    for (let b = 0; b < buckets.length; b++) {
      worst = Math.max(worst, norm(sub(pos[b], positions[slotOf[b]])));
    }
    warnings.push(`uneven slice spacing puts a slice up to ${round(worst, 3)} mm off its voxels`);
  }
  const grid: number[][] = [];
  const tCount = fourD ? times : 1;
  for (let t = 0; t < tCount; t++) {
    const row = new Array<number>(slices).fill(-1);
    for (let b = 0; b < buckets.length; b++) {
      const sorted = [...buckets[b]].sort((x, y) =>
        (frames[x].time ?? 0) - (frames[y].time ?? 0) ||
        (frames[x].instanceNumber ?? 0) - (frames[y].instanceNumber ?? 0)
      );
      if (t < sorted.length) row[slotOf[b]] = sorted[t];
    }
    grid.push(row);
  }
  const affine = [
    [rowDir[0] * ps[1], colDir[0] * ps[0], sliceVector[0], pos[0][0]],
    [rowDir[1] * ps[1], colDir[1] * ps[0], sliceVector[1], pos[0][1]],
    [rowDir[2] * ps[1], colDir[2] * ps[0], sliceVector[2], pos[0][2]],
    [0, 0, 0, 1],
  ];
  return { grid, affine, positions, distances, tilt, warnings };
}

/** Whether the slices share one rescale (then the stored values), else the output type. */
function outputKind(series: Series): { common: boolean; s0: number; i0: number; Out: Ctor } {
  const { grid } = series.geometry;
  const frames = series.frames;
  // one rescale for all (no LUT sequence, equal slope and intercept): the stored values
  const used = grid.flat().filter((f) => f >= 0).map((f) => frames[f]);
  const s0 = used[0]?.slope ?? 1, i0 = used[0]?.intercept ?? 0;
  const common = used.every((f) => !f.lut && (f.slope ?? 1) === s0 && (f.intercept ?? 0) === i0);
  // else: integers when every slice's rescale gives integers in range, else float32
  let Out: Ctor = Float32Array;
  if (!common) {
    let lo = 0, hi = 0, integral = true;
    for (const f of used) {
      const h = series.instances[f.instance].header;
      const bits = h.get("BitsStored") ?? h.get("BitsAllocated");
      const signed = h.get("PixelRepresentation") === 1;
      if (typeof bits !== "number" || h.has(0x7fe00008) || h.has(0x7fe00009)) {
        integral = false;
        break;
      }
      let a = signed ? -(2 ** (bits - 1)) : 0, b = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      if (f.lut) [a, b] = [0, 65535];
      else {
        const s = f.slope ?? 1, c = f.intercept ?? 0;
        if (!Number.isInteger(s) || !Number.isInteger(c)) integral = false;
        [a, b] = [Math.min(a * s, b * s) + c, Math.max(a * s, b * s) + c];
      }
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    if (integral && lo >= -32768 && hi <= 32767) Out = Int16Array;
    else if (integral && lo >= -(2 ** 31) && hi < 2 ** 31) Out = Int32Array;
  }
  return { common, s0, i0, Out };
}

/** Narrows, fills the inserted slices and makes the volume. */
function finish(
  series: Series,
  decoded: VolumeArray | undefined,
  common: boolean,
  s0: number,
  i0: number,
): Volume {
  const { grid, affine, warnings } = series.geometry;
  const [times, slices, rows, columns] = series.shape;
  const plane = rows * columns;
  let data = decoded;
  if (!data) data = allocate(Int16Array, 2, times * slices * plane);
  if (data instanceof Int32Array) {
    // the headers' bounds were too wide: int16 when the values allow it
    let lo = 0, hi = 0;
    for (let i = 0; i < data.length; i++) {
      if (data[i] < lo) lo = data[i];
      else if (data[i] > hi) hi = data[i];
    }
    if (lo >= -32768 && hi <= 32767) {
      const narrow = allocate(Int16Array, 2, data.length);
      narrow.set(data);
      data = narrow;
    }
  }
  // inserted slices hold the volume's minimum
  const empty: number[] = [];
  grid.flat().forEach((f, i) => f < 0 && empty.push(i));
  if (empty.length) {
    let lo = Infinity;
    const holes = new Set(empty);
    if (holes.size * plane === data.length) lo = 0;
    else {
      lo = Infinity;
      for (let p = 0; p < times * slices; p++) {
        if (holes.has(p)) continue;
        for (let i = p * plane; i < (p + 1) * plane; i++) if (data[i] < lo) lo = data[i];
      }
    }
    for (const p of empty) data.fill(lo, p * plane, (p + 1) * plane);
  }
  const description = [series.modality, series.description].filter((x) => x).join(" ");
  return new Volume({
    data,
    shape: times > 1 ? [times, slices, rows, columns] : [slices, rows, columns],
    affine,
    slope: common ? s0 : 1,
    intercept: common ? i0 : 0,
    warnings,
    description,
  });
}

/** One frame of an instance: which, where in the volume, with what rescale. */
interface Placed {
  frame: number;
  at: number;
  slope: number;
  intercept: number;
  lut: boolean;
}

/**
 * Decodes `f` of `ds` into `target` on this thread: the stored values (`common`), else the
 * frame's modality LUT or rescale.
 */
function decodeHere(
  ds: Dataset,
  name: string,
  f: Placed,
  multiFrame: boolean,
  target: VolumeArray,
  common: boolean,
): void {
  let arr = pixelArray(ds, {
    ...(multiFrame ? { frame: f.frame } : {}),
    ...(common ? { out: target } : {}),
  });
  if (arr.data.length !== target.length) {
    throw new ValueError(
      `${name}: frame ${f.frame} has ${arr.data.length} pixels, the series ${target.length}`,
    );
  }
  if (common) {
    if (arr.data !== target) target.set(arr.data);
  } else if (f.lut) {
    arr = applyModalityLut(arr, ds);
    target.set(arr.data);
  } else {
    const src = arr.data;
    for (let i = 0; i < target.length; i++) target[i] = src[i] * f.slope + f.intercept;
  }
}

/**
 * {@linkcode assemble} with `jobs - 1` workers decoding encoded frames beside this thread;
 * undefined when it cannot be done that way.
 */
async function assembleParallel(
  series: Series,
  jobs: number,
  reuse?: VolumeArray,
): Promise<Volume | undefined> {
  const frames = series.frames;
  if (frames.some((f) => f.samplesPerPixel !== 1)) return undefined;
  if (series.instances.some((i) => i.path === undefined)) return undefined;
  const { common, s0, i0, Out: valuesType } = outputKind(series);
  let Out = valuesType;
  if (common) {
    const kinds = new Set(
      series.instances.map((i) =>
        `${i.header.get("BitsAllocated")}${i.header.get("PixelRepresentation") === 1 ? "s" : "u"}`
      ),
    );
    const kind = kinds.size === 1 ? [...kinds][0] : "";
    const types: Record<string, Ctor> = {
      "8u": Uint8Array,
      "8s": Int8Array,
      "16u": Uint16Array,
      "16s": Int16Array,
    };
    if (!(kind in types)) return undefined;
    Out = types[kind];
  }
  const [times, slices, rows, columns] = series.shape;
  const plane = rows * columns;
  const total = times * slices * plane;
  const data = reuse && reuse instanceof Out && reuse.length === total && hasHeadroom(reuse) &&
      reuse.buffer instanceof SharedArrayBuffer
    ? reuse
    : allocateShared(Out, Out.BYTES_PER_ELEMENT, total);
  const byInstance = new Map<number, Placed[]>();
  series.geometry.grid.flat().forEach((f, k) => {
    if (f < 0) return;
    const h = frames[f];
    let list = byInstance.get(h.instance);
    if (!list) byInstance.set(h.instance, list = []);
    list.push({
      frame: h.frame,
      at: k * plane,
      slope: h.slope ?? 1,
      intercept: h.intercept ?? 0,
      lut: h.lut,
    });
  });
  const pool = acquirePool(jobs - 1);
  try {
    for (const [i, list] of byInstance) {
      const path = series.instances[i].path!;
      const bytes = readFileReusing(path, fileBuffer)!;
      fileBuffer = new Uint8Array(bytes.buffer);
      const ds = read(bytes);
      const info = pixelInfo(ds);
      const multiFrame = info.frameCount > 1;
      const codec = info.element.encapsulated ? codecFor(info.transferSyntax) : undefined;
      for (const f of list) {
        const target = data.subarray(f.at, f.at + plane);
        if (!codec || f.lut) {
          decodeHere(ds, path, f, multiFrame, target, common);
          continue;
        }
        const task: FrameTask = {
          name: `${path} frame ${f.frame}`,
          stream: encodedFrame(ds, multiFrame ? f.frame : 0),
          info: {
            rows: info.rows,
            columns: info.columns,
            samplesPerPixel: info.samplesPerPixel,
            bitsAllocated: info.bitsAllocated,
            bitsStored: info.bitsStored,
            pixelRepresentation: info.pixelRepresentation,
            planarConfiguration: info.planarConfiguration,
            photometricInterpretation: info.photometricInterpretation,
          },
          family: transferSyntax(info.transferSyntax)?.family ?? "",
          transferSyntax: info.transferSyntax,
          type: Out.name,
          shared: data.buffer as SharedArrayBuffer,
          offset: data.byteOffset,
          at: f.at,
          plane,
          ...(common ? {} : { rescale: { slope: f.slope, intercept: f.intercept } }),
        };
        if (!pool.post(task)) decodeFrameTask(task, codec);
      }
    }
    await pool.finish();
  } finally {
    releasePool(pool);
  }
  return finish(series, data, common, s0, i0);
}

/** The buffer files are read into, one after the other (`readFileReusing`). */
let fileBuffer: Uint8Array = new Uint8Array(0);

type Ctor = { new (buffer: ArrayBufferLike, offset: number, length: number): VolumeArray } & {
  BYTES_PER_ELEMENT: number;
};

/** Reads the series' pixels into a volume, each plane decoded into its place. */
function assemble(series: Series, reuse?: VolumeArray): Volume {
  const { grid } = series.geometry;
  const frames = series.frames;
  const [times, slices, rows, columns] = series.shape;
  const plane = rows * columns;
  if (frames.some((f) => f.samplesPerPixel !== 1)) {
    throw new UnsupportedError(
      `series ${series.uid} has colour images (Samples per Pixel ${
        frames[0].samplesPerPixel
      }): a volume needs one sample`,
    );
  }
  // how many frames still need each instance, to drop its dataset after the last
  const uses = new Map<number, number>();
  for (const row of grid) {
    for (const f of row) {
      if (f >= 0) uses.set(frames[f].instance, (uses.get(frames[f].instance) ?? 0) + 1);
    }
  }
  const cache = new Map<number, Dataset>();
  const dataset = (i: number): Dataset => {
    let ds = cache.get(i);
    if (!ds) {
      const inst = series.instances[i];
      if (inst.path === undefined) ds = inst.header;
      else {
        // a file read for one frame is parsed from the reused buffer, else from its own
        const bytes = (uses.get(i) ?? 0) > 1 ? undefined : readFileReusing(inst.path, fileBuffer);
        if (bytes) fileBuffer = new Uint8Array(bytes.buffer);
        ds = read(bytes ?? inst.path);
      }
      cache.set(i, ds);
    }
    return ds;
  };
  const release = (i: number) => {
    const n = (uses.get(i) ?? 1) - 1;
    uses.set(i, n);
    if (n <= 0) cache.delete(i);
  };
  const { common, s0, i0, Out } = outputKind(series);
  const total = times * slices * plane;
  const reusable = reuse && reuse.length === total && hasHeadroom(reuse) ? reuse : undefined;
  let data: VolumeArray | undefined = common
    ? undefined
    : reusable instanceof Out
    ? reusable
    : allocate(Out, Out.BYTES_PER_ELEMENT, total);
  let k = 0;
  for (const row of grid) {
    for (const f of row) {
      const at = k++ * plane;
      if (f < 0) continue;
      const h = frames[f];
      const ds = dataset(h.instance);
      const options = h.frames > 1 ? { frame: h.frame } : {};
      const target = common && data
        ? data.subarray(at, at + plane)
        : common && reusable
        ? reusable.subarray(at, at + plane)
        : undefined;
      let arr = pixelArray(ds, target ? { ...options, out: target } : options);
      if (arr.data.length !== plane) {
        throw new ValueError(
          `${
            series.instances[h.instance].path ?? "dataset"
          }: frame ${h.frame} has ${arr.data.length} pixels, the series ${plane}`,
        );
      }
      if (common) {
        if (!data) {
          const C = arr.data.constructor as Ctor;
          data = reusable instanceof C ? reusable : allocate(C, C.BYTES_PER_ELEMENT, total);
        }
        if (arr.data !== target) data.set(arr.data, at);
      } else if (h.lut) {
        arr = applyModalityLut(arr, ds);
        data!.set(arr.data, at);
      } else {
        const s = h.slope ?? 1, c = h.intercept ?? 0, src = arr.data, out = data!;
        for (let i = 0; i < plane; i++) out[at + i] = src[i] * s + c;
      }
      release(h.instance);
    }
  }
  return finish(series, data, common, s0, i0);
}
