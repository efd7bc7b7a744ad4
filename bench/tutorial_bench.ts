/**
 * The tutorial's grayscale pipeline on one 512x512 CT slice of the phantom (uint16, 12
 * bits stored, rescale, two windows): the float64 chain (modality LUT, VOI window,
 * `scaleTutorial`) next to `renderTutorial8`, which folds it into one table and one pass.
 * pydicom 2.3.1 takes 3.3 ms for the three steps on this machine
 * (`../shared/bench/results/stages.md`), a fused numpy table 0.31 ms.
 *
 * Run: `deno bench -A bench/tutorial_bench.ts`
 */
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyGrayscaleLuts, applyVoiLut } from "../lib/lut/voi.ts";
import { scaleTutorial } from "../lib/image/scale.ts";
import { renderTutorial8 } from "../lib/image/tutorial.ts";

const ds = makeCtSlice(5);
const arr = pixelArray(ds);

Deno.bench({
  name: "chain: applyModalityLut + applyVoiLut + scaleTutorial",
  group: "tutorial 512x512",
  baseline: true,
  fn() {
    scaleTutorial(applyVoiLut(applyModalityLut(arr, ds), ds, { index: 0 }));
  },
});

Deno.bench({
  name: "applyGrayscaleLuts + scaleTutorial",
  group: "tutorial 512x512",
  fn() {
    scaleTutorial(applyGrayscaleLuts(arr, ds, { index: 0 }));
  },
});

Deno.bench({
  name: "renderTutorial8 (fused: one table, one pass)",
  group: "tutorial 512x512",
  fn() {
    renderTutorial8(arr, ds, { window: 0 });
  },
});

Deno.bench({
  name: "renderTutorial8, bone window (index 1)",
  group: "tutorial 512x512",
  fn() {
    renderTutorial8(arr, ds, { window: 1 });
  },
});

const out = new Uint8Array(arr.data.length);
Deno.bench({
  name: "renderTutorial8 into a reused array (out)",
  group: "tutorial 512x512",
  fn() {
    renderTutorial8(arr, ds, { window: 0, out });
  },
});
