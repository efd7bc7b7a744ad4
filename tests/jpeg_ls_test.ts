import assert from "node:assert/strict";
import charlsFull from "@cornerstonejs/codec-charls/wasmjs";
import { codecFor } from "../lib/pixels/codecs/registry.ts";
import { decodeJpegLs, decodeJpegLsStream, jpegLs } from "../lib/pixels/codecs/jpeg_ls.ts";
import type { FrameInfo } from "../lib/pixels/codecs/types.ts";
import { CodecError, UnsupportedError } from "../lib/core/errors.ts";
import { corpusMissing, manifest } from "./_corpus.ts";
import { corpusFrames, firstMismatch, frameInfoOf, maxAbsDiff, oraclePixels } from "./_encap.ts";

// The encoder from the same package (full build), to make streams for the unit tests.
interface Encoder {
  getDecodedBuffer(fi: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  setNearLossless(near: number): void;
  setInterleaveMode(mode: number): void;
  encode(): void;
  delete(): void;
}
const charls = await (charlsFull as (arg: object) => Promise<{ JpegLSEncoder: new () => Encoder }>)(
  {},
);

function encode(
  samples: Uint8Array | Uint16Array,
  frame: { width: number; height: number; bitsPerSample: number; componentCount: number },
  interleaveMode = 0,
  near = 0,
): Uint8Array {
  const enc = new charls.JpegLSEncoder();
  try {
    enc.getDecodedBuffer(frame).set(
      new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
    );
    enc.setInterleaveMode(interleaveMode);
    enc.setNearLossless(near);
    enc.encode();
    return new Uint8Array(enc.getEncodedBuffer());
  } finally {
    enc.delete();
  }
}

function info(over: Partial<FrameInfo>): FrameInfo {
  return {
    rows: 4,
    columns: 5,
    samplesPerPixel: 1,
    bitsAllocated: 8,
    bitsStored: 8,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: "MONOCHROME2",
    ...over,
  };
}

Deno.test("jpeg-ls: codec object", () => {
  assert.equal(jpegLs.name, "JPEG-LS");
  assert.equal(codecFor("1.2.840.10008.1.2.4.80"), jpegLs);
  assert.equal(codecFor("1.2.840.10008.1.2.4.81"), jpegLs);
});

Deno.test("jpeg-ls: 8-bit lossless round trip", () => {
  const px = Uint8Array.from({ length: 20 }, (_, i) => (i * 37) % 256);
  const out = jpegLs.decode(
    encode(px, { width: 5, height: 4, bitsPerSample: 8, componentCount: 1 }),
    info({}),
  );
  assert.deepEqual(out, px);
});

Deno.test("jpeg-ls: colour in every interleave mode comes back interleaved", () => {
  const rgb = Uint8Array.from({ length: 60 }, (_, i) => (i * 11) % 256);
  const planar = new Uint8Array(60);
  for (let p = 0; p < 20; p++) for (let s = 0; s < 3; s++) planar[s * 20 + p] = rgb[p * 3 + s];
  const fi = info({ samplesPerPixel: 3, photometricInterpretation: "RGB" });
  const frame = { width: 5, height: 4, bitsPerSample: 8, componentCount: 3 };
  // CharLS takes interleave mode 0 input as planes, 1 and 2 as pixels.
  const ilv0 = encode(planar, frame, 0);
  assert.equal(decodeJpegLsStream(ilv0).stream.interleaveMode, 0);
  assert.deepEqual(decodeJpegLs(ilv0, fi), rgb);
  assert.deepEqual(decodeJpegLs(encode(rgb, frame, 1), fi), rgb);
  assert.deepEqual(decodeJpegLs(encode(rgb, frame, 2), fi), rgb);
});

Deno.test("jpeg-ls: signed 12-bit stream keeps its stored bits (as pydicom 2.3)", () => {
  const values = [-1000, -1, 0, 1, 2047, -2048, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const stored = Uint16Array.from(values, (v) => v & 0x0fff);
  const fi = info({ bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1 });
  const out = decodeJpegLs(
    encode(stored, { width: 5, height: 4, bitsPerSample: 12, componentCount: 1 }),
    fi,
  );
  assert.ok(out instanceof Int16Array);
  assert.deepEqual(Array.from(out.subarray(0, 6)), [3096, 4095, 0, 1, 2047, 2048]);
});

Deno.test("jpeg-ls: near-lossless stays within NEAR", () => {
  const px = Uint16Array.from({ length: 20 }, (_, i) => (i * 997) % 4096);
  const stream = encode(px, { width: 5, height: 4, bitsPerSample: 12, componentCount: 1 }, 0, 3);
  assert.equal(decodeJpegLsStream(stream).stream.near, 3);
  const out = decodeJpegLs(stream, info({ bitsAllocated: 16, bitsStored: 12 }));
  assert.ok(maxAbsDiff(out, px) <= 3);
});

Deno.test("jpeg-ls: bad streams and mismatches are CodecErrors", () => {
  const noise = Uint8Array.from({ length: 20 }, (_, i) => (i * 151 + 7) % 256);
  const good = encode(noise, {
    width: 5,
    height: 4,
    bitsPerSample: 8,
    componentCount: 1,
  });
  assert.throws(
    () => jpegLs.decode(new Uint8Array([1, 2, 3, 4, 5, 6, 0xff, 0xd9]), info({})),
    (e: unknown) => e instanceof CodecError && /^jpeg-ls: .*start byte/i.test(e.message),
  );
  // Truncated: refused before CharLS, which can spin for seconds on some of these.
  for (const cut of [1, 4, 8, 20]) {
    assert.throws(
      () => jpegLs.decode(good.subarray(0, good.length - cut), info({})),
      new RegExp(
        `jpeg-ls: stream does not end with an EOI marker .* at byte ${good.length - cut}$`,
      ),
    );
  }
  // EOI present but the scan cut short.
  const cutScan = new Uint8Array(good.length - 6);
  cutScan.set(good.subarray(0, good.length - 8));
  cutScan.set([0xff, 0xd9], cutScan.length - 2);
  assert.throws(() => jpegLs.decode(cutScan, info({})), CodecError);
  assert.throws(
    () => jpegLs.decode(good, info({ rows: 5 })),
    /stream is 4x5 with 1 component\(s\), the header says 5x5 with 1/,
  );
  assert.throws(() => jpegLs.decode(good, info({ bitsAllocated: 32 })), UnsupportedError);
  // Still usable after errors.
  assert.deepEqual(jpegLs.decode(good, info({})), noise);
});

Deno.test("jpeg-ls: corpus files match pydicom, every frame", async (t) => {
  if (corpusMissing()) return;
  const rows = manifest().filter((r) =>
    r.transfer_syntax_uid === "1.2.840.10008.1.2.4.80" ||
    r.transfer_syntax_uid === "1.2.840.10008.1.2.4.81"
  );
  assert.ok(rows.length >= 9, `found ${rows.length} JPEG-LS files`);
  for (const row of rows) {
    await t.step(row.path, () => {
      const fi = frameInfoOf(row);
      const nFrames = Number(row.frames);
      const frames = corpusFrames(row);
      const oracle = oraclePixels(row);
      const perFrame = fi.rows * fi.columns * fi.samplesPerPixel;
      assert.equal(oracle.data.length, perFrame * nFrames);
      frames.forEach((frame, k) => {
        const out = jpegLs.decode(frame, fi);
        const expected = oracle.data.subarray(k * perFrame, (k + 1) * perFrame);
        assert.equal(out.constructor.name, expected.constructor.name);
        // CharLS decodes exactly as GDCM (also CharLS) did, near-lossless included.
        const at = firstMismatch(out, expected as ArrayLike<number>);
        assert.equal(at, -1, `frame ${k} differs at ${at}: ${out[at]} vs ${expected[at]}`);
      });
    });
  }
});
