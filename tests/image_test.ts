/**
 * Unit tests of `lib/image`: the tutorial's exact scaling and the other scalings, PNG and
 * JPEG encoding checked with independent decoders (pngjs, jpeg-js), colormaps, `toImage`
 * and the atomic `saveImage`.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { UnsupportedError, ValueError } from "../lib/core/errors.ts";
import { PixelArray, type PixelTypedArray } from "../lib/pixels/pixel_array.ts";
import { scale, scaleTutorial } from "../lib/image/scale.ts";
import { decodePng, encodePng, type PngFilter } from "../lib/image/png.ts";
import { encodeJpeg } from "../lib/image/jpeg.ts";
import { applyColormap, type ColormapName, colormapTable } from "../lib/image/colormap.ts";
import { saveImage, saveImageSync, toImage } from "../lib/image/to_image.ts";
import { xorshift32 } from "./_make.ts";

function arr(data: PixelTypedArray, shape?: number[], multiFrame?: boolean): PixelArray {
  return new PixelArray(data, shape ?? [1, data.length], { multiFrame });
}

function values(a: PixelArray): number[] {
  return Array.from(a.data);
}

const random = xorshift32;

// Expected values below were computed with numpy 2 from the tutorial's recipe:
// x = a.astype(float); np.uint8(np.maximum(x, 0) / x.max() * 255.0)

Deno.test("scaleTutorial: uint16, signed int16 with negatives, uint8", () => {
  assert.deepEqual(
    values(scaleTutorial(arr(new Uint16Array([0, 1, 2, 4095, 2048, 100])))),
    [0, 0, 0, 255, 127, 6],
  );
  assert.deepEqual(
    values(scaleTutorial(arr(new Int16Array([-1024, -1, 0, 1, 3071, 1500])))),
    [0, 0, 0, 0, 255, 124],
  );
  assert.deepEqual(
    values(scaleTutorial(arr(new Uint8Array([0, 33, 128, 255, 3])))),
    [0, 33, 128, 255, 3],
  );
});

Deno.test("scaleTutorial: all zero, max 0 and negative max give zeros (numpy's NaN → 0)", () => {
  assert.deepEqual(values(scaleTutorial(arr(new Uint16Array(4)))), [0, 0, 0, 0]);
  assert.deepEqual(values(scaleTutorial(arr(new Int16Array([-5, -1, 0])))), [0, 0, 0]);
  assert.deepEqual(values(scaleTutorial(arr(new Int16Array([-5, -2])))), [0, 0]);
});

Deno.test("scaleTutorial: float input in float64, NaN and infinity as numpy", () => {
  assert.deepEqual(
    values(scaleTutorial(arr(new Float32Array([0.1, 0.5, 1.7, -3, 2.3])))),
    [11, 55, 188, 0, 255],
  );
  assert.deepEqual(values(scaleTutorial(arr(new Float64Array([1, NaN, 3])))), [0, 0, 0]);
  assert.deepEqual(
    values(scaleTutorial(arr(new Float64Array([1, Infinity, 3, -Infinity])))),
    [0, 0, 0, 0],
  );
});

Deno.test("scaleTutorial: keeps shape and frames, maximum over the whole array", () => {
  const mf = new PixelArray(new Uint16Array([0, 10, 20, 40]), [2, 1, 2], { multiFrame: true });
  const out = scaleTutorial(mf);
  assert.ok(out.data instanceof Uint8Array);
  assert.deepEqual(out.shape, [2, 1, 2]);
  assert.equal(out.multiFrame, true);
  assert.deepEqual(values(out), [0, 63, 127, 255]);
  assert.deepEqual(values(scaleTutorial(mf.frame(0))), [0, 255]);
});

Deno.test("scaleTutorial: lookup-table path equals the formula on the full int16 range", () => {
  const data = new Int16Array(65536);
  for (let i = 0; i < data.length; i++) data[i] = i - 32768;
  const out = scaleTutorial(arr(data));
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    assert.equal(out.data[i], v > 0 ? Math.trunc(v / 32767 * 255) : 0);
  }
});

Deno.test("scale: minmax, window and none at 8 bits", () => {
  const hu = arr(new Int16Array([-1000, 40, 80, 1000]));
  assert.deepEqual(values(scale(hu)), [0, 133, 138, 255]);
  assert.deepEqual(values(scale(hu, { window: { center: 40, width: 80 } })), [0, 129, 255, 255]);
  assert.deepEqual(values(scale(hu, { scaling: "none" })), [0, 40, 80, 255]);
  assert.deepEqual(values(scale(hu, { scaling: "tutorial" })), values(scaleTutorial(hu)));
  assert.deepEqual(values(scale(arr(new Float64Array([1.9, NaN, -2, 300])), { scaling: "none" })), [
    1,
    0,
    0,
    255,
  ]);
  assert.deepEqual(values(scale(arr(new Uint16Array([7, 7])))), [0, 0]);
  assert.throws(() => scale(hu, { window: { center: 40, width: 0 } }), ValueError);
  assert.throws(() => scale(hu, { window: { center: NaN, width: 10 } }), ValueError);
  assert.throws(() => scale(hu, { scaling: "tutorial", bitDepth: 16 }), ValueError);
});

Deno.test("scale: the 16-bit rule keeps unsigned values, rounds and shifts the others", () => {
  const u = scale(arr(new Uint16Array([0, 1, 65535])), { scaling: "none", bitDepth: 16 });
  assert.ok(u.data instanceof Uint16Array);
  assert.deepEqual(values(u), [0, 1, 65535]);
  const u8 = scale(arr(new Uint8Array([0, 1, 255])), { scaling: "none", bitDepth: 16 });
  assert.ok(u8.data instanceof Uint16Array);
  assert.deepEqual(values(u8), [0, 1, 255]);
  const s = scale(arr(new Int16Array([-32768, -1, 0, 32767])), { scaling: "none", bitDepth: 16 });
  assert.deepEqual(values(s), [0, 32767, 32768, 65535]);
  const s8 = scale(arr(new Int8Array([-128, 0, 127])), { scaling: "none", bitDepth: 16 });
  assert.deepEqual(values(s8), [0, 128, 255]);
  const f = scale(arr(new Float64Array([-5, 2.5, 2.4, 70000, NaN])), {
    scaling: "none",
    bitDepth: 16,
  });
  assert.deepEqual(values(f), [0, 3, 2, 65535, 0]);
  // a known bottom of the range shifts everything up by it
  const ct = scale(arr(new Float64Array([-1024, -0.6, 3071])), {
    scaling: "none",
    bitDepth: 16,
    minimum: -1024,
  });
  assert.deepEqual(values(ct), [0, 1023, 4095]);
  assert.deepEqual(
    values(scale(arr(new Int16Array([-10, 0, 10])), { scaling: "minmax", bitDepth: 16 })),
    [0, 32768, 65535],
  );
});

function pngjsRead(bytes: Uint8Array): { width: number; height: number; data: ArrayLike<number> } {
  return PNG.sync.read(Buffer.from(bytes), { skipRescale: true });
}

/** pngjs gives RGBA: the channels of `pixels` expanded the same way (alpha opaque if none). */
function asRgba(pixels: Uint8Array | Uint16Array, channels: number): number[] {
  const opaque = pixels instanceof Uint16Array ? 65535 : 255;
  const out: number[] = [];
  for (let i = 0; i < pixels.length; i += channels) {
    const p = pixels;
    if (channels === 1) out.push(p[i], p[i], p[i], opaque);
    else if (channels === 2) out.push(p[i], p[i], p[i], p[i + 1]);
    else out.push(p[i], p[i + 1], p[i + 2], channels === 4 ? p[i + 3] : opaque);
  }
  return out;
}

