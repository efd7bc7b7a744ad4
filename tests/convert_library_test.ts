/**
 * `convertFileSet` called as a library function (in this process): its report has the
 * fields of the command line's `--json`, its progress events feed the notebook's
 * progress view, its pictures are `toImage`'s with the dataset (the one 16-bit rule, the
 * tutorial's 8-bit default for every input), and the shared rendering options work.
 */
import assert from "node:assert/strict";
import { convertFileSet, type ConvertProgress, type ConvertReport, read, toImage } from "../mod.ts";
import { pixelArray } from "../lib/pixels/mod.ts";
import { decodePng } from "../lib/image/mod.ts";
import { progressView } from "../lib/display/mod.ts";
import { writeDicomdir } from "../lib/fileset/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { listFiles, runConvert, slice, tempDir, writeFiles } from "./_convert_helpers.ts";

const SERIES = "PHANTOM01/20240115/2";

/** A file-set of `n` phantom slices (size 32 of an n-slice phantom) with a DICOMDIR. */
function smallFileSet(n = 3): string {
  const dir = tempDir();
  writeFiles(`${dir}/in`, Array.from({ length: n }, (_, i) => slice(i, { slices: n })));
  writeDicomdir(`${dir}/in`);
  return dir;
}

Deno.test("convertFileSet: the report has the CLI's --json fields; progress events in order", async () => {
  const dir = smallFileSet(3);
  try {
    const events: ConvertProgress[] = [];
    const report = await convertFileSet(`${dir}/in`, `${dir}/lib`, {
      format: "png",
      jobs: 2,
      onProgress: (e) => events.push({ ...e }),
    });
    const cli = await runConvert([`${dir}/in`, `${dir}/cli`, "--format", "png", "--json"]);
    assert.equal(cli.code, 0, cli.stderr);
    const json = JSON.parse(cli.stdout) as ConvertReport;
    assert.deepEqual(Object.keys(report).sort(), Object.keys(json).sort());
    assert.deepEqual(Object.keys(report).sort(), [
      "converted",
      "failed",
      "images",
      "imagesPerSecond",
      "input",
      "instances",
      "interrupted",
      "jobs",
      "notDone",
      "out",
      "seconds",
      "skipped",
      "warnings",
    ]);
    assert.deepEqual(
      [report.instances, report.converted, report.images, report.failed, report.interrupted],
      [3, 3, 3, [], false],
    );
    assert.deepEqual(events.map((e) => e.phase), [
      "start",
      "instance",
      "instance",
      "instance",
      "done",
    ]);
    assert.deepEqual(events.map((e) => [e.done, e.images, e.total]), [
      [0, 0, 3],
      [1, 1, 3],
      [2, 2, 3],
      [3, 3, 3],
      [3, 3, 3],
    ]);
    assert.deepEqual(
      events.filter((e) => e.phase === "instance").map((e) => e.path!.slice(-8)).sort(),
      ["IM000001", "IM000002", "IM000003"],
    );
    // the same bytes as the command line
    for (const name of listFiles(`${dir}/cli`)) {
      assert.deepEqual(
        Deno.readFileSync(`${dir}/lib/${name}`),
        Deno.readFileSync(`${dir}/cli/${name}`),
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convertFileSet and toImage write identical 16-bit PNGs and 8-bit JPEGs of the same data", async () => {
  const dir = smallFileSet(3);
  try {
    const windows = [undefined, 1, { center: 300, width: 1000 }] as const;
    for (const [k, window] of windows.entries()) {
      for (const [format, bitDepth] of [["png", 16], ["png", 8], ["jpeg", 8]] as const) {
        const out = `${dir}/out_${k}_${format}${bitDepth}`;
        const report = await convertFileSet(`${dir}/in`, out, {
          format,
          bitDepth,
          window,
          jobs: 1,
        });
        assert.equal(report.images, 3);
        for (let i = 0; i < 3; i++) {
          const ds = read(`${dir}/in/IM00000${i + 1}`);
          const ext = format === "png" ? "png" : "jpg";
          const written = Deno.readFileSync(`${out}/${SERIES}/${i + 1}.${ext}`);
          const made = toImage(pixelArray(ds), { dataset: ds, format, bitDepth, window });
          assert.deepEqual(written, made, `${format} ${bitDepth} window ${JSON.stringify(window)}`);
          if (bitDepth === 16) assert.equal(decodePng(written).bitDepth, 16);
        }
      }
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** A 0/1 mask stored in 8 bits (as segmentations and masks are), instance `n`. */
function maskSlice(n: number, mask: Uint8Array, size: number) {
  const ds = makeCtSlice(n - 1, { size, slices: 2 });
  for (const k of ["RescaleSlope", "RescaleIntercept", "WindowCenter", "WindowWidth"]) {
    ds.delete(k);
  }
  ds.set("SOPInstanceUID", `2.25.4242${n}`);
  ds.set("BitsAllocated", 8);
  ds.set("BitsStored", 8);
  ds.set("HighBit", 7);
  ds.set("PixelRepresentation", 0);
  ds.set("PixelData", mask, { vr: "OB" });
  return ds;
}

Deno.test("convertFileSet and toImage: a 0/1 mask in 8 bits comes out 0/255 (the tutorial's default), 'none' keeps it", async () => {
  const size = 8;
  const mask = new Uint8Array(size * size);
  for (let y = 2; y < 6; y++) for (let x = 1; x < 4; x++) mask[y * size + x] = 1;
  const dir = tempDir();
  try {
    writeFiles(`${dir}/in`, [maskSlice(1, mask, size)]);
    const ds = read(`${dir}/in/IM000001`);
    assert.equal(pixelArray(ds).dtype, "uint8");
    const expected = Array.from(mask, (v) => v * 255);
    assert.deepEqual(Array.from(decodePng(toImage(pixelArray(ds))).data), expected);
    assert.deepEqual(
      Array.from(decodePng(toImage(pixelArray(ds), { dataset: ds })).data),
      expected,
    );
    const report = await convertFileSet(`${dir}/in`, `${dir}/out`, { format: "png", jobs: 1 });
    assert.deepEqual(report.failed, []);
    const [name] = listFiles(`${dir}/out`);
    assert.deepEqual(Array.from(decodePng(Deno.readFileSync(`${dir}/out/${name}`)).data), expected);
    const jpg = await convertFileSet(`${dir}/in`, `${dir}/jpg`, { jobs: 1 });
    assert.equal(jpg.images, 1);
    const none = await convertFileSet(`${dir}/in`, `${dir}/none`, {
      format: "png",
      scaling: "none",
      jobs: 1,
    });
    assert.equal(none.images, 1);
    const kept = decodePng(Deno.readFileSync(`${dir}/none/${name}`)).data;
    assert.deepEqual(Array.from(kept), Array.from(mask));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convertFileSet: colormap (or cmap) gives RGB pictures; scaling minmax", async () => {
  const dir = smallFileSet(2);
  try {
    await convertFileSet(`${dir}/in`, `${dir}/hot`, { format: "png", cmap: "hot", jobs: 1 });
    const ds = read(`${dir}/in/IM000001`);
    const hot = Deno.readFileSync(`${dir}/hot/${SERIES}/1.png`);
    assert.equal(decodePng(hot).channels, 3);
    assert.deepEqual(hot, toImage(pixelArray(ds), { dataset: ds, colormap: "hot" }));
    await convertFileSet(`${dir}/in`, `${dir}/mm`, { format: "png", scaling: "minmax", jobs: 1 });
    const mm = decodePng(Deno.readFileSync(`${dir}/mm/${SERIES}/1.png`)).data;
    assert.equal(Math.max(...mm), 255);
    assert.equal(Math.min(...mm), 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("progressView: shows a convertFileSet run in one display, updated in place", async () => {
  const dir = smallFileSet(3);
  try {
    const shown: { text: string; html: string; id: string; update: boolean }[] = [];
    const onProgress = progressView({
      title: "phantom",
      interval: 0,
      display: (bundle, options) =>
        shown.push({
          text: String(bundle["text/plain"]),
          html: String(bundle["text/html"]),
          id: options.display_id,
          update: options.update,
        }),
    });
    await convertFileSet(`${dir}/in`, `${dir}/out`, { onProgress, jobs: 1 });
    assert.equal(shown.length, 5); // start, 3 instances, done
    assert.deepEqual(shown.map((s) => s.update), [false, true, true, true, true]);
    assert.equal(new Set(shown.map((s) => s.id)).size, 1);
    assert.match(shown[0].text, /^phantom: 0\/3 \(0%\), 0 images, /);
    assert.match(shown[4].text, /^phantom: 3\/3 \(100%\), 3 images, .* left \(done\)$/);
    assert.match(shown[4].html, /<progress value="3" max="3"><\/progress>/);
    assert.match(shown[4].html, /<i>done<\/i>/);
    // outside Jupyter, without a display: nothing, and no error
    const quiet = progressView();
    quiet({ phase: "start", total: 1, done: 0, images: 0, failed: 0, seconds: 0 });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
