import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { AUTO_THREADS_FROM, checkOutputFolder, deidentifyFileSet } from "../lib/deid/mod.ts";
import { fileSet, writeDicomdir } from "../lib/fileset/mod.ts";

function files(dir: string, out: string[] = []): string[] {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) files(p, out);
    else out.push(p);
  }
  return out.sort();
}

Deno.test("the output is the same with 1 thread and with 3", async () => {
  const outs: string[] = [];
  for (const jobs of [1, 3]) {
    const out = Deno.makeTempDirSync() + "/out";
    // the main thread holds its first instance until another thread has written one (the
    // workers load for up to a few seconds on a busy machine), so that they take some
    const onProgress = (done: number) => {
      if (jobs === 1 || done !== 1) return;
      const until = performance.now() + 30_000;
      while (performance.now() < until) {
        if (files(out).filter((f) => /IM\d+$/.test(f)).length >= 2) break;
      }
    };
    const report = await deidentifyFileSet("fixtures/ct_phantom", out, {
      key: "same key",
      jobs,
      onProgress,
    });
    assert.equal(report.written, 12);
    assert.deepEqual([report.refused, report.failed], [[], []]);
    assert.equal(report.threads.length, jobs);
    assert.equal(report.threads.reduce((a, b) => a + b), 12);
    if (jobs > 1) assert.ok(report.threads[1] + report.threads[2] > 0, `${report.threads}`);
    outs.push(out);
  }
  const rel = (o: string) => files(o).map((f) => relative(o, f));
  assert.deepEqual(rel(outs[0]), rel(outs[1]));
  assert.equal(rel(outs[0]).length, 14);
  for (const f of rel(outs[0])) {
    if (f === "DEID_REPORT.json") continue;
    assert.deepEqual(Deno.readFileSync(join(outs[0], f)), Deno.readFileSync(join(outs[1], f)), f);
  }
});

Deno.test('jobs "auto" keeps one thread below AUTO_THREADS_FROM instances', async () => {
  const out = Deno.makeTempDirSync() + "/out";
  const report = await deidentifyFileSet("fixtures/ct_phantom", out, { key: "k", jobs: "auto" });
  assert.ok(report.instances < AUTO_THREADS_FROM);
  assert.deepEqual(report.threads, [report.instances]);
});

Deno.test("an output folder must be new or empty, and apart from the input", () => {
  const input = Deno.makeTempDirSync();
  assert.throws(() => checkOutputFolder(input, input), /inside the input/);
  assert.throws(() => checkOutputFolder(join(input, "DICOMDIR"), join(input, "x")), /inside/);
  const full = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(full, "a"), "");
  assert.throws(() => checkOutputFolder(input, full), /not empty/);
  checkOutputFolder(input, Deno.makeTempDirSync());
});

Deno.test("an interrupted run stops and says so", async () => {
  const stop = new AbortController();
  stop.abort();
  const out = Deno.makeTempDirSync() + "/out";
  const report = await deidentifyFileSet("fixtures/ct_phantom", out, {
    key: "k",
    jobs: 2,
    signal: stop.signal,
  });
  assert.equal(report.interrupted, true);
  assert.ok(report.written < 12);
  assert.deepEqual(report.failed, []);
});

Deno.test("a folder without a DICOMDIR gives the same DICOMDIR twice (a keyed File-set UID)", async () => {
  const input = Deno.makeTempDirSync();
  for (const name of ["IM000001", "IM000002", "IM000003"]) {
    Deno.copyFileSync(join("fixtures/ct_phantom", name), join(input, name));
  }
  const dicomdirs: Uint8Array[] = [];
  for (let i = 0; i < 2; i++) {
    const out = Deno.makeTempDirSync() + "/out";
    const report = await deidentifyFileSet(input, out, { key: "same key" });
    assert.equal(report.written, 3);
    dicomdirs.push(Deno.readFileSync(join(out, "DICOMDIR")));
  }
  assert.deepEqual(dicomdirs[0], dicomdirs[1]);
});

Deno.test("the new DICOMDIR, made from the datasets in memory, is what reading the files back makes", async () => {
  const out = Deno.makeTempDirSync() + "/out";
  await deidentifyFileSet("fixtures/ct_phantom", out, { key: "k", jobs: 2 });
  const made = Deno.readFileSync(join(out, "DICOMDIR"));
  const uid = fileSet(join(out, "DICOMDIR")).uid;
  Deno.removeSync(join(out, "DICOMDIR"));
  Deno.removeSync(join(out, "DEID_REPORT.json"));
  writeDicomdir(out, { fileSetId: "DEIDENTIFIED", fileSetUid: uid });
  assert.deepEqual(Deno.readFileSync(join(out, "DICOMDIR")), made);
});

Deno.test("the report gives the time of each stage", async () => {
  const out = Deno.makeTempDirSync() + "/out";
  const report = await deidentifyFileSet("fixtures/ct_phantom", out, { key: "k" });
  assert.deepEqual(Object.keys(report.stages), [
    "input",
    "read",
    "parse",
    "deidentify",
    "encode",
    "write",
    "records",
    "dicomdir",
    "wait",
  ]);
  assert.ok(Object.values(report.stages).every((ms) => ms >= 0));
  assert.ok(report.stages.deidentify > 0);
});
