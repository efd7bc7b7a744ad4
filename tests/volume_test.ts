/**
 * lib/volume against the truth of the DICOM geometry: series made with known geometry
 * (lib/sample/volume_phantom.ts), every source pixel looked up in the volume at its
 * patient position (within 1e-3 mm) with its value after the modality LUT (exact).
 */
import assert from "node:assert/strict";
import type { Dataset } from "../lib/dataset/dataset.ts";
import { write } from "../lib/io/write.ts";
import { read } from "../lib/io/read.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";
import {
  loadSeries,
  readNifti,
  type Series,
  tiltCorrect,
  toNifti,
  toNpy,
  type Volume,
} from "../lib/volume/mod.ts";
import {
  makeVolumeSeries,
  stackPositions,
  type VolumeSeriesOptions,
} from "../lib/sample/volume_phantom.ts";
import { _frameHeaders as frameHeaders } from "./_volume_helpers.ts";

const SMALL: VolumeSeriesOptions = { rows: 24, columns: 20, slices: 10 };

/** Inverse of the 3x3 part and the offset: patient LPS -> voxel (column, row, slice). */
function toVoxel(affine: number[][], p: number[]): number[] {
  const m = affine;
  const a = [m[0][0], m[0][1], m[0][2]],
    b = [m[1][0], m[1][1], m[1][2]],
    c = [m[2][0], m[2][1], m[2][2]];
  const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
    a[2] * (b[0] * c[1] - b[1] * c[0]);
  const q = [p[0] - m[0][3], p[1] - m[1][3], p[2] - m[2][3]];
  const col = (x: number[], y: number[], z: number[]) =>
    (x[0] * (y[1] * z[2] - y[2] * z[1]) - x[1] * (y[0] * z[2] - y[2] * z[0]) +
      x[2] * (y[0] * z[1] - y[1] * z[0])) / det;
  // Cramer's rule on the columns
  const A = [[a[0], b[0], c[0]], [a[1], b[1], c[1]], [a[2], b[2], c[2]]];
  const Q = [q[0], q[1], q[2]];
  const replace = (j: number) => A.map((colv, i) => i === j ? Q : colv);
  const [x, y, z] = [0, 1, 2].map((j) => {
    const [u, v, w] = replace(j);
    // rows of the transposed system
    return col([u[0], v[0], w[0]], [u[1], v[1], w[1]], [u[2], v[2], w[2]]);
  });
  return [x, y, z];
}

/**
 * Every pixel of every source frame: its voxel (from its patient position through the
 * inverse affine) is an integer index within 1e-3 mm, and holds the pixel's value after
 * the modality LUT. Returns how many voxels were checked.
 */
function assertGeometry(volume: Volume, sources: Dataset[], time = (_d: Dataset) => 0): number {
  let checked = 0;
  const seen = new Set<number>();
  for (const ds of sources) {
    for (const h of frameHeaders(ds)) {
      const arr = pixelArray(ds, h.frames > 1 ? { frame: h.frame } : {});
      const [sr, sc] = h.pixelSpacing!;
      const o = h.orientation!;
      const t = h.time !== undefined && volume.times > 1 ? h.time - 1 : time(ds);
      for (let r = 0; r < h.rows; r += 3) {
        for (let c = 0; c < h.columns; c += 3) {
          const p = [0, 1, 2].map((i) => h.position![i] + o[i] * sc * c + o[3 + i] * sr * r);
          const v = toVoxel(volume.affine, p);
          const idx = v.map(Math.round);
          const back = volume.position(idx[0], idx[1], idx[2]);
          const err = Math.hypot(back[0] - p[0], back[1] - p[1], back[2] - p[2]);
          assert.ok(err < 1e-3, `pixel (${r}, ${c}) at ${p} is ${err} mm from voxel ${idx}`);
          const expected = arr.data[r * h.columns + c] * (h.slope ?? 1) + (h.intercept ?? 0);
          assert.equal(volume.value(idx[0], idx[1], idx[2], t), expected);
          seen.add(volume.index(idx[0], idx[1], idx[2], t));
          checked++;
        }
      }
    }
  }
  assert.equal(seen.size, checked, "no two pixels land on one voxel");
  return checked;
}

