/// <reference lib="deno.worker" />
/**
 * A worker of `convert.ts`: receives tasks, converts them, posts results.
 *
 * @module
 */

import { convertOne, type ConvertSettings, type ConvertTask } from "./_convert_core.ts";

/** Messages the main thread sends. */
export type WorkerRequest =
  | { type: "settings"; settings: ConvertSettings }
  | { type: "task"; task: ConvertTask };

let settings: ConvertSettings | undefined;

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  if (msg.type === "settings") {
    settings = msg.settings;
    return;
  }
  const result = await convertOne(msg.task, settings!);
  self.postMessage(result);
};
