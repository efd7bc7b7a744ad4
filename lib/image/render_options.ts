/**
 * The rendering options `toImage`, `show` and `convertFileSet` share: which window,
 * which scaling to display values, which colormap, which bit depth. One name for one
 * choice everywhere.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import { type ColormapName, COLORMAPS } from "./colormap.ts";

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
  /**
   * matplotlib's name for {@linkcode RenderOptions.colormap}: give one or the other.
   *
   * @default {undefined} (`colormap` decides)
   */
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

/** What {@linkcode checkRenderOptions} checks besides the rendering options. */
export interface CheckedImageOptions extends RenderOptions {
  /**
   * The image format: `"png"` or `"jpeg"`.
   *
   * @default {undefined} (no format to check)
   */
  format?: string;
  /**
   * JPEG quality, a whole number from 1 to 100.
   *
   * @default {undefined} (no quality to check)
   */
  quality?: number;
}

const SCALINGS: readonly string[] = ["tutorial", "minmax", "none"];

/**
 * Refuses options no picture can be made with, before any work: a window index that is
 * not a whole number from 0, a window whose center is not finite or whose width is not
 * a finite number of at least 1 (PS3.3 C.11.2.1.2), an unknown scaling, colormap or
 * format, a bit depth other than 8 or 16, a JPEG quality outside 1-100, or `colormap`
 * and `cmap` that differ. Throws a `ValueError` naming the option and the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValueError } from "../core/mod.ts";
 * import { checkRenderOptions } from "./render_options.ts";
 * checkRenderOptions({ window: { center: 40, width: 400 }, quality: 90 });
 * assert.throws(() => checkRenderOptions({ window: { center: 40, width: 0 } }), ValueError);
 * assert.throws(() => checkRenderOptions({ quality: 101 }), /quality 101/);
 * assert.throws(() => checkRenderOptions({ window: -1 }), /window -1/);
 * ```
 */
export function checkRenderOptions(options: CheckedImageOptions): void {
  const { window, scaling, bitDepth, quality, format } = options;
  const refuse = (what: string) => {
    throw new ValueError(`image: ${what}`);
  };
  if (isWindow(window)) {
    if (!Number.isFinite(window.center)) refuse(`window center ${window.center} is not a number`);
    if (!(Number.isFinite(window.width) && window.width >= 1)) {
      refuse(`window width ${window.width} is not a number of at least 1`);
    }
  } else if (window !== undefined && !(Number.isInteger(window) && window >= 0)) {
    refuse(`window ${window} is not an index (0, 1, ...) nor { center, width }`);
  }
  if (scaling !== undefined && !SCALINGS.includes(scaling)) {
    refuse(`unknown scaling "${scaling}", expected one of ${SCALINGS.join(", ")}`);
  }
  const colormap = colormapOf(options);
  if (!COLORMAPS.includes(colormap)) {
    refuse(`unknown colormap "${colormap}", expected one of ${COLORMAPS.join(", ")}`);
  }
  if (bitDepth !== undefined && bitDepth !== 8 && bitDepth !== 16) {
    refuse(`bit depth ${bitDepth} is not 8 or 16`);
  }
  if (format !== undefined && format !== "png" && format !== "jpeg") {
    refuse(`unknown format "${format}", expected "png" or "jpeg"`);
  }
  if (quality !== undefined && !(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
    refuse(`quality ${quality} is not a whole number from 1 to 100`);
  }
}