function rotation(ax: number, ay: number, az: number): number[] {
  const [ca, sa, cb, sb, cc, sc] = [
    Math.cos(ax),
    Math.sin(ax),
    Math.cos(ay),
    Math.sin(ay),
    Math.cos(az),
    Math.sin(az),
  ];
  const Rx = [[1, 0, 0], [0, ca, -sa], [0, sa, ca]];
  const Ry = [[cb, 0, sb], [0, 1, 0], [-sb, 0, cb]];
  const Rz = [[cc, -sc, 0], [sc, cc, 0], [0, 0, 1]];
  const mul = (A: number[][], B: number[][]) =>
    A.map((row) => [0, 1, 2].map((j) => row[0] * B[0][j] + row[1] * B[1][j] + row[2] * B[2][j]));
  const R = mul(Rz, mul(Ry, Rx));
  return [R[0][0], R[1][0], R[2][0], R[0][1], R[1][1], R[2][1]];
}

function one(series: Series[]): Series {
  assert.equal(series.length, 1, series.map(String).join("; "));
  return series[0];
}

function shuffle<T>(a: T[], seed = 7): T[] {
  const out = [...a];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

Deno.test("volume: axial series, every pixel at its patient position with its HU", () => {
  const images = makeVolumeSeries(SMALL);
  const s = one(loadSeries(images).series);
  const v = s.volume();
  assert.deepEqual(v.shape, [10, 24, 20]);
  assert.deepEqual(v.spacing, [3, 3.5, 7]);
  assert.equal(v.dtype, "uint16");
  assert.equal(v.slope, 1);
  assert.equal(v.intercept, -1024);
  assert.deepEqual(v.warnings, []);
  assert.deepEqual(v.affine, [
    [3, 0, 0, -28.5],
    [0, 3.5, 0, -40.25],
    [0, 0, 7, -31.5],
    [0, 0, 0, 1],
  ]);
  assert.deepEqual(v.affineRas[0], [-3, 0, 0, 28.5]);
  assert.ok(assertGeometry(v, images) > 500);
});

Deno.test("volume: oblique, reversed and shuffled series give the right voxels", () => {
  const orientation = rotation(0.3, -0.2, 0.5);
  const cases: [string, Dataset[]][] = [
    ["oblique", makeVolumeSeries({ ...SMALL, orientation })],
    ["reversed", makeVolumeSeries(SMALL).reverse()],
    ["shuffled", shuffle(makeVolumeSeries({ ...SMALL, orientation }))],
    // the normal points to the feet: slices still go along +normal
    ["feet first", makeVolumeSeries({ ...SMALL, orientation: [1, 0, 0, 0, -1, 0] })],
  ];
  for (const [name, images] of cases) {
    const v = one(loadSeries(images).series).volume();
    assert.deepEqual(v.warnings, [], name);
    assert.deepEqual(v.shape, [10, 24, 20], name);
    assertGeometry(v, images);
  }
  // shuffled and sorted oblique series are the same volume
  const a = one(loadSeries(cases[0][1]).series).volume();
  const b = one(loadSeries(cases[2][1]).series).volume();
  assert.deepEqual(b.affine, a.affine);
  assert.deepEqual(b.data, a.data);
});

Deno.test("volume: a missing slice is named and filled, voxels after it stay in place", () => {
  const all = makeVolumeSeries(SMALL);
  const images = all.filter((_, k) => k !== 4);
  const s = one(loadSeries(images).series);
  const v = s.volume();
  assert.deepEqual(v.shape, [10, 24, 20]);
  assert.equal(v.warnings.length, 1);
  assert.match(
    v.warnings[0],
    /^missing slice at \(-28\.5, -40\.25, -3\.5\): gap of 14 mm between .* and .*, 2 times the median spacing 7 mm; filled with 1 empty slice$/,
  );
  assertGeometry(v, images);
  // the inserted slice holds the volume's minimum
  let min = Infinity;
  for (const x of v.data) min = Math.min(min, x);
  for (let i = 0; i < 24 * 20; i++) assert.equal(v.data[4 * 24 * 20 + i], min);
});

Deno.test("volume: uneven spacing and duplicates are reported", () => {
  const positions = stackPositions(SMALL);
  positions[6][2] += 2; // one slice 2 mm off
  const images = makeVolumeSeries({ ...SMALL, positions });
  const v = one(loadSeries(images).series).volume();
  assert.equal(v.warnings.length, 2);
  assert.match(v.warnings[0], /^uneven slice spacing: spacings from 5 to 9 mm \(median 7 mm\)/);
  assert.match(v.warnings[1], /up to 2 mm off its voxels$/);

  const twice = makeVolumeSeries(SMALL);
  const copy = read(write(twice[3]));
  copy.set("SOPInstanceUID", "2.25.1");
  copy.set("InstanceNumber", 99);
  const d = one(loadSeries([...twice, copy]).series).volume();
  assert.deepEqual(d.shape, [10, 24, 20]);
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0], /^duplicate position \(-28\.5, -40\.25, -10\.5\): .*; kept /);
});

