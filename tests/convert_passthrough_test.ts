/**
 * Frame pass-through (`passthrough: true`, `--passthrough`): JPEG Baseline frames that can
 * be shown as stored are written as they are (`encodedFrame`'s bytes); the written `.jpg`,
 * decoded by an independent decoder (jpeg-js), matches the normal pipeline's picture
 * within a stated tolerance; instances that cannot be shown so take the normal way and
 * the report says which took which.
 */
import assert from "node:assert/strict";
import jpeg from "jpeg-js";
import { convertFileSet } from "../lib/convert/mod.ts";
import { type Dataset, read, write } from "../mod.ts";
import { convertColorSpace, encodedFrame, pixelArray } from "../lib/pixels/mod.ts";
import { encodeJpeg, renderTutorial8, scaleTutorial } from "../lib/image/mod.ts";
import { JPEG_BASELINE } from "../lib/core/mod.ts";
import { encapsulate, listFiles, runConvert, slice, tempDir } from "./_convert_helpers.ts";

/**
 * Largest difference, in grey (or colour) levels, between jpeg-js's decoding of a stored
 * frame and the normal pipeline's picture of the same frame: both decode the same stream,
 * with different IDCTs, chroma upsampling and YCbCr conversions.
 */
const TOLERANCE = 3;

const SIZE = 32;

/** A gray 8-bit picture with values over 0..255 (255 present: the tutorial's stretch is 1). */
function grayPixels(): Uint8Array {
  const p = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) p[y * SIZE + x] = Math.min(255, (x * 8 + y * 3) % 256 + 10);
  }
  p[0] = 255;
  return p;
}

function rgbPixels(): Uint8Array {
  const p = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < SIZE * SIZE; i++) {
    p[3 * i] = (i * 7) % 256;
    p[3 * i + 1] = 255 - (i % 256);
    p[3 * i + 2] = (i * 3) % 200;
  }
  p[0] = 255;
  return p;
}

/** Removes the JFIF APP0 segment of a JPEG stream (no colour-transform marker left). */
function withoutApp0(stream: Uint8Array): Uint8Array {
  if (stream[2] !== 0xff || stream[3] !== 0xe0) return stream;
  const length = (stream[4] << 8) | stream[5];
  const out = new Uint8Array(stream.length - 2 - length);
  out.set(stream.subarray(0, 2));
  out.set(stream.subarray(4 + length), 2);
  return out;
}

