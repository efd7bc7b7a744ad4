/**
 * Shards of a convert job: a deterministic partition of a file-set's instances, so that
 * N processes that never talk to each other (a Slurm job array, a Kubernetes Indexed
 * Job, GNU parallel over hosts) convert disjoint parts into one output folder.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import { fnv1a } from "../io/safe_name.ts";

/** Shard `index` of `count` (0-based, as Kubernetes' `JOB_COMPLETION_INDEX`). */
export interface Shard {
  /** This shard, 0 to `count - 1`. */
  index: number;
  /** How many shards the file-set is split into. */
  count: number;
}

/**
 * The shard an instance belongs to, from the path of its file within the file-set (its
 * Referenced File ID, or its path under a scanned folder): the same on every machine and
 * every run, and unchanged when other files join the file-set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardOf } from "./mod.ts";
 * assert.equal(shardOf(["SE1", "IM000001"], 1), 0);
 * assert.equal(shardOf(["SE1", "IM000001"], 4), shardOf(["SE1", "IM000001"], 4));
 * const counts = [0, 0, 0, 0];
 * for (let i = 0; i < 400; i++) counts[shardOf(["SE1", `IM${i}`], 4)]++;
 * assert.ok(counts.every((n) => n > 60), `balanced: ${counts}`);
 * ```
 */
export function shardOf(fileId: readonly string[], count: number): number {
  return shardOfFileId(fileId.join("/"), count);
}

/** {@linkcode shardOf} of a File ID already joined by `/` (not re-exported by `mod.ts`). */
export function shardOfFileId(fileId: string, count: number): number {
  return fnv1a(fileId) % count;
}

/**
 * Reads `K/N` (shard K of N, K from 0 to N-1), as `--shard` takes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseShard } from "./mod.ts";
 * assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
 * assert.throws(() => parseShard("4/4"), /shard/);
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || !isShard(shard)) {
    throw new ValueError(`shard "${text}" is not K/N with 0 <= K < N`);
  }
  return shard;
}

/** True when `shard` has integers with `0 <= index < count`. */
export function isShard(shard: Shard): boolean {
  return Number.isSafeInteger(shard.index) && Number.isSafeInteger(shard.count) &&
    shard.index >= 0 && shard.index < shard.count;
}
