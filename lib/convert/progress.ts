/**
 * Progress of the convert job: the events `convertFileSet` gives its `onProgress`
 * callback, and their text (`progress: 12/60 20% 9.8/s ETA 5s`, or a bar), which the
 * command line's terminal bar and the notebook's progress view show.
 *
 * @module
 */

import type { Shard } from "./shard.ts";

/** One progress event of `convertFileSet`. */
export interface ConvertProgress {
  /**
   * `"start"` once the instances are planned, `"instance"` after each instance,
   * `"stopping"` when an interrupt asks the workers to finish their images, `"done"` once
   * at the end.
   */
  phase: "start" | "instance" | "stopping" | "done";
  /** Instances to convert in this run (those planned: not skipped or already failed). */
  total: number;
  /** Instances finished (converted, failed or skipped while converting). */
  done: number;
  /** Images written so far. */
  images: number;
  /** Failures so far (one per failed instance or frame, already-there images included). */
  failed: number;
  /** Seconds since the run started. */
  seconds: number;
  /** The input file of the instance just finished (`"instance"` only). */
  path?: string;
  /** The shard being converted (`shard` option), absent for a whole run. */
  shard?: Shard;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

/**
 * One progress report: a bar (`[####......] 12/60 20% 9.8/s ETA 5s`) for a terminal of
 * `columns` columns, or a plain line (`progress: 12/60 20% 9.8/s ETA 5s`) without.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressText } from "./mod.ts";
 * assert.equal(progressText(12, 60, 0, 1.2), "progress: 12/60 20% 10.0/s ETA 5s");
 * const bar = progressText(60, 60, 2, 6, 49); // a 49-column terminal
 * assert.equal(bar, `[${"#".repeat(10)}] 60/60 100% 10.0/s ETA 0s (2 failed)`);
 * ```
 */
export function progressText(
  done: number,
  total: number,
  failed: number,
  seconds: number,
  columns?: number,
): string {
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = done >= total ? 0 : rate > 0 ? (total - done) / rate : Infinity;
  const pct = total ? Math.floor(done * 100 / total) : 100;
  const tail = `${done}/${total} ${pct}% ${rate.toFixed(1)}/s ETA ${formatDuration(eta)}${
    failed ? ` (${failed} failed)` : ""
  }`;
  if (columns === undefined) return `progress: ${tail}`;
  const width = Math.max(10, Math.min(40, columns - tail.length - 4));
  const fill = total ? Math.round(width * done / total) : width;
  return `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${tail}`;
}

/**
 * The progress line of an event, for a terminal of `columns` columns (a bar) or a log
 * (a plain line): the shard, instances done of all, percent, rate, ETA, failures and
 * images written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressLine } from "./mod.ts";
 * const e = { phase: "instance", total: 60, done: 12, images: 24, failed: 1, seconds: 1.2 } as const;
 * assert.equal(progressLine(e), "progress: 12/60 20% 10.0/s ETA 5s (1 failed), 24 image(s)");
 * assert.equal(
 *   progressLine({ ...e, shard: { index: 2, count: 4 } }),
 *   "progress: shard 2/4: 12/60 20% 10.0/s ETA 5s (1 failed), 24 image(s)",
 * );
 * assert.match(progressLine(e, 80), /^\[#+\.+\] 12\/60 20% .*, 24 image\(s\)$/);
 * ```
 */
export function progressLine(event: ConvertProgress, columns?: number): string {
  const shard = event.shard ? `shard ${event.shard.index}/${event.shard.count}: ` : "";
  const images = `, ${event.images} image(s)`;
  const { done, total, failed, seconds } = event;
  if (columns === undefined) {
    return `progress: ${shard}${
      progressText(done, total, failed, seconds).slice("progress: ".length)
    }${images}`;
  }
  const room = columns - shard.length - images.length;
  const bar = progressText(done, total, failed, seconds, room);
  return `${bar.slice(0, bar.indexOf("] ") + 2)}${shard}${
    bar.slice(bar.indexOf("] ") + 2)
  }${images}`;
}