Deno.test("png: 8/16-bit gray, gray+alpha, RGB, RGBA round-trip exactly (pngjs, decodePng)", () => {
  const rand = random(7);
  const filters: PngFilter[] = ["none", "sub", "up", "average", "paeth", "adaptive"];
  for (const [width, height] of [[1, 1], [5, 3], [64, 33]]) {
    for (const channels of [1, 2, 3, 4] as const) {
      for (const depth of [8, 16]) {
        const n = width * height * channels;
        const pixels = depth === 8 ? new Uint8Array(n) : new Uint16Array(n);
        // Smooth ramps plus noise, so that every filter gets something to predict.
        for (let i = 0; i < n; i++) {
          pixels[i] = Math.floor(((i % 50) * 5 + rand() * 20) * (depth === 8 ? 1 : 250));
        }
        for (const filter of filters) {
          const png = encodePng(pixels, { width, height, channels, filter });
          const ours = decodePng(png);
          assert.equal(ours.width, width);
          assert.equal(ours.height, height);
          assert.equal(ours.channels, channels);
          assert.equal(ours.bitDepth, depth);
          assert.deepEqual(Array.from(ours.data), Array.from(pixels), `${filter} ${depth}`);
          const theirs = pngjsRead(png);
          assert.equal(theirs.width, width);
          assert.deepEqual(Array.from(theirs.data), asRgba(pixels, channels), `pngjs ${filter}`);
        }
      }
    }
  }
});

