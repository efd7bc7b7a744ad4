/**
 * A CT-like head phantom, made in code so that the demo, the tests and the notebooks
 * need no outside data: ellipses of skull, brain, ventricles, white matter, a small
 * bleed and sinus air, in Hounsfield units with a little seeded noise.
 *
 * @module
 */

import { Dataset } from "../dataset/dataset.ts";

/** Options for {@linkcode makeCtSlice}. */
export interface PhantomOptions {
  /**
   * Number of slices in the series.
   *
   * @default {12}
   */
  slices?: number;
  /**
   * Rows and columns.
   *
   * @default {512}
   */
  size?: number;
}

/** A small deterministic PRNG (mulberry32), so fixtures are identical on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  hu: number;
}

/** The phantom's structures at slice position z in [-1, 1], in HU. */
function structures(z: number): Ellipse[] {
  const s = Math.sqrt(Math.max(0, 1 - z * z * 0.8));
  return [
    { cx: 0, cy: 0, rx: 0.72 * s, ry: 0.9 * s, hu: 900 }, // skull
    { cx: 0, cy: 0, rx: 0.66 * s, ry: 0.84 * s, hu: 35 }, // brain (grey matter)
    { cx: -0.22, cy: -0.05, rx: 0.12 * s, ry: 0.3 * s, hu: 5 }, // ventricle (CSF)
    { cx: 0.22, cy: -0.05, rx: 0.12 * s, ry: 0.3 * s, hu: 5 },
    { cx: 0, cy: 0.45, rx: 0.2 * s, ry: 0.12 * s, hu: 25 }, // white matter
    { cx: 0.35, cy: 0.35, rx: 0.06, ry: 0.06, hu: 70 }, // a small bleed
    { cx: 0, cy: -0.7 * s, rx: 0.18 * s, ry: 0.08 * s, hu: -900 }, // sinus air
  ];
}

/**
 * The HU values of one phantom slice, `size * size`, row-major.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { phantomHU } from "./phantom.ts";
 * const hu = phantomHU(0, { size: 64 });
 * assert.equal(hu.length, 64 * 64);
 * assert.equal(hu[0], -999); // air in a corner
 * assert.equal(hu[32 * 64 + 32], 38); // brain in the centre
 * ```
 */
export function phantomHU(index: number, options: PhantomOptions = {}): Int16Array {
  const size = options.size ?? 512;
  const slices = options.slices ?? 12;
  const z = slices > 1 ? (index / (slices - 1)) * 1.6 - 0.8 : 0;
  const rand = random(1000 + index);
  const out = new Int16Array(size * size);
  const shapes = structures(z);
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / size * 2 - 1;
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size * 2 - 1;
      let hu = -1000;
      for (const e of shapes) {
        const dx = (u - e.cx) / e.rx, dy = (v - e.cy) / e.ry;
        if (dx * dx + dy * dy <= 1) hu = e.hu;
      }
      const noise = hu > -950 ? (rand() + rand() + rand() - 1.5) * 12 : (rand() - 0.5) * 4;
      out[y * size + x] = Math.max(-1024, Math.min(3071, Math.round(hu + noise)));
    }
  }
  return out;
}

const STUDY_UID = "2.25.101909012409412419281029458721049812";
const SERIES_UID = "2.25.101909012409412419281029458721049813";
const FRAME_UID = "2.25.101909012409412419281029458721049814";

/**
 * One CT slice of the phantom as a dataset: stored values are HU + 1024 (unsigned,
 * 12 bits stored), RescaleIntercept -1024, two windows (brain 40/80, bone 700/3200).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeCtSlice } from "./phantom.ts";
 * const ds = makeCtSlice(0, { size: 64 });
 * assert.equal(ds.Rows, 64);
 * assert.deepEqual(ds.WindowCenter, [40, 700]);
 * assert.equal(ds.Modality, "CT");
 * ```
 */
export function makeCtSlice(index: number, options: PhantomOptions = {}): Dataset {
  const size = options.size ?? 512;
  const slices = options.slices ?? 12;
  const hu = phantomHU(index, options);
  const stored = new Uint16Array(hu.length);
  for (let i = 0; i < hu.length; i++) stored[i] = hu[i] + 1024;
  const n = index + 1;
  const ds = new Dataset();
  ds.set("SpecificCharacterSet", "ISO_IR 100");
  ds.set("ImageType", ["ORIGINAL", "PRIMARY", "AXIAL"]);
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.2");
  ds.set("SOPInstanceUID", `${SERIES_UID}.${n}`);
  ds.set("StudyDate", "20240115");
  ds.set("SeriesDate", "20240115");
  ds.set("StudyTime", "093000");
  ds.set("AccessionNumber", "A0001");
  ds.set("Modality", "CT");
  ds.set("Manufacturer", "dicom-deno phantom");
  ds.set("InstitutionName", "Teaching Hospital");
  ds.set("ReferringPhysicianName", "Curie^Marie");
  ds.set("StudyDescription", "CT HEAD PHANTOM");
  ds.set("SeriesDescription", "Axial 5mm");
  ds.set("PatientName", "Phantom^Head");
  ds.set("PatientID", "PHANTOM01");
  ds.set("PatientBirthDate", "19700101");
  ds.set("PatientSex", "O");
  ds.set("PatientAge", "054Y");
  ds.set("BodyPartExamined", "HEAD");
  ds.set("SliceThickness", 5);
  ds.set("KVP", 120);
  ds.set("PatientPosition", "HFS");
  ds.set("StudyInstanceUID", STUDY_UID);
  ds.set("SeriesInstanceUID", SERIES_UID);
  ds.set("StudyID", "1");
  ds.set("SeriesNumber", 2);
  ds.set("InstanceNumber", n);
  ds.set("ImagePositionPatient", [-125, -125, (index - (slices - 1) / 2) * 5]);
  ds.set("ImageOrientationPatient", [1, 0, 0, 0, 1, 0]);
  ds.set("FrameOfReferenceUID", FRAME_UID);
  ds.set("SliceLocation", (index - (slices - 1) / 2) * 5);
  ds.set("SamplesPerPixel", 1);
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("Rows", size);
  ds.set("Columns", size);
  ds.set("PixelSpacing", [250 / size, 250 / size]);
  ds.set("BitsAllocated", 16);
  ds.set("BitsStored", 12);
  ds.set("HighBit", 11);
  ds.set("PixelRepresentation", 0);
  ds.set("WindowCenter", [40, 700]);
  ds.set("WindowWidth", [80, 3200]);
  ds.set("RescaleIntercept", -1024);
  ds.set("RescaleSlope", 1);
  ds.set("RescaleType", "HU");
  ds.set("WindowCenterWidthExplanation", ["BRAIN", "BONE"]);
  // A few private elements, as scanners write them: removePrivateTags() has work to do
  const scanner = ds.privateBlock(0x0009, "DICOM-DENO PHANTOM", { create: true });
  scanner.set(0x01, "PHANTOM SCANNER 1", { vr: "LO" });
  scanner.set(0x02, 7, { vr: "US" });
  const notes = ds.privateBlock(0x0029, "DICOM-DENO NOTES", { create: true });
  notes.set(0x10, "Slice of the teaching head phantom", { vr: "LO" });
  ds.set("PixelData", stored, { vr: "OW" });
  return ds;
}
