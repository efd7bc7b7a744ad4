/**
 * Encapsulated pixel data (PS3.5 A.4): which fragments make up which frame, using the
 * Extended Offset Table, the Basic Offset Table, or, when both are absent, one fragment
 * per frame or the JPEG end-of-image (JPEG 2000 end-of-codestream) marker.
 *
 * A Basic Offset Table that disagrees with the fragments (an entry that starts no
 * fragment, entries not increasing, more or fewer entries than frames) is ignored, as
 * GDCM and pydicom 3 do: frames are then one fragment each when the counts match, else
 * split at the markers. `{ strict: true }` throws instead.
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
   * @default {undefined} (unused either way)
   */
  extendedLengths?: ArrayLike<bigint | number>;
  /**
   * Throw a `PixelDataError` when the Basic Offset Table disagrees with the fragments,
   * instead of ignoring the table and telling `onWarning`.
   *
   * @default {false}
   */
  strict?: boolean;
  /**
   * Told why the Basic Offset Table was ignored and how the frames were found instead
   * (`pixelArray` adds it to `ds.warnings`, once per dataset).
   *
   * @default {undefined} (the note is dropped)
   */
  onWarning?: (message: string) => void;
}

/** JPEG EOI, JPEG-LS EOI and JPEG 2000 EOC are all FFD9 (maybe followed by a pad byte). */
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

/** Number of fragments, without reading fragments left on disk. */
function fragmentCount(enc: EncapsulatedPixelData): number {
  return enc.fragment ? enc.fragmentPositions.length : enc.fragments.length;
}

/**
 * Fragment `index`: read from disk alone when the pixel data was deferred
 * (`read(path, { deferSize })`), else the fragment in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fragmentAt } from "./mod.ts";
 * const enc = {
 *   basicOffsetTable: new Uint32Array(0),
 *   fragments: [new Uint8Array([1, 2]), new Uint8Array([3, 4])],
 *   fragmentPositions: [0, 10],
 * };
 * assert.deepEqual(fragmentAt(enc, 1), new Uint8Array([3, 4]));
 * ```
 */
export function fragmentAt(enc: EncapsulatedPixelData, index: number): Uint8Array {
  return enc.fragment ? enc.fragment(index) : enc.fragments[index];
}

/** Why the Basic Offset Table cannot be used for `frameCount` frames, or undefined. */
function tableProblem(
  table: Uint32Array,
  positions: readonly number[],
  frameCount: number,
): { message: string; frame?: number } | undefined {
  const starts = new Set(positions);
  for (let i = 0; i < table.length; i++) {
    if (i > 0 && table[i] <= table[i - 1]) {
      return {
        message: `basic offset table entry ${table[i]} does not follow ${table[i - 1]}`,
        frame: i,
      };
    }
    if (!starts.has(table[i])) {
      return { message: `basic offset table entry ${table[i]} matches no fragment`, frame: i };
    }
  }
  if (table.length !== frameCount) {
    return {
      message: `basic offset table has ${table.length} entries for ${frameCount} frame(s)`,
    };
  }
  return undefined;
}

/** Fragment indices of each frame, one group per table entry. */
function byTable(table: Uint32Array, positions: readonly number[], count: number): number[][] {
  const out: number[][] = [];
  let k = 0;
  for (let i = 0; i < table.length; i++) {
    const end = i + 1 < table.length ? table[i + 1] : Infinity;
    const group: number[] = [];
    while (k < count && positions[k] < table[i]) k++;
    while (k < count && positions[k] < end) group.push(k++);
    out.push(group);
  }
  return out;
}

