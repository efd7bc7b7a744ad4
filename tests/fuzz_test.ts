/**
 * The fuzz harness in CI: a few thousand seeded cases (the project's own fixtures, and
 * the corpus files when `../shared/corpus` is there) must end in a result or a
 * `DicomError` each, within the time and allocation limits. A failure lists each finding
 * with the command that replays it (`deno task fuzz --seed S --case I`).
 */
import assert from "node:assert/strict";
import { type CaseResult, DEFAULT_CORPUS, describeFinding, fuzz, replay } from "../tools/fuzz.ts";
import { corpusMissing } from "./_corpus.ts";

/** Cases run in CI: about 10 s on 2 cores (the long run is `deno task fuzz --cases 100000`). */
const CI_CASES = 3000;
const CI_SEED = 20240601;

Deno.test({
  name: `fuzz: ${CI_CASES} seeded cases end in a result or a DicomError, in time and memory`,
  sanitizeResources: false,
  async fn() {
    const corpus = corpusMissing() ? undefined : DEFAULT_CORPUS;
    // `deno test --parallel` shares the cores with the other test files: a case is slow
    // past 5 s here (the harness's own limit, for dedicated runs, is 2 s; the slowest CI
    // case takes about 0.3 s alone)
    const report = await fuzz({ cases: CI_CASES, seed: CI_SEED, corpus, workers: 2, slowMs: 5000 });
    const text = report.findings.map((f) => describeFinding(f, corpus)).join("\n");
    assert.equal(report.findings.length, 0, `findings:\n${text}`);
    assert.equal(report.cases, CI_CASES);
    // the cases reach every stage, and each stage both succeeds and fails
    const o = report.outcomes;
    for (
      const stage of [
        "read",
        "read-strict",
        "pixelArray",
        "applyModalityLut",
        "applyVoiLut",
        "applyColorLut",
        "toImage",
        "fileSet",
      ]
    ) {
      assert.ok((o[stage]?.ok ?? 0) > 10, `${stage}: ${JSON.stringify(o[stage])}`);
    }
    for (const stage of ["read", "read-strict", "pixelArray", "applyVoiLut", "fileSet-strict"]) {
      const failures = Object.entries(o[stage]).filter(([k]) => k !== "ok");
      assert.ok(failures.length > 0, `${stage} never failed: ${JSON.stringify(o[stage])}`);
    }
    for (const errorClass of ["InvalidFileError", "MalformedError", "TruncatedError"]) {
      assert.ok(o["read-strict"][errorClass] > 0, `no ${errorClass} in read-strict`);
    }
    for (const errorClass of ["PixelDataError", "CodecError", "ValueError", "UnsupportedError"]) {
      assert.ok(o.pixelArray[errorClass] > 0, `no ${errorClass} in pixelArray`);
    }
    console.log(
      `fuzz: ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s ` +
        `(${report.casesPerSecond.toFixed(0)}/s)${corpus ? " with the corpus" : ""}`,
    );
  },
});

Deno.test({
  name: "fuzz: a case replays alone with the same input, and findings say how to replay them",
  sanitizeResources: false,
  async fn() {
    const seen: CaseResult[] = [];
    const report = await fuzz({
      cases: 4,
      start: 100,
      seed: 5,
      workers: 1,
      slowMs: 0, // every case is "slow": the finding path, deterministically
      keepInputs: true,
      onCase: (r) => seen.push(r),
    });
    assert.deepEqual(seen.map((r) => r.index), [100, 101, 102, 103]);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.index]), [
      ["slow", 100],
      ["slow", 101],
      ["slow", 102],
      ["slow", 103],
    ]);
    assert.deepEqual([...report.inputs.keys()], [100, 101, 102, 103]);
    const again = await replay({ seed: 5, index: 102 });
    assert.equal(again.source, seen[2].source);
    assert.deepEqual(again.mutations, seen[2].mutations);
    assert.deepEqual(again.outcomes, seen[2].outcomes);
    assert.deepEqual(again.bytes, report.inputs.get(102));
    const line = describeFinding(report.findings[2]);
    assert.ok(line.startsWith("slow in all: case took "), line);
    assert.ok(line.endsWith("replay: deno task fuzz --seed 5 --case 102"), line);
  },
});
