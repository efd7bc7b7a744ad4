/**
 * HTML for notebooks: a collapsible dataset tree, inline images, grids of images,
 * histograms (HTML text around a PNG, which exported notebooks keep). Pure functions from data to markup; nothing here talks to Jupyter.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { DataElement } from "../dataset/element.ts";
import { formatTag } from "../core/tag.ts";
import { formatValue } from "../dataset/print.ts";
import type { PixelArray } from "../pixels/pixel_array.ts";
import { encodePng } from "../image/png.ts";

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Base64 of bytes (for `data:` URLs and Jupyter's `image/png`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { base64 } from "./html.ts";
 * assert.equal(base64(new Uint8Array([1, 2, 3])), "AQID");
 * ```
 */
export function base64(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  const chunk: string[] = [];
  for (let i = 0; i < n; i += 3) {
    const a = bytes[i], b = i + 1 < n ? bytes[i + 1] : 0, c = i + 2 < n ? bytes[i + 2] : 0;
    const t = (a << 16) | (b << 8) | c;
    chunk.push(
      B64[t >>> 18] + B64[(t >>> 12) & 63] + (i + 1 < n ? B64[(t >>> 6) & 63] : "=") +
        (i + 2 < n ? B64[t & 63] : "="),
    );
    if (chunk.length === 4096) {
      out += chunk.join("");
      chunk.length = 0;
    }
  }
  return out + chunk.join("");
}

const TREE_STYLE = `<style>
.dcm-tree{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;line-height:1.5}
.dcm-tree table{border-collapse:collapse}
.dcm-tree td{padding:0 .8em 0 0;vertical-align:top;white-space:pre}
.dcm-tree .tag{color:#888}.dcm-tree .vr{color:#a05a00}.dcm-tree .kw{color:#0b5394}
.dcm-tree details{margin-left:1.2em}.dcm-tree summary{cursor:pointer}
.dcm-tree .meta{border-bottom:1px dashed #aaa;margin-bottom:.3em}
</style>`;

function elementRows(ds: Iterable<DataElement>, depth: number): string {
  const rows: string[] = [];
  for (const el of ds) {
    const tag = formatTag(el.tag);
    const name = el.keyword || el.name;
    if (el.vr === "SQ") {
      const items = (el.items ?? []) as unknown as Dataset[];
      const inner = items.map((item, i) =>
        `<details${depth < 1 ? " open" : ""}><summary>Item ${i + 1}</summary>${
          elementTable(item, depth + 1)
        }</details>`
      ).join("");
      rows.push(
        `<tr><td colspan="4"><details${
          depth < 1 ? " open" : ""
        }><summary><span class="tag">${tag}</span> <span class="kw">${
          escapeHtml(name)
        }</span> <span class="vr">SQ</span> ${items.length} item(s)</summary>${inner}</details></td></tr>`,
      );
    } else {
      rows.push(
        `<tr><td class="tag">${tag}</td><td class="kw">${escapeHtml(name)}</td><td class="vr">${
          escapeHtml(el.vr)
        }</td><td>${escapeHtml(formatValue(el))}</td></tr>`,
      );
    }
  }
  return rows.join("");
}

function elementTable(ds: Iterable<DataElement>, depth: number): string {
  return `<table>${elementRows(ds, depth)}</table>`;
}

/**
 * A dataset as a collapsible HTML tree: tag, keyword (or name), VR and value per
 * element; sequences and items fold (the first level starts open); the file meta on top.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { datasetHtml } from "./html.ts";
 * const ds = new Dataset();
 * ds.set("PatientName", "Doe^John");
 * assert.ok(datasetHtml(ds).endsWith(
 *   '<div class="dcm-tree"><table><tr><td class="tag">(0010, 0010)</td>' +
 *     '<td class="kw">PatientName</td><td class="vr">PN</td><td>&#39;Doe^John&#39;</td></tr>' +
 *     "</table></div>",
 * ));
 * ```
 */
export function datasetHtml(ds: Dataset): string {
  const meta = ds.fileMeta && ds.fileMeta.size
    ? `<div class="meta"><details><summary>File meta information (${ds.fileMeta.size} elements)</summary>${
      elementTable(ds.fileMeta, 1)
    }</details></div>`
    : "";
  return `${TREE_STYLE}<div class="dcm-tree">${meta}${elementTable(ds, 0)}</div>`;
}

