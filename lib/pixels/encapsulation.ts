/**
 * Encapsulated pixel data (PS3.5 A.4): which fragments make up which frame, using the
 * Extended Offset Table, the Basic Offset Table, or, when both are absent, one fragment
 * per frame or the JPEG end-of-image marker.
 *
 * @module
 */

import type { EncapsulatedPixelData } from "../dataset/element.ts";
import { PixelDataError } from "../core/errors.ts";

/** (7FE0,0010) Pixel Data, named in the errors. */
const PIXEL_DATA = 0x7fe00010;

/** Options for {@linkcode frameFragments}. */
export interface FrameFragmentsOptions {
  /**
   * Extended Offset Table (7FE0,0001) values, when present.
   *
   * @default {undefined} the Basic Offset Table, or the fragments, tell the frames apart
   */
  extendedOffsets?: ArrayLike<bigint | number>;
  /**
   * Extended Offset Table Lengths (7FE0,0002) values, when present. Not needed: with
   * `extendedOffsets`, each frame is the one fragment its offset starts.
   *
   * @default {undefined}
   */
  extendedLengths?: ArrayLike<bigint | number>;
}

function endsWithEoi(f: Uint8Array): boolean {
  const n = f.length;
  if (n >= 2 && f[n - 2] === 0xff && f[n - 1] === 0xd9) return true;
  return n >= 3 && f[n - 3] === 0xff && f[n - 2] === 0xd9 && f[n - 1] === 0;
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The fragments of each frame, as lists of views of the input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frameFragments } from "./mod.ts";
 * const enc = {
 *   basicOffsetTable: new Uint32Array(0),
 *   fragments: [new Uint8Array([1, 2]), new Uint8Array([3, 4])],
 *   fragmentPositions: [0, 10],
 * };
 * const fragments = frameFragments(enc, 2);
 * assert.equal(fragments.length, 2);
 * assert.deepEqual(fragments[1], [new Uint8Array([3, 4])]);
 * ```
 */
export function frameFragments(
  enc: EncapsulatedPixelData,
  frameCount: number,
  options: FrameFragmentsOptions = {},
): Uint8Array[][] {
  const frags = enc.fragments;
  if (frags.length === 0) {
    throw new PixelDataError("encapsulated pixel data has no fragments", { tag: PIXEL_DATA });
  }
  const ext = options.extendedOffsets;
  if (ext && ext.length) {
    // Offsets are from the first fragment's item tag; each frame is one fragment
    const out: Uint8Array[][] = [];
    for (let i = 0; i < ext.length; i++) {
      const k = enc.fragmentPositions.indexOf(Number(ext[i]));
      if (k < 0) {
        throw new PixelDataError(`extended offset ${ext[i]} does not start a fragment`, {
          frame: i,
        });
      }
      out.push([frags[k]]);
    }
    return out;
  }
  const table = enc.basicOffsetTable;
  if (table.length > 0) {
    const out: Uint8Array[][] = [];
    for (let i = 0; i < table.length; i++) {
      const start = table[i];
      const end = i + 1 < table.length ? table[i + 1] : Infinity;
      const parts: Uint8Array[] = [];
      for (let k = 0; k < frags.length; k++) {
        const p = enc.fragmentPositions[k];
        if (p >= start && p < end) parts.push(frags[k]);
      }
      if (!parts.length) {
        throw new PixelDataError(`basic offset table entry ${start} matches no fragment`, {
          frame: i,
        });
      }
      out.push(parts);
    }
    return out;
  }
  if (frameCount <= 1) return [frags.slice()];
  if (frags.length === frameCount) return frags.map((f) => [f]);
  // No table: group fragments up to a JPEG end-of-image marker
  const out: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  for (const f of frags) {
    current.push(f);
    if (endsWithEoi(f)) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  if (out.length !== frameCount) {
    throw new PixelDataError(
      `cannot tell which of ${frags.length} fragments belong to which of ${frameCount} frames`,
      { tag: PIXEL_DATA },
    );
  }
  return out;
}

/**
 * The bytes of one frame: its fragments joined (a view when it is a single fragment).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frameBytes } from "./mod.ts";
 * assert.deepEqual(frameBytes([new Uint8Array([1]), new Uint8Array([2])]), new Uint8Array([1, 2]));
 * ```
 */
export function frameBytes(parts: Uint8Array[]): Uint8Array {
  return join(parts);
}
