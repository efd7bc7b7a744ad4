/**
 * A `Volume` in the notebook: its three orthogonal planes side by side, each resampled to
 * square pixels so that the aspect ratio follows the spacing, with a window. A `Volume`
 * shows itself this way; `show(volume, { slice })` picks the planes.
 *
 * @module
 */

import { PixelArray } from "../pixels/pixel_array.ts";
import { toImage } from "../image/to_image.ts";
import type { ColormapName } from "../image/colormap.ts";
import { Volume } from "../volume/volume.ts";
import { base64, escapeHtml, imageHtml } from "./html.ts";

const DISPLAY = Symbol.for("Jupyter.display");

/** Options for {@linkcode showVolume}. */
export interface ShowVolumeOptions {
  /**
   * The slice (index along the slice axis) of the acquired plane.
   *
   * @default {Math.floor(volume.slices / 2)} (the middle)
   */
  slice?: number;
  /**
   * The row of the plane across the rows.
   *
   * @default {Math.floor(volume.rows / 2)} (the middle)
   */
  row?: number;
  /**
   * The column of the plane across the columns.
   *
   * @default {Math.floor(volume.columns / 2)} (the middle)
   */
  column?: number;
  /**
   * The time point of a 4-D volume.
   *
   * @default {0}
   */
  time?: number;
  /**
   * A window on the real values, e.g. `{ center: 40, width: 80 }`, or `"minmax"`: each
   * plane's smallest value black and largest white.
   *
   * @default {"minmax"}
   */
  window?: { center: number; width: number } | "minmax";
  /**
   * Colormap.
   *
   * @default {"gray"}
   */
  cmap?: ColormapName;
  /**
   * Height of each picture in screen pixels.
   *
   * @default {256}
   */
  height?: number;
}

/** One plane of a volume, resampled to square pixels. */
export interface VolumePlane {
  /** `axial`, `coronal` or `sagittal` (from the plane's normal), or `oblique`. */
  name: string;
  /** Which index is fixed: `slice`, `row` or `column`, and its value. */
  fixed: { axis: "slice" | "row" | "column"; index: number };
  /** The real values on square pixels of `pixelSize` mm, row 0 at the top. */
  image: PixelArray;
  /** Millimetres per pixel of `image`. */
  pixelSize: number;
  /** The PNG of `image` with the window. */
  png: Uint8Array;
}

/** The three planes of a volume, shown side by side. */
export class VolumeFigure {
  /** The planes: the acquired plane, the one across the rows, the one across the columns. */
  readonly planes: readonly VolumePlane[];
  /** Display height of each picture. */
  readonly height: number;
  /** A one-line description. */
  readonly text: string;
  /** A figure of three planes. */
  constructor(planes: readonly VolumePlane[], text: string, height = 256) {
    this.planes = planes;
    this.text = text;
    this.height = height;
  }
  /** HTML: the planes side by side, each captioned with its name and index. */
  html(): string {
    const cells = this.planes.map((p) => {
      const width = Math.round(this.height * p.image.columns / p.image.rows);
      return imageHtml(p.png, {
        title: `${p.name} (${p.fixed.axis} ${p.fixed.index})`,
        width,
      });
    });
    return `<div>${cells.join("")}<div style="font:12px monospace">${
      escapeHtml(this.text)
    }</div></div>`;
  }
  /** The Jupyter MIME bundle: HTML, and the first plane as PNG. */
  [DISPLAY](): Record<string, string> {
    return {
      "text/plain": this.text,
      "text/html": this.html(),
      "image/png": base64(this.planes[0].png),
    };
  }
}

function planeName(normal: readonly number[]): string {
  const a = normal.map(Math.abs);
  const m = Math.max(...a);
  if (m < 0.8) return "oblique";
  return ["sagittal", "coronal", "axial"][a.indexOf(m)];
}

function clampIndex(i: number | undefined, n: number, what: string): number {
  const v = i ?? Math.floor(n / 2);
  if (!Number.isInteger(v) || v < 0 || v >= n) {
    throw new RangeError(`${what} ${v} is outside 0..${n - 1}`);
  }
  return v;
}

/**
 * The picture of one plane: `get(y, x)` on `h x w` source pixels of `dy x dx` mm,
 * resampled (nearest) to square pixels.
 */
