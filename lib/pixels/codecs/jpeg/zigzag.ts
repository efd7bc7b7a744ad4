/**
 * The zig-zag order of T.81 Figure A.6, shared by the JPEG decoder and the encoders of
 * `lib/image`: entry `k` is the natural (row-major) index of the `k`-th coefficient.
 *
 * @module
 */

/**
 * Zig-zag index → natural (row-major) index of an 8x8 block.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ZIGZAG } from "./zigzag.ts";
 * assert.deepEqual([...ZIGZAG.subarray(0, 6)], [0, 1, 8, 16, 9, 2]);
 * assert.equal(ZIGZAG[63], 63);
 * ```
 */
// deno-fmt-ignore
export const ZIGZAG: Uint8Array = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);
