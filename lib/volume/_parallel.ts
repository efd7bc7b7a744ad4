/**
 * The decode workers of `Series.load({ jobs })` (private): the main thread reads and
 * parses each file and hands its encoded frames to an idle worker, or decodes the frame
 * itself when none is idle; each worker decodes straight into the volume's shared memory.
 * Whether a worker is idle is in a shared status array, read without waiting for the
 * event loop, so the main thread never sleeps while there is work.
 *
 * @module
 */

import { PixelDataError } from "../core/errors.ts";
import type { FrameTask } from "./_frame_task.ts";

/** Workers decoding encoded frames into a shared volume. */
export class DecodePool {
  #workers: Worker[];
  /** Per worker: 0 idle, 1 busy, 2 failed. */
  #status: Int32Array;
  #pending = 0;
  #failure?: Error;
  #drained?: () => void;

  /** Starts `count` workers. */
  constructor(count: number) {
    this.#status = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, count)));
    this.#workers = Array.from({ length: count }, (_, index) => {
      const w = new Worker(new URL("./_decode_worker.ts", import.meta.url), { type: "module" });
      w.postMessage({ status: this.#status.buffer, index });
      w.onmessage = (e: MessageEvent<{ ok: boolean; message?: string }>) => {
        if (!e.data.ok) {
          this.#failure ??= new PixelDataError(e.data.message ?? "a decode worker failed");
        }
        this.#settle();
      };
      w.onerror = (e) => {
        e.preventDefault();
        this.#failure ??= new PixelDataError(`a decode worker failed: ${e.message}`);
        Atomics.store(this.#status, index, 2);
        this.#settle();
      };
      return w;
    });
  }

  #settle(): void {
    this.#pending--;
    if (this.#pending <= 0) this.#drained?.();
  }

  /**
   * Gives `task` to an idle worker (its stream copied and transferred) and returns true,
   * or false when every worker is busy: then the caller decodes it.
   */
  post(task: FrameTask): boolean {
    if (this.#failure) throw this.#failure;
    for (let i = 0; i < this.#workers.length; i++) {
      if (Atomics.load(this.#status, i) !== 0) continue;
      Atomics.store(this.#status, i, 1);
      const stream = task.stream.slice();
      this.#pending++;
      this.#workers[i].postMessage({ ...task, stream }, [stream.buffer]);
      return true;
    }
    return false;
  }

  /** Resolves when every task given out is done; throws the first failure. */
  async finish(): Promise<void> {
    if (this.#pending > 0) {
      await new Promise<void>((resolve) => this.#drained = resolve);
      this.#drained = undefined;
    }
    if (this.#failure) throw this.#failure;
  }

  /** Stops the workers. */
  close(): void {
    for (const w of this.#workers) w.terminate();
  }
}
