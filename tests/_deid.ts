/**
 * Test helper for `../shared/deid`: whether it is there (in CI a missing folder fails,
 * elsewhere the tests that need it skip with a loud notice).
 */
import { existsSync } from "node:fs";
import { DEFAULT_SOURCE } from "../tools/gen_deid_table.ts";
import { DataElement, type Dataset, type ElementValue } from "../lib/dataset/mod.ts";

/** Adds an element of a given VR, unchecked (test inputs carry odd values on purpose). */
export function put(ds: Dataset, tag: number, vr: string, value: ElementValue): void {
  ds.add(DataElement.fromValue(tag, vr, value));
}

let warned = false;

/** True when the tests that read `../shared/deid` must be skipped; throws in CI. */
export function sharedDeidMissing(): boolean {
  if (existsSync(`${DEFAULT_SOURCE}/basic_profile.tsv`)) return false;
  if (Deno.env.get("CI") === "true") {
    throw new Error(`${DEFAULT_SOURCE} not found: CI needs ../shared/deid beside the repo`);
  }
  if (!warned) {
    warned = true;
    console.warn(
      `\n!!! ${DEFAULT_SOURCE} not found: SKIPPING the de-identification table test !!!\n`,
    );
  }
  return true;
}

/** True when the oracle `/usr/bin/python3` with pydicom is missing; throws in CI. */
export function pydicomMissing(): boolean {
  const ok = (() => {
    try {
      return new Deno.Command("/usr/bin/python3", { args: ["-c", "import pydicom"] })
        .outputSync().success;
    } catch {
      return false;
    }
  })();
  if (ok) return false;
  if (Deno.env.get("CI") === "true") throw new Error("pydicom (/usr/bin/python3) is missing");
  console.warn("\n!!! pydicom (/usr/bin/python3 -c 'import pydicom') missing: SKIPPING !!!\n");
  return true;
}
