/**
 * `renderTutorial8` against the float64 chain it fuses,
 * `scaleTutorial(applyVoiLut(applyModalityLut(arr, ds), ds, { index }))`: on the phantom,
 * on hand-made datasets for every branch (dtypes, LUT sequences, window functions, empty
 * and non-positive maxima, colour, palette, multi-frame), and on every corpus file with a
 * pydicom `voi_lut_<i>` stage.
 */
import assert from "node:assert/strict";
import { corpusMissing, manifest, ORACLE, readNpy } from "./_corpus.ts";
import { Dataset } from "../lib/dataset/dataset.ts";
import { read } from "../lib/io/read.ts";
import { PixelArray, type PixelTypedArray } from "../lib/pixels/pixel_array.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyVoiLut, applyWindow } from "../lib/lut/voi.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { scaleTutorial } from "../lib/image/scale.ts";
import { renderTutorial8, type RenderTutorialOptions } from "../lib/image/tutorial.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";

/** The unfused chain, written out step by step. */
function chain(arr: PixelArray, ds: Dataset, options: RenderTutorialOptions = {}): PixelArray {
  let x = arr;
  if (ds.get("PhotometricInterpretation") === "PALETTE COLOR") x = applyColorLut(x, ds);
  x = applyModalityLut(x, ds);
  const w = options.window;
  x = typeof w === "object"
    ? applyWindow(x, { center: w.center, width: w.width, ds })
    : applyVoiLut(x, ds, { index: w ?? 0 });
  return scaleTutorial(x);
}

/** Either both give the same array, or both throw the same error; returns which. */
function same(
  arr: PixelArray,
  ds: Dataset,
  options: RenderTutorialOptions = {},
  where = "",
): "equal" | "both threw" {
  let want: PixelArray | undefined, wantError: Error | undefined;
  try {
    want = chain(arr, ds, options);
  } catch (e) {
    wantError = e as Error;
  }
  if (wantError) {
    assert.throws(() => renderTutorial8(arr, ds, options), (e: Error) => {
      assert.equal(e.constructor, wantError.constructor, where);
      assert.equal(e.message, wantError.message, where);
      return true;
    });
    return "both threw";
  }
  const got = renderTutorial8(arr, ds, options);
  assert.equal(got.dtype, "uint8", where);
  assert.deepEqual(got.shape, want!.shape, where);
  assert.equal(got.multiFrame, want!.multiFrame, where);
  const a = got.data, b = want!.data;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) assert.fail(`${where}: value ${i} is ${a[i]}, the chain gives ${b[i]}`);
  }
  return "equal";
}

function ct(opts: Record<string, unknown> = {}): Dataset {
  const ds = new Dataset();
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("BitsStored", 12);
  ds.set("PixelRepresentation", 0);
  ds.set("RescaleSlope", 1);
  ds.set("RescaleIntercept", -1024);
  ds.set("WindowCenter", [40, 400]);
  ds.set("WindowWidth", [80, 2000]);
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined) ds.delete(k);
    else ds.set(k, v as never);
  }
  return ds;
}

function ramp<T extends PixelTypedArray>(out: T, lo: number, step: number): T {
  for (let i = 0; i < out.length; i++) out[i] = lo + ((i * step) % 997);
  return out;
}

Deno.test("renderTutorial8: the phantom's 12 slices, both windows, equal to the chain", () => {
  for (let s = 0; s < 12; s++) {
    const ds = makeCtSlice(s);
    const arr = pixelArray(ds);
    for (const index of [0, 1]) {
      assert.equal(same(arr, ds, { window: index }, `slice ${s}`), "equal");
    }
  }
});

Deno.test("renderTutorial8: a known picture", () => {
  const ds = ct({ WindowCenter: 40, WindowWidth: 80 });
  const arr = new PixelArray(new Uint16Array([0, 1024, 1064, 1080, 4095]), [1, 5]);
  // the window outputs -1024..3071 (40 HU: 1049.4, 56 HU: 1878.8), the max is 3071
  assert.deepEqual(Array.from(renderTutorial8(arr, ds).data), [0, 0, 87, 156, 255]);
  // the max is over the values present: 36 HU (842.1) is the brightest here
  const some = new PixelArray(new Uint16Array([1000, 1050, 1060]), [3]);
  assert.deepEqual(Array.from(renderTutorial8(some, ds).data), [0, 98, 255]);
});

