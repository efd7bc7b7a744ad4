import assert from "node:assert/strict";
import { decodeRle, encodeRle, rleLossless } from "../lib/pixels/codecs/rle.ts";
import { codecFor } from "../lib/pixels/codecs/registry.ts";
import type { FrameInfo } from "../lib/pixels/codecs/types.ts";
import { CodecError, UnsupportedError } from "../lib/core/errors.ts";
import { corpusMissing, manifest } from "./_corpus.ts";
import { corpusFrames, firstMismatch, frameInfoOf, oraclePixels } from "./_encap.ts";

function info(
  rows: number,
  columns: number,
  bitsAllocated = 8,
  samplesPerPixel = 1,
  pixelRepresentation = 0,
): FrameInfo {
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored: bitsAllocated,
    pixelRepresentation,
    planarConfiguration: 0,
    photometricInterpretation: samplesPerPixel === 3 ? "RGB" : "MONOCHROME2",
  };
}

/** Builds an RLE frame from raw PackBits segments. */
function frameOf(...segments: number[][]): Uint8Array {
  const total = 64 + segments.reduce((n, s) => n + s.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, segments.length, true);
  let at = 64;
  segments.forEach((s, k) => {
    view.setUint32(4 + 4 * k, at, true);
    out.set(s, at);
    at += s.length;
  });
  return out;
}

Deno.test("rle: codec object", () => {
  assert.equal(rleLossless.name, "RLE Lossless");
  assert.equal(codecFor("1.2.840.10008.1.2.5"), rleLossless);
});

Deno.test("rle: literal run", () => {
  const out = decodeRle(frameOf([0x02, 1, 2, 3]), info(1, 3));
  assert.deepEqual(out, new Uint8Array([1, 2, 3]));
});

Deno.test("rle: replicate run", () => {
  // 0xfe = -2: repeat the next byte 3 times.
  const out = decodeRle(frameOf([0xfe, 9]), info(1, 3));
  assert.deepEqual(out, new Uint8Array([9, 9, 9]));
});

Deno.test("rle: longest runs (128 literal, 128 replicate)", () => {
  const literal = Array.from({ length: 128 }, (_, i) => i);
  const out = decodeRle(frameOf([0x7f, ...literal, 0x81, 200]), info(2, 128));
  assert.deepEqual(out.subarray(0, 128), new Uint8Array(literal));
  assert.deepEqual(out.subarray(128), new Uint8Array(128).fill(200));
});

Deno.test("rle: -128 header byte is a no-op", () => {
  const out = decodeRle(frameOf([0x80, 0x00, 5, 0x80, 0xff, 6]), info(1, 3));
  assert.deepEqual(out, new Uint8Array([5, 6, 6]));
});

Deno.test("rle: padding after the last run is ignored", () => {
  const out = decodeRle(frameOf([0x00, 4, 0x00]), info(1, 1));
  assert.deepEqual(out, new Uint8Array([4]));
});

Deno.test("rle: a run longer than the frame is cut at the frame size", () => {
  const out = decodeRle(frameOf([0xfd, 7]), info(1, 2));
  assert.deepEqual(out, new Uint8Array([7, 7]));
});

Deno.test("rle: 16-bit planes are most significant first", () => {
  const out = decodeRle(frameOf([0x01, 0x12, 0xff], [0x01, 0x34, 0xfe]), info(1, 2, 16));
  assert.deepEqual(out, new Uint16Array([0x1234, 0xfffe]));
  const signed = decodeRle(frameOf([0x01, 0x12, 0xff], [0x01, 0x34, 0xfe]), info(1, 2, 16, 1, 1));
  assert.deepEqual(signed, new Int16Array([0x1234, -2]));
});

Deno.test("rle: 32-bit signed", () => {
  const out = decodeRle(
    frameOf([0x00, 0xff], [0x00, 0xff], [0x00, 0xff], [0x00, 0xfb]),
    info(1, 1, 32, 1, 1),
  );
  assert.deepEqual(out, new Int32Array([-5]));
});

Deno.test("rle: RGB segments come back interleaved", () => {
  const out = decodeRle(frameOf([0x01, 1, 2], [0xff, 3], [0x01, 5, 6]), info(1, 2, 8, 3));
  assert.deepEqual(out, new Uint8Array([1, 3, 5, 2, 3, 6]));
  const out16 = decodeRle(
    frameOf([0x00, 1], [0x00, 2], [0x00, 3], [0x00, 4], [0x00, 5], [0x00, 6]),
    info(1, 1, 16, 3),
  );
  assert.deepEqual(out16, new Uint16Array([0x0102, 0x0304, 0x0506]));
});

function assertCodecError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CodecError, `expected CodecError, got ${e}`);
    assert.match(e.message, pattern);
    assert.equal(typeof e.offset, "number");
    return true;
  });
}

Deno.test("rle: literal run past the segment end is an error with its offset", () => {
  // Segment 0 is bytes 64..68; the literal at 64 asks for 5 bytes.
  assertCodecError(
    () => decodeRle(frameOf([0x04, 1, 2, 3], [0x00, 1]), info(1, 5, 16)),
    /literal run of 5 bytes in segment 0 runs past the segment end at byte 68 at byte 64$/,
  );
});

