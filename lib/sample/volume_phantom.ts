/**
 * Series with known geometry, made in code: a 3-D head of ellipsoids sampled at each
 * pixel's patient position, so that any orientation, spacing, order, gap or tilt gives
 * images of the same head. Used by `scripts/make_fixtures.ts` (the `head3d` series of the
 * notebooks) and by the volume tests (axial, oblique, reversed, missing slice, tilt,
 * 4-D, enhanced multi-frame).
 *
 * @module
 */

import { Dataset } from "../dataset/dataset.ts";

/** Options for {@linkcode makeVolumeSeries}. */
export interface VolumeSeriesOptions {
  /** Rows of each image (default 64). */
  rows?: number;
  /** Columns of each image (default 64). */
  columns?: number;
  /** Number of slices (default 24). */
  slices?: number;
  /** Pixel Spacing: between rows, between columns, in mm (default [3.5, 3]). */
  pixelSpacing?: [number, number];
  /** Distance between slices along the normal, mm (default 7). */
  sliceSpacing?: number;
  /** Image Orientation (Patient) (default axial `[1, 0, 0, 0, 1, 0]`). */
  orientation?: number[];
  /** The centre of the volume in patient LPS mm (default [0, 0, 0]). */
  center?: [number, number, number];
  /**
   * The position of each slice's first pixel; default: an even stack along the normal
   * through `center`. Give it for gaps, uneven spacing or a tilt.
   */
  positions?: number[][];
  /** Time points (default 1): each adds 10 HU and gets Temporal Position Identifier. */
  times?: number;
  /** One enhanced multi-frame image instead of single-frame images (default false). */
  enhanced?: boolean;
  /** Rescale slope and intercept of slice k (default 1 and -1024 for every slice). */
  rescale?: (slice: number) => [number, number];
  /** Series Instance UID (default a fixed one plus `seriesNumber`). */
  seriesUid?: string;
  /** Series Number (default 3). */
  seriesNumber?: number;
  /** Series Description (default "Head 3D"). */
  description?: string;
  /** Gantry/Detector Tilt to record, degrees (none by default). */
  gantryTilt?: number;
}

const STUDY_UID = "2.25.301909012409412419281029458721049812";
const FRAME_UID = "2.25.301909012409412419281029458721049814";

interface Ellipsoid {
  c: [number, number, number];
  r: [number, number, number];
  hu: number;
}

/** The head, in LPS mm: x to the left, y to the back, z to the head. */
const HEAD: Ellipsoid[] = [
  { c: [0, 0, 0], r: [72, 92, 80], hu: 900 }, // skull
  { c: [0, 0, 2], r: [66, 86, 74], hu: 35 }, // brain
  { c: [0, 10, 5], r: [30, 50, 40], hu: 25 }, // white matter
  { c: [-12, 0, 10], r: [6, 22, 14], hu: 5 }, // ventricles
  { c: [12, 0, 10], r: [6, 22, 14], hu: 5 },
  { c: [25, 30, 30], r: [7, 7, 7], hu: 70 }, // a bleed
  { c: [0, -60, -45], r: [16, 10, 12], hu: -900 }, // sinus air
  { c: [0, 40, -60], r: [14, 14, 20], hu: 60 }, // brainstem
];

/**
 * The head's value (HU) at patient position p (LPS mm); -1000 outside.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headHU } from "./volume_phantom.ts";
 * assert.equal(headHU([0, 0, 0]), 25);
 * assert.equal(headHU([0, 0, 200]), -1000);
 * ```
 */
export function headHU(p: readonly number[]): number {
  let hu = -1000;
  for (const e of HEAD) {
    const dx = (p[0] - e.c[0]) / e.r[0],
      dy = (p[1] - e.c[1]) / e.r[1],
      dz = (p[2] - e.c[2]) / e.r[2];
    if (dx * dx + dy * dy + dz * dz <= 1) hu = e.hu;
  }
  return hu;
}