/** Options for {@linkcode imageHtml}. */
export interface ImageHtmlOptions {
  /**
   * A caption under the image.
   *
   * @default {undefined} no caption
   */
  title?: string;
  /**
   * Display width in CSS pixels (height follows).
   *
   * @default {undefined} the image's own width
   */
  width?: number;
  /**
   * Image type of `bytes`.
   *
   * @default {"image/png"}
   */
  mime?: string;
}

/**
 * An `<img>` (with an optional caption) showing encoded image bytes inline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageHtml } from "./mod.ts";
 * assert.equal(
 *   imageHtml(new Uint8Array([137, 80, 78, 71]), { title: "x" }),
 *   '<figure style="display:inline-block;margin:4px">' +
 *     '<img src="data:image/png;base64,iVBORw==" style="image-rendering:pixelated"/>' +
 *     '<figcaption style="text-align:center;font:12px sans-serif">x</figcaption></figure>',
 * );
 * ```
 */
export function imageHtml(bytes: Uint8Array, options: ImageHtmlOptions = {}): string {
  const width = options.width ? ` width="${options.width}"` : "";
  const caption = options.title
    ? `<figcaption style="text-align:center;font:12px sans-serif">${
      escapeHtml(options.title)
    }</figcaption>`
    : "";
  return `<figure style="display:inline-block;margin:4px"><img src="data:${
    options.mime ?? "image/png"
  };base64,${base64(bytes)}"${width} style="image-rendering:pixelated"/>${caption}</figure>`;
}

/** Options for {@linkcode histogramHtml}. */
export interface HistogramOptions {
  /**
   * Number of bins.
   *
   * @default {100}
   */
  bins?: number;
  /**
   * `[min, max]` of the bins.
   *
   * @default {undefined} the data's range
   */
  range?: readonly [number, number];
  /**
   * Width in pixels.
   *
   * @default {480}
   */
  width?: number;
  /**
   * Height in pixels.
   *
   * @default {240}
   */
  height?: number;
  /**
   * A title above the plot.
   *
   * @default {undefined} no title
   */
  title?: string;
  /**
   * Label of the x axis (e.g. `"HU"`).
   *
   * @default {undefined} no label
   */
  xLabel?: string;
  /**
   * Logarithmic counts.
   *
   * @default {false}
   */
  log?: boolean;
}

/** The counts of a histogram. */
export interface Histogram {
  /** Bin edges, `bins + 1` values. */
  edges: Float64Array;
  /** Counts per bin. */
  counts: Float64Array;
}

/**
 * Counts values into equal bins (numpy's `histogram`: the last bin includes its right
 * edge; NaN ignored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { histogram } from "./mod.ts";
 * const h = histogram(new PixelArray(new Int16Array([0, 1, 2, 3]), [2, 2]), { bins: 2 });
 * assert.deepEqual(Array.from(h.counts), [2, 2]);
 * assert.deepEqual(Array.from(h.edges), [0, 1.5, 3]);
 * ```
 */
export function histogram(arr: PixelArray, options: HistogramOptions = {}): Histogram {
  const bins = Math.max(1, Math.floor(options.bins ?? 100));
  const d = arr.data;
  let lo = options.range?.[0], hi = options.range?.[1];
  if (lo === undefined || hi === undefined) {
    lo = arr.min();
    hi = arr.max();
  }
  if (!(hi > lo)) hi = lo + 1;
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!(v >= lo && v <= hi)) continue;
    let b = Math.floor((v - lo) * scale);
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = lo + (hi - lo) * i / bins;
  return { edges, counts };
}

function tick(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-2)) return x.toExponential(1);
  return String(Math.round(x * 100) / 100);
}

/** Bar colour of histograms (matplotlib's default blue, darker). */
const BAR = [0x48, 0x78, 0xa8];

/**
 * The plot area of a histogram as RGB pixels: white, the bars, a black axis on the
 * left and at the bottom. `heights` are bar heights in pixels.
 */
