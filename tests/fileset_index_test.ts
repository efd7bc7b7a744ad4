/**
 * `fileSetIndex`, the compact index `convertFileSet` runs on, against `fileSet`: the
 * same instances in the same order, the same paths, File IDs and texts, the same
 * warnings, for a scanned folder with merged records, interleaved patients, subfolders,
 * a single-level instance, skipped files, and for a DICOMDIR; and convert's names over
 * it equal `planNames` over `fileSet`, `_dupN` included.
 */
import assert from "node:assert/strict";
import { fileSet, fileSetIndex, writeDicomdir } from "../lib/fileset/mod.ts";
import { convertFileSet, planNames } from "../lib/convert/mod.ts";
import { NAME_KEYS, namePart } from "../lib/convert/_name_planner.ts";
import { Dataset } from "../lib/dataset/dataset.ts";
import { write } from "../lib/io/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";

let uid = 0;
const studies = new Map<string, number>();

/** A small CT slice of patient `patient`, series `series` (its UID) numbered `number`. */
function ct(patient: string, series: string, number: number, instance: number | string): Dataset {
  const ds = makeCtSlice(0, { size: 8, slices: 2 });
  ds.set("SOPInstanceUID", `2.25.4242${++uid}`);
  ds.set("PatientID", patient, { validation: "ignore" });
  if (!studies.has(patient)) studies.set(patient, studies.size + 1);
  ds.set("StudyInstanceUID", `2.25.31${studies.get(patient)}`);
  ds.set("SeriesInstanceUID", `2.25.32${series}`);
  ds.set("SeriesNumber", number);
  ds.set("InstanceNumber", instance, { validation: "ignore" });
  return ds;
}

/** A Color Palette instance: one top-level PALETTE record, no patient. */
function palette(): Dataset {
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.39.1");
  ds.set("SOPInstanceUID", `2.25.4242${++uid}`);
  ds.set("ContentLabel", "HOT");
  return ds;
}

/** The tricky folder; returns its path. */
function makeFolder(): string {
  const dir = Deno.makeTempDirSync({ prefix: "fileset_index_" });
  const files: [string, Dataset | Uint8Array][] = [
    ["A01", ct("P1", "1", 3, 1)],
    ["A02", ct("P2", "2", 1, 1)],
    // same series UID, another Series Number: the first file's record (3) names both
    ["A03", ct("P1", "1", 9, 2)],
    // the same name twice, and once more in another case: _dup1, _dup2
    ["A04", ct("P1", "1", 3, 1)],
    ["A05", ct("p1", "5", 3, 1)],
    ["A06", palette()],
    ["A07", new TextEncoder().encode("not dicom")],
    ["SUB/B01", ct("P2", "2", 1, "0005")],
    ["SUB/B02", ct("", "6", 4, 2)],
    ["SUB/DEEPER/C01", ct("P3/../x", "7", 1, 1)],
  ];
  for (const [name, content] of files) {
    const path = `${dir}/${name}`;
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeFileSync(path, content instanceof Uint8Array ? content : write(content));
  }
  // a repeated SOP Instance UID is skipped with a note
  Deno.copyFileSync(`${dir}/A02`, `${dir}/A08`);
  return dir;
}

/** Asserts that the index of `path` is `fileSet(path)` instance by instance. */
function assertSame(path: string) {
  const fs = fileSet(path);
  const index = fileSetIndex(path, { keys: NAME_KEYS, text: namePart });
  assert.equal(index.root, fs.root);
  assert.deepEqual(index.warnings, fs.warnings);
  assert.equal(index.length, fs.length);
  fs.instances.forEach((inst, i) => {
    assert.equal(index.path(i), inst.path);
    assert.equal(index.fileId(i), inst.fileId.join("/"));
    NAME_KEYS.forEach((k, n) => assert.equal(index.text(i, n), namePart(inst.element(k)), k));
  });
  return { fs, index };
}

Deno.test("fileSetIndex: a scanned folder gives fileSet's instances, order, paths, texts and warnings", () => {
  const dir = makeFolder();
  try {
    const { index } = assertSame(dir);
    assert.deepEqual(
      Array.from({ length: index.length }, (_, i) => index.fileId(i)),
      ["A01", "A03", "A04", "A02", "SUB/B01", "A05", "A06", "SUB/B02", "SUB/DEEPER/C01"],
    );
    assert.deepEqual(
      Array.from({ length: index.length }, (_, i) => NAME_KEYS.map((_, k) => index.text(i, k))),
      [
        ["P1", "20240115", "3", "1"],
        ["P1", "20240115", "3", "2"],
        ["P1", "20240115", "3", "1"],
        ["P2", "20240115", "1", "1"],
        ["P2", "20240115", "1", "0005"],
        ["p1", "20240115", "3", "1"],
        ["_missing_", "_missing_", "_missing_", "_missing_"],
        ["_missing_", "20240115", "4", "2"],
        ["P3_.._x", "20240115", "1", "1"],
      ],
    );
    assert.deepEqual(index.warnings.map((w) => w.replace(/:.*/, "")), [
      "skipped A07",
      "skipped A08",
    ]);
    // without keys: paths only; the default text is the value's
    const bare = fileSetIndex(dir);
    assert.deepEqual([bare.length, bare.keys], [9, []]);
    assert.equal(fileSetIndex(dir, { keys: ["PatientID"] }).text(5, 0), "p1");
    assert.throws(() => index.path(9), RangeError);
    assert.throws(() => index.text(0, 4), RangeError);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("fileSetIndex: a DICOMDIR gives fileSet's instances", () => {
  const dir = makeFolder();
  try {
    Deno.removeSync(`${dir}/A07`);
    Deno.removeSync(`${dir}/A08`);
    writeDicomdir(dir);
    const { index } = assertSame(dir);
    assert.equal(index.length, 9);
    const viaFile = fileSetIndex(`${dir}/DICOMDIR`);
    assert.equal(viaFile.path(0), index.path(0));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convertFileSet over the index: names are planNames' over fileSet, _dupN included", async () => {
  const dir = makeFolder();
  const out = Deno.makeTempDirSync({ prefix: "fileset_index_out_" });
  try {
    const names = planNames(fileSet(dir), out);
    assert.deepEqual(names.map((n) => n.slice(out.length + 1)), [
      "P1/20240115/3/1",
      "P1/20240115/3/2",
      "P1/20240115/3/1_dup1",
      "P2/20240115/1/1",
      "P2/20240115/1/0005",
      "p1/20240115/3/1_dup2",
      "_missing_/_missing_/_missing_/_missing_",
      "_missing_/20240115/4/2",
      "P3_.._x/20240115/1/1",
    ]);
    const report = await convertFileSet(dir, out, { format: "png", jobs: 1 });
    // the palette has no pixels: its failure names its output
    assert.deepEqual(report.failed.map((f) => [f.path, f.output]), [[`${dir}/A06`, names[6]]]);
    assert.equal(report.images, 8);
    for (const [i, name] of names.entries()) {
      if (i !== 6) assert.ok(Deno.statSync(`${name}.png`).isFile, name);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
    Deno.removeSync(out, { recursive: true });
  }
});