Deno.test("renderTutorial8: every integer dtype, signed and unsigned, equal to the chain", () => {
  const n = 8192;
  const cases: [string, PixelTypedArray, Record<string, unknown>][] = [
    ["uint8", ramp(new Uint8Array(n), 3, 7), { BitsStored: 8, WindowCenter: 100 }],
    ["int8", ramp(new Int8Array(n), -120, 5), { BitsStored: 8, PixelRepresentation: 1 }],
    ["uint16", ramp(new Uint16Array(n), 900, 13), {}],
    ["int16", ramp(new Int16Array(n), -1500, 11), { PixelRepresentation: 1, BitsStored: 16 }],
    ["uint32", ramp(new Uint32Array(n), 70000, 3), { BitsStored: 32 }],
    ["int32", ramp(new Int32Array(n), -40000, 17), { BitsStored: 32, PixelRepresentation: 1 }],
  ];
  for (const [name, data, opts] of cases) {
    const arr = new PixelArray(data, [64, 128]);
    for (const index of [0, 1]) assert.equal(same(arr, ct(opts), { window: index }, name), "equal");
    // a single pixel value, and values only at the extremes of the type
    const one = new PixelArray(data.slice(0, 1) as PixelTypedArray, [1, 1]);
    assert.equal(same(one, ct(opts), {}, `${name} one pixel`), "equal");
  }
  const ext = new Int16Array(5000);
  ext.fill(-32768, 0, 2500);
  ext.fill(32767, 2500);
  const ds = ct({ PixelRepresentation: 1, BitsStored: 16, RescaleIntercept: 0 });
  assert.equal(same(new PixelArray(ext, [50, 100]), ds, {}, "int16 extremes"), "equal");
  // 16-bit pixels not on a 4-byte boundary, odd lengths: the word-wise loops' edges
  const base = ramp(new Uint16Array(4103), 800, 29);
  for (const [start, end] of [[1, 4102], [2, 4103], [0, 4097], [3, 4098]]) {
    const view = new PixelArray(base.subarray(start, end), [end - start]);
    assert.equal(same(view, ct(), {}, `uint16 [${start}, ${end})`), "equal");
  }
  const wide = new Int32Array(5000).map((_, i) => i * 1000 - 2_000_000);
  assert.equal(
    same(new PixelArray(wide, [50, 100]), ct({ BitsStored: 32 }), {}, "int32 wide"),
    "equal",
  );
});

Deno.test("renderTutorial8: window functions, no VOI, no rescale, own window", () => {
  const arr = new PixelArray(ramp(new Uint16Array(10000), 0, 41), [100, 100]);
  for (const fn of ["LINEAR", "LINEAR_EXACT", "SIGMOID"]) {
    assert.equal(same(arr, ct({ VOILUTFunction: fn }), { window: 1 }, fn), "equal");
  }
  const bare = ct({ WindowCenter: undefined, WindowWidth: undefined });
  assert.equal(same(arr, bare, {}, "no window"), "equal");
  const raw = ct({ RescaleSlope: undefined, RescaleIntercept: undefined });
  assert.equal(same(arr, raw, {}, "no rescale"), "equal");
  assert.equal(same(arr, ct(), { window: { center: 40, width: 400 } }, "own window"), "equal");
  assert.equal(same(arr, ct({ RescaleSlope: 0.5 }), {}, "slope 0.5"), "equal");
});

Deno.test("renderTutorial8: non-positive maximum gives zeros, as numpy's NaN cast", () => {
  const arr = new PixelArray(ramp(new Uint16Array(8192), 0, 3), [64, 128]);
  // negative slope: every output value <= 0 after the window's range flip
  const ds = ct({ RescaleSlope: -1, RescaleIntercept: 0, WindowCenter: -300, WindowWidth: 100 });
  assert.equal(same(arr, ds, {}, "negative slope"), "equal");
  const zero = new PixelArray(new Uint16Array(8192), [64, 128]);
  const out = renderTutorial8(zero, ct({ WindowCenter: undefined, RescaleIntercept: 0 }));
  assert.deepEqual(out.data, new Uint8Array(8192));
});

Deno.test("renderTutorial8: Modality and VOI LUT Sequences", () => {
  const lutItem = (first: number, bits: number, entries: number, f: (i: number) => number) => {
    const item = new Dataset();
    item.set("LUTDescriptor", [entries, first, bits]);
    item.set("LUTData", Uint16Array.from({ length: entries }, (_, i) => f(i)));
    return item;
  };
  const arr = new PixelArray(ramp(new Uint16Array(8192), 0, 5), [64, 128]);
  const mod = ct({ RescaleSlope: undefined, RescaleIntercept: undefined });
  mod.set("ModalityLUTSequence", [lutItem(100, 16, 2048, (i) => (i * 37) % 4096)]);
  assert.equal(same(arr, mod, {}, "modality LUT"), "equal");
  const voi = ct({ WindowCenter: undefined, WindowWidth: undefined });
  voi.set("VOILUTSequence", [
    lutItem(-1024, 8, 4096, (i) => (i >> 4) ^ 0x55),
    lutItem(0, 16, 300, (i) => 60000 - i * 150),
  ]);
  for (const index of [0, 1]) assert.equal(same(arr, voi, { window: index }, "VOI LUT"), "equal");
  assert.equal(same(arr, voi, { window: 2 }, "VOI LUT index 2"), "both threw");
});

