/**
 * The notebook side: `show`, `grid` and `hist` (what `plt.imshow` and `plt.hist` are in
 * the tutorial), and the Jupyter rich display of datasets, pixel arrays and file-sets
 * (`Symbol.for("Jupyter.display")`, which Deno's kernel calls on a cell's result).
 *
 * @module
 */

import { Dataset } from "../dataset/dataset.ts";
import { PixelArray } from "../pixels/pixel_array.ts";
import { FileSet } from "../fileset/file_set.ts";
import { Volume } from "../volume/volume.ts";
import { showVolume, type ShowVolumeOptions, type VolumeFigure } from "./volume.ts";
import { toImage } from "../image/to_image.ts";
import { colormapOf, type RenderOptions } from "../image/render_options.ts";
import {
  base64,
  datasetHtml,
  escapeHtml,
  histogramHtml,
  type HistogramOptions,
  imageHtml,
} from "./html.ts";

/** The symbol Deno's Jupyter kernel looks for on a cell's result. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A Jupyter MIME bundle. */
export type MediaBundle = Record<string, string>;

/** Something a notebook cell can show. */
export interface Displayable {
  /** Returns the MIME bundle to show. */
  [JUPYTER_DISPLAY](): MediaBundle;
}

/** Options for {@linkcode show}: the shared rendering options, a caption and a size. */
export interface ShowOptions extends RenderOptions {
  /**
   * Caption.
   *
   * @default {undefined} (no caption)
   */
  title?: string;
  /**
   * The width the picture is shown at, in CSS pixels.
   *
   * @default {undefined} (the picture's own width)
   */
  displayWidth?: number;
  /**
   * Frame of a multi-frame array.
   *
   * @default {0}
   */
  frame?: number;
}

/** A rendered image, with its PNG bytes. */
export class Figure implements Displayable {
  /** The PNG file's bytes. */
  readonly png: Uint8Array;
  /** The caption. */
  readonly title?: string;
  /** The width it is shown at, in CSS pixels. */
  readonly displayWidth?: number;
  /** A one-line description for text output. */
  readonly text: string;
  /** A figure from PNG bytes, a text description, and an optional caption and width. */
  constructor(
    png: Uint8Array,
    text: string,
    options: Pick<ShowOptions, "title" | "displayWidth"> = {},
  ) {
    this.png = png;
    this.text = text;
    this.title = options.title;
    this.displayWidth = options.displayWidth;
  }
  /** HTML of the image with its caption. */
  html(): string {
    return imageHtml(this.png, { title: this.title, width: this.displayWidth });
  }
  /** The MIME bundle: the PNG, plus HTML when there is a caption or a width. */
  [JUPYTER_DISPLAY](): MediaBundle {
    const bundle: MediaBundle = { "text/plain": this.text, "image/png": base64(this.png) };
    if (this.title || this.displayWidth) bundle["text/html"] = this.html();
    return bundle;
  }
}

function describe(arr: PixelArray): string {
  const frames = arr.multiFrame ? `, ${arr.frames} frames` : "";
  return `PixelArray(${arr.dtype}, shape [${
    arr.shape.join(", ")
  }]${frames}, min ${arr.min()}, max ${arr.max()})`;
}

/**
 * Renders an image for the notebook, as `plt.imshow` would: a colormap (`cmap` or
 * `colormap`), a window or a scaling (by default `"none"` for 8-bit data, `"minmax"`
 * otherwise: the display's default, not `toImage`'s), a caption and a display width.
 * The cell shows it inline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { show } from "./mod.ts";
 * const arr = new PixelArray(new Int16Array([-1000, 0, 40, 1000]), [2, 2]);
 * const fig = show(arr, {
 *   cmap: "bone",
 *   window: { center: 40, width: 400 },
 *   title: "brain",
 *   displayWidth: 200,
 * });
 * assert.deepEqual([fig.png[1], fig.png[2], fig.png[3]], [0x50, 0x4e, 0x47]); // PNG
 * assert.equal(fig.title, "brain");
 * assert.equal(fig.displayWidth, 200);
 * ```
 */
export function show(arr: Volume, options?: ShowVolumeOptions): VolumeFigure;
/** Shows a pixel array (see the first overload for the options and an example). */
export function show(arr: PixelArray, options?: ShowOptions): Figure;
export function show(
  arr: PixelArray | Volume,
  opts: ShowOptions | ShowVolumeOptions = {},
): Figure | VolumeFigure {
  if (arr instanceof Volume) return showVolume(arr, opts as ShowVolumeOptions); // ./volume.ts
  const options = opts as ShowOptions;
  const frame = options.frame ?? 0;
  const rgb = arr.samples === 3;
  const { title: caption, displayWidth, ...render } = options;
  const scaling = rgb && arr.data instanceof Uint8Array
    ? "none"
    : render.scaling ?? (arr.data instanceof Uint8Array ? "none" : "minmax");
  const colormap = rgb ? undefined : colormapOf(render);
  const png = toImage(arr, { ...render, format: "png", frame, scaling, colormap, cmap: undefined });
  const note = arr.multiFrame ? ` (frame ${frame} of ${arr.frames})` : "";
  const title = caption !== undefined ? caption + note : note ? note.trim() : undefined;
  return new Figure(png, describe(arr) + note, { title, displayWidth });
}