Deno.test("png: header fields, zlib levels and strategies all decode the same", () => {
  const pixels = new Uint8Array(40 * 30).map((_, i) => (i * 7) % 256);
  const png = encodePng(pixels, { width: 40, height: 30 });
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer);
  assert.equal(view.getUint32(16), 40);
  assert.equal(view.getUint32(20), 30);
  assert.deepEqual(Array.from(png.subarray(24, 29)), [8, 0, 0, 0, 0]);
  for (const level of [0, 1, 6, 9]) {
    for (const strategy of ["rle", "filtered", "default"] as const) {
      const out = decodePng(encodePng(pixels, { width: 40, height: 30, level, strategy }));
      assert.deepEqual(Array.from(out.data), Array.from(pixels));
    }
  }
  assert.throws(() => encodePng(pixels, { width: 41, height: 30 }), ValueError);
  assert.throws(() => encodePng(pixels, { width: 40, height: 30, level: 10 }), ValueError);
});

Deno.test("png: decodePng reads what pngjs writes (gray, RGB, RGBA)", () => {
  const rand = random(3);
  for (const colorType of [0, 2, 6]) {
    const width = 9, height = 4;
    const rgba = new Uint8Array(width * height * 4).map(() => Math.floor(rand() * 256));
    for (let i = 0; i < width * height; i++) {
      if (colorType === 0) rgba[4 * i + 1] = rgba[4 * i + 2] = rgba[4 * i];
      if (colorType !== 6) rgba[4 * i + 3] = 255;
    }
    const img = new PNG({ width, height });
    img.data = Buffer.from(rgba);
    const bytes = new Uint8Array(PNG.sync.write(img, { colorType } as never));
    const out = decodePng(bytes);
    const channels = colorType === 0 ? 1 : colorType === 2 ? 3 : 4;
    assert.equal(out.channels, channels);
    const expected: number[] = [];
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < channels; c++) expected.push(rgba[4 * i + c]);
    }
    assert.deepEqual(Array.from(out.data), expected);
  }
});

/** A smooth test picture: a disc with a gradient, like a phantom. */
function phantom(width: number, height: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(x - width / 2, y - height / 2) / (Math.min(width, height) / 2);
      const v = r < 0.9 ? 60 + 150 * (x / width) : 20;
      for (let c = 0; c < channels; c++) {
        out[(y * width + x) * channels + c] = Math.round(v * (1 - 0.3 * c * (y / height)));
      }
    }
  }
  return out;
}

function sofMarkers(bytes: Uint8Array): number[] {
  const found: number[] = [];
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      found.push(marker);
    }
    if (marker === 0xda) break;
    pos += 2 + ((bytes[pos + 2] << 8) | bytes[pos + 3]);
  }
  return found;
}

