/**
 * scripts/nifti.ts and niftiFileSet: names, sidecars, splits, hostile names, existing outputs, exit codes.
 */
import assert from "node:assert/strict";
import { write } from "../lib/io/write.ts";
import { niftiFileSet, readNifti } from "../lib/volume/mod.ts";
import { makeVolumeSeries } from "../lib/sample/volume_phantom.ts";

const SCRIPT = new URL("../scripts/nifti.ts", import.meta.url).pathname;
const SMALL = { rows: 12, columns: 10, slices: 5 };

function folder(): string {
  const dir = Deno.makeTempDirSync({ prefix: "nifti_in_" });
  const a = makeVolumeSeries({ ...SMALL, seriesNumber: 4 });
  // one UID, two orientations: two parts
  const b = makeVolumeSeries({ ...SMALL, seriesNumber: 5 });
  const c = makeVolumeSeries({
    ...SMALL,
    slices: 3,
    seriesNumber: 5,
    orientation: [0, 1, 0, 0, 0, -1],
  });
  c.forEach((d, i) => d.set("SOPInstanceUID", `2.25.555.${i}`));
  // a hostile patient id, and another series numbered 4 in that study
  const d = makeVolumeSeries({ ...SMALL, seriesNumber: 4, seriesUid: "2.25.666" });
  d.forEach((x) => x.set("PatientID", "../../etc"));
  const e = makeVolumeSeries({ ...SMALL, seriesNumber: 4, seriesUid: "2.25.667" });
  [...a, ...b, ...c, ...d, ...e].forEach((x, i) => Deno.writeFileSync(`${dir}/I${i}`, write(x)));
  Deno.writeTextFileSync(`${dir}/notes.txt`, "not DICOM");
  return dir;
}

Deno.test("nifti script: names, parts, duplicates, hostile names and sidecars", async () => {
  const input = folder();
  const out = Deno.makeTempDirSync({ prefix: "nifti_out_" });
  const report = await niftiFileSet(input, out, { npy: true, gzip: true, jobs: 2 });
  assert.deepEqual(report.failed, []);
  assert.equal(report.series, 5);
  assert.deepEqual(report.warnings, [
    "skipped notes.txt: not DICOM: no DICM prefix after a 128-byte preamble, nor a data element at byte 0",
  ]);
  const rel = report.written.map((w) => w.nifti.slice(out.length + 1)).sort();
  assert.deepEqual(rel, [
    ".._.._etc/20240116/4.nii.gz",
    "PHANTOM03/20240116/4.nii.gz",
    "PHANTOM03/20240116/4_dup1.nii.gz",
    "PHANTOM03/20240116/5_1.nii.gz",
    "PHANTOM03/20240116/5_2.nii.gz",
  ]);
  const sidecar = JSON.parse(Deno.readTextFileSync(`${out}/PHANTOM03/20240116/5_2.json`));
  assert.equal(sidecar.SeriesInstanceUID, "2.25.301909012409412419281029458721049813.5");
  assert.equal(sidecar.SeriesDescription, "Head 3D");
  assert.deepEqual([sidecar.part, sidecar.parts], [2, 2]);
  assert.deepEqual(sidecar.shape, [3, 12, 10]);
  assert.equal(sidecar.files.length, 3);
  assert.match(sidecar.indexOrder, /array\[slice, row, column\]/);
  assert.deepEqual(sidecar.affineLps[3], [0, 0, 0, 1]);
  assert.deepEqual(sidecar.warnings, []);
  const n = readNifti(`${out}/PHANTOM03/20240116/5_2.nii.gz`);
  assert.deepEqual(n.dim, [10, 12, 3]);
  for (let r = 0; r < 3; r++) {
    assert.deepEqual(
      n.sform[r].map((x) => Math.round(x * 1000) / 1000),
      sidecar.affineRas[r].map((x: number) => Math.round(x * 1000) / 1000),
    );
  }
  assert.ok(Deno.statSync(`${out}/PHANTOM03/20240116/5_2.npy`).size > 128);
  // nothing else was written, no temporary file left
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      if (e.isDirectory) walk(`${d}/${e.name}`);
      else files.push(e.name);
    }
  };
  walk(out);
  assert.equal(files.length, 15);
  assert.ok(files.every((f) => !f.endsWith(".partial")));
  // a second run: every output is there, each series a failure unless --overwrite
  const again = await niftiFileSet(input, out, { npy: true, gzip: true });
  assert.equal(again.failed.length, 5);
  assert.equal(again.failed[0].kind, "AlreadyExists");
  assert.equal(
    (await niftiFileSet(input, out, { npy: true, gzip: true, overwrite: true })).failed.length,
    0,
  );
  Deno.removeSync(input, { recursive: true });
  Deno.removeSync(out, { recursive: true });
});

Deno.test("nifti script: exit codes and --json", () => {
  const run = (...args: string[]) => {
    const r = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, ...args],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    return {
      code: r.code,
      stdout: new TextDecoder().decode(r.stdout),
      stderr: new TextDecoder().decode(r.stderr),
    };
  };
  assert.equal(run().code, 2);
  assert.equal(run("--bogus", "a", "b").code, 2);
  const missing = run("/nonexistent/input", "/tmp/x");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^nifti: cannot open file-set/);
  const input = folder();
  const out = Deno.makeTempDirSync({ prefix: "nifti_out_" });
  const ok = run(input, out, "--json", "--quiet");
  assert.equal(ok.code, 0, ok.stderr);
  const report = JSON.parse(ok.stdout);
  assert.equal(report.written.length, 5);
  assert.equal(report.written[0].nifti.endsWith(".nii"), true);
  const again = run(input, out, "--quiet");
  assert.equal(again.code, 1);
  assert.match(again.stderr, /5 failed:\n {2}.*AlreadyExists: .* exists \(use --overwrite\)/);
  Deno.removeSync(input, { recursive: true });
  Deno.removeSync(out, { recursive: true });
});
