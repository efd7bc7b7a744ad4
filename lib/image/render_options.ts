/**
 * The rendering options `toImage`, `show` and `convertFileSet` share: which window,
 * which scaling to display values, which colormap, which bit depth. One name for one
 * choice everywhere.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import type { ColormapName } from "./colormap.ts";

/** A DICOM window of your own: Window Center (0028,1050) and Window Width (0028,1051). */
export interface Window {
  /** The window's center. */
  center: number;
  /** The window's width, at least 1. */
  width: number;
}

/**
 * How values become display values:
 * - `"tutorial"`: the seed tutorial's `max(x, 0) / max(x) * 255`, truncated (8 bits only);
 * - `"minmax"`: the smallest value to 0, the largest to the top (255 or 65535), linearly;
 * - `"none"`: values kept; at 8 bits clamped to 0-255, at 16 bits the 16-bit rule
 *   (rounded, shifted up by the bottom of their range when it is negative, never
 *   scaled: see `scale`).
 */
export type Scaling = "tutorial" | "minmax" | "none";

/** Rendering options shared by `toImage`, `show` and `convertFileSet`. */
export interface RenderOptions {
  /**
   * The window. A number picks the dataset's window (a value of Window Center/Width) or
   * VOI LUT Sequence item, in the tutorial's VOI step: it needs a dataset
   * (`convertFileSet`, or `toImage`'s `dataset`). `{ center, width }` is a window of your
   * own: with a dataset it replaces the dataset's VOI step (onto the output range the
   * dataset's window would have, then `scaling`); without one it maps the values
   * straight to display values (the DICOM linear window function, `scaling` unused).
   *
   * @default {0} with a dataset; none without
   */
  window?: number | Window;
  /**
   * How the values become display values.
   *
   * @default {"tutorial"} for 8-bit output of `toImage` and `convertFileSet` (every input
   * type), `"none"` (the 16-bit rule) for 16-bit output; `show`: `"none"` for 8-bit data,
   * `"minmax"` otherwise
   */
  scaling?: Scaling;
  /**
   * A colormap for grayscale 8-bit output (the image becomes RGB); `"gray"` keeps a
   * grayscale image.
   *
   * @default {"gray"}
   */
  colormap?: ColormapName;
  /** matplotlib's name for {@linkcode RenderOptions.colormap}: give one or the other. */
  cmap?: ColormapName;
  /**
   * 8 or 16 (PNG only) bits per sample.
   *
   * @default {8}
   */
  bitDepth?: 8 | 16;
}

/**
 * The colormap of `options`: `colormap`, or its alias `cmap`; `"gray"` when neither.
 * Throws a `ValueError` when both are given and differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colormapOf } from "./render_options.ts";
 * assert.equal(colormapOf({ cmap: "bone" }), "bone");
 * assert.equal(colormapOf({ colormap: "hot", cmap: "hot" }), "hot");
 * assert.equal(colormapOf({}), "gray");
 * assert.throws(() => colormapOf({ colormap: "hot", cmap: "bone" }));
 * ```
 */
export function colormapOf(options: Pick<RenderOptions, "colormap" | "cmap">): ColormapName {
  const { colormap, cmap } = options;
  if (colormap !== undefined && cmap !== undefined && colormap !== cmap) {
    throw new ValueError(
      `image: colormap "${colormap}" and cmap "${cmap}" differ (cmap is colormap's alias)`,
    );
  }
  return colormap ?? cmap ?? "gray";
}

/**
 * True when `window` is a window of your own (`{ center, width }`), not an index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isWindow } from "./render_options.ts";
 * assert.equal(isWindow({ center: 40, width: 400 }), true);
 * assert.equal(isWindow(0), false);
 * assert.equal(isWindow(undefined), false);
 * ```
 */
export function isWindow(window: RenderOptions["window"]): window is Window {
  return typeof window === "object" && window !== null;
}
