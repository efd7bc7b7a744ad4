/**
 * Colormaps for 8-bit gray images: matplotlib's `gray`, `bone`, `hot`, `jet` and
 * `viridis`, as matplotlib renders them (`cmap(x, bytes=True)`, 256 entries).
 *
 * The segmented maps are built from matplotlib's published segment data by the same
 * interpolation matplotlib uses (`LinearSegmentedColormap` with N = 256, float64, then
 * `(lut * 255).astype(uint8)`, which truncates), so every entry equals matplotlib's. That
 * is why matplotlib's `gray` maps 24 of the 256 levels one lower (33 → 32, for example).
 * `viridis` is a listed map; its 256 colours are the published viridis table (CC0, by
 * Stéfan van der Walt and Nathaniel J. Smith) truncated to bytes the same way.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";
import { PixelArray } from "../pixels/pixel_array.ts";

/** The colormaps {@linkcode applyColormap} knows. */
export type ColormapName = "gray" | "bone" | "hot" | "jet" | "viridis";

/** The names of the colormaps, in a stable order. */
export const COLORMAPS: readonly ColormapName[] = ["gray", "bone", "hot", "jet", "viridis"];

/** One channel's segments: rows of (x, y below x, y above x), x from 0 to 1. */
type Segments = readonly (readonly [number, number, number])[];

interface SegmentData {
  red: Segments;
  green: Segments;
  blue: Segments;
}

// matplotlib's segment data (lib/matplotlib/_cm.py).
const SEGMENTS: Record<Exclude<ColormapName, "viridis">, SegmentData> = {
  gray: {
    red: [[0, 0, 0], [1, 1, 1]],
    green: [[0, 0, 0], [1, 1, 1]],
    blue: [[0, 0, 0], [1, 1, 1]],
  },
  bone: {
    red: [[0, 0, 0], [0.746032, 0.652778, 0.652778], [1, 1, 1]],
    green: [[0, 0, 0], [0.365079, 0.319444, 0.319444], [0.746032, 0.777778, 0.777778], [1, 1, 1]],
    blue: [[0, 0, 0], [0.365079, 0.444444, 0.444444], [1, 1, 1]],
  },
  hot: {
    red: [[0, 0.0416, 0.0416], [0.365079, 1, 1], [1, 1, 1]],
    green: [[0, 0, 0], [0.365079, 0, 0], [0.746032, 1, 1], [1, 1, 1]],
    blue: [[0, 0, 0], [0.746032, 0, 0], [1, 1, 1]],
  },
  jet: {
    red: [[0, 0, 0], [0.35, 0, 0], [0.66, 1, 1], [0.89, 1, 1], [1, 0.5, 0.5]],
    green: [[0, 0, 0], [0.125, 0, 0], [0.375, 1, 1], [0.64, 1, 1], [0.91, 0, 0], [1, 0, 0]],
    blue: [[0, 0.5, 0.5], [0.11, 1, 1], [0.34, 1, 1], [0.65, 0, 0], [1, 0, 0]],
  },
};

// viridis, 256 RGB bytes: trunc(255 * the published float table).
const VIRIDIS_HEX =
  "44015444025544035745055845065a45085b46095c460b5e460c5f460e61470f62471163471265471466471567471669" +
  "47186a48196b481a6c481c6e481d6f481e70482071482172482273482374472575472676472777472878472a79472b7a" +
  "472c7b462d7c462f7c46307d46317e45327f45347f453580453681443781443982433a83433b83433c84423d84423e85" +
  "4240854141864142864043874044873f45873f47883e48883e49893d4a893d4b893d4c893c4d8a3c4e8a3b508a3b518a" +
  "3a528b3a538b39548b39558b38568b38578c37588c37598c365a8c365b8c355c8c355d8c345e8d345f8d33608d33618d" +
  "32628d32638d31648d31658d31668d30678d30688d2f698d2f6a8d2e6b8e2e6c8e2e6d8e2d6e8e2d6f8e2c708e2c718e" +
  "2c728e2b738e2b748e2a758e2a768e2a778e29788e29798e287a8e287a8e287b8e277c8e277d8e277e8e267f8e26808e" +
  "26818e25828e25838d24848d24858d24868d23878d23888d23898d22898d228a8d228b8d218c8d218d8c218e8c208f8c" +
  "20908c20918c1f928c1f938b1f948b1f958b1f968b1e978a1e988a1e998a1e998a1e9a891e9b891e9c891e9d881e9e88" +
  "1e9f881ea0871fa1871fa2861fa38620a48520a58521a68521a78422a78423a88323a98224aa8225ab8126ac8127ad80" +
  "28ae7f29af7f2ab07e2bb17d2cb17d2eb27c2fb37b30b47a32b57a33b67935b77836b87738b97639b9763bba753dbb74" +
  "3ebc7340bd7242be7144be7045bf6f47c06e49c16d4bc26c4dc26b4fc36951c46853c56755c66657c66559c7645bc862" +
  "5ec96160c96062ca5f64cb5d67cc5c69cc5b6bcd596dce5870ce5672cf5574d05477d05279d1517cd24f7ed24e81d34c" +
  "83d34b86d44988d5478bd5468dd64490d64392d74195d73f97d83e9ad83c9dd93a9fd938a2da37a5da35a7db33aadb32" +
  "addc30afdc2eb2dd2cb5dd2bb7dd29bade27bdde26bfdf24c2df22c5df21c7e01fcae01ecde01dcfe11cd2e11bd4e11a" +
  "d7e219dae218dce218dfe318e1e318e4e318e7e419e9e419ece41aeee51bf1e51cf3e51ef6e61ff8e621fae622fde724";

