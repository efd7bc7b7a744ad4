/**
 * PS3.15 Annex E as data: the rows of Table E.1-1 with the action of the Basic
 * Application Level Confidentiality Profile and of each option, the safe private
 * attributes and the CID 7050 codes, and `profileAction`, the action a row gets under a
 * set of options.
 *
 * @module
 */

import { CID_7050, PROFILE_ROWS, SAFE_PRIVATE_ROWS } from "./_profile.ts";
import { ValueError } from "../core/errors.ts";

/**
 * An action code of Table E.1-1 (PS3.15 E.1.1): D dummy, Z zero length, X remove, K keep,
 * C clean, U replacement UID, and the codes that depend on the attribute's Type.
 */
export type ActionCode =
  | "D"
  | "Z"
  | "X"
  | "K"
  | "C"
  | "U"
  | "Z/D"
  | "X/Z"
  | "X/D"
  | "X/Z/D"
  | "X/Z/U*";

/** The options of the profile (PS3.15 E.3), by the names `deidentify` takes. */
export type ProfileOption =
  | "retainSafePrivate"
  | "retainUids"
  | "retainDeviceIdentity"
  | "retainInstitutionIdentity"
  | "retainPatientCharacteristics"
  | "retainLongitudinalFullDates"
  | "retainLongitudinalModifiedDates"
  | "cleanDescriptors"
  | "cleanStructuredContent"
  | "cleanGraphics";

/** Every option, in the table's column order. */
export const PROFILE_OPTIONS: readonly ProfileOption[] = [
  "retainSafePrivate",
  "retainUids",
  "retainDeviceIdentity",
  "retainInstitutionIdentity",
  "retainPatientCharacteristics",
  "retainLongitudinalFullDates",
  "retainLongitudinalModifiedDates",
  "cleanDescriptors",
  "cleanStructuredContent",
  "cleanGraphics",
];

/** One row of Table E.1-1. */
export interface ProfileRow {
  /** `gggg,eeee`; `x` where the standard has a range (`50xx,xxxx`, `60xx,3000`). */
  readonly tag: string;
  /** The attribute's name as the standard prints it. */
  readonly name: string;
  /** The dictionary keyword (empty for group rows and the private row). */
  readonly keyword: string;
  /** The VR (empty for group rows and the private row). */
  readonly vr: string;
  /** In a standard composite IOD: Y, N or C. */
  readonly inStdCompIod: "Y" | "N" | "C";
  /** The Basic Profile's action. */
  readonly basic: ActionCode;
  /** The action of each option that changes the Basic Profile's. */
  readonly options: Readonly<Partial<Record<ProfileOption, ActionCode>>>;
}

/** One row of Table E.3.10-1: a private attribute `(group, bb element)` of a creator. */
export interface SafePrivateRow {
  /** The odd group. */
  readonly group: number;
  /** The element's low byte (its place in the creator's block). */
  readonly element: number;
  /** The Private Creator value. */
  readonly creator: string;
  /** The VR the standard gives. */
  readonly vr: string;
}

/** One code of CID 7050. */
export interface CidCode {
  /** Code Value, e.g. `113100`. */
  readonly code: string;
  /** Coding Scheme Designator (`DCM`). */
  readonly scheme: string;
  /** Code Meaning. */
  readonly meaning: string;
  /** The option it stands for (`basic`, `cleanPixels`, an option name), or empty. */
  readonly option: string;
}

/** Which options are chosen. */
export type ProfileOptions = Partial<Record<ProfileOption, boolean>>;

/**
 * The rows of Table E.1-1 (621 of PS3.15 2024b), in the standard's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profileRows } from "./mod.ts";
 * const row = profileRows().find((r) => r.keyword === "StudyDate")!;
 * assert.equal(row.basic, "Z");
 * assert.equal(row.options.retainLongitudinalFullDates, "K");
 * ```
 */
export function profileRows(): readonly ProfileRow[] {
  return PROFILE_ROWS;
}

/**
 * The safe private attributes of Table E.3.10-1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safePrivateRows } from "./mod.ts";
 * assert.ok(safePrivateRows().some((r) => r.creator === "ELSCINT1" && r.group === 0x00e1));
 * ```
 */
export function safePrivateRows(): readonly SafePrivateRow[] {
  return SAFE_PRIVATE_ROWS;
}

/**
 * The codes of CID 7050 (De-identification Method).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cid7050 } from "./mod.ts";
 * assert.equal(cid7050().find((c) => c.option === "basic")?.code, "113100");
 * ```
 */
export function cid7050(): readonly CidCode[] {
  return CID_7050;
}

/** How much an action keeps: the larger wins when two chosen options disagree. */
const KEEPS: Record<string, number> = { K: 3, C: 2, U: 1 };

/**
 * The action of a row under the chosen options: the Basic Profile's, changed by each
 * chosen option whose column has a code. When two chosen options give a row different
 * codes, the one that keeps more wins (K, then C, then U). Choosing both longitudinal
 * date options is a `ValueError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profileAction, profileRows } from "./mod.ts";
 * const row = profileRows().find((r) => r.keyword === "StudyInstanceUID")!;
 * assert.equal(profileAction(row), "U");
 * assert.equal(profileAction(row, { retainUids: true }), "K");
 * ```
 */
export function profileAction(row: ProfileRow, options: ProfileOptions = {}): ActionCode {
  if (options.retainLongitudinalFullDates && options.retainLongitudinalModifiedDates) {
    throw new ValueError(
      "retainLongitudinalFullDates and retainLongitudinalModifiedDates exclude each other",
    );
  }
  let action = row.basic;
  let best = -1;
  for (const name of PROFILE_OPTIONS) {
    const code = row.options[name];
    if (!options[name] || !code) continue;
    const rank = KEEPS[code] ?? 0;
    if (rank > best) {
      best = rank;
      action = code;
    }
  }
  return action;
}

/**
 * The effective action without Type facts (the rule): the attribute stays with
 * no original value. Z/D, X/D and X/Z/D give D; X/Z gives Z; X/Z/U* keeps the sequence
 * and replaces the UIDs inside (reported as `U`); the single codes stay.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveAction } from "./mod.ts";
 * assert.equal(resolveAction("X/Z/D"), "D");
 * assert.equal(resolveAction("X/Z"), "Z");
 * assert.equal(resolveAction("X/Z/U*"), "U");
 * ```
 */
export function resolveAction(code: ActionCode): "D" | "Z" | "X" | "K" | "C" | "U" {
  switch (code) {
    case "Z/D":
    case "X/D":
    case "X/Z/D":
      return "D";
    case "X/Z":
      return "Z";
    case "X/Z/U*":
      return "U";
    default:
      return code;
  }
}
