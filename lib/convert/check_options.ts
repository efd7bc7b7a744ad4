/**
 * The options of `convertFileSet`, checked before any file is read: a bad value is
 * refused at once with a `ValueError` naming it, not after an hour of converting.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import { checkRenderOptions } from "../image/render_options.ts";
import { isShard } from "./shard.ts";
import type { ConvertFileSetOptions } from "./convert_file_set.ts";

const POLICIES: readonly string[] = ["fail", "skip", "overwrite"];

/**
 * Refuses options `convertFileSet` cannot run with: the rendering options of
 * `checkRenderOptions` (window, scaling, colormap, bit depth, format, quality), 16 bits
 * in a JPEG, pass-through to PNG, `jobs` that is not a whole number from 1, an unknown
 * `existing` policy or `isolation`, a `workerMemory` under 64 MiB, a shard that is not
 * K/N with 0 <= K < N. Throws a `ValueError` naming the option and the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkConvertOptions } from "./mod.ts";
 * checkConvertOptions({ format: "png", bitDepth: 16, jobs: 2 });
 * assert.throws(() => checkConvertOptions({ jobs: 0 }), /jobs 0/);
 * assert.throws(() => checkConvertOptions({ format: "jpeg", bitDepth: 16 }), /16 bits/);
 * assert.throws(() => checkConvertOptions({ shard: { index: 4, count: 4 } }), /shard 4\/4/);
 * ```
 */
export function checkConvertOptions(options: ConvertFileSetOptions): void {
  checkRenderOptions(options);
  const refuse = (what: string) => {
    throw new ValueError(`convert: ${what}`);
  };
  const { format = "jpeg", bitDepth, jobs, existing, isolation, workerMemory, shard } = options;
  if (bitDepth === 16 && format !== "png") refuse(`16 bits per sample need format "png"`);
  if (options.passthrough && format !== "jpeg") refuse(`passthrough needs format "jpeg"`);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    refuse(`jobs ${jobs} is not a whole number from 1`);
  }
  if (existing !== undefined && !POLICIES.includes(existing)) {
    refuse(`unknown existing policy "${existing}", expected one of ${POLICIES.join(", ")}`);
  }
  if (isolation !== undefined && isolation !== "thread" && isolation !== "process") {
    refuse(`unknown isolation "${isolation}", expected "thread" or "process"`);
  }
  if (workerMemory !== undefined && !(Number.isInteger(workerMemory) && workerMemory >= 64)) {
    refuse(`workerMemory ${workerMemory} is not a whole number of MiB from 64`);
  }
  if (shard !== undefined && !isShard(shard)) {
    refuse(`shard ${shard.index}/${shard.count} is not K/N with 0 <= K < N`);
  }
}
