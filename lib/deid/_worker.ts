/**
 * A worker of `deidentifyFileSet`: receives its share of the instances, de-identifies them
 * in order, posts one result each, then `{ done: true }`. The main thread's interrupt
 * flag (a shared `Int32Array`) is read before each instance.
 *
 * @module
 */

import { type JobResult, runJob } from "./_run.ts";
import type { DeidentifyOptions } from "./deidentify.ts";

/** What the main thread sends, once. */
export interface WorkerStart {
  /** The instances: position, input path, output name. */
  jobs: { index: number; path: string; name: string[] }[];
  /** The output folder. */
  root: string;
  /** The options (structured-clonable: no callbacks, no signal). */
  options: DeidentifyOptions;
  /** Set to 1 by the main thread to stop after the current instance. */
  abort: SharedArrayBuffer;
}

/** What the worker posts. */
export type WorkerMessage = JobResult | { done: true };

/**
 * The worker's global scope, as much of it as this module uses (typed here rather than by a
 * `deno.worker` lib directive, which JSR does not allow in a package).
 */
interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerStart>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<WorkerStart>) => {
  const { jobs, root, options } = event.data;
  const abort = new Int32Array(event.data.abort);
  const made = new Set<string>();
  for (const job of jobs) {
    if (Atomics.load(abort, 0) !== 0) break;
    const result = runJob(job.index, job.path, job.name, root, options, made);
    // the attributes own their buffer (`write` returns a copy): moved, not copied
    scope.postMessage(result, result.attributes ? [result.attributes.buffer as ArrayBuffer] : []);
  }
  scope.postMessage({ done: true });
};
