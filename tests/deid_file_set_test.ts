import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { checkOutputFolder, deidentifyFileSet } from "../lib/deid/mod.ts";

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
    const report = await deidentifyFileSet("fixtures/ct_phantom", out, { key: "same key", jobs });
    assert.equal(report.written, 12);
    assert.deepEqual([report.refused, report.failed], [[], []]);
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