const N = 256;

/**
 * One channel of a segmented map, as matplotlib's `_create_lookup_table(256, data)`:
 * sample x = 255 · (i · (1/255)) (numpy's linspace times N − 1), find the segment by a
 * left binary search, interpolate linearly, clip to [0, 1], then truncate 255 · y.
 */
function channel(segments: Segments, out: Uint8Array, offset: number): void {
  const x = segments.map((s) => s[0] * (N - 1));
  const y0 = segments.map((s) => s[1]);
  const y1 = segments.map((s) => s[2]);
  const step = 1 / (N - 1);
  for (let i = 0; i < N; i++) {
    let y: number;
    if (i === 0) y = y1[0];
    else if (i === N - 1) y = y0[y0.length - 1];
    else {
      const xi = (N - 1) * (i * step);
      let j = 0;
      while (x[j] < xi) j++; // numpy.searchsorted, side "left"
      const distance = (xi - x[j - 1]) / (x[j] - x[j - 1]);
      y = distance * (y0[j] - y1[j - 1]) + y1[j - 1];
    }
    y = Math.min(1, Math.max(0, y));
    out[3 * i + offset] = Math.trunc(y * 255);
  }
}

const tables = new Map<ColormapName, Uint8Array>();

/**
 * The 256-entry RGB table of a colormap: entry `v` is bytes `3v`, `3v + 1`, `3v + 2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colormapTable } from "./mod.ts";
 * const hot = colormapTable("hot");
 * assert.equal(hot.length, 768);
 * assert.deepEqual(Array.from(hot.subarray(0, 3)), [10, 0, 0]);
 * assert.deepEqual(Array.from(hot.subarray(765)), [255, 255, 255]);
 * ```
 */
export function colormapTable(name: ColormapName): Uint8Array {
  let table = tables.get(name);
  if (table) return table;
  table = new Uint8Array(3 * N);
  if (name === "viridis") {
    for (let i = 0; i < table.length; i++) {
      table[i] = parseInt(VIRIDIS_HEX.slice(2 * i, 2 * i + 2), 16);
    }
  } else {
    const data = SEGMENTS[name];
    if (!data) {
      throw new ValueError(`unknown colormap "${name}", expected one of ${COLORMAPS.join(", ")}`);
    }
    channel(data.red, table, 0);
    channel(data.green, table, 1);
    channel(data.blue, table, 2);
  }
  tables.set(name, table);
  return table;
}

/**
 * Colours an 8-bit grayscale array (scale it first, e.g. with `scaleTutorial`): every value
 * `v` becomes the colormap's entry `v`, so the result is RGB uint8 with a trailing axis of 3
 * (frames kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyColormap } from "./mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const gray = new PixelArray(new Uint8Array([0, 255]), [1, 2]);
 * const rgb = applyColormap(gray, "viridis");
 * assert.deepEqual(rgb.shape, [1, 2, 3]);
 * assert.deepEqual(rgb.data, new Uint8Array([68, 1, 84, 253, 231, 36]));
 * ```
 */
export function applyColormap(arr: PixelArray, name: ColormapName): PixelArray {
  if (!(arr.data instanceof Uint8Array)) {
    throw new ValueError(`colormap "${name}" needs uint8 values, got ${arr.dtype}: scale first`);
  }
  if (arr.samples !== 1) {
    throw new ValueError(`colormap "${name}" needs a grayscale array, got ${arr.samples} samples`);
  }
  const table = colormapTable(name);
  const src = arr.data;
  const out = new Uint8Array(src.length * 3);
  for (let i = 0, o = 0; i < src.length; i++, o += 3) {
    const t = src[i] * 3;
    out[o] = table[t];
    out[o + 1] = table[t + 1];
    out[o + 2] = table[t + 2];
  }
  return new PixelArray(out, [...arr.shape, 3], { multiFrame: arr.multiFrame });
}
