/**
 * Regressions found by the fuzz harness (`deno task fuzz`): each test builds the smallest
 * input that showed the problem, in code, and asserts the typed `DicomError` (or the
 * result) the toolkit now gives. The header of each test names the fuzz case that found it.
 */
import assert from "node:assert/strict";
import {
  applyColorLut,
  Dataset,
  type DicomError,
  PixelArray,
  read,
  ValueError,
  write,
} from "../mod.ts";
import { expandSegmentedLut } from "../lib/lut/_segmented.ts";

/** Asserts that `fn` throws `type` with exactly this message, within `ms` milliseconds. */
function throwsQuickly(
  fn: () => unknown,
  type: typeof DicomError,
  message: string,
  ms = 500,
): void {
  const t0 = performance.now();
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `${(e as Error).name}: ${(e as Error).message}`);
    assert.equal((e as Error).message, message);
    return true;
  });
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
}

// --- segmented palette LUTs (fuzz seed 1, cases 24, 31, 103, 177, 202) ------------------------

/**
 * Segmented LUT data (16-bit words) whose indirect segments copy each other: a discrete
 * entry, a linear segment of 65535 entries, then `levels` levels of two indirect segments
 * each copying the level below, so the data asks for 2^levels * 65535 entries.
 */
function segmentedBomb(levels: number): Uint16Array {
  const words = [0, 1, 0, 1, 65535, 65535];
  let previous = 3;
  let count = 1;
  for (let l = 0; l < levels; l++) {
    const start = words.length;
    for (let k = 0; k < 2; k++) words.push(2, count, previous * 2, 0);
    previous = start;
    count = 2;
  }
  return Uint16Array.from(words);
}

function paletteDataset(segmented: Uint16Array): Dataset {
  const ds = new Dataset();
  ds.set("PhotometricInterpretation", "PALETTE COLOR");
  for (const c of ["Red", "Green", "Blue"]) {
    ds.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 16], "US");
    ds.set(`Segmented${c}PaletteColorLookupTableData`, segmented, "OW");
  }
  return ds;
}

Deno.test("regression: segmented palette indirect segments that multiply stop at 65536 entries", () => {
  // before: 2^12 * 65535 entries pushed to a number[]: 12 s, then RangeError
  // "Invalid array length" (or 130 MB and 19 s for fewer levels)
  const words = segmentedBomb(12);
  assert.equal(words.length, 102);
  const message = "segmented palette: expands past 65536 entries in (0028, 1221)";
  throwsQuickly(() => expandSegmentedLut(words, { tag: 0x00281221 }), ValueError, message);
  const ds = read(write(paletteDataset(words)));
  const arr = new PixelArray(new Uint8Array([0, 1, 2, 3]), [2, 2]);
  throwsQuickly(() => applyColorLut(arr, ds), ValueError, message);
});

Deno.test("regression: segmented palette indirect segments copying nothing still end", () => {
  // level 0: ten empty discrete segments; each of 15 levels above: ten indirect segments
  // copying the ten below. No entries, but 10^15 segments to walk: it never ended
  const words = [0, 1, 7];
  let previous = words.length;
  for (let k = 0; k < 10; k++) words.push(0, 0);
  for (let level = 0; level < 15; level++) {
    const start = words.length;
    for (let k = 0; k < 10; k++) words.push(2, 10, previous * 2, 0);
    previous = start;
  }
  throwsQuickly(
    () => expandSegmentedLut(Uint16Array.from(words), { tag: 0x00281221 }),
    ValueError,
    "segmented palette: more than 1048576 segments in (0028, 1221)",
  );
});

Deno.test("regression: a segmented palette of exactly 65536 entries still expands", () => {
  // a discrete first entry and a linear ramp of 65535: the largest table there is
  const lut = expandSegmentedLut(new Uint16Array([0, 1, 0, 1, 65535, 65535]));
  assert.equal(lut.length, 65536);
  assert.deepEqual([lut[0], lut[1], lut[32768], lut[65535]], [0, 1, 32768, 65535]);
});
