/**
 * Image export benchmarks on one 512x512 CT slice: the tutorial's 8-bit scaling, each PNG
 * setting (ours on `node:zlib` and npm `pngjs`), each JPEG encoder (libjpeg-turbo
 * WebAssembly, our TypeScript baseline encoder, npm `jpeg-js`) and `toImage` end to end.
 *
 * The slice is pydicom's `pixel_array` of the corpus file 693_J2KR.dcm (int16 CT) when
 * `../shared/corpus` is there, else a synthetic phantom of the same size (a noisy body
 * disc on a black background), so the benches always run.
 *
 * Run with `deno bench -A bench/image_bench.ts`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { PNG } from "pngjs";
import jpegJs from "jpeg-js";
import { ORACLE, readNpy } from "../tests/_corpus.ts";
import { PixelArray } from "../lib/pixels/pixel_array.ts";
import { scale, scaleTutorial } from "../lib/image/scale.ts";
import { encodePng, type EncodePngOptions } from "../lib/image/png.ts";
import { encodeJpeg } from "../lib/image/jpeg.ts";
import { applyColormap } from "../lib/image/colormap.ts";
import { toImage } from "../lib/image/to_image.ts";

function phantom(): PixelArray {
  const size = 512;
  const data = new Int16Array(size * size);
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 40;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot((x - 256) / 220, (y - 256) / 180);
      const organ = Math.hypot((x - 200) / 50, (y - 230) / 40) < 1 ? 60 : 0;
      const bone = r > 0.85 && r < 0.95 ? 900 : 0;
      data[y * size + x] = r < 1 ? 1024 + 40 + organ + bone + noise() : -3000;
    }
  }
  return new PixelArray(data, [size, size]);
}

function slice(): PixelArray {
  try {
    const npy = readNpy(`${ORACLE}/693_J2KR.dcm.pixel_array.npy.gz`);
    return new PixelArray(npy.data as Int16Array, npy.shape);
  } catch {
    console.warn("!!! ../shared/corpus not found: image benches run on a synthetic phantom !!!");
    return phantom();
  }
}

const ct = slice();
const ct16 = new PixelArray(new Uint16Array(ct.data.length), ct.shape);
for (let i = 0; i < ct.data.length; i++) ct16.data[i] = Math.max(0, ct.data[i]);
const gray = scaleTutorial(ct).data as Uint8Array;
const rgb = applyColormap(scaleTutorial(ct), "bone").data as Uint8Array;
const rgba = new Uint8Array(gray.length * 4);
for (let i = 0; i < gray.length; i++) rgba.set([gray[i], gray[i], gray[i], 255], 4 * i);
const size = { width: 512, height: 512 };

Deno.bench("scaleTutorial, int16 (lookup table)", { group: "scale", baseline: true }, () => {
  scaleTutorial(ct);
});
Deno.bench("scaleTutorial, uint16 (lookup table)", { group: "scale" }, () => {
  scaleTutorial(ct16);
});
Deno.bench("scale, window 40/400", { group: "scale" }, () => {
  scale(ct, { window: { center: 1064, width: 400 } });
});
Deno.bench("applyColormap bone", { group: "scale" }, () => {
  applyColormap(scaleTutorial(ct), "bone");
});

const pngSettings: [string, Omit<EncodePngOptions, "width" | "height">][] = [
  ["Paeth / RLE (default)", {}],
  ["Up / RLE", { filter: "up" }],
  ["adaptive / RLE", { filter: "adaptive" }],
  ["Up / default / 1", { filter: "up", strategy: "default", level: 1 }],
  ["Up / default / 6", { filter: "up", strategy: "default", level: 6 }],
  ["adaptive / default / 6", { filter: "adaptive", strategy: "default", level: 6 }],
  ["adaptive / default / 9", { filter: "adaptive", strategy: "default", level: 9 }],
];
for (const [name, options] of pngSettings) {
  const bytes = encodePng(gray, { ...size, ...options }).length;
  Deno.bench(`png ${name}: ${bytes} bytes`, {
    group: "png 8-bit gray",
    baseline: name.endsWith("(default)"),
  }, () => {
    encodePng(gray, { ...size, ...options });
  });
}
const pngjsImage = new PNG({ ...size, colorType: 0, inputColorType: 0, inputHasAlpha: false });
pngjsImage.data = Buffer.from(gray);
const pngjsOptions = { colorType: 0, inputColorType: 0, inputHasAlpha: false };
for (
  const [name, extra] of [
    ["defaults (adaptive / RLE / 9)", {}],
    ["adaptive / default / 6", { deflateStrategy: 0, deflateLevel: 6 }],
  ] as const
) {
  const options = { ...pngjsOptions, ...extra } as never;
  const bytes = PNG.sync.write(pngjsImage, options).length;
  Deno.bench(`npm:pngjs ${name}: ${bytes} bytes`, { group: "png 8-bit gray" }, () => {
    PNG.sync.write(pngjsImage, options);
  });
}
Deno.bench("png 16-bit gray, Paeth / RLE", { group: "png 16-bit gray" }, () => {
  encodePng(ct16.data as Uint16Array, size);
});

const jpegGray = [
  ["libjpeg-turbo WebAssembly", "libjpeg-turbo"],
  ["TypeScript baseline", "typescript"],
] as const;
for (const [name, encoder] of jpegGray) {
  const bytes = encodeJpeg(gray, { ...size, encoder }).length;
  Deno.bench(`jpeg gray q75 ${name}: ${bytes} bytes`, {
    group: "jpeg gray",
    baseline: encoder === "libjpeg-turbo",
  }, () => {
    encodeJpeg(gray, { ...size, encoder });
  });
}
Deno.bench(
  `jpeg gray q75 npm:jpeg-js (RGBA in, 3 components out): ${
    jpegJs.encode({ data: rgba, ...size }, 75).data.length
  } bytes`,
  { group: "jpeg gray" },
  () => {
    jpegJs.encode({ data: rgba, ...size }, 75);
  },
);
for (const [name, encoder] of jpegGray) {
  Deno.bench(`jpeg RGB q75 ${name}`, {
    group: "jpeg RGB",
    baseline: encoder === "libjpeg-turbo",
  }, () => {
    encodeJpeg(rgb, { ...size, channels: 3, encoder });
  });
}

Deno.bench("toImage int16 → tutorial → PNG", { group: "toImage" }, () => {
  toImage(ct);
});
Deno.bench("toImage int16 → tutorial → JPEG", { group: "toImage" }, () => {
  toImage(ct, { format: "jpeg" });
});
Deno.bench("toImage int16 → 16-bit PNG", { group: "toImage" }, () => {
  toImage(ct, { bitDepth: 16 });
});
