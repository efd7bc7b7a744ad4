/**
 * A live progress view for a notebook: {@linkcode progressView} gives an `onProgress`
 * callback for `convertFileSet` that shows a progress bar in the cell and updates it in
 * place (Jupyter's `update_display_data`, through `Deno.jupyter.display`). Outside
 * Jupyter it does nothing.
 *
 * @module
 */

import { escapeHtml } from "./html.ts";
import type { MediaBundle } from "./notebook.ts";

/**
 * One progress event, as `convertFileSet`'s `onProgress` gives it (`ConvertProgress` of
 * `lib/convert`, which display does not import: the view takes any object of this shape).
 */
export interface ProgressEvent {
  /** `"start"`, `"instance"` (one more done), `"stopping"` or `"done"`. */
  phase: "start" | "instance" | "stopping" | "done";
  /** Instances to do. */
  total: number;
  /** Instances done. */
  done: number;
  /** Images written. */
  images: number;
  /** Failures. */
  failed: number;
  /** Seconds since the start. */
  seconds: number;
}

/** `m:ss` (or `h:mm:ss`) of a number of seconds; `?` when unknown. */
function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const t = Math.round(seconds);
  const mmss = `${Math.floor(t / 60) % 60}:${String(t % 60).padStart(2, "0")}`;
  return t >= 3600 ? `${Math.floor(t / 3600)}:${mmss.padStart(5, "0")}` : mmss;
}

/**
 * The progress line: `12/60 (20%), 12 images, 10.0/s, 0:05 left`, with the failures
 * when there are some.
 */
function progressLine(e: ProgressEvent): string {
  const rate = e.seconds > 0 ? e.done / e.seconds : 0;
  const left = e.done >= e.total ? 0 : rate > 0 ? (e.total - e.done) / rate : Infinity;
  const pct = e.total ? Math.floor(e.done * 100 / e.total) : 100;
  return `${e.done}/${e.total} (${pct}%), ${e.images} images, ${rate.toFixed(1)}/s, ` +
    `${clock(left)} left${e.failed ? `, ${e.failed} failed` : ""}`;
}

/** Where a progress view sends its pictures: `Deno.jupyter.display`'s shape. */
export type DisplayFunction = (
  bundle: MediaBundle,
  options: { raw: true; display_id: string; update: boolean },
) => unknown;

/** Options of {@linkcode progressView}. */
export interface ProgressViewOptions {
  /**
   * The caption before the bar.
   *
   * @default {"convert"}
   */
  title?: string;
  /**
   * The shortest time between two updates, in milliseconds (the first and the last
   * events are always shown).
   *
   * @default {250}
   */
  interval?: number;
  /**
   * Where the bundles go.
   *
   * @default {Deno.jupyter.display} in a Deno Jupyter kernel; elsewhere none, and the
   * view does nothing
   */
  display?: DisplayFunction;
}

/** `Deno.jupyter.display`, or undefined outside a Deno Jupyter kernel. */
function jupyterDisplay(): DisplayFunction | undefined {
  try {
    const jupyter = (Deno as unknown as { jupyter?: { display?: DisplayFunction } }).jupyter;
    const display = jupyter?.display;
    return typeof display === "function" ? display.bind(jupyter) : undefined;
  } catch {
    return undefined; // the getter throws outside `deno jupyter`
  }
}

let views = 0;

/**
 * The MIME bundle of one progress event: a bar with the counts, rate and time left as
 * HTML, and the same line as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressBundle } from "./mod.ts";
 * const e = { phase: "instance", total: 60, done: 12, images: 12, failed: 0, seconds: 1.2 } as const;
 * const b = progressBundle(e, "CT");
 * assert.equal(b["text/plain"], "CT: 12/60 (20%), 12 images, 10.0/s, 0:05 left");
 * assert.match(b["text/html"], /<progress value="12" max="60">/);
 * ```
 */
export function progressBundle(event: ProgressEvent, title = "convert"): MediaBundle {
  const line = progressLine(event);
  const state = event.phase === "done" ? "done" : event.phase === "stopping" ? "stopping" : "";
  const html = `<div style="font-family:monospace">` +
    `<b>${escapeHtml(title)}</b> ` +
    `<progress value="${event.done}" max="${Math.max(event.total, 1)}"></progress> ` +
    escapeHtml(line) + (state ? ` <i>${state}</i>` : "") + `</div>`;
  return { "text/plain": `${title}: ${line}${state ? ` (${state})` : ""}`, "text/html": html };
}

/**
 * An `onProgress` callback for `convertFileSet` that shows the run's progress live in a
 * notebook cell: shown at the first event, updated in place at most every `interval`
 * ms, and at the end. Outside Jupyter (and without `display`) it does nothing.
 *
 * ```ts ignore
 * await convertFileSet(source, out, { onProgress: progressView({ title: "CT head" }) });
 * ```
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressView } from "./mod.ts";
 * const shown: [string, boolean][] = [];
 * const view = progressView({ display: (b, o) => shown.push([String(b["text/plain"]), o.update]) });
 * view({ phase: "start", total: 2, done: 0, images: 0, failed: 0, seconds: 0 });
 * view({ phase: "done", total: 2, done: 2, images: 2, failed: 0, seconds: 1 });
 * assert.deepEqual(shown, [
 *   ["convert: 0/2 (0%), 0 images, 0.0/s, ? left", false],
 *   ["convert: 2/2 (100%), 2 images, 2.0/s, 0:00 left (done)", true],
 * ]);
 * ```
 */
export function progressView(options: ProgressViewOptions = {}): (event: ProgressEvent) => void {
  const display = options.display ?? jupyterDisplay();
  if (!display) return () => {};
  const title = options.title ?? "convert";
  const interval = options.interval ?? 250;
  const id = `dicom-deno-progress-${Date.now().toString(36)}-${++views}`;
  let shown = false;
  let last = -Infinity;
  return (event) => {
    const now = performance.now();
    const always = !shown || event.phase !== "instance";
    if (!always && now - last < interval) return;
    last = now;
    const result = display(progressBundle(event, title), {
      raw: true,
      display_id: id,
      update: shown,
    });
    shown = true;
    if (result instanceof Promise) result.catch(() => {}); // a closed notebook: nothing to show
  };
}
