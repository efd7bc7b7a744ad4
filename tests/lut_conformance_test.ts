/**
 * Conformance of the LUT pipeline and color conversion with pydicom 2.3.1 over the shared
 * corpus: each oracle stage (`modality_lut`, `voi_lut_<i>`, `color_lut`,
 * `color_lut_ramp`, `ybr_to_rgb`) is recomputed from the oracle's input stage and the
 * dataset, and compared value for value, dtype included.
 */
import assert from "node:assert/strict";
import { CORPUS, corpusMissing, manifest, type NpyArray, ORACLE, readNpy } from "./_corpus.ts";
import { read } from "../lib/io/read.ts";
import type { Dataset } from "../lib/dataset/dataset.ts";
import { PixelArray, type PixelTypedArray } from "../lib/pixels/pixel_array.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyGrayscaleLuts, applyVoiLut } from "../lib/lut/voi.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { convertColorSpace } from "../lib/pixels/color_space.ts";

/**
 * pydicom 2.3's gdcm handler, decoding JPEG 2000 whose codestream says unsigned while
 * Pixel Representation says signed, sets Pixel Representation to 0 *in the dataset*
 * (`ds.group_dataset(0x0028)` shares the element objects). Its windowing then uses the
 * unsigned range 0..65535. The file says 1 (signed), so we window onto -32768..32767;
 * the test "pydicom's J2K Pixel Representation side effect" checks that with
 * Pixel Representation 0 we give pydicom's values exactly.
 */
const J2K_PIXREP_SIDE_EFFECT =
  "pydicom's J2K decoding set Pixel Representation to 0 in the dataset before windowing";

/** Stages whose result differs from pydicom's on purpose, `file:stage` → reason. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  "TOSHIBA_J2K_OpenJPEGv2Regression.dcm:voi_lut_0": J2K_PIXREP_SIDE_EFFECT,
  "TOSHIBA_J2K_SIZ0_PixRep1.dcm:voi_lut_0": J2K_PIXREP_SIDE_EFFECT,
};

const STAGES = /^(modality_lut|voi_lut_\d+|color_lut|color_lut_ramp|ybr_to_rgb)$/;

const NPY_DTYPES: Record<string, string> = {
  u1: "uint8",
  b1: "uint8",
  i1: "int8",
  u2: "uint16",
  i2: "int16",
  u4: "uint32",
  i4: "int32",
  f4: "float32",
  f8: "float64",
};

interface OracleArray {
  dtype?: string;
  shape?: number[];
  file?: string;
  same_as?: string;
}

interface Case {
  file: string;
  stage: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const row of manifest()) {
    if (!row.path.startsWith("files/dev/")) continue;
    for (const stage of (row.oracle_arrays ?? "").split(",")) {
      if (STAGES.test(stage)) out.push({ file: row.path.slice("files/dev/".length), stage });
    }
  }
  return out;
}

function arrays(file: string): Record<string, OracleArray> {
  const json = JSON.parse(Deno.readTextFileSync(`${ORACLE}/${file}.json`));
  return (json.arrays ?? {}) as Record<string, OracleArray>;
}

/** Loads an oracle stage as a PixelArray, following `same_as`. */
function load(file: string, all: Record<string, OracleArray>, stage: string): PixelArray {
  let entry = all[stage];
  while (entry?.same_as) entry = all[entry.same_as];
  if (!entry?.file) throw new Error(`${file}: no oracle array for ${stage}`);
  const npy: NpyArray = readNpy(`${ORACLE}/${fileDir(file)}${entry.file}`);
  if (npy.data instanceof BigInt64Array || npy.data instanceof BigUint64Array) {
    throw new Error(`${file}: 64-bit integer oracle array for ${stage}`);
  }
  const shape = npy.shape;
  // numpy's shapes: a 3-D array is multi-frame unless its last axis is the samples
  const samples = shape.length === 4 || (shape.length === 3 && shape[2] === 3);
  const multiFrame = shape.length === 4 || (shape.length === 3 && !samples);
  return new PixelArray(npy.data as PixelTypedArray, shape, { multiFrame });
}

function fileDir(file: string): string {
  const i = file.lastIndexOf("/");
  return i < 0 ? "" : file.slice(0, i + 1);
}

function npyDtype(dtype: string | undefined): string {
  return NPY_DTYPES[(dtype ?? "").replace(/^[<>|=]/, "")] ?? String(dtype);
}

/** Undefined when equal, else what differs. */
function compare(got: PixelArray, want: PixelArray, wantDtype: string): string | undefined {
  if (got.dtype !== wantDtype) return `dtype ${got.dtype}, expected ${wantDtype}`;
  if (got.shape.join(",") !== want.shape.join(",")) {
    return `shape [${got.shape}], expected [${want.shape}]`;
  }
  const a = got.data, b = want.data;
  let bad = 0, first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (!bad) return undefined;
  return `${bad} of ${a.length} values differ, first at ${first}: ${a[first]} vs ${b[first]}`;
}