Deno.test("volume: a gantry tilt keeps the sheared affine and warns; tiltCorrect resamples", () => {
  const tilt = 15 * Math.PI / 180;
  const positions = stackPositions(SMALL).map((
    p,
    k,
  ) => [p[0], p[1] + 7 * (k - 4.5) * Math.tan(tilt), p[2]]);
  const images = makeVolumeSeries({ ...SMALL, positions, gantryTilt: 15 });
  const s = one(loadSeries(images).series);
  assert.equal(s.geometry.tilt, 15);
  const v = s.volume();
  assert.deepEqual(v.warnings, [
    "gantry tilt of 15 degrees (Gantry/Detector Tilt 15): the affine keeps the sheared grid; tiltCorrect resamples to an orthogonal one",
  ]);
  assert.ok(Math.abs(v.affine[1][2] - 7 * Math.tan(tilt)) < 1e-6);
  assertGeometry(v, images);
  const c = tiltCorrect(v);
  assert.deepEqual(c.affine.map((r) => r[2]), [0, 0, 7, 0]);
  assert.equal(c.affine[1][3], v.affine[1][3]);
  // slice 0 is unchanged; in slice k, voxel row j holds the source's value at the same
  // patient point (rows of 3.5 mm shift by 7 tan(15) = 1.8756 mm per slice)
  assert.deepEqual(c.data.subarray(0, 480), v.data.subarray(0, 480));
  assert.equal(s.volume({ tiltCorrect: true }).warnings.length, 2);
  // a tilt of atan(3.5 / 7) shifts each slice by one row: resampling is exact
  const step = stackPositions(SMALL).map((p, k) => [p[0], p[1] + 3.5 * k, p[2]]);
  const shifted = one(loadSeries(makeVolumeSeries({ ...SMALL, positions: step })).series).volume();
  const exact = tiltCorrect(shifted);
  let compared = 0;
  for (let k = 0; k < 10; k++) {
    for (let j = k; j < 24; j++) {
      for (let i = 0; i < 20; i++, compared++) {
        assert.equal(exact.value(i, j, k), shifted.value(i, j - k, k));
      }
    }
  }
  assert.equal(compared, 20 * (24 + 15) * 10 / 2);
});

