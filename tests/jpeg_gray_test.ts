/**
 * The grayscale JPEG encoder (`lib/image/_jpeg_gray.ts`): byte for byte what Pillow 9.4
 * (libjpeg-turbo 2.1.5) writes for the same pixels (SHA-256 of Pillow's files, made with
 * `Image.frombytes("L", (w, h), raw).save(f, quality=q)`), and decodable by an
 * independent decoder (jpeg-js) within JPEG's error.
 */
import assert from "node:assert/strict";
import jpeg from "jpeg-js";
import { encodeGrayJpeg } from "../lib/image/_jpeg_gray.ts";
import { encodeJpeg } from "../lib/image/jpeg.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { renderTutorial8 } from "../lib/image/tutorial.ts";
import { xorshift32 } from "./_make.ts";

const random = xorshift32;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function ctImage(): Uint8Array {
  const ds = makeCtSlice(6);
  return renderTutorial8(pixelArray(ds), ds).data as Uint8Array;
}

/** The noise images: one generator, drawn in this order. */
function noiseImages(): Map<string, Uint8Array> {
  const rnd = random(7);
  const out = new Map<string, Uint8Array>();
  for (const [w, h] of [[1, 1], [13, 7], [61, 35]]) {
    out.set(`${w}x${h}`, new Uint8Array(w * h).map(() => (rnd() * 256) | 0));
  }
  return out;
}

Deno.test("jpeg gray: byte-identical to Pillow on the phantom's tutorial picture", async () => {
  const img = ctImage();
  const q75 = encodeGrayJpeg(img, 512, 512, 75);
  assert.equal(q75.length, 46850);
  assert.equal(
    await sha256(q75),
    "68b034217a6f5b3c4c3e12251fbabe82692319d4530da91413baae3e49bc103b",
  );
  const q95 = encodeGrayJpeg(img, 512, 512, 95);
  assert.equal(q95.length, 87734);
  assert.equal(
    await sha256(q95),
    "184877e6804601584e2aaf43bec7d7b391e53c00a1c9ff3ae1339a2e3b1c0a7e",
  );
});

Deno.test("jpeg gray: byte-identical to Pillow on noise, edge blocks, qualities 1/50/100", async () => {
  const want: Record<string, [number, string][]> = {
    "1x1": [
      [1, "fbe0a07bcb25ac69dabca931ac1a03964828ad4b28ce33c317f1ff9193f34b76"],
      [50, "78cb42b3269d5e382391c03b916260aef13030af183e4ef9485de63aa66c761b"],
      [100, "0dda549137c3b3eecd17d91d44b3fb15cd1f39af81a648ced6b84febe7ba3251"],
    ],
    "13x7": [
      [1, "05918cc6401dc5353b18498ae5e6eb6881ab2fb560dd542b1e66a3a877a11628"],
      [50, "14cbeb084b7113a6330ad5f3cb9e272b61f81ccc2cc9952ecdfe960e09629a8e"],
      [100, "85a70ab2aee6e6d6bef80c3f96dda37f08e9b7bf3ee14456718f108aae676e9a"],
    ],
    "61x35": [
      [1, "f589f13d5791b2cf665154c9af68c1f10bfc5998273bb8e13b0ca1d58f3a6490"],
      [50, "febc4707d91586f15fc20fc7cbd145c479b17117a8978a8bac22b8864b5560fd"],
      [100, "cd5df10feb4122cdf23c26dd415741d587ada16ac20eeb5de79002c1eed9014d"],
    ],
  };
  for (const [size, img] of noiseImages()) {
    const [w, h] = size.split("x").map(Number);
    for (const [quality, hash] of want[size]) {
      assert.equal(await sha256(encodeGrayJpeg(img, w, h, quality)), hash, `${size} q${quality}`);
    }
  }
});

Deno.test("jpeg gray: jpeg-js decodes it within JPEG's error; unaligned input is the same", () => {
  const img = ctImage();
  const bytes = encodeGrayJpeg(img, 512, 512, 90);
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  assert.equal(decoded.width, 512);
  assert.equal(decoded.height, 512);
  let sum = 0, max = 0;
  for (let i = 0; i < img.length; i++) {
    const e = Math.abs(decoded.data[3 * i] - img[i]);
    sum += e;
    max = Math.max(max, e);
  }
  // libjpeg-turbo's WebAssembly build: mean 1.226, max 20 on this noisy picture at q90
  assert.ok(sum / img.length < 1.25, `mean error ${sum / img.length}`);
  assert.ok(max <= 20, `max error ${max}`);
  // the same pixels at an odd byte offset (no 32-bit fast path) give the same bytes
  const shifted = new Uint8Array(img.length + 1);
  shifted.set(img, 1);
  assert.deepEqual(encodeGrayJpeg(shifted.subarray(1), 512, 512, 90), bytes);
  // widths not a multiple of 4 take the byte path: same result as libjpeg's (checked by
  // the 13x7 and 61x35 hashes above); uniform and edge blocks are mixed here
  const flat = new Uint8Array(30 * 18).map((_, i) => (i % 30 < 15 ? 0 : 255));
  const flatJpg = encodeGrayJpeg(flat, 30, 18, 75);
  const back = jpeg.decode(flatJpg, { useTArray: true, formatAsRGBA: false });
  assert.equal(back.data[0], 0);
  assert.equal(back.data[3 * 29], 255);
});

Deno.test("jpeg gray: encodeJpeg uses it for grayscale by default", () => {
  const img = ctImage();
  assert.deepEqual(encodeJpeg(img, { width: 512, height: 512 }), encodeGrayJpeg(img, 512, 512, 75));
  assert.deepEqual(
    encodeJpeg(img, { width: 512, height: 512, quality: 40, encoder: "typescript" }),
    encodeGrayJpeg(img, 512, 512, 40),
  );
});
