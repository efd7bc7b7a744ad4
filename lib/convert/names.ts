/**
 * The output names of the convert job: `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/
 * {InstanceNumber}`, each part made safe from hostile tag values, duplicates numbered.
 *
 * @module
 */

import type { FileInstance } from "../fileset/mod.ts";
import { NAME_KEYS, namePart, NamePlanner, outputName } from "./_name_planner.ts";

/**
 * The output path (without extension) of each instance, in the order given:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}`, each part made safe
 * by {@linkcode safeComponent}; a path already taken (compared case-insensitively, for
 * macOS and Windows) gets `_dup1`, `_dup2`... in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSet, writeDicomdir } from "../fileset/mod.ts";
 * import { write } from "../io/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { planNames } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * for (const i of [0, 1]) {
 *   Deno.writeFileSync(`${dir}/IM${i}`, write(makeCtSlice(i, { size: 8, slices: 2 })));
 * }
 * writeDicomdir(dir);
 * const names = planNames([...fileSet(dir)], "out");
 * assert.deepEqual(names, ["out/PHANTOM01/20240115/2/1", "out/PHANTOM01/20240115/2/2"]);
 * ```
 */
export function planNames(instances: Iterable<FileInstance>, out: string): string[] {
  const planner = new NamePlanner();
  const names: string[] = [];
  const root = out.endsWith("/") ? out.slice(0, -1) : out;
  for (const inst of instances) {
    const parts = NAME_KEYS.map((k) => namePart(inst.element(k)));
    names.push(outputName(root, parts, planner.add(parts)));
  }
  return names;
}