Deno.test("rle: replicate run without its value byte is an error", () => {
  assertCodecError(
    () => decodeRle(frameOf([0x00, 1, 0xfe]), info(1, 4)),
    /replicate run in segment 0 has no value byte .* at byte 66$/,
  );
});

Deno.test("rle: a segment that decodes short is an error", () => {
  assertCodecError(
    () => decodeRle(frameOf([0x01, 1, 2]), info(1, 4)),
    /segment 0 \(bytes 64 to 67\) decodes to 2 bytes, expected 4 at byte 67$/,
  );
});

Deno.test("rle: a segment too short for its plane is refused before the plane is made", () => {
  // two bytes give at most 128 (a replicate run): 256 from four bytes decode...
  assert.deepEqual(
    decodeRle(frameOf([0x81, 7, 0x81, 7]), info(1, 256)),
    new Uint8Array(256).fill(7),
  );
  // ...129 from two bytes cannot, nor 120 million from a few hundred
  assert.throws(
    () => decodeRle(frameOf([0x81, 7]), info(1, 129)),
    (e) =>
      e instanceof CodecError && /can decode to at most 128 bytes, expected 129/.test(e.message),
  );
  assert.throws(
    () => decodeRle(frameOf(new Array(300).fill(0x81)), info(30000, 4000)),
    (e) =>
      e instanceof CodecError &&
      /segment 0 \(bytes 64 to 364\) can decode to at most 19200 bytes, expected 120000000/.test(
        e.message,
      ),
  );
});

Deno.test("rle: bad headers are errors", () => {
  assertCodecError(() => decodeRle(new Uint8Array(10), info(1, 1)), /shorter than the 64-byte/);
  assertCodecError(
    () => decodeRle(frameOf([0x00, 1]), info(1, 1, 16)),
    /header announces 1 segments, expected 2 for 1 sample\(s\) of 16 bits at byte 0$/,
  );
  const bad = frameOf([0x00, 1], [0x00, 2]);
  new DataView(bad.buffer).setUint32(8, 1000, true);
  assertCodecError(() => decodeRle(bad, info(1, 1, 16)), /segment 1 offset 1000 .* at byte 8$/);
  const back = frameOf([0x00, 1], [0x00, 2]);
  new DataView(back.buffer).setUint32(4, 20, true);
  assertCodecError(() => decodeRle(back, info(1, 1, 16)), /segment 0 offset 20 is outside/);
});

Deno.test("rle: unsupported layouts", () => {
  assert.throws(() => decodeRle(frameOf([0x00, 1]), info(1, 1, 12)), UnsupportedError);
  assert.throws(() => decodeRle(frameOf([0x00, 1]), info(1, 1, 8, 4)), UnsupportedError);
});

Deno.test("rle: random bytes never escape as RangeError", () => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let t = 0; t < 200; t++) {
    const frame = new Uint8Array(64 + (t % 40));
    for (let i = 64; i < frame.length; i++) frame[i] = rand();
    const view = new DataView(frame.buffer);
    view.setUint32(0, 2, true);
    view.setUint32(4, 64, true);
    view.setUint32(8, 64 + (rand() % (frame.length - 63)), true);
    try {
      decodeRle(frame, info(3, 3, 16));
    } catch (e) {
      assert.ok(e instanceof CodecError, `unexpected ${e}`);
    }
  }
});

Deno.test("rle: encode then decode round-trips every layout", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0);
  for (const bits of [8, 16, 32]) {
    for (const spp of [1, 3]) {
      const fi = info(17, 23, bits, spp);
      const n = 17 * 23 * spp;
      const data = bits === 8
        ? new Uint8Array(n)
        : bits === 16
        ? new Uint16Array(n)
        : new Uint32Array(n);
      // Runs and noise mixed.
      for (let i = 0; i < n; i++) data[i] = (i % 50 < 20) ? 1000 : rand();
      const frame = encodeRle(data, fi);
      assert.equal(new DataView(frame.buffer).getUint32(0, true), (bits / 8) * spp);
      assert.deepEqual(decodeRle(frame, fi), data, `${bits} bits x ${spp}`);
    }
  }
});

Deno.test("rle: corpus files match pydicom, every frame", async (t) => {
  if (corpusMissing()) return;
  const rows = manifest().filter((r) => r.transfer_syntax_uid === "1.2.840.10008.1.2.5");
  assert.ok(rows.length >= 9, `found ${rows.length} RLE files`);
  for (const row of rows) {
    await t.step(row.path, () => {
      const fi = frameInfoOf(row);
      const nFrames = Number(row.frames);
      const frames = corpusFrames(row);
      assert.equal(frames.length, nFrames);
      const oracle = oraclePixels(row);
      const perFrame = fi.rows * fi.columns * fi.samplesPerPixel;
      assert.equal(oracle.data.length, perFrame * nFrames);
      frames.forEach((frame, k) => {
        const out = decodeRle(frame, fi);
        const expected = oracle.data.subarray(k * perFrame, (k + 1) * perFrame);
        assert.equal(out.constructor.name, expected.constructor.name);
        const at = firstMismatch(out, expected as ArrayLike<number>);
        assert.equal(at, -1, `frame ${k} differs at ${at}: ${out[at]} vs ${expected[at]}`);
      });
    });
  }
});
