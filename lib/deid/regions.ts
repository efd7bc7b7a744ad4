/**
 * Rectangles of pixels to blank (the Clean Pixel Data Option), and their check.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";

/** A rectangle of pixels: `x` is the first column, `y` the first row (0-based). */
export interface Region {
  /** First column. */
  x: number;
  /** First row. */
  y: number;
  /** Number of columns. */
  width: number;
  /** Number of rows. */
  height: number;
}

/**
 * Checks a list of regions (from JSON, say): an array of `{ x, y, width, height }` of
 * whole numbers, none negative, width and height at least 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegions } from "./mod.ts";
 * assert.deepEqual(parseRegions([{ x: 0, y: 0, width: 10, height: 2 }]), [
 *   { x: 0, y: 0, width: 10, height: 2 },
 * ]);
 * assert.throws(() => parseRegions([{ x: -1, y: 0, width: 1, height: 1 }]));
 * ```
 */
export function parseRegions(value: unknown): Region[] {
  if (!Array.isArray(value)) throw new ValueError("regions must be a JSON array");
  return value.map((r, i) => {
    const o = r as Record<string, unknown>;
    const out = { x: o?.x, y: o?.y, width: o?.width, height: o?.height };
    for (const [k, v] of Object.entries(out)) {
      const min = k === "width" || k === "height" ? 1 : 0;
      if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
        throw new ValueError(`region ${i}: ${k} must be a whole number >= ${min}`);
      }
    }
    return out as Region;
  });
}