function resample(
  h: number,
  w: number,
  dy: number,
  dx: number,
  get: (y: number, x: number) => number,
): { image: PixelArray; pixelSize: number } {
  let size = Math.min(dx, dy);
  const longest = Math.max(h * dy, w * dx);
  if (longest / size > 1024) size = longest / 1024;
  const H = Math.max(1, Math.round(h * dy / size)), W = Math.max(1, Math.round(w * dx / size));
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.floor((y + 0.5) * h / H));
    for (let x = 0; x < W; x++) {
      out[y * W + x] = get(sy, Math.min(w - 1, Math.floor((x + 0.5) * w / W)));
    }
  }
  return { image: new PixelArray(out, [H, W]), pixelSize: size };
}

/**
 * The three orthogonal planes of a volume through one voxel (the middle by default):
 * the acquired plane (a slice), the plane across the rows (slice by column) and the
 * plane across the columns (slice by row), each on square pixels so that the spacing
 * gives the aspect ratio, the head up when the slices go towards it; windowed real values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Volume } from "../volume/mod.ts";
 * import { showVolume } from "./volume.ts";
 * // 4 slices 3 mm apart of 2 x 6 pixels of 1 mm
 * const v = new Volume({
 *   data: new Int16Array(4 * 2 * 6),
 *   shape: [4, 2, 6],
 *   affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 3, 0], [0, 0, 0, 1]],
 * });
 * const fig = showVolume(v, { slice: 1 });
 * assert.deepEqual(fig.planes.map((p) => p.name), ["axial", "coronal", "sagittal"]);
 * assert.deepEqual(fig.planes.map((p) => p.image.shape), [[2, 6], [12, 6], [12, 2]]);
 * assert.deepEqual(fig.planes[0].fixed, { axis: "slice", index: 1 });
 * ```
 */
export function showVolume(volume: Volume, options: ShowVolumeOptions = {}): VolumeFigure {
  const { slices, rows, columns, times } = volume;
  const k = clampIndex(options.slice, slices, "slice");
  const j = clampIndex(options.row, rows, "row");
  const i = clampIndex(options.column, columns, "column");
  const t = clampIndex(options.time ?? 0, times, "time");
  const [sx, sy, sz] = volume.spacing;
  const dir = volume.direction;
  const axis = (c: number) => [dir[0][c], dir[1][c], dir[2][c]];
  const cross = (a: number[], b: number[]) => [
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  ];
  // slices going towards the head (LPS +z) are drawn bottom to top
  const up = dir[2][2] > 0;
  const slab = (y: number) => up ? slices - 1 - y : y;
  const v = (c: number, r: number, s: number) => volume.value(c, r, s, t);
  const window = options.window ?? "minmax";
  const render = (image: PixelArray) =>
    toImage(
      image,
      window === "minmax"
        ? { format: "png", scaling: "minmax", colormap: options.cmap }
        : { format: "png", window, colormap: options.cmap },
    );
  const made = [
    {
      name: planeName(cross(axis(0), axis(1))),
      fixed: { axis: "slice" as const, index: k },
      ...resample(rows, columns, sy, sx, (y, x) => v(x, y, k)),
    },
    {
      name: planeName(cross(axis(0), axis(2))),
      fixed: { axis: "row" as const, index: j },
      ...resample(slices, columns, sz, sx, (y, x) => v(x, j, slab(y))),
    },
    {
      name: planeName(cross(axis(1), axis(2))),
      fixed: { axis: "column" as const, index: i },
      ...resample(slices, rows, sz, sy, (y, x) => v(i, x, slab(y))),
    },
  ];
  const planes = made.map((p) => ({ ...p, png: render(p.image) }));
  const shape = volume.shape.join("x");
  const text = `Volume(${volume.dtype}, ${shape}, spacing ${
    volume.spacing.map((s) => +s.toFixed(3)).join(" x ")
  } mm${times > 1 ? `, time ${t}` : ""})${volume.description ? ` ${volume.description}` : ""}`;
  return new VolumeFigure(planes, text, options.height ?? 256);
}

// A Volume shows its three middle planes in Deno's Jupyter kernel.
(Volume.prototype as unknown as Record<symbol, () => Record<string, string>>)[DISPLAY] = function (
  this: Volume,
) {
  return showVolume(this)[DISPLAY]();
};