Deno.test("jpeg: both encoders write baseline JPEGs that jpeg-js decodes within tolerance", () => {
  for (const encoder of ["libjpeg-turbo", "typescript"] as const) {
    for (const channels of [1, 3] as const) {
      const [width, height] = [96, 80];
      const pixels = phantom(width, height, channels);
      const bytes = encodeJpeg(pixels, { width, height, channels, quality: 90, encoder });
      assert.deepEqual(Array.from(bytes.subarray(0, 2)), [0xff, 0xd8]);
      assert.deepEqual(Array.from(bytes.subarray(-2)), [0xff, 0xd9]);
      assert.deepEqual(sofMarkers(bytes), [0xc0], `${encoder}: baseline SOF0 only`);
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      assert.equal(decoded.width, width);
      assert.equal(decoded.height, height);
      let sum = 0;
      let max = 0;
      for (let i = 0; i < width * height; i++) {
        for (let c = 0; c < channels; c++) {
          const e = Math.abs(decoded.data[4 * i + c] - pixels[i * channels + c]);
          sum += e;
          max = Math.max(max, e);
        }
      }
      const mean = sum / (width * height * channels);
      assert.ok(mean < 1.5, `${encoder} ${channels}: mean error ${mean}`);
      assert.ok(max <= 40, `${encoder} ${channels}: max error ${max}`);
    }
  }
});

Deno.test("jpeg: quality changes the size; tiny images fall back; bad input throws", () => {
  const pixels = phantom(64, 64, 1);
  const small = encodeJpeg(pixels, { width: 64, height: 64, quality: 20 });
  const large = encodeJpeg(pixels, { width: 64, height: 64, quality: 100 });
  assert.ok(small.length < large.length);
  for (const [w, h, c] of [[1, 1, 1], [1, 1, 3], [7, 5, 1], [3, 2, 3]] as const) {
    const px = new Uint8Array(w * h * c).map((_, i) => (i * 97) % 256);
    const bytes = encodeJpeg(px, { width: w, height: h, channels: c, quality: 100 });
    const decoded = jpeg.decode(bytes, { useTArray: true });
    assert.equal(decoded.width, w);
    assert.equal(decoded.height, h);
  }
  assert.throws(
    () => encodeJpeg(new Uint8Array(1), { width: 1, height: 1, encoder: "libjpeg-turbo" }),
    ValueError,
  );
  assert.throws(() => encodeJpeg(pixels, { width: 64, height: 64, quality: 0 }), ValueError);
  assert.throws(() => encodeJpeg(pixels, { width: 64, height: 63 }), ValueError);
});

Deno.test("colormap: matplotlib's endpoints and sample entries", () => {
  const entry = (name: ColormapName, v: number) =>
    Array.from(colormapTable(name).subarray(3 * v, 3 * v + 3));
  assert.deepEqual(entry("gray", 0), [0, 0, 0]);
  assert.deepEqual(entry("gray", 255), [255, 255, 255]);
  assert.deepEqual(entry("gray", 33), [32, 32, 32]); // matplotlib truncates 32.99999...
  assert.deepEqual(entry("bone", 0), [0, 0, 0]);
  assert.deepEqual(entry("bone", 128), [112, 123, 143]);
  assert.deepEqual(entry("bone", 255), [255, 255, 255]);
  assert.deepEqual(entry("hot", 0), [10, 0, 0]);
  assert.deepEqual(entry("hot", 100), [255, 18, 0]);
  assert.deepEqual(entry("hot", 255), [255, 255, 255]);
  assert.deepEqual(entry("jet", 0), [0, 0, 127]);
  assert.deepEqual(entry("jet", 128), [124, 255, 121]);
  assert.deepEqual(entry("jet", 255), [127, 0, 0]);
  assert.deepEqual(entry("viridis", 0), [68, 1, 84]);
  assert.deepEqual(entry("viridis", 128), [32, 144, 140]);
  assert.deepEqual(entry("viridis", 255), [253, 231, 36]);
  assert.throws(() => colormapTable("nope" as "gray"), ValueError);
});

