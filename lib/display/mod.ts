/**
 * Jupyter rendering (Deno kernel): `show`, `grid` and `hist`, and the objects they give;
 * a `Dataset`, `PixelArray` or `FileSet` displays itself; `progressView` shows a
 * `convertFileSet` run's progress live.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { JUPYTER_DISPLAY, show } from "./mod.ts";
 * const fig = show(new PixelArray(new Uint8Array([0, 255, 255, 0]), [2, 2]));
 * assert.ok("image/png" in fig[JUPYTER_DISPLAY]());
 * ```
 *
 * @module
 */

export {
  type Displayable,
  Figure,
  Grid,
  grid,
  type GridOptions,
  hist,
  HistogramPlot,
  JUPYTER_DISPLAY,
  type MediaBundle,
  show,
  type ShowOptions,
} from "./notebook.ts";
export { showVolume, type ShowVolumeOptions, VolumeFigure, type VolumePlane } from "./volume.ts";
export {
  type DisplayFunction,
  progressBundle,
  type ProgressEvent,
  progressView,
  type ProgressViewOptions,
} from "./progress.ts";
export {
  type Histogram,
  histogram,
  type HistogramOptions,
  imageHtml,
  type ImageHtmlOptions,
} from "./html.ts";
