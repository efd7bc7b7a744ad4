/**
 * The `_dupN` numbering of the convert job's output names, kept small for archives:
 * the names taken are held as one set of last components per folder, the components
 * shared between instances.
 *
 * @module
 */

import type { DataElement } from "../dataset/element.ts";
import { nameText, safeComponent } from "../io/safe_name.ts";

/** The elements that name an output, in path order. */
export const NAME_KEYS = ["PatientID", "StudyDate", "SeriesNumber", "InstanceNumber"] as const;

/** The path component an element gives (`_missing_` for none). */
export function namePart(element: DataElement | undefined): string {
  return safeComponent(nameText(element));
}

/**
 * Numbers repeated output names in the order they come: a path already taken
 * (compared case-insensitively, for macOS and Windows) gets `_dup1`, `_dup2`... Paths
 * are compared per folder: lower-casing a path is lower-casing each component (no
 * component holds a `/`, and no letter's case depends on text across one).
 */
export class NamePlanner {
  readonly #taken = new Map<string, Set<string>>();

  /** The `_dupN` number of the path of `parts` (0: not taken before); it is taken now. */
  add(parts: readonly string[]): number {
    const folder = parts.slice(0, -1).join("/").toLowerCase();
    let taken = this.#taken.get(folder);
    if (!taken) {
      taken = new Set();
      this.#taken.set(folder, taken);
    }
    const last = parts[parts.length - 1];
    const lower = last.toLowerCase();
    // the same string when nothing changes: one copy, shared by the instances
    const key = lower === last ? last : lower;
    if (!taken.has(key)) {
      taken.add(key);
      return 0;
    }
    let n = 1;
    while (taken.has(`${key}_dup${n}`)) n++;
    taken.add(`${key}_dup${n}`);
    return n;
  }
}

/** The output path (without extension) of `parts` under `root`, with its `_dupN`. */
export function outputName(root: string, parts: readonly string[], dup: number): string {
  return `${root}/${parts.join("/")}${dup ? `_dup${dup}` : ""}`;
}
