/**
 * A worker of `convertFileSet`: receives tasks, converts them one at a time in the order
 * received, posts one result per task. The main thread's interrupt flag (a shared
 * `Int32Array`) is polled before each frame.
 *
 * @module
 */

import { convertOne, type ConvertSettings, type ConvertTask } from "./convert_one.ts";

/** Messages the main thread sends. */
export type WorkerRequest =
  | { type: "settings"; settings: ConvertSettings; abort: SharedArrayBuffer }
  | { type: "task"; task: ConvertTask };

/**
 * The worker's global scope, as much of it as this module uses (typed here rather than by a
 * `deno.worker` lib directive, which JSR does not allow in a package).
 */
interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

let settings: ConvertSettings | undefined;
let abort: Int32Array<ArrayBufferLike> = new Int32Array(1);
const queue: ConvertTask[] = [];
let busy = false;

async function run(): Promise<void> {
  busy = true;
  while (queue.length) {
    const task = queue.shift()!;
    const result = await convertOne(task, settings!, {
      aborted: () => Atomics.load(abort, 0) !== 0,
    });
    scope.postMessage(result);
  }
  busy = false;
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  if (msg.type === "settings") {
    settings = msg.settings;
    abort = new Int32Array(msg.abort);
    return;
  }
  queue.push(msg.task);
  if (!busy) run();
};