function runStage(c: Case, ds: Dataset, all: Record<string, OracleArray>): PixelArray {
  if (c.stage === "modality_lut") return applyModalityLut(load(c.file, all, "pixel_array"), ds);
  if (c.stage.startsWith("voi_lut_")) {
    const index = Number(c.stage.slice("voi_lut_".length));
    return applyVoiLut(load(c.file, all, "modality_lut"), ds, { index });
  }
  if (c.stage === "color_lut") return applyColorLut(load(c.file, all, "pixel_array"), ds);
  if (c.stage === "color_lut_ramp") {
    const n = all[c.stage].shape![0];
    const ramp = new Int32Array(n);
    for (let i = 0; i < n; i++) ramp[i] = i;
    return applyColorLut(new PixelArray(ramp, [n], { multiFrame: false }), ds);
  }
  if (c.stage === "ybr_to_rgb") {
    const pi = String(ds.get("PhotometricInterpretation"));
    return convertColorSpace(load(c.file, all, "pixel_array"), pi, { to: "RGB" });
  }
  throw new Error(`unknown stage ${c.stage}`);
}

Deno.test("lut conformance: every oracle LUT and color stage", () => {
  if (corpusMissing()) return;
  const all = cases();
  assert.ok(all.length > 0, `no LUT stages found in ${CORPUS}/manifest.tsv`);
  const failures: string[] = [];
  const byStage = new Map<string, [number, number]>();
  let passed = 0;
  for (const c of all) {
    const key = `${c.file}:${c.stage}`;
    const stageKind = c.stage.replace(/_\d+$/, "_i");
    const counts = byStage.get(stageKind) ?? [0, 0];
    counts[1]++;
    let problem: string | undefined;
    try {
      const ds = read(`${CORPUS}/files/dev/${c.file}`, { stopBeforePixels: true });
      const oracle = arrays(c.file);
      const got = runStage(c, ds, oracle);
      const want = load(c.file, oracle, c.stage);
      let entry = oracle[c.stage];
      while (entry?.same_as) entry = oracle[entry.same_as];
      problem = compare(got, want, npyDtype(entry.dtype));
    } catch (e) {
      problem = `threw ${(e as Error).message}`;
    }
    if (problem === undefined) {
      passed++;
      counts[0]++;
      assert.ok(!(key in KNOWN_DIFFERENCES), `${key} now matches: remove it from the list`);
    } else if (key in KNOWN_DIFFERENCES) {
      failures.push(`${key}: ${problem} (known: ${KNOWN_DIFFERENCES[key]})`);
    } else {
      failures.push(`${key}: ${problem}`);
    }
    byStage.set(stageKind, counts);
  }
  const summary = [...byStage].map(([s, [ok, n]]) => `${s} ${ok}/${n}`).join(", ");
  console.log(`lut conformance: ${passed}/${all.length} stages exact (${summary})`);
  for (const f of failures) console.log(`  differs: ${f}`);
  const unexplained = failures.filter((f) => !f.includes("(known: "));
  assert.deepEqual(unexplained, [], "unexplained differences from pydicom");
  assert.ok(passed / all.length >= 0.98, `only ${passed}/${all.length} stages exact`);
});

Deno.test("lut conformance: fused modality+VOI equals the two stages", () => {
  if (corpusMissing()) return;
  let checked = 0;
  for (const c of cases()) {
    if (c.stage !== "voi_lut_0" || `${c.file}:${c.stage}` in KNOWN_DIFFERENCES) continue;
    const ds = read(`${CORPUS}/files/dev/${c.file}`, { stopBeforePixels: true });
    const oracle = arrays(c.file);
    const want = load(c.file, oracle, "voi_lut_0");
    const got = applyGrayscaleLuts(load(c.file, oracle, "pixel_array"), ds);
    let entry = oracle.voi_lut_0;
    while (entry?.same_as) entry = oracle[entry.same_as];
    assert.equal(compare(got, want, npyDtype(entry.dtype)), undefined, c.file);
    checked++;
  }
  console.log(`fused modality+VOI: ${checked} files exact`);
  assert.ok(checked > 0);
});

Deno.test("lut conformance: pydicom's J2K Pixel Representation side effect", () => {
  if (corpusMissing()) return;
  const keys = Object.keys(KNOWN_DIFFERENCES).filter((k) =>
    KNOWN_DIFFERENCES[k] === J2K_PIXREP_SIDE_EFFECT
  );
  for (const key of keys) {
    const [file, stage] = key.split(":");
    const ds = read(`${CORPUS}/files/dev/${file}`, { stopBeforePixels: true });
    assert.equal(ds.get("PixelRepresentation"), 1, file);
    const oracle = arrays(file);
    const input = load(file, oracle, "modality_lut");
    const want = load(file, oracle, stage);
    // ours, with the file's signed range, is pydicom's shifted by 32768
    const ours = applyVoiLut(input, ds);
    assert.equal(ours.min(), -32768);
    assert.equal(want.min(), 0);
    // with pydicom's mutated Pixel Representation we give its values exactly
    ds.set("PixelRepresentation", 0);
    assert.equal(compare(applyVoiLut(input, ds), want, "float64"), undefined, file);
  }
  assert.equal(keys.length, 2);
});
