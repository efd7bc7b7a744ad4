/**
 * A worker of `Series.load({ jobs })`: decodes one file's frames at a time straight into
 * the volume's shared memory, answers `{ ok }` or `{ ok: false, message }` (private).
 *
 * @module
 */

import { type DecodeTask, decodeTask } from "./_parallel.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<DecodeTask>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  try {
    decodeTask(event.data);
    scope.postMessage({ ok: true });
  } catch (e) {
    scope.postMessage({ ok: false, message: `${event.data.path}: ${(e as Error).message}` });
  }
};