Deno.test("volume: two series in one folder, with or without a DICOMDIR", () => {
  const dir = Deno.makeTempDirSync();
  const a = makeVolumeSeries({ ...SMALL, seriesNumber: 5, description: "A" });
  const b = makeVolumeSeries({
    ...SMALL,
    slices: 6,
    seriesNumber: 6,
    description: "B",
    orientation: rotation(0, 0.4, 0),
  });
  [...a, ...b].forEach((d, i) =>
    Deno.writeFileSync(`${dir}/F${String(i).padStart(3, "0")}`, write(d))
  );
  for (const source of [dir, `${dir}/DICOMDIR`]) {
    if (source.endsWith("DICOMDIR")) writeDicomdir(dir);
    const { series, warnings } = loadSeries(source);
    assert.deepEqual(warnings, []);
    assert.deepEqual(series.map((s) => [s.number, s.description, s.shape[1]]), [[5, "A", 10], [
      6,
      "B",
      6,
    ]]);
    assertGeometry(series[1].volume(), b);
    assert.equal(series[0].files.length, 10);
    assert.match(series[0].files[0], /F000$/);
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("volume: one UID with two orientations splits into parts", () => {
  const a = makeVolumeSeries({ ...SMALL, slices: 4 });
  const b = makeVolumeSeries({ ...SMALL, slices: 3, orientation: [0, 1, 0, 0, 0, -1] });
  b.forEach((d, i) => d.set("SOPInstanceUID", `2.25.77.${i}`));
  const { series } = loadSeries([...a, ...b]);
  assert.deepEqual(series.map((s) => [s.part, s.parts, s.shape[1]]), [[1, 2, 4], [2, 2, 3]]);
});

Deno.test("volume: 4-D series [time][slice][row][column]", () => {
  const images = makeVolumeSeries({ ...SMALL, times: 3 });
  const s = one(loadSeries(shuffle(images)).series);
  const v = s.volume();
  assert.deepEqual(v.shape, [3, 10, 24, 20]);
  assert.deepEqual(v.warnings, []);
  assertGeometry(v, images);
  // time point 2 is 20 HU above time point 0 at each voxel
  assert.equal(v.value(5, 5, 5, 2) - v.value(5, 5, 5, 0), 20);
});

Deno.test("volume: enhanced multi-frame gives the single-frame series' volume", () => {
  const orientation = rotation(0.1, 0.2, -0.3);
  const rescale = (k: number): [number, number] => [1, -1024 + (k % 2)];
  for (const times of [1, 2]) {
    const single = makeVolumeSeries({ ...SMALL, orientation, times, rescale });
    const [enhanced] = makeVolumeSeries({ ...SMALL, orientation, times, rescale, enhanced: true });
    const a = one(loadSeries(single).series).volume();
    const b = one(loadSeries([read(write(enhanced))]).series).volume();
    assert.deepEqual(b.shape, a.shape);
    assert.deepEqual(b.affine, a.affine);
    assert.deepEqual(b.data, a.data);
    assertGeometry(b, [enhanced]);
  }
});

Deno.test("volume: rescales that differ per slice give integers when exact, else float32", () => {
  const ints = makeVolumeSeries({ ...SMALL, rescale: (k) => [1 + (k % 2), -1024] });
  const v = one(loadSeries(ints).series).volume();
  assert.equal(v.dtype, "int16");
  assert.equal(v.slope, 1);
  assert.equal(v.intercept, 0);
  assertGeometry(v, ints);
  const floats = makeVolumeSeries({ ...SMALL, rescale: (k) => [0.5 + k / 4, -1024.25] });
  const f = one(loadSeries(floats).series).volume();
  assert.equal(f.dtype, "float32");
  assertGeometry(f, floats);
});

Deno.test("volume: NIfTI keeps voxels exact after scl_slope/scl_inter and the affine", () => {
  const orientation = rotation(0.3, -0.2, 0.5);
  for (const gzip of [false, true]) {
    const images = makeVolumeSeries({ ...SMALL, orientation });
    const v = one(loadSeries(images).series).volume();
    const n = readNifti(toNifti(v, { gzip }));
    assert.deepEqual(n.dim, [20, 24, 10]);
    assert.equal(n.datatype, 512);
    assert.deepEqual([n.qformCode, n.sformCode, n.xyztUnits], [1, 1, 10]);
    assert.equal(n.descrip, "CT Head 3D");
    for (let i = 0; i < v.data.length; i++) {
      assert.equal(n.data[i] * n.sclSlope + n.sclInter, v.data[i] * v.slope + v.intercept);
    }
    for (const m of [n.sform, n.qform]) {
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          assert.ok(Math.abs(m[r][c] - v.affineRas[r][c]) < 1e-3, `${r},${c}: ${m[r][c]}`);
        }
      }
    }
  }
});

Deno.test("volume: .npy holds the real values in C order", () => {
  const v = one(loadSeries(makeVolumeSeries(SMALL)).series).volume();
  const b = toNpy(v);
  const header = new TextDecoder().decode(b.subarray(10, 128));
  assert.match(
    header,
    /^\{'descr': '<i2', 'fortran_order': False, 'shape': \(10, 24, 20\), \} *\n$/,
  );
  const values = new Int16Array(b.slice(128).buffer);
  assert.equal(values.length, v.data.length);
  assert.equal(values[v.index(3, 4, 5)], v.value(3, 4, 5));
});

const REAL = new URL("./data/dcm_qa_agfa/Siemens", import.meta.url).pathname;

Deno.test("volume: a real Siemens enhanced MR series (dcm_qa_agfa) is 4-D, each frame in place", async () => {
  const { series, warnings } = loadSeries(REAL);
  assert.deepEqual(warnings, []);
  const s = one(series);
  assert.equal(s.description, "ep2d_fid_weisskoff_25slc");
  assert.deepEqual(s.shape, [4, 25, 64, 64]);
  const v = s.volume();
  assert.deepEqual(v.shape, [4, 25, 64, 64]);
  assert.deepEqual(v.warnings, []);
  assert.deepEqual(v.spacing.map((x) => Math.round(x * 1e4) / 1e4), [3.2813, 3.2813, 3.3]);
  const datasets = [...Deno.readDirSync(REAL)].map((e) => read(`${REAL}/${e.name}`));
  assert.ok(assertGeometry(v, datasets) > 4 * 25 * 400);
  // decoded by two threads (this one and a worker): the same volume
  const p = await s.load({ jobs: 2 });
  assert.deepEqual(p.shape, v.shape);
  assert.deepEqual(p.affine, v.affine);
  assert.ok(p.data.every((x, i) => x === v.data[i]));
});

Deno.test("volume: load({ jobs: 2 }) decodes in a worker too and gives volume()'s voxels", async () => {
  const dir = Deno.makeTempDirSync();
  const cases: [string, VolumeSeriesOptions, (k: number) => boolean][] = [
    ["stored", SMALL, () => true],
    [
      "rescale per slice, a gap",
      { ...SMALL, rescale: (k) => [1 + (k % 2), -1024] },
      (k) => k !== 4,
    ],
    ["float rescale", { ...SMALL, rescale: (k) => [0.5 + k / 4, -1024.25] }, () => true],
  ];
  for (const [name, options, keep] of cases) {
    Deno.mkdirSync(`${dir}/${name}`);
    makeVolumeSeries(options).filter((_, k) => keep(k)).forEach((d, i) =>
      Deno.writeFileSync(`${dir}/${name}/F${i}`, write(d))
    );
    const s = one(loadSeries(`${dir}/${name}`).series);
    const a = s.volume();
    const b = await s.load({ jobs: 2 });
    assert.equal(b.dtype, a.dtype, name);
    assert.deepEqual([b.slope, b.intercept, b.warnings], [a.slope, a.intercept, a.warnings], name);
    assert.ok(b.data.every((x, i) => x === a.data[i]), name);
  }
  Deno.removeSync(dir, { recursive: true });
});
