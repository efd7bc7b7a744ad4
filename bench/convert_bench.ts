/**
 * The convert job, one 512x512 16-bit CT slice at a time (the phantom, explicit VR little
 * endian, 12 bits stored, rescale, two windows), stage by stage and whole, and the
 * notebook's first step: `read` plus `pixelArray` of a slice from its file (target: under
 * 2 ms after warm-up). The tutorial's pydicom script takes 5.5 ms per image for the whole
 * job on this machine, GDCM 4.2 (`../shared/bench/results/peers.md`).
 *
 * Run: `deno bench -A bench/convert_bench.ts`
 */
import { read } from "../lib/io/read.ts";
import { write } from "../lib/io/write.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { renderTutorial8 } from "../lib/image/tutorial.ts";
import { encodeJpeg } from "../lib/image/jpeg.ts";
import { convertOne, type ConvertSettings } from "../lib/convert/mod.ts";

const bytes = write(makeCtSlice(4));
const dir = Deno.makeTempDirSync({ prefix: "convert_bench_" });
const path = `${dir}/slice.dcm`;
Deno.writeFileSync(path, bytes);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const ds = read(bytes);
const arr = pixelArray(ds);
const picture = renderTutorial8(arr, ds).data as Uint8Array;
const out = new Uint8Array(arr.data.length);

Deno.bench({
  name: "read(path) + pixelArray: the notebook's first cell (< 2 ms)",
  group: "notebook",
  baseline: true,
  fn() {
    pixelArray(read(path));
  },
});

Deno.bench({
  name: "read(bytes) + pixelArray",
  group: "notebook",
  fn() {
    pixelArray(read(bytes));
  },
});

Deno.bench({ name: "read(bytes)", group: "stages", fn: () => void read(bytes) });
Deno.bench({
  name: "pixelArray (explicit LE, 12 of 16 bits)",
  group: "stages",
  fn: () => void pixelArray(ds),
});
Deno.bench({
  name: "renderTutorial8 (modality + window + 8-bit, fused)",
  group: "stages",
  fn: () => void renderTutorial8(arr, ds, { out }),
});
Deno.bench({
  name: "encodeJpeg gray q75 (Pillow's bytes)",
  group: "stages",
  fn: () => void encodeJpeg(picture, { width: 512, height: 512 }),
});

Deno.bench({
  name: "bytes → JPEG in memory (read, pixelArray, renderTutorial8, encodeJpeg)",
  group: "one image",
  baseline: true,
  fn() {
    const d = read(bytes);
    const a = pixelArray(d);
    encodeJpeg(renderTutorial8(a, d, { out }).data as Uint8Array, { width: 512, height: 512 });
  },
});

const settings: ConvertSettings = { format: "jpeg", quality: 75, bitDepth: 8, window: 0 };
let n = 0;
Deno.bench({
  name: "convertOne: file → JPEG file (as a convert worker does)",
  group: "one image",
  async fn() {
    await convertOne(
      { id: n, path, outBase: `${dir}/out/${n++ % 64}`, existing: "overwrite" },
      settings,
    );
  },
});