/** Options for {@linkcode grid}. */
export interface GridOptions extends ShowOptions {
  /**
   * Captions, one per image.
   *
   * @default {undefined} (the arrays' descriptions only)
   */
  titles?: readonly string[];
  /**
   * Images per row.
   *
   * @default {undefined} (all in one row)
   */
  columns?: number;
}

/** Images side by side. */
export class Grid implements Displayable {
  /** The figures, in order. */
  readonly figures: readonly Figure[];
  /** Images per row. */
  readonly columns: number;
  /** Figures laid out `columns` to a row. */
  constructor(figures: readonly Figure[], columns: number) {
    this.figures = figures;
    this.columns = columns;
  }
  /** HTML: a table of figures. */
  html(): string {
    const rows: string[] = [];
    for (let i = 0; i < this.figures.length; i += this.columns) {
      const cells = this.figures.slice(i, i + this.columns).map((f) =>
        `<td style="vertical-align:top">${f.html()}</td>`
      );
      rows.push(`<tr>${cells.join("")}</tr>`);
    }
    return `<table>${rows.join("")}</table>`;
  }
  /** The MIME bundle: HTML, and the text of each figure. */
  [JUPYTER_DISPLAY](): MediaBundle {
    return {
      "text/plain": this.figures.map((f) => f.title ? `${f.title}: ${f.text}` : f.text).join("\n"),
      "text/html": this.html(),
    };
  }
}

/**
 * Several images side by side, e.g. raw, modality and VOI stages, each scaled on its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { grid } from "./mod.ts";
 * const a = new PixelArray(new Uint16Array([0, 1, 2, 3]), [2, 2]);
 * const g = grid([a, a], { titles: ["raw", "again"] });
 * assert.deepEqual(g.figures.map((f) => [f.title, f.displayWidth]), [["raw", 256], ["again", 256]]);
 * ```
 */
export function grid(images: readonly (PixelArray | Figure)[], options: GridOptions = {}): Grid {
  const figures = images.map((img, i) =>
    img instanceof Figure ? img : show(img, {
      ...options,
      title: options.titles?.[i] ?? options.title,
      displayWidth: options.displayWidth ?? 256,
    })
  );
  return new Grid(figures, options.columns ?? Math.max(1, figures.length));
}

/** A histogram, shown as HTML around a PNG of the bars (exported notebooks keep it). */
export class HistogramPlot implements Displayable {
  /** The HTML markup. */
  readonly html: string;
  /** Wraps HTML markup. */
  constructor(html: string) {
    this.html = html;
  }
  /** The MIME bundle: HTML (no SVG, which nbconvert 6.5 strips in `--to html`). */
  [JUPYTER_DISPLAY](): MediaBundle {
    return { "text/plain": "histogram", "text/html": this.html };
  }
}

/**
 * A histogram of pixel values (e.g. HU after the modality LUT): bars as a PNG, labels as
 * HTML text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { hist } from "./mod.ts";
 * const plot = hist(new PixelArray(new Int16Array([-1000, 0, 40, 40]), [2, 2]), { bins: 10, xLabel: "HU" });
 * assert.ok(plot.html.includes("data:image/png;base64,"));
 * ```
 */
export function hist(arr: PixelArray, options: HistogramOptions = {}): HistogramPlot {
  return new HistogramPlot(histogramHtml(arr, options));
}

// Rich display of the toolkit's data types in Deno's Jupyter kernel.
type WithDisplay = { [JUPYTER_DISPLAY]?: () => MediaBundle };

(Dataset.prototype as unknown as WithDisplay)[JUPYTER_DISPLAY] = function (this: Dataset) {
  return { "text/plain": String(this), "text/html": datasetHtml(this) };
};

(PixelArray.prototype as unknown as WithDisplay)[JUPYTER_DISPLAY] = function (this: PixelArray) {
  return show(this)[JUPYTER_DISPLAY]();
};

(FileSet.prototype as unknown as WithDisplay)[JUPYTER_DISPLAY] = function (this: FileSet) {
  const text = String(this);
  return { "text/plain": text, "text/html": `<pre>${escapeHtml(text)}</pre>` };
};
