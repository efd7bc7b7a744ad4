/**
 * One frame of deferred pixel data (issue 11, item 6): with `read(path, { deferSize })`,
 * `pixelArray(ds, { frame })` reads only that frame's bytes (native) or fragments
 * (encapsulated). Shown by cutting the file short after the read: the frames before the
 * cut decode, those after it fail, so nothing after the cut was read before.
 */
import assert from "node:assert/strict";
import { frames, pixelArray, read } from "../mod.ts";
import { encodeRle } from "../lib/pixels/codecs/rle.ts";
import {
  concat,
  element,
  encapsulatedPixelData,
  header,
  part10,
  seededRandom,
  textValue,
  u16,
} from "./_make.ts";

const ROWS = 256, COLS = 256, FRAMES = 5;
const PER_FRAME = ROWS * COLS;
const INFO = {
  rows: ROWS,
  columns: COLS,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  pixelRepresentation: 0,
  planarConfiguration: 0,
  photometricInterpretation: "MONOCHROME2",
};

/** Frame f: seeded noise (RLE cannot shrink it), different in every frame. */
function framePixels(f: number): Uint16Array {
  const rand = seededRandom(100 + f);
  return Uint16Array.from({ length: PER_FRAME }, () => Math.floor(rand() * 65536));
}

function attributes(): Uint8Array {
  return concat(
    element(0x00280002, "US", u16([1])),
    element(0x00280004, "CS", "MONOCHROME2"),
    element(0x00280008, "IS", textValue(String(FRAMES))),
    element(0x00280010, "US", u16([ROWS])),
    element(0x00280011, "US", u16([COLS])),
    element(0x00280100, "US", u16([16])),
    element(0x00280101, "US", u16([16])),
    element(0x00280102, "US", u16([15])),
    element(0x00280103, "US", u16([0])),
  );
}

function bytesOf(a: Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Asserts equal values without node's diff of big arrays (slow and huge on failure). */
function same(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ""): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      assert.fail(`${what} differs at ${i}: ${actual[i]} !== ${expected[i]}`);
    }
  }
}

function concatU16(...parts: Uint16Array[]): Uint16Array {
  const out = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function tempFile(bytes: Uint8Array): string {
  const path = Deno.makeTempFileSync({ suffix: ".dcm" });
  Deno.writeFileSync(path, bytes);
  return path;
}

/** Cuts the file after `end`, rounded up to the 64 KiB blocks `read` loads. */
function truncateAfter(path: string, end: number): void {
  Deno.truncateSync(path, Math.ceil(end / 65536) * 65536);
}

const CUT_SHORT = /is shorter than when it was opened/;

Deno.test("deferred pixels: a native frame reads only its own bytes from disk", () => {
  const pixels = Array.from({ length: FRAMES }, (_, f) => framePixels(f));
  const pixelData = concat(...pixels.map(bytesOf));
  const prefix = part10(attributes());
  const head = header(0x7fe00010, "OW", pixelData.length);
  const path = tempFile(concat(prefix, head, pixelData));
  const frameEnd = (f: number) => prefix.length + head.length + (f + 1) * PER_FRAME * 2;
  try {
    const ds = read(path, { deferSize: 1 << 16 });
    // frames 3 and 4 are gone from disk after the read: frame 2 does not need them
    truncateAfter(path, frameEnd(2));
    same(pixelArray(ds, { frame: 2 }).data, pixels[2], "frame 2");
    same(pixelArray(ds, { frame: 0 }).data, pixels[0], "frame 0");
    same(pixelArray(ds, { frames: [1, 3] }).data, concatU16(pixels[1], pixels[2]), "frames 1-2");
    assert.throws(() => pixelArray(ds, { frame: 4 }), CUT_SHORT);
    assert.throws(() => pixelArray(ds), CUT_SHORT);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("deferred pixels: an encapsulated frame reads the item headers and its own fragment", () => {
  const pixels = Array.from({ length: FRAMES }, (_, f) => framePixels(f));
  const fragments = pixels.map((p) => {
    const rle = encodeRle(p, INFO);
    return rle.length % 2 ? concat(rle, new Uint8Array(1)) : rle;
  });
  assert.ok(fragments.every((f) => f.length > 2 * 65536));
  const starts: number[] = [];
  let at = 0;
  for (const f of fragments) {
    starts.push(at);
    at += 8 + f.length;
  }
  const prefix = part10(attributes(), { transferSyntax: "1.2.840.10008.1.2.5" });
  const path = tempFile(concat(prefix, encapsulatedPixelData(fragments, starts)));
  // element header (12) + offset table item (8 + 4 * FRAMES) + the item header (8)
  const fragmentEnd = (f: number) =>
    prefix.length + 12 + 8 + 4 * FRAMES + starts[f] + 8 + fragments[f].length;
  try {
    const ds = read(path, { deferSize: 1 << 16 });
    assert.equal(ds.element(0x7fe00010)!.encapsulated!.fragmentPositions.length, FRAMES);
    // fragments 3 and 4 are gone from disk after the read (their item headers were read)
    truncateAfter(path, fragmentEnd(2));
    same(pixelArray(ds, { frame: 2 }).data, pixels[2], "frame 2");
    same(pixelArray(ds, { frame: 1 }).data, pixels[1], "frame 1");
    assert.throws(() => pixelArray(ds, { frame: 4 }), CUT_SHORT);
    assert.throws(() => ds.element(0x7fe00010)!.encapsulated!.fragments, CUT_SHORT);
    assert.deepEqual(ds.warnings, []);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("deferred pixels: every fragment and frame can still be read", () => {
  const pixels = Array.from({ length: FRAMES }, (_, f) => framePixels(f));
  const fragments = pixels.map((p) => {
    const rle = encodeRle(p, INFO);
    return rle.length % 2 ? concat(rle, new Uint8Array(1)) : rle;
  });
  const prefix = part10(attributes(), { transferSyntax: "1.2.840.10008.1.2.5" });
  const path = tempFile(concat(prefix, encapsulatedPixelData(fragments)));
  try {
    const ds = read(path, { deferSize: 1 << 16 });
    const enc = ds.element(0x7fe00010)!.encapsulated!;
    assert.equal(typeof enc.fragment, "function");
    assert.deepEqual(enc.fragments.map((f) => f.length), fragments.map((f) => f.length));
    fragments.forEach((f, k) => same(enc.fragments[k], f, `fragment ${k}`));
    const all = [...frames(ds)];
    pixels.forEach((p, f) => same(all[f].data, p, `frame ${f}`));
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("deferred pixels: small encapsulated data is read at once, as before", () => {
  const p = framePixels(0).subarray(0, 64);
  const info = { ...INFO, rows: 8, columns: 8 };
  const frag = encodeRle(p, info);
  const body = concat(
    element(0x00280002, "US", u16([1])),
    element(0x00280004, "CS", "MONOCHROME2"),
    element(0x00280010, "US", u16([8])),
    element(0x00280011, "US", u16([8])),
    element(0x00280100, "US", u16([16])),
    element(0x00280101, "US", u16([16])),
    element(0x00280102, "US", u16([15])),
    element(0x00280103, "US", u16([0])),
    encapsulatedPixelData([frag], [0]),
  );
  const path = tempFile(part10(body, { transferSyntax: "1.2.840.10008.1.2.5" }));
  const ds = read(path, { deferSize: 1 << 20 });
  Deno.removeSync(path);
  assert.equal(ds.element(0x7fe00010)!.encapsulated!.fragment, undefined);
  same(pixelArray(ds).data, p);
});
