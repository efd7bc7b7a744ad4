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
  /** How many workers. */
  get size(): number {
    return this.#workers.length;
  }

  /** True once a worker has failed: the pool is not used again. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  #workers: Worker[];
  /** Per worker: 0 idle, 1 busy, 2 failed. */
  #status: Int32Array;
  /** Per worker: the shared memory its frames' streams are copied into. */
  #inboxes: SharedArrayBuffer[] = [];
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
   * Gives `task` to an idle worker (its stream copied to the worker's inbox) and returns true,
   * or false when every worker is busy: then the caller decodes it.
   */
  post(task: FrameTask): boolean {
    if (this.#failure) throw this.#failure;
    for (let i = 0; i < this.#workers.length; i++) {
      if (Atomics.load(this.#status, i) !== 0) continue;
      Atomics.store(this.#status, i, 1);
      // the stream goes through the worker's inbox, shared memory used again frame after
      // frame: an array per frame would pile up as garbage in both threads
      let inbox = this.#inboxes[i];
      if (!inbox || inbox.byteLength < task.stream.length) {
        inbox = this.#inboxes[i] = new SharedArrayBuffer(
          Math.max(1 << 20, 2 ** Math.ceil(Math.log2(task.stream.length))),
        );
      }
      const stream = new Uint8Array(inbox, 0, task.stream.length);
      stream.set(task.stream);
      this.#pending++;
      this.#workers[i].postMessage({ ...task, stream });
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

/** The pool kept between the series of a batch, and how many hold it. */
let kept: DecodePool | undefined;
let holders = 0;

/**
 * A pool of `count` workers: the one kept for a batch when it is that size, else a new one.
 * Give it back with {@linkcode releasePool}.
 */
export function acquirePool(count: number): DecodePool {
  if (holders > 0 && kept?.size === count && !kept.failed) return kept;
  const pool = new DecodePool(count);
  if (holders > 0) {
    kept?.close();
    kept = pool;
  }
  return pool;
}

/** Gives a pool back: stopped, unless a batch keeps it for its next series. */
export function releasePool(pool: DecodePool): void {
  if (pool !== kept) pool.close();
}

/**
 * Keeps the decode workers between the series of a batch (they start in about 0.1 s and
 * compile their codec on the first frame) until the returned function is called.
 */
export function holdPool(): () => void {
  holders++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--holders === 0) {
      kept?.close();
      kept = undefined;
    }
  };
}
