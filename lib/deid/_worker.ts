/**
 * A worker of `deidentifyFileSet`: receives the list of instances, takes the next one
 * from the counter the threads share until none is left, posts one result each, then
 * `{ done: true }`. The main thread's interrupt flag is read before each instance.
 *
 * @module
 */

import { type JobResult, runJob } from "./_run.ts";
import type { DeidentifyOptions } from "./deidentify.ts";

/** What the main thread sends, once. */
export interface WorkerStart {
  /** All the instances: input path and output name, by position. */
  jobs: { path: string; name: string[] }[];
  /** The output folder. */
  root: string;
  /** This worker's number (1, 2...), given back in each result. */
  thread: number;
  /** The options (structured-clonable: no callbacks, no signal). */
  options: DeidentifyOptions;
  /**
   * Two shared 32-bit integers: the stop flag (set to 1 by the main thread to stop after
   * the current instance), and the position of the next instance to take (every thread
   * takes from it with `Atomics.add`).
   */
  shared: SharedArrayBuffer;
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

scope.onmessage = async (event: MessageEvent<WorkerStart>) => {
  const { jobs, root, options, thread } = event.data;
  // the pixel decoders, only when something may be blanked
  if (options.cleanPixels) await import("./pixels.ts");
  const shared = new Int32Array(event.data.shared);
  const made = new Set<string>();
  while (Atomics.load(shared, 0) === 0) {
    const i = Atomics.add(shared, 1, 1);
    if (i >= jobs.length) break;
    const result = runJob(i, jobs[i].path, jobs[i].name, root, options, made);
    result.thread = thread;
    // the attributes own their buffer (`write` returns a copy): moved, not copied
    scope.postMessage(result, result.attributes ? [result.attributes.buffer as ArrayBuffer] : []);
  }
  scope.postMessage({ done: true });
};
