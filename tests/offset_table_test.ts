/**
 * A Basic Offset Table that disagrees with the fragments (issue 11, item 1): the table is
 * ignored with one note in `ds.warnings`, frames come from the fragments (one per frame,
 * or split at end-of-image markers), and `{ strict: true }` keeps the error.
 */
import assert from "node:assert/strict";
import { frames, pixelArray, PixelDataError, read } from "../mod.ts";
import { frameFragments } from "../lib/pixels/mod.ts";
import { encodeRle } from "../lib/pixels/codecs/rle.ts";
import { encodeJpeg } from "../lib/image/mod.ts";
import { concat, element, encapsulatedPixelData, part10, textValue, u16 } from "./_make.ts";
import type { Dataset } from "../lib/dataset/dataset.ts";

const RLE = "1.2.840.10008.1.2.5";
const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

/** A fragment padded to even length, as items must be. */
function even(bytes: Uint8Array): Uint8Array {
  return bytes.length % 2 ? concat(bytes, new Uint8Array(1)) : bytes;
}

/** The offset of each fragment's item from the first one's, as the table should say. */
function positions(fragments: Uint8Array[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const f of fragments) {
    out.push(at);
    at += 8 + f.length;
  }
  return out;
}

/** A multi-frame file of `rows`x`cols` frames, `bits` per pixel, with these fragments. */
function file(
  ts: string,
  shape: { frames: number; rows: number; cols: number; bits: number },
  fragments: Uint8Array[],
  table: number[],
): Uint8Array {
  const body = concat(
    element(0x00280002, "US", u16([1])),
    element(0x00280004, "CS", "MONOCHROME2"),
    element(0x00280008, "IS", textValue(String(shape.frames))),
    element(0x00280010, "US", u16([shape.rows])),
    element(0x00280011, "US", u16([shape.cols])),
    element(0x00280100, "US", u16([shape.bits])),
    element(0x00280101, "US", u16([shape.bits])),
    element(0x00280102, "US", u16([shape.bits - 1])),
    element(0x00280103, "US", u16([0])),
    encapsulatedPixelData(fragments, table),
  );
  return part10(body, { transferSyntax: ts });
}

const SHAPE = { frames: 4, rows: 4, cols: 5, bits: 16 };
const INFO = {
  rows: SHAPE.rows,
  columns: SHAPE.cols,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  pixelRepresentation: 0,
  planarConfiguration: 0,
  photometricInterpretation: "MONOCHROME2",
};

/** Frame f: values 1000 * (f + 1) + i, so each frame and pixel differs. */
function pixels(f: number): Uint16Array {
  return Uint16Array.from({ length: SHAPE.rows * SHAPE.cols }, (_, i) => 1000 * (f + 1) + i);
}

/** Four RLE frames of different sizes, one fragment each. */
const RLE_FRAGMENTS = [0, 1, 2, 3].map((f) => {
  const p = pixels(f);
  if (f % 2) p.fill(7, 0, 6 + f); // runs make the sizes differ
  return even(encodeRle(p, INFO));
});
const RLE_EXPECTED = RLE_FRAGMENTS.map((_, f) => {
  const p = pixels(f);
  if (f % 2) p.fill(7, 0, 6 + f);
  return [...p];
});
const GOOD = positions(RLE_FRAGMENTS);

function framesOf(ds: Dataset): number[][] {
  return [...frames(ds)].map((a) => [...a.data]);
}

function rleFile(table: number[]): Dataset {
  return read(file(RLE, SHAPE, RLE_FRAGMENTS, table));
}

Deno.test("offset table: a correct table decodes without a warning", () => {
  const ds = rleFile(GOOD);
  assert.deepEqual(framesOf(ds), RLE_EXPECTED);
  assert.deepEqual(ds.warnings, []);
});

Deno.test("offset table: five entries off by 1-3 for four frames (the review's file) decode, noted once", () => {
  // as if computed without item padding: each entry a few bytes past its fragment
  const broken = [0, GOOD[1] + 1, GOOD[2] + 2, GOOD[3] + 3, GOOD[3] + 3 + 90];
  const ds = rleFile(broken);
  const whole = pixelArray(ds);
  assert.deepEqual(whole.shape, [4, 4, 5]);
  assert.deepEqual([...whole.data], RLE_EXPECTED.flat());
  // each frame alone, as a viewer scrolls: still one note
  for (let f = 0; f < 4; f++) {
    assert.deepEqual([...pixelArray(ds, { frame: f }).data], RLE_EXPECTED[f]);
  }
  assert.deepEqual(ds.warnings, [
    `basic offset table ignored (basic offset table entry ${
      GOOD[1] + 1
    } matches no fragment): one fragment per frame`,
  ]);
});

