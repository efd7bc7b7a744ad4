/**
 * Modality + VOI on a synthetic 512×512 uint16 CT-like image (12 bits stored, rescale,
 * one window): the two-stage chain and the fused table path.
 *
 * Run: `deno bench -A bench/lut_bench.ts`
 */
import { Dataset } from "../lib/dataset/dataset.ts";
import { PixelArray } from "../lib/pixels/pixel_array.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyGrayscaleLuts, applyVoiLut, applyWindow } from "../lib/lut/voi.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { convertColorSpace } from "../lib/pixels/color_space.ts";

const N = 512;
const data = new Uint16Array(N * N);
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) data[y * N + x] = ((x * 7 + y * 13) ^ (x * y)) & 0xfff;
}
const arr = new PixelArray(data, [N, N]);

const ds = new Dataset();
ds.set("PhotometricInterpretation", "MONOCHROME2");
ds.set("BitsStored", 12);
ds.set("PixelRepresentation", 0);
ds.set("RescaleSlope", 1);
ds.set("RescaleIntercept", -1024);
ds.set("WindowCenter", 40);
ds.set("WindowWidth", 400);

const hu = applyModalityLut(arr, ds);

Deno.bench("modality (rescale) 512x512 uint16", { group: "lut" }, () => {
  applyModalityLut(arr, ds);
});

Deno.bench("VOI window on float64 modality output", { group: "lut" }, () => {
  applyVoiLut(hu, ds);
});

Deno.bench("modality + VOI, two stages", { group: "lut", baseline: true }, () => {
  applyVoiLut(applyModalityLut(arr, ds), ds);
});

Deno.bench("modality + VOI, fused (applyGrayscaleLuts)", { group: "lut" }, () => {
  applyGrayscaleLuts(arr, ds);
});

Deno.bench("applyWindow on uint16 (table)", { group: "lut" }, () => {
  applyWindow(arr, { center: 1064, width: 400, ds });
});

const rgb = new PixelArray(new Uint8Array(N * N * 3).map((_, i) => i * 31), [N, N, 3]);
Deno.bench("YBR_FULL to RGB 512x512", { group: "color" }, () => {
  convertColorSpace(rgb, "YBR_FULL", { to: "RGB" });
});

const gray8 = new PixelArray(new Uint8Array(N * N).map((_, i) => i), [N, N]);
Deno.bench("palette HOT_IRON 512x512 uint8", { group: "color" }, () => {
  applyColorLut(gray8, ds, { palette: "HOT_IRON" });
});