function histogramPixels(heights: readonly number[], w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3).fill(255);
  const set = (x: number, y: number, rgb: readonly number[]) => {
    const o = (y * w + x) * 3;
    px[o] = rgb[0];
    px[o + 1] = rgb[1];
    px[o + 2] = rgb[2];
  };
  const inner = w - 1; // column 0 is the axis
  const bw = inner / heights.length;
  heights.forEach((bh, i) => {
    if (bh <= 0) return;
    const x0 = 1 + Math.floor(i * bw);
    // a one-pixel gap between bars when they are wide enough to spare it
    const x1 = Math.max(x0 + 1, 1 + Math.floor((i + 1) * bw) - (bw >= 3 ? 1 : 0));
    for (let x = x0; x < Math.min(x1, w); x++) {
      for (let y = h - 1 - bh; y < h - 1; y++) set(x, y, BAR);
    }
  });
  const black = [0, 0, 0];
  for (let y = 0; y < h; y++) set(0, y, black);
  for (let x = 0; x < w; x++) set(x, h - 1, black);
  return px;
}

/**
 * A histogram of the values as HTML: the bars as an embedded PNG, the title, the
 * count axis (largest count and 0), the range of the values and the x label as HTML text
 * around it. No SVG: exported notebooks (`jupyter nbconvert --to html`) show it as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PixelArray } from "../pixels/mod.ts";
 * import { histogramHtml } from "./html.ts";
 * const arr = new PixelArray(new Int16Array([-1000, 0, 40, 40]), [2, 2]);
 * const html = histogramHtml(arr, { bins: 4, xLabel: "HU", title: "CT" });
 * assert.match(html, /<img src="data:image\/png;base64,/);
 * assert.match(html, />HU</);
 * assert.match(html, />-1000</);
 * ```
 */
export function histogramHtml(arr: PixelArray, options: HistogramOptions = {}): string {
  const { edges, counts } = histogram(arr, options);
  const w = options.width ?? 480, h = options.height ?? 240;
  // the plot area: the labels are HTML around it
  const pw = Math.max(16, w - 60), ph = Math.max(16, h - (options.title ? 64 : 44));
  const value = (c: number) => options.log ? Math.log10(1 + c) : c;
  let max = 0, maxCount = 0;
  for (const c of counts) {
    max = Math.max(max, value(c));
    maxCount = Math.max(maxCount, c);
  }
  if (max === 0) max = 1;
  const heights = [...counts].map((c) =>
    c ? Math.max(1, Math.round(value(c) / max * (ph - 2))) : 0
  );
  const png = encodePng(histogramPixels(heights, pw, ph), { width: pw, height: ph, channels: 3 });
  const font = "font-family:sans-serif;font-size:11px;line-height:1.2";
  const title = options.title
    ? `<tr><td style="padding:0"></td><td style="padding:0 0 4px 0;text-align:center;font-size:13px">${
      escapeHtml(options.title)
    }</td></tr>`
    : "";
  const yAxis = `<td style="vertical-align:top;text-align:right;white-space:nowrap;` +
    `padding:0 4px 0 0;height:${ph}px"><div style="height:${ph - 12}px">${
      options.log ? "log scale<br>" : ""
    }${maxCount}</div><div>0</div></td>`;
  const xAxis = `<tr><td style="padding:0"></td><td style="padding:2px 0 0 0">` +
    `<div style="display:flex;justify-content:space-between">` +
    `<span>${tick(edges[0])}</span><span>${tick(edges[edges.length - 1])}</span></div></td></tr>`;
  const xLabel = options.xLabel
    ? `<tr><td style="padding:0"></td><td style="padding:0;text-align:center">${
      escapeHtml(options.xLabel)
    }</td></tr>`
    : "";
  return `<figure class="dcm-hist" style="display:inline-block;margin:4px;${font}">` +
    `<table style="border-collapse:collapse">${title}<tr>${yAxis}<td style="padding:0">` +
    `<img src="data:image/png;base64,${base64(png)}" width="${pw}" height="${ph}" ` +
    `alt="histogram" style="display:block"/></td></tr>${xAxis}${xLabel}</table></figure>`;
}
