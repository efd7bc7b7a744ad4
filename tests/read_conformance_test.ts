/**
 * Conformance of `read`, `String(ds)` and `dir` with pydicom 2.3.1 over the shared corpus
 * (`../shared/corpus/oracle/dev/*.txt` and `*.json`).
 */
import assert from "node:assert/strict";
import { CORPUS_FILES, corpusMissing, manifest, ORACLE } from "./_corpus.ts";
import { dir, read } from "../mod.ts";

/**
 * Files where our `String(ds)` differs from pydicom's on purpose, with the reason.
 * Each entry is checked: the difference must still be there (else remove the entry).
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

function corpusFiles(): string[] {
  return manifest().filter((r) =>
    r.path.startsWith("files/dev/") && !r.notes.includes("not a DICOM file")
  )
    .map((r) => r.path.slice("files/dev/".length));
}

/**
 * pydicom 2.3.1 under Python 3.11 prints a VR it assigned itself (a resolved ambiguous VR,
 * the VR of an implicit group length or of a private element) as `VR.OB` instead of `OB`:
 * its `VR` enum formats with the class name since Python 3.11. That is a pydicom bug; we
 * print the VR, so the oracle is compared with the `VR.` prefix removed (see the test
 * "pydicom's VR.XX quirk" below).
 */
function normalizeVrEnum(text: string): string {
  return text.replace(/ VR\.([A-Z]{2}): /g, " $1: ");
}

function oracleText(name: string): string | undefined {
  try {
    return normalizeVrEnum(Deno.readTextFileSync(`${ORACLE}/${name}.txt`));
  } catch {
    return undefined;
  }
}

Deno.test({
  name: "corpus: String(ds) equals pydicom's str(ds) for at least 98% of files",
  ignore: corpusMissing(),
  fn() {
    const files = corpusFiles();
    let compared = 0, equal = 0;
    const failures: string[] = [];
    for (const name of files) {
      const expected = oracleText(name);
      if (expected === undefined) continue;
      compared++;
      let actual: string;
      try {
        actual = String(read(`${CORPUS_FILES}/${name}`, { force: true }));
      } catch (e) {
        failures.push(`${name}: threw ${(e as Error).message}`);
        continue;
      }
      if (actual === expected.replace(/\n$/, "")) {
        equal++;
        assert.ok(!(name in KNOWN_DIFFERENCES), `${name} now matches: drop it from the list`);
      } else if (!(name in KNOWN_DIFFERENCES)) {
        const a = actual.split("\n"), b = expected.split("\n");
        const i = a.findIndex((line, k) => line !== b[k]);
        failures.push(`${name}: line ${i + 1}\n  ours:    ${a[i]}\n  pydicom: ${b[i]}`);
      }
    }
    const ratio = equal / compared;
    console.log(`String(ds): ${equal}/${compared} equal (${(ratio * 100).toFixed(1)}%)`);
    assert.deepEqual(failures, []);
    assert.ok(ratio >= 0.98, `only ${equal}/${compared} equal`);
  },
});

Deno.test({
  name: "corpus: dir(ds) equals pydicom's ds.dir() for every file pydicom reads",
  ignore: corpusMissing(),
  fn() {
    let compared = 0;
    const failures: string[] = [];
    for (const name of corpusFiles()) {
      let json: { dir_keywords?: string[] };
      try {
        json = JSON.parse(Deno.readTextFileSync(`${ORACLE}/${name}.json`));
      } catch {
        continue;
      }
      if (!json.dir_keywords) continue;
      compared++;
      const ds = read(`${CORPUS_FILES}/${name}`, { force: true });
      try {
        assert.deepEqual(dir(ds), json.dir_keywords);
      } catch {
        failures.push(name);
      }
    }
    console.log(`dir(): ${compared - failures.length}/${compared} equal`);
    assert.deepEqual(failures, []);
    assert.ok(compared > 100);
  },
});

Deno.test({
  name: "corpus: pydicom's VR.XX quirk is pydicom's, and we print plain VRs there",
  ignore: corpusMissing(),
  fn() {
    const name = "rtdose.dcm";
    const raw = Deno.readTextFileSync(`${ORACLE}/${name}.txt`);
    assert.match(raw, /Pixel Data {26}VR\.OW: Array of 6000 elements/);
    const ours = String(read(`${CORPUS_FILES}/${name}`));
    assert.match(ours, /Pixel Data {26}OW: Array of 6000 elements/);
    assert.doesNotMatch(ours, / VR\./);
  },
});
