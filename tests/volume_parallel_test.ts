/**
 * Series.load's decode workers: JPEG 2000 series decoded by this thread and workers give
 * the voxels of the same series stored uncompressed (stored values, per-slice rescale,
 * enhanced multi-frame), a corrupt frame fails the series with its file named, and
 * niftiFileSet keeps one pool for all its series.
 */
import assert from "node:assert/strict";
import { encodeJ2k } from "./_j2k_encode.ts";
import { write } from "../lib/io/write.ts";
import { pixelArray } from "../lib/pixels/mod.ts";
import { DataElement, Dataset } from "../lib/dataset/mod.ts";
import { loadSeries, niftiFileSet, readNifti } from "../lib/volume/mod.ts";
import { makeVolumeSeries, type VolumeSeriesOptions } from "../lib/sample/volume_phantom.ts";

const J2K_LOSSLESS = "1.2.840.10008.1.2.4.90";

/** A lossless JPEG 2000 codestream of one 16-bit unsigned frame. */
function encode(samples: Uint16Array, width: number, height: number): Uint8Array {
  return encodeJ2k(samples, {
    width,
    height,
    bitsPerSample: 16,
    componentCount: 1,
    isSigned: false,
  });
}

/** `ds` with its frames as JPEG 2000 lossless, one fragment each. */
function compress(ds: Dataset): Dataset {
  const arr = pixelArray(ds);
  const rows = ds.get("Rows") as number, columns = ds.get("Columns") as number;
  const plane = rows * columns;
  const frames = arr.data.length / plane;
  const fragments = Array.from(
    { length: frames },
    (_, f) => encode(arr.data.subarray(f * plane, (f + 1) * plane) as Uint16Array, columns, rows),
  );
  ds.delete("PixelData");
  const el = new DataElement(0x7fe00010, "OB");
  el.encapsulated = {
    basicOffsetTable: new Uint32Array(0),
    fragments,
    fragmentPositions: fragments.map(() => 0),
  };
  ds.add(el);
  const meta = ds.fileMeta ?? new Dataset();
  meta.set(0x00020010, J2K_LOSSLESS, { vr: "UI" });
  ds.fileMeta = meta;
  return ds;
}

/** Two folders of the same series: uncompressed and JPEG 2000. */
function folders(options: VolumeSeriesOptions): { native: string; j2k: string } {
  const native = Deno.makeTempDirSync({ prefix: "vol_native_" });
  const j2k = Deno.makeTempDirSync({ prefix: "vol_j2k_" });
  makeVolumeSeries(options).forEach((ds, i) => {
    Deno.writeFileSync(`${native}/I${i}`, write(ds));
    Deno.writeFileSync(`${j2k}/I${i}`, write(compress(ds)));
  });
  return { native, j2k };
}

function remove(...dirs: string[]): void {
  for (const d of dirs) Deno.removeSync(d, { recursive: true });
}

const SMALL = { rows: 24, columns: 20, slices: 9 };

for (
  const [name, options] of [
    ["stored values", SMALL],
    ["per-slice rescale", { ...SMALL, rescale: (k: number) => [1 + (k % 2), -1024] }],
    ["enhanced multi-frame", { ...SMALL, enhanced: true }],
  ] as [string, VolumeSeriesOptions][]
) {
  Deno.test(`volume parallel: JPEG 2000 with workers equals uncompressed (${name})`, async () => {
    const { native, j2k } = folders(options);
    const want = loadSeries(native).series[0].volume();
    const series = loadSeries(j2k).series[0];
    for (const jobs of [undefined, 1, 2, 3]) {
      const v = await series.load({ jobs });
      assert.equal(v.data.constructor, want.data.constructor, `jobs ${jobs}`);
      assert.deepEqual(v.data, want.data, `jobs ${jobs}`);
      assert.deepEqual([v.slope, v.intercept], [want.slope, want.intercept]);
      assert.deepEqual(v.affine, want.affine);
    }
    // the memory of the last volume used again (a per-slice rescale's int32 values are
    // narrowed to a new int16 array)
    const first = await series.load({ jobs: 2 });
    const again = await series.load({ jobs: 2, out: first.data });
    assert.equal(again.data.buffer === first.data.buffer, name !== "per-slice rescale");
    assert.deepEqual(again.data, want.data);
    remove(native, j2k);
  });
}

Deno.test("volume parallel: a corrupt frame fails the series, naming its file", async () => {
  const { native, j2k } = folders(SMALL);
  // the last file's codestream cut short: whichever thread decodes it fails
  const bytes = Deno.readFileSync(`${j2k}/I8`);
  const ds = (await import("../lib/io/read.ts")).read(bytes);
  const el = ds.element(0x7fe00010)!;
  el.encapsulated = {
    ...el.encapsulated!,
    fragments: [el.encapsulated!.fragments[0].slice(0, 60)],
  };
  Deno.writeFileSync(`${j2k}/I8`, write(ds));
  const series = loadSeries(j2k).series[0];
  for (const jobs of [1, 2]) {
    await assert.rejects(() => series.load({ jobs }), (e: Error) => {
      // one thread: pixelArray's codec error; with workers, whichever thread decodes it,
      // a PixelDataError naming the file and frame
      if (jobs === 1) assert.equal(e.name, "CodecError");
      else {
        assert.equal(e.name, "PixelDataError");
        assert.match(e.message, /\/I8 frame 0: jpeg 2000: /);
      }
      return true;
    });
  }
  // a batch: that series fails, the next one (decoded by the same workers) is written
  const other = makeVolumeSeries({ ...SMALL, seriesNumber: 7, seriesUid: "2.25.777" });
  other.forEach((d, i) => Deno.writeFileSync(`${j2k}/J${i}`, write(compress(d))));
  const out = Deno.makeTempDirSync({ prefix: "vol_out_" });
  const report = await niftiFileSet(j2k, out, { jobs: 2 });
  assert.equal(report.failed.length, 1);
  assert.match(report.failed[0].message, /jpeg 2000/);
  assert.equal(report.written.length, 1);
  const n = readNifti(report.written[0].nifti);
  const want = loadSeries(native).series[0].volume();
  assert.deepEqual(n.dim, [20, 24, 9]);
  assert.equal(n.data.length, want.data.length);
  remove(native, j2k, out);
});