function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** The slice positions of an even stack through `center` (what `positions` defaults to). */
export function stackPositions(options: VolumeSeriesOptions = {}): number[][] {
  const rows = options.rows ?? 64, columns = options.columns ?? 64;
  const slices = options.slices ?? 24;
  const [sr, sc] = options.pixelSpacing ?? [3.5, 3];
  const o = options.orientation ?? [1, 0, 0, 0, 1, 0];
  const c = options.center ?? [0, 0, 0];
  const row = o.slice(0, 3), col = o.slice(3, 6), n = cross(row, col);
  const dz = options.sliceSpacing ?? 7;
  const out: number[][] = [];
  for (let k = 0; k < slices; k++) {
    const t = k - (slices - 1) / 2;
    out.push(
      [0, 1, 2].map((i) =>
        c[i] - row[i] * sc * (columns - 1) / 2 - col[i] * sr * (rows - 1) / 2 + n[i] * dz * t
      ),
    );
  }
  return out;
}

/** A number as DS text would keep it (so headers and pixels agree exactly). */
function ds(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * A series of the 3-D head with the geometry asked: single-frame CT images (stored HU +
 * 1024 by default, 16 bits) in slice order, or one enhanced CT image with per-frame
 * functional groups (plane position, pixel value transformation, frame content) and
 * shared ones (plane orientation, pixel measures).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeVolumeSeries } from "./volume_phantom.ts";
 * const images = makeVolumeSeries({ slices: 3, rows: 8, columns: 8 });
 * assert.equal(images.length, 3);
 * assert.deepEqual(images[0].ImagePositionPatient, [-10.5, -12.25, -7]);
 * const [enhanced] = makeVolumeSeries({ slices: 3, rows: 8, columns: 8, enhanced: true });
 * assert.equal(enhanced.NumberOfFrames, 3);
 * ```
 */
export function makeVolumeSeries(options: VolumeSeriesOptions = {}): Dataset[] {
  const rows = options.rows ?? 64, columns = options.columns ?? 64;
  const [sr, sc] = options.pixelSpacing ?? [3.5, 3];
  const o = (options.orientation ?? [1, 0, 0, 0, 1, 0]).map(ds);
  const positions = (options.positions ?? stackPositions(options)).map((p) => p.map(ds));
  const times = options.times ?? 1;
  const number = options.seriesNumber ?? 3;
  const seriesUid = options.seriesUid ?? `2.25.301909012409412419281029458721049813.${number}`;
  const rescale = options.rescale ?? (() => [1, -1024] as [number, number]);
  const row = o.slice(0, 3), col = o.slice(3, 6);
  const plane = rows * columns;
  const pixels = (k: number, t: number): Uint16Array => {
    const [slope, intercept] = rescale(k);
    const out = new Uint16Array(plane);
    const p0 = positions[k];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const p = [0, 1, 2].map((i) => p0[i] + row[i] * sc * c + col[i] * sr * r);
        const hu = headHU(p) + 10 * t + ((r * 7 + c * 3 + k) % 5);
        out[r * columns + c] = Math.max(0, Math.min(65535, Math.round((hu - intercept) / slope)));
      }
    }
    return out;
  };
  const common = (d: Dataset, enhanced: boolean) => {
    d.set("SpecificCharacterSet", "ISO_IR 100");
    d.set(
      "ImageType",
      enhanced ? ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"] : ["ORIGINAL", "PRIMARY", "AXIAL"],
    );
    d.set("SOPClassUID", enhanced ? "1.2.840.10008.5.1.4.1.1.2.1" : "1.2.840.10008.5.1.4.1.1.2");
    d.set("StudyDate", "20240116");
    d.set("SeriesDate", "20240116");
    d.set("StudyTime", "100000");
    d.set("AccessionNumber", "A0003");
    d.set("Modality", "CT");
    d.set("Manufacturer", "dicom-deno phantom");
    d.set("StudyDescription", "CT HEAD 3D PHANTOM");
    d.set("SeriesDescription", options.description ?? "Head 3D");
    d.set("PatientName", "Phantom^Head3D");
    d.set("PatientID", "PHANTOM03");
    d.set("PatientBirthDate", "19700101");
    d.set("PatientSex", "O");
    d.set("BodyPartExamined", "HEAD");
    d.set("PatientPosition", "HFS");
    d.set("StudyInstanceUID", STUDY_UID);
    d.set("SeriesInstanceUID", seriesUid);
    d.set("StudyID", "3");
    d.set("SeriesNumber", number);
    d.set("FrameOfReferenceUID", FRAME_UID);
    if (options.gantryTilt !== undefined) d.set("GantryDetectorTilt", options.gantryTilt);
    d.set("SamplesPerPixel", 1);
    d.set("PhotometricInterpretation", "MONOCHROME2");
    d.set("Rows", rows);
    d.set("Columns", columns);
    d.set("BitsAllocated", 16);
    d.set("BitsStored", 16);
    d.set("HighBit", 15);
    d.set("PixelRepresentation", 0);
  };
  if (options.enhanced) {
    const d = new Dataset();
    common(d, true);
    d.set("SOPInstanceUID", `${seriesUid}.1`);
    d.set("InstanceNumber", 1);
    d.set("ContentDate", "20240116");
    d.set("ContentTime", "100000");
    d.set("NumberOfFrames", positions.length * times);
    const item = (set: (x: Dataset) => void) => {
      const x = new Dataset();
      set(x);
      return x;
    };
    d.set("SharedFunctionalGroupsSequence", [item((g) => {
      g.set("PixelMeasuresSequence", [item((m) => {
        m.set("PixelSpacing", [sr, sc]);
        m.set("SliceThickness", options.sliceSpacing ?? 7);
      })]);
      g.set("PlaneOrientationSequence", [item((m) => m.set("ImageOrientationPatient", o))]);
    })]);
    const perFrame: Dataset[] = [];
    const all = new Uint16Array(positions.length * times * plane);
    let f = 0;
    for (let t = 0; t < times; t++) {
      for (let k = 0; k < positions.length; k++, f++) {
        const [slope, intercept] = rescale(k);
        perFrame.push(item((g) => {
          g.set("FrameContentSequence", [item((m) => {
            m.set("DimensionIndexValues", times > 1 ? [t + 1, k + 1] : [k + 1]);
            if (times > 1) m.set("TemporalPositionIndex", t + 1);
            m.set("InStackPositionNumber", k + 1);
          })]);
          g.set("PlanePositionSequence", [
            item((m) => m.set("ImagePositionPatient", positions[k])),
          ]);
          g.set("PixelValueTransformationSequence", [item((m) => {
            m.set("RescaleIntercept", intercept);
            m.set("RescaleSlope", slope);
            m.set("RescaleType", "HU");
          })]);
        }));
        all.set(pixels(k, t), f * plane);
      }
    }
    d.set("PerFrameFunctionalGroupsSequence", perFrame);
    d.set("PixelData", all, { vr: "OW" });
    return [d];
  }
  const out: Dataset[] = [];
  for (let t = 0; t < times; t++) {
    for (let k = 0; k < positions.length; k++) {
      const n = t * positions.length + k + 1;
      const [slope, intercept] = rescale(k);
      const d = new Dataset();
      common(d, false);
      d.set("SOPInstanceUID", `${seriesUid}.${n}`);
      d.set("InstanceNumber", n);
      d.set("ImagePositionPatient", positions[k]);
      d.set("ImageOrientationPatient", o);
      d.set("SliceThickness", options.sliceSpacing ?? 7);
      if (times > 1) {
        d.set("TemporalPositionIdentifier", t + 1);
        d.set("NumberOfTemporalPositions", times);
      }
      d.set("PixelSpacing", [sr, sc]);
      d.set("RescaleIntercept", intercept);
      d.set("RescaleSlope", slope);
      d.set("RescaleType", "HU");
      d.set("WindowCenter", 40);
      d.set("WindowWidth", 400);
      d.set("PixelData", pixels(k, t), { vr: "OW" });
      out.push(d);
    }
  }
  return out;
}