Deno.test("colormap: applyColormap maps uint8 gray to RGB, keeps frames", () => {
  const mf = new PixelArray(new Uint8Array([0, 255, 255, 0]), [2, 1, 2], { multiFrame: true });
  const rgb = applyColormap(mf, "hot");
  assert.deepEqual(rgb.shape, [2, 1, 2, 3]);
  assert.equal(rgb.multiFrame, true);
  assert.deepEqual(values(rgb), [10, 0, 0, 255, 255, 255, 255, 255, 255, 10, 0, 0]);
  assert.throws(() => applyColormap(arr(new Uint16Array([1])), "hot"), ValueError);
  assert.throws(() => applyColormap(arr(new Uint8Array(3), [1, 1, 3]), "hot"), ValueError);
});

Deno.test("toImage: the tutorial's scaling by default for every input type, uint8 included", () => {
  const ct = arr(new Int16Array([-1000, 0, 40, 1200, 3000, 600]), [2, 3]);
  const png = decodePng(toImage(ct));
  assert.equal(png.width, 3);
  assert.equal(png.height, 2);
  assert.equal(png.channels, 1);
  assert.deepEqual(Array.from(png.data), values(scaleTutorial(ct)));
  const u8 = arr(new Uint8Array([0, 33, 200, 7]), [2, 2]);
  // max 200: 33 / 200 * 255 = 42.08, 7 / 200 * 255 = 8.9
  assert.deepEqual(Array.from(decodePng(toImage(u8)).data), [0, 42, 255, 8]);
  assert.deepEqual(Array.from(decodePng(toImage(u8, { scaling: "none" })).data), [0, 33, 200, 7]);
  const win = decodePng(toImage(ct, { window: { center: 40, width: 400 } }));
  assert.deepEqual(Array.from(win.data), values(scale(ct, { window: { center: 40, width: 400 } })));
  assert.throws(() => toImage(ct, { window: 0 }), /window 0 is an index/);
});

Deno.test("toImage: a 0/1 mask stored in 8 bits comes out 0/255, not black (issue 11)", () => {
  const rows = 4, cols = 6;
  const mask = new Uint8Array(rows * cols);
  for (let y = 1; y < 3; y++) for (let x = 2; x < 5; x++) mask[y * cols + x] = 1;
  const png = decodePng(toImage(arr(mask, [rows, cols])));
  assert.deepEqual(Array.from(png.data), Array.from(mask, (v) => v * 255));
  const jpg = jpeg.decode(toImage(arr(mask, [rows, cols]), { format: "jpeg", quality: 100 }));
  assert.ok(Math.max(...jpg.data) > 200, "the JPEG is not black");
  // 7-bit data in 8 bits is stretched to the full range as well
  const seven = decodePng(toImage(arr(new Uint8Array([0, 64, 127]), [1, 3])));
  assert.deepEqual(Array.from(seven.data), [0, 128, 255]);
  // the bytes kept as they are when asked
  const none = decodePng(toImage(arr(mask, [rows, cols]), { scaling: "none" }));
  assert.deepEqual(Array.from(none.data), Array.from(mask));
});

Deno.test("toImage: cmap is colormap's alias; both given must agree", () => {
  const a = arr(new Uint8Array([0, 128, 255, 64]), [2, 2]);
  assert.deepEqual(toImage(a, { cmap: "bone" }), toImage(a, { colormap: "bone" }));
  assert.deepEqual(toImage(a, { cmap: "hot", colormap: "hot" }), toImage(a, { colormap: "hot" }));
  assert.throws(() => toImage(a, { cmap: "hot", colormap: "bone" }), ValueError);
});

