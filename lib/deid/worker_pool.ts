/**
 * Workers of `deidentifyFileSet` started ahead of time: a worker spends about 0.2 s
 * loading its modules, so a command line that starts them before loading the library
 * itself has them ready when the work begins. This module imports nothing.
 *
 * @module
 */

interface Started {
  worker: Worker;
  /** The error the worker stopped on before it was taken, if any. */
  failed?: ErrorEvent;
}

const pool: Started[] = [];

/**
 * Starts `count` workers now (beyond those already started and not yet taken) for the
 * next {@linkcode deidentifyFileSet} of this thread with `jobs` greater than 1, which
 * takes them instead of starting its own. Workers not taken keep the process alive:
 * call this only before a `deidentifyFileSet`, or {@linkcode stopWorkers}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startWorkers, stopWorkers } from "./worker_pool.ts";
 * import { deidentifyFileSet } from "./mod.ts";
 * startWorkers(1); // before loading much else
 * const out = Deno.makeTempDirSync() + "/deid";
 * const report = await deidentifyFileSet("fixtures/ct_phantom", out, { key: "k", jobs: 2 });
 * assert.equal(report.written, 12);
 * assert.equal(stopWorkers(), 0); // the job took the worker
 * ```
 */
export function startWorkers(count: number): void {
  while (pool.length < count) {
    const started: Started = {
      worker: new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" }),
    };
    started.worker.onerror = (e) => {
      e.preventDefault();
      started.failed = e;
    };
    pool.push(started);
  }
}

/**
 * Stops the started workers no job has taken and returns how many there were.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startWorkers, stopWorkers } from "./worker_pool.ts";
 * startWorkers(2);
 * assert.equal(stopWorkers(), 2);
 * assert.equal(stopWorkers(), 0);
 * ```
 */
export function stopWorkers(): number {
  const n = pool.length;
  for (const s of pool.splice(0)) s.worker.terminate();
  return n;
}

/**
 * `count` workers for a job: those started ahead first, then new ones. Each comes with
 * the error it already stopped on, if any. Used by `deidentifyFileSet`; the caller owns
 * (and terminates) them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startWorkers, stopWorkers, takeWorkers } from "./worker_pool.ts";
 * startWorkers(1);
 * const taken = takeWorkers(2); // the one started ahead, and a new one
 * assert.equal(taken.length, 2);
 * assert.equal(stopWorkers(), 0);
 * for (const { worker } of taken) worker.terminate();
 * ```
 */
export function takeWorkers(count: number): { worker: Worker; failed?: ErrorEvent }[] {
  startWorkers(count);
  return pool.splice(0, count);
}