/** Instance `n` as JPEG Baseline with the given frame and photometric interpretation. */
function jpegInstance(n: number, frame: Uint8Array, pi: string, samples: 1 | 3): Dataset {
  const ds = slice(n - 1, { slices: 6, size: SIZE });
  for (const k of ["RescaleSlope", "RescaleIntercept", "WindowCenter", "WindowWidth"]) ds.delete(k);
  ds.set("BitsAllocated", 8);
  ds.set("BitsStored", 8);
  ds.set("HighBit", 7);
  ds.set("PixelRepresentation", 0);
  ds.set("SamplesPerPixel", samples);
  ds.set("PhotometricInterpretation", pi);
  if (samples === 3) ds.set("PlanarConfiguration", 0);
  return encapsulate(ds, [frame], JPEG_BASELINE);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** jpeg-js's picture: gray values, or RGB without jpeg-js's alpha channel. */
function decodeIndependently(bytes: Uint8Array, channels: 1 | 3): number[] {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  const out: number[] = [];
  for (let i = 0; i < img.width * img.height; i++) {
    for (let c = 0; c < channels; c++) out.push(img.data[4 * i + c]);
  }
  return out;
}

Deno.test("passthrough: stored JPEG frames that can be shown are written as they are; the others the normal way", async () => {
  const dir = tempDir();
  try {
    const gray = encodeJpeg(grayPixels(), { width: SIZE, height: SIZE, quality: 90 });
    const rgb = encodeJpeg(rgbPixels(), { width: SIZE, height: SIZE, channels: 3, quality: 90 });
    const windowed = jpegInstance(3, gray, "MONOCHROME2", 1);
    windowed.set("WindowCenter", 100);
    windowed.set("WindowWidth", 50);
    const instances = [
      jpegInstance(1, gray, "MONOCHROME2", 1), // passes
      jpegInstance(2, rgb, "YBR_FULL_422", 3), // passes
      windowed, // a VOI step: normal way
      jpegInstance(4, withoutApp0(rgb), "RGB", 3), // RGB without a colour-transform marker
      jpegInstance(5, rgb, "RGB", 3), // RGB whose stream says YCbCr (JFIF): passes
    ];
    Deno.mkdirSync(`${dir}/in`);
    instances.forEach((ds, i) => Deno.writeFileSync(`${dir}/in/IM${i + 1}`, write(ds)));
    const report = await convertFileSet(`${dir}/in`, `${dir}/out`, { passthrough: true, jobs: 1 });
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.passedThrough!.map((p) => p.slice(-3)), ["IM1", "IM2", "IM5"]);
    const normal = await convertFileSet(`${dir}/in`, `${dir}/normal`, { jobs: 1 });
    assert.equal(normal.passedThrough, undefined);
    const series = `${dir}/out/PHANTOM01/20240115/2`;
    for (let n = 1; n <= 5; n++) {
      const ds = read(`${dir}/in/IM${n}`);
      const written = Deno.readFileSync(`${series}/${n}.jpg`);
      const normalBytes = Deno.readFileSync(`${dir}/normal/PHANTOM01/20240115/2/${n}.jpg`);
      if (n === 3 || n === 4) {
        assert.deepEqual(written, normalBytes, `instance ${n} took the normal way`);
        continue;
      }
      assert.deepEqual(written, encodedFrame(ds, 0), `instance ${n} is the stored frame`);
      // jpeg-js's picture of the written file against the normal pipeline's, before
      // encoding (colour: its decoding of the same stream, as RGB)
      const channels = n === 1 ? 1 : 3;
      // (instance 5: RGB-labelled, but its JFIF stream holds YCbCr, which pixelArray keeps
      // as pydicom does: converted here as every JPEG viewer converts it)
      const picture = n === 1
        ? renderTutorial8(pixelArray(ds), ds).data
        : n === 2
        ? scaleTutorial(pixelArray(ds, { asRgb: true })).data
        : scaleTutorial(convertColorSpace(pixelArray(ds), "YBR_FULL", { to: "RGB" })).data;
      const diff = maxDiff(decodeIndependently(written, channels), picture);
      assert.ok(diff <= TOLERANCE, `instance ${n}: ${diff} levels apart`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("passthrough: multi-frame instances pass frame by frame; --passthrough on the command line", async () => {
  const dir = tempDir();
  try {
    const frames = [0, 1, 2].map((k) => {
      const p = grayPixels().map((v) => (v + k * 40) % 256);
      p[0] = 255;
      return encodeJpeg(p, { width: SIZE, height: SIZE, quality: 80 });
    });
    const ds = encapsulate(jpegInstance(1, frames[0], "MONOCHROME2", 1), frames, JPEG_BASELINE);
    ds.set("NumberOfFrames", 3);
    Deno.mkdirSync(`${dir}/in`);
    Deno.writeFileSync(`${dir}/in/IM1`, write(ds));
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--passthrough", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).passedThrough, [`${dir}/in/IM1`]);
    assert.deepEqual(
      listFiles(`${dir}/out`),
      [0, 1, 2].map((f) => `PHANTOM01/20240115/2/1_${f}.jpg`),
    );
    const stored = read(`${dir}/in/IM1`);
    for (const f of [0, 1, 2]) {
      const written = Deno.readFileSync(`${dir}/out/PHANTOM01/20240115/2/1_${f}.jpg`);
      assert.deepEqual(written, encodedFrame(stored, f));
      // the encoder's stream, plus the fragment's padding byte when its length is odd
      assert.deepEqual(written.subarray(0, frames[f].length), frames[f]);
      assert.ok(written.length - frames[f].length <= 1);
    }
    const bad = await runConvert([`${dir}/in`, `${dir}/x`, "--passthrough", "--format", "png"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /passthrough needs format "jpeg"/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