/** Fragment indices grouped up to each fragment ending with an FFD9 marker. */
function byMarkers(enc: EncapsulatedPixelData, count: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  for (let k = 0; k < count; k++) {
    current.push(k);
    if (endsWithEoi(fragmentAt(enc, k))) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * The fragment indices of each frame (see {@linkcode frameFragments}); reads no fragment
 * unless frames must be split at their end-of-image markers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frameFragmentIndices } from "./mod.ts";
 * const enc = {
 *   basicOffsetTable: Uint32Array.from([0, 11]), // off by one: 10 starts fragment 1
 *   fragments: [new Uint8Array([1, 2]), new Uint8Array([3, 4])],
 *   fragmentPositions: [0, 10],
 * };
 * const notes: string[] = [];
 * assert.deepEqual(frameFragmentIndices(enc, 2, { onWarning: (m) => notes.push(m) }), [[0], [1]]);
 * assert.equal(
 *   notes[0],
 *   "basic offset table ignored (basic offset table entry 11 matches no fragment): one fragment per frame",
 * );
 * assert.throws(() => frameFragmentIndices(enc, 2, { strict: true }), /entry 11 matches no fragment/);
 * ```
 */
export function frameFragmentIndices(
  enc: EncapsulatedPixelData,
  frameCount: number,
  options: FrameFragmentsOptions = {},
): number[][] {
  const count = fragmentCount(enc);
  if (count === 0) {
    throw new PixelDataError("encapsulated pixel data has no fragments", { tag: PIXEL_DATA });
  }
  const positions = enc.fragmentPositions;
  const ext = options.extendedOffsets;
  if (ext && ext.length) {
    // Offsets are from the first fragment's item tag; each frame is one fragment
    const out: number[][] = [];
    for (let i = 0; i < ext.length; i++) {
      const k = positions.indexOf(Number(ext[i]));
      if (k < 0 || k >= count) {
        throw new PixelDataError(`extended offset ${ext[i]} does not start a fragment`, {
          frame: i,
        });
      }
      out.push([k]);
    }
    return out;
  }
  const table = enc.basicOffsetTable;
  const frames = Math.max(1, frameCount);
  if (table.length > 0) {
    const problem = tableProblem(table, positions.slice(0, count), frames);
    if (!problem) return byTable(table, positions, count);
    if (options.strict) {
      throw new PixelDataError(problem.message, { tag: PIXEL_DATA, frame: problem.frame });
    }
    const note = (how: string) =>
      options.onWarning?.(`basic offset table ignored (${problem.message}): ${how}`);
    if (frames === 1) {
      note("all fragments are one frame");
      return [range(count)];
    }
    if (count === frames) {
      note("one fragment per frame");
      return range(count).map((k) => [k]);
    }
    const split = byMarkers(enc, count);
    if (split.length === frames) {
      note("frames split at end-of-image markers");
      return split;
    }
    if (problem.frame === undefined && table.length > frames) {
      // every entry starts a fragment, there are just more of them than frames
      note(`the first ${frames} entries used`);
      return byTable(table, positions, count).slice(0, frames);
    }
    throw new PixelDataError(
      `cannot tell which of ${count} fragments belong to which of ${frames} frames: ${problem.message}`,
      { tag: PIXEL_DATA },
    );
  }
  if (frames === 1) return [range(count)];
  if (count === frames) return range(count).map((k) => [k]);
  // No table: group fragments up to a JPEG end-of-image marker
  const split = byMarkers(enc, count);
  if (split.length !== frames) {
    throw new PixelDataError(
      `cannot tell which of ${count} fragments belong to which of ${frames} frames`,
      { tag: PIXEL_DATA },
    );
  }
  return split;
}

/**
 * The fragments of each frame, as lists of views of the input. A Basic Offset Table that
 * disagrees with the fragments is ignored (see the module notes) unless `strict`.
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
 * assert.deepEqual(frameFragments(enc, 2), [[new Uint8Array([1, 2])], [new Uint8Array([3, 4])]]);
 * ```
 */
export function frameFragments(
  enc: EncapsulatedPixelData,
  frameCount: number,
  options: FrameFragmentsOptions = {},
): Uint8Array[][] {
  return frameFragmentIndices(enc, frameCount, options).map((group) =>
    group.map((k) => fragmentAt(enc, k))
  );
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
