/**
 * A decode worker of `Series.load({ jobs })`: takes one encoded frame at a time
 * (`FrameTask`), decodes it straight into the volume's shared memory, marks itself idle
 * in the pool's status array (0 idle, 2 failed) and answers `{ ok }` or
 * `{ ok: false, message }`. It loads the one codec it needs, not the dataset reader
 * (private).
 *
 * @module
 */

import { decodeFrameTask, type FrameTask } from "./_frame_task.ts";
import type { Codec } from "../pixels/codecs/types.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<FrameTask | Start>) => void) | null;
}

/** The first message: where this worker marks itself idle. */
interface Start {
  status: SharedArrayBuffer;
  index: number;
}

const scope = globalThis as unknown as WorkerScope;
let status: Int32Array | undefined;
let index = 0;
const codecs = new Map<string, Codec>();

/** The codec of a task, its module loaded on first use (JPEG 2000 alone when it is that). */
async function codecOf(task: FrameTask): Promise<Codec> {
  let codec = codecs.get(task.transferSyntax);
  if (codec) return codec;
  if (task.family === "jpeg-2000" || task.family === "htj2k") {
    codec = (await import("../pixels/codecs/jpeg_2000.ts")).jpeg2000;
  } else {
    codec = (await import("../pixels/codecs/registry.ts")).codecFor(task.transferSyntax);
  }
  if (!codec) throw new Error(`no decoder for transfer syntax ${task.transferSyntax}`);
  codecs.set(task.transferSyntax, codec);
  return codec;
}

scope.onmessage = async (event) => {
  const data = event.data;
  if ("status" in data) {
    status = new Int32Array(data.status);
    index = data.index;
    return;
  }
  try {
    decodeFrameTask(data, await codecOf(data));
    if (status) Atomics.store(status, index, 0);
    scope.postMessage({ ok: true });
  } catch (e) {
    if (status) Atomics.store(status, index, 2);
    const message = (e as Error).message;
    scope.postMessage({
      ok: false,
      message: message.startsWith(data.name) ? message : `${data.name}: ${message}`,
    });
  }
};