Deno.test("renderTutorial8: float, colour, palette, empty and multi-frame input", () => {
  const f = new PixelArray(new Float32Array(5000).map((_, i) => i - 1000), [50, 100]);
  assert.equal(same(f, ct(), {}, "float32"), "equal");
  const rgb = new PixelArray(new Uint8Array(3 * 4096).map((_, i) => i), [64, 64, 3]);
  const color = ct({ PhotometricInterpretation: "RGB", WindowCenter: undefined });
  assert.equal(same(rgb, color, {}, "rgb"), "equal");
  assert.equal(same(rgb, ct({ PhotometricInterpretation: "RGB" }), {}, "rgb window"), "both threw");
  const pal = ct({ PhotometricInterpretation: "PALETTE COLOR", WindowCenter: undefined });
  for (const c of ["Red", "Green", "Blue"]) {
    pal.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 8]);
    pal.set(`${c}PaletteColorLookupTableData`, new Uint8Array(256).map((_, i) => i ^ 0x3c));
  }
  const idx = new PixelArray(new Uint8Array(4096).map((_, i) => i * 7), [64, 64]);
  assert.equal(same(idx, pal, {}, "palette"), "equal");
  assert.equal(same(new PixelArray(new Uint16Array(0), [0, 0]), ct(), {}, "empty"), "both threw");
  const frames = new PixelArray(ramp(new Uint16Array(3 * 4096), 900, 7), [3, 64, 64]);
  assert.equal(frames.multiFrame, true);
  assert.equal(same(frames, ct(), {}, "3 frames"), "equal");
});

Deno.test("renderTutorial8: every corpus file with a voi_lut stage, equal to the chain", () => {
  if (corpusMissing()) return;
  let files = 0, equal = 0, total = 0;
  for (const row of manifest()) {
    if (!row.path.startsWith("files/dev/")) continue;
    const stages = (row.oracle_arrays ?? "").split(",").filter((s) => /^voi_lut_\d+$/.test(s));
    if (!stages.length) continue;
    const file = row.path.slice("files/dev/".length);
    const ds = read(`${ORACLE}/../../files/dev/${file}`);
    const json = JSON.parse(Deno.readTextFileSync(`${ORACLE}/${file}.json`));
    let entry = json.arrays.pixel_array;
    while (entry?.same_as) entry = json.arrays[entry.same_as];
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
    const npy = readNpy(`${ORACLE}/${dir}${entry.file}`);
    const shape = npy.shape;
    const samples = shape.length === 4 || (shape.length === 3 && shape[2] === 3);
    const arr = new PixelArray(npy.data as PixelTypedArray, shape, {
      multiFrame: shape.length === 4 || (shape.length === 3 && !samples),
    });
    files++;
    for (const stage of stages) {
      const index = Number(stage.slice("voi_lut_".length));
      total++;
      if (same(arr, ds, { window: index }, `${file} ${stage}`) === "equal") equal++;
    }
  }
  // 56 files, 58 stages in the corpus of 2026-11: pydicom computed each, so must we
  assert.ok(files >= 50, `only ${files} corpus files with a voi_lut stage`);
  assert.equal(equal, total, `${total - equal} of ${total} stages threw`);
});

Deno.test("renderTutorial8: out receives the picture, on the fast path and the chain's", () => {
  const ds = ct();
  const arr = new PixelArray(ramp(new Uint16Array(8192), 900, 13), [64, 128]);
  const want = renderTutorial8(arr, ds);
  const out = new Uint8Array(8192).fill(7);
  const got = renderTutorial8(arr, ds, { out });
  assert.equal(got.data, out);
  assert.deepEqual(got.shape, [64, 128]);
  assert.deepEqual(out, want.data);
  // a second picture into the same array: nothing of the first one stays
  const other = new PixelArray(ramp(new Uint16Array(8192), 1000, 3), [64, 128]);
  assert.deepEqual(renderTutorial8(other, ds, { out }).data, renderTutorial8(other, ds).data);
  const f = new PixelArray(new Float32Array(8192).map((_, i) => i - 1000), [64, 128]);
  assert.deepEqual(renderTutorial8(f, ds, { out }).data, chain(f, ds).data);
  assert.equal(renderTutorial8(f, ds, { out }).data, out);
  assert.throws(
    () => renderTutorial8(arr, ds, { out: new Uint8Array(10) }),
    /out has 10 values, the image 8192/,
  );
});