Deno.test("toImage: frame of a multi-frame, RGB, colormap, 16-bit", () => {
  const mf = new PixelArray(new Uint16Array([0, 5, 10, 20, 0, 100, 50, 200]), [2, 2, 2], {
    multiFrame: true,
  });
  const f1 = decodePng(toImage(mf, { frame: 1 }));
  assert.deepEqual(Array.from(f1.data), [0, 127, 63, 255]);
  assert.throws(() => toImage(mf, { frame: 2 }), RangeError);
  const rgb = arr(new Uint8Array([255, 0, 0, 0, 255, 0]), [1, 2, 3]);
  const rgbPng = decodePng(toImage(rgb));
  assert.equal(rgbPng.channels, 3);
  assert.deepEqual(Array.from(rgbPng.data), [255, 0, 0, 0, 255, 0]);
  const hot = decodePng(toImage(arr(new Uint8Array([0, 255]), [1, 2]), { colormap: "hot" }));
  assert.equal(hot.channels, 3);
  assert.deepEqual(Array.from(hot.data), [10, 0, 0, 255, 255, 255]);
  const signed = decodePng(
    toImage(arr(new Int16Array([-1000, 0, 3000]), [1, 3]), { bitDepth: 16 }),
  );
  assert.equal(signed.bitDepth, 16);
  assert.deepEqual(Array.from(signed.data), [31768, 32768, 35768]);
  const kept = decodePng(toImage(arr(new Uint16Array([4095, 1]), [1, 2]), { bitDepth: 16 }));
  assert.deepEqual(Array.from(kept.data), [4095, 1]);
  assert.throws(() => toImage(rgb, { colormap: "hot" }), UnsupportedError);
  assert.throws(() => toImage(rgb, { format: "jpeg", bitDepth: 16 }), UnsupportedError);
  assert.throws(() => toImage(rgb, { bitDepth: 16, scaling: "tutorial" }), ValueError);
});

Deno.test("toImage: JPEG output decodes to the scaled picture", () => {
  const data = new Uint16Array(64 * 48);
  for (let i = 0; i < data.length; i++) data[i] = (i % 64) * 64;
  const img = arr(data, [48, 64]);
  const bytes = toImage(img, { format: "jpeg", quality: 95 });
  const decoded = jpeg.decode(bytes, { useTArray: true });
  assert.equal(decoded.width, 64);
  assert.equal(decoded.height, 48);
  const expected = scaleTutorial(img).data;
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    max = Math.max(max, Math.abs(decoded.data[4 * i] - expected[i]));
  }
  assert.ok(max <= 6, `max error ${max}`);
});

Deno.test("saveImage: format from the extension, written atomically, no temp file left", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const img = arr(new Uint16Array([0, 100, 200, 4095]), [2, 2]);
    await saveImage(`${dir}/a.png`, img);
    await saveImage(`${dir}/b.JPG`, img, { quality: 90 });
    saveImageSync(`${dir}/c.jpeg`, img);
    const names = Array.from(Deno.readDirSync(dir), (e) => e.name).sort();
    assert.deepEqual(names, ["a.png", "b.JPG", "c.jpeg"]);
    const a = Deno.readFileSync(`${dir}/a.png`);
    assert.deepEqual(Array.from(decodePng(a).data), values(scaleTutorial(img)));
    assert.deepEqual(Array.from(Deno.readFileSync(`${dir}/b.JPG`).subarray(0, 2)), [0xff, 0xd8]);
    // Overwriting replaces the whole file.
    await saveImage(`${dir}/a.png`, arr(new Uint8Array([9]), [1, 1]), { scaling: "none" });
    assert.deepEqual(Array.from(decodePng(Deno.readFileSync(`${dir}/a.png`)).data), [9]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveImage: an error leaves no file and no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const img = arr(new Uint16Array([0, 100, 200, 4095]), [2, 2]);
    await assert.rejects(() => saveImage(`${dir}/x.tiff`, img), ValueError);
    await assert.rejects(() => saveImage(`${dir}/x.png`, img, { format: "jpeg" }), ValueError);
    await assert.rejects(
      () => saveImage(`${dir}/x.jpg`, img, { bitDepth: 16 }),
      UnsupportedError,
    );
    // The rename fails: the target is a folder.
    Deno.mkdirSync(`${dir}/busy.png/inner`, { recursive: true });
    await assert.rejects(() => saveImage(`${dir}/busy.png`, img), Deno.errors.IsADirectory);
    assert.throws(() => saveImageSync(`${dir}/busy.png`, img));
    // The write fails: no such folder.
    await assert.rejects(() => saveImage(`${dir}/missing/x.png`, img), Deno.errors.NotFound);
    const names = Array.from(Deno.readDirSync(dir), (e) => e.name);
    assert.deepEqual(names, ["busy.png"]);
    assert.deepEqual(Array.from(Deno.readDirSync(`${dir}/busy.png`), (e) => e.name), ["inner"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
