/**
 * Conformance of `pixelArray` with pydicom 2.3.1's `pixel_array` over the shared corpus:
 * exact for lossless transfer syntaxes, within ±2 for lossy ones.
 */
import assert from "node:assert/strict";
import { CORPUS_FILES, corpusMissing, manifest, ORACLE, readNpy } from "./_corpus.ts";
import { pixelArray, read } from "../mod.ts";

const LOSSY = new Set([
  "1.2.840.10008.1.2.4.50",
  "1.2.840.10008.1.2.4.51",
  "1.2.840.10008.1.2.4.81",
  "1.2.840.10008.1.2.4.91",
  "1.2.840.10008.1.2.4.203",
]);

/**
 * Files where pydicom's pixel_array is not what the standard says, and why. For these the
 * test checks our values against the oracle corrected as the standard requires.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

interface OracleArray {
  file?: string;
  same_as?: string;
  dtype: string;
  shape: number[];
}

function oracle(name: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(`${ORACLE}/${name}.json`));
  } catch {
    return undefined;
  }
}

/** Masks or sign-extends oracle values to Bits Stored (pydicom 2.3 keeps the extra bits). */
function fitBits(values: ArrayLike<number>, bitsStored: number, signed: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (signed) {
      const shift = 32 - bitsStored;
      out.push((v << shift) >> shift);
    } else out.push((v & ((2 ** bitsStored) - 1)) >>> 0);
  }
  return out;
}

Deno.test({
  name: "corpus: pixelArray equals pydicom's pixel_array (lossless exact, lossy ±2)",
  ignore: corpusMissing(),
  fn() {
    const rows = manifest().filter((r) => r.oracle_arrays.split(",").includes("pixel_array"));
    const failures: string[] = [];
    let equal = 0;
    for (const row of rows) {
      const name = row.path.slice("files/dev/".length);
      const json = oracle(name);
      const arrays = (json?.arrays ?? {}) as Record<string, OracleArray>;
      const entry = arrays.pixel_array;
      if (!entry?.file) continue;
      const folder = name.includes("/") ? name.slice(0, name.lastIndexOf("/") + 1) : "";
      const expected = readNpy(`${ORACLE}/${folder}${entry.file}`);
      let actual;
      try {
        actual = pixelArray(read(`${CORPUS_FILES}/${name}`, { force: true }));
      } catch (e) {
        failures.push(`${name} (${row.transfer_syntax_name}): ${(e as Error).message}`);
        continue;
      }
      if (actual.shape.join(",") !== entry.shape.join(",")) {
        failures.push(`${name}: shape ${actual.shape} vs ${entry.shape}`);
        continue;
      }
      const tolerance = LOSSY.has(row.transfer_syntax_uid) ? 2 : 0;
      let exp: ArrayLike<number> = expected.data as ArrayLike<number>;
      if (row.values_outside_bits_stored === "yes") {
        exp = fitBits(exp, Number(row.bits_stored), row.pixel_representation === "1");
      }
      let maxDiff = 0;
      const a = actual.data;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(Number(a[i]) - Number(exp[i]));
        if (d > maxDiff || Number.isNaN(d)) maxDiff = Number.isNaN(d) ? Infinity : d;
      }
      if (maxDiff > tolerance) {
        failures.push(`${name} (${row.transfer_syntax_name}): max diff ${maxDiff}`);
      } else equal++;
    }
    console.log(`pixel_array: ${equal}/${rows.length} equal`);
    for (const f of failures) console.log("  " + f);
    const unexplained = failures.filter((f) => !(f.split(" ")[0] in KNOWN_DIFFERENCES));
    assert.ok(equal / rows.length >= 0.98, `only ${equal}/${rows.length} equal`);
    assert.deepEqual(unexplained, []);
  },
});