Deno.test("offset table: more, fewer, shifted and unordered entries fall back to one fragment per frame", () => {
  const cases: [string, number[], string][] = [
    [
      "one more, past the last fragment",
      [...GOOD, GOOD[3] + 40],
      `basic offset table entry ${GOOD[3] + 40} matches no fragment`,
    ],
    ["fewer", GOOD.slice(0, 2), "basic offset table has 2 entries for 4 frame(s)"],
    [
      "every entry off by 4",
      GOOD.map((p) => p + 4),
      "basic offset table entry 4 matches no fragment",
    ],
    [
      "not increasing",
      [GOOD[0], GOOD[2], GOOD[1], GOOD[3]],
      `basic offset table entry ${GOOD[1]} does not follow ${GOOD[2]}`,
    ],
  ];
  for (const [what, table, problem] of cases) {
    const ds = rleFile(table);
    assert.deepEqual(framesOf(ds), RLE_EXPECTED, what);
    assert.deepEqual(ds.warnings, [
      `basic offset table ignored (${problem}): one fragment per frame`,
    ], what);
    assert.throws(
      () => pixelArray(ds, { strict: true }),
      (e: unknown) => e instanceof PixelDataError && e.message.startsWith(problem),
      what,
    );
  }
});

Deno.test("offset table: strict keeps the error in pixelArray, frames and frameFragments", () => {
  const ds = rleFile([0, GOOD[1] + 1, GOOD[2] + 2, GOOD[3] + 3, GOOD[3] + 93]);
  const entry = GOOD[1] + 1;
  const check = (e: unknown) =>
    e instanceof PixelDataError && e.frame === 1 &&
    e.message.startsWith(`basic offset table entry ${entry} matches no fragment`);
  assert.throws(() => pixelArray(ds, { strict: true }), check);
  assert.throws(() => pixelArray(ds, { frame: 2, strict: true }), check);
  assert.throws(() => [...frames(ds, { strict: true })], check);
  const enc = ds.element(0x7fe00010)!.encapsulated!;
  assert.throws(() => frameFragments(enc, 4, { strict: true }), check);
  assert.deepEqual(ds.warnings, []);
  // lenient, the fragments are the frames
  assert.deepEqual(frameFragments(enc, 4), RLE_FRAGMENTS.map((f) => [f]));
});

/** Three 16x16 JPEG frames of flat grey (exact at quality 100), each in two fragments. */
function jpegFrames(): { fragments: Uint8Array[]; levels: number[] } {
  const levels = [40, 130, 220];
  const fragments: Uint8Array[] = [];
  for (const level of levels) {
    const jpeg = even(
      encodeJpeg(new Uint8Array(256).fill(level), { width: 16, height: 16, quality: 100 }),
    );
    const cut = 2 * Math.floor(jpeg.length / 4); // even, mid-stream
    fragments.push(jpeg.subarray(0, cut), jpeg.subarray(cut));
  }
  return { fragments, levels };
}

Deno.test("offset table: frames of several fragments are split at JPEG end-of-image markers", () => {
  const { fragments, levels } = jpegFrames();
  const shape = { frames: 3, rows: 16, cols: 16, bits: 8 };
  const at = positions(fragments);
  const expected = levels.map((l) => new Array(256).fill(l));
  // the right table: frame f starts at fragment 2f
  const good = read(file(JPEG_BASELINE, shape, fragments, [at[0], at[2], at[4]]));
  assert.deepEqual(framesOf(good), expected);
  assert.deepEqual(good.warnings, []);
  // a table off by two bytes: six fragments for three frames, split by the markers
  const ds = read(file(JPEG_BASELINE, shape, fragments, [at[0], at[2] + 2, at[4] + 2]));
  assert.deepEqual([...pixelArray(ds, { frame: 2 }).data], expected[2]);
  assert.deepEqual(framesOf(ds), expected);
  assert.deepEqual(ds.warnings, [
    `basic offset table ignored (basic offset table entry ${
      at[2] + 2
    } matches no fragment): frames split at end-of-image markers`,
  ]);
  assert.throws(() => pixelArray(ds, { strict: true }), PixelDataError);
});

Deno.test("offset table: a broken table with no way to split the fragments is an error naming the table", () => {
  // RLE has no end marker: six fragments for three frames cannot be split
  const halves = RLE_FRAGMENTS.slice(0, 3).flatMap((f) => [f.subarray(0, 64), f.subarray(64)]);
  const at = positions(halves);
  const ds = read(
    file(RLE, { ...SHAPE, frames: 3 }, halves, [at[0], at[2] + 1, at[4] + 1]),
  );
  assert.throws(
    () => pixelArray(ds),
    (e: unknown) =>
      e instanceof PixelDataError &&
      e.message.startsWith(
        `cannot tell which of 6 fragments belong to which of 3 frames: basic offset table entry ${
          at[2] + 1
        } matches no fragment`,
      ),
  );
});
