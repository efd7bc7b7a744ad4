/**
 * De-identification by PS3.15 Annex E: the Basic Application Level Confidentiality
 * Profile and its options (`deidentify`), the table as data (`profileRows`,
 * `profileAction`), keyed UIDs and pseudonyms, and blanking of burned-in text.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { deidentify } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("PatientName", "Doe^John");
 * const out = deidentify(ds, { key: "a secret" });
 * assert.match(String(out.PatientName), /^ANON\^/);
 * ```
 *
 * @module
 */

export {
  burnedInReason,
  type CleanPixelsOptions,
  deidentificationCodes,
  deidentify,
  DEIDENTIFY_OPTIONS,
  type DeidentifyOptions,
  profileRowFor,
  type Pseudonym,
} from "./deidentify.ts";
export {
  type ActionCode,
  cid7050,
  type CidCode,
  PROFILE_OPTIONS,
  profileAction,
  type ProfileOption,
  type ProfileOptions,
  type ProfileRow,
  profileRows,
  resolveAction,
  type SafePrivateRow,
  safePrivateRows,
} from "./profile.ts";
export { type DeidKey, Keyed, keyedUid, randomKey } from "./keyed.ts";
export { blankRegions } from "./pixels.ts";
export { parseRegions, type Region } from "./regions.ts";
export {
  AUTO_THREADS_FROM,
  checkOutputFolder,
  deidentifyFileSet,
  type DeidentifyFileSetOptions,
  type DeidentifyProblem,
  type DeidentifyReport,
  REPORT_NAME,
} from "./file_set.ts";
export { startWorkers, stopWorkers } from "./worker_pool.ts";
