/**
 * Unit tests of the LUT pipeline (modality, VOI/window, palette color, presentation)
 * and of color space conversion, on small hand-built datasets.
 */
import assert from "node:assert/strict";
import { Dataset } from "../lib/dataset/dataset.ts";
import { PixelArray, type PixelTypedArray } from "../lib/pixels/pixel_array.ts";
import { UnsupportedError, ValueError } from "../lib/core/errors.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyGrayscaleLuts, applyVoiLut, applyWindow } from "../lib/lut/voi.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { applyPresentationLut } from "../lib/lut/presentation.ts";
import { expandSegmentedLut } from "../lib/lut/_segmented.ts";
import { convertColorSpace } from "../lib/pixels/color_space.ts";

function row(data: PixelTypedArray): PixelArray {
  return new PixelArray(data, [1, data.length], { multiFrame: false });
}

function values(arr: PixelArray): number[] {
  return Array.from(arr.data);
}

function lutItem(descriptor: number[], data: number[] | Uint16Array): Dataset {
  const item = new Dataset();
  item.set("LUTDescriptor", descriptor);
  item.set("LUTData", data instanceof Uint16Array ? data : data);
  return item;
}

function mono(bitsStored: number, pixelRepresentation = 0, pi = "MONOCHROME2"): Dataset {
  const ds = new Dataset();
  ds.set("PhotometricInterpretation", pi);
  ds.set("BitsStored", bitsStored);
  ds.set("PixelRepresentation", pixelRepresentation);
  return ds;
}

/** A pseudo-random integer array, to exercise the lookup-table fast paths. */
function noise(n: number, lo: number, hi: number, Ctor: new (n: number) => PixelTypedArray) {
  const out = new Ctor(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = lo + (s % (hi - lo + 1));
  }
  return out;
}

// ---------------------------------------------------------------- modality

Deno.test("modality: rescale slope and intercept give float64", () => {
  const ds = new Dataset();
  ds.set("RescaleSlope", 2);
  ds.set("RescaleIntercept", -1024);
  const out = applyModalityLut(row(new Int16Array([-3, 0, 1, 512])), ds);
  assert.equal(out.dtype, "float64");
  assert.deepEqual(values(out), [-1030, -1024, -1022, 0]);
  assert.deepEqual(out.shape, [1, 4]);
});

Deno.test("modality: fractional rescale is float64 arithmetic", () => {
  const ds = new Dataset();
  ds.set("RescaleSlope", 0.1);
  ds.set("RescaleIntercept", 0.2);
  const out = applyModalityLut(row(new Uint16Array([1, 3])), ds);
  assert.deepEqual(values(out), [1 * 0.1 + 0.2, 3 * 0.1 + 0.2]);
  assert.equal(out.data[0], 0.30000000000000004);
});

Deno.test("modality: no LUT and no rescale returns the input", () => {
  const arr = row(new Uint8Array([1, 2]));
  assert.equal(applyModalityLut(arr, new Dataset()), arr);
  const onlySlope = new Dataset();
  onlySlope.set("RescaleSlope", 2);
  assert.equal(applyModalityLut(arr, onlySlope), arr);
});

Deno.test("modality: LUT sequence maps, clamps below and above", () => {
  const ds = new Dataset();
  ds.set("ModalityLUTSequence", [lutItem([4, -2, 16], [10, 20, 30, 40000])]);
  ds.set("RescaleSlope", 3); // the LUT takes precedence
  ds.set("RescaleIntercept", 1);
  const out = applyModalityLut(row(new Int16Array([-5, -2, -1, 0, 1, 2, 300])), ds);
  assert.equal(out.dtype, "uint16");
  assert.deepEqual(values(out), [10, 10, 20, 30, 40000, 40000, 40000]);
});

Deno.test("modality: 8-bit LUT entries give uint8; OW data; float input truncates", () => {
  const ds = new Dataset();
  ds.set("ModalityLUTSequence", [lutItem([3, 0, 8], new Uint16Array([5, 6, 7]))]);
  const out = applyModalityLut(row(new Uint8Array([0, 1, 2, 9])), ds);
  assert.equal(out.dtype, "uint8");
  assert.deepEqual(values(out), [5, 6, 7, 7]);
  const f = applyModalityLut(row(new Float64Array([-0.5, 0.9, 1.5, NaN, 2.9])), ds);
  assert.deepEqual(values(f), [5, 5, 6, 5, 7]);
});

Deno.test("modality: descriptor 0 entries means 65536, negative first value gets 65536", () => {
  const lut = new Uint16Array(65536);
  for (let i = 0; i < lut.length; i++) lut[i] = 65535 - i;
  const ds = new Dataset();
  ds.set("ModalityLUTSequence", [lutItem([0, 0, 16], lut)]);
  assert.deepEqual(values(applyModalityLut(row(new Int32Array([0, 65535, 70000])), ds)), [
    65535,
    0,
    0,
  ]);
  // 32768 entries read as SS: -32768
  const half = new Dataset();
  half.set("ModalityLUTSequence", [lutItem([-32768, 0, 16], lut.subarray(0, 32768))]);
  assert.deepEqual(values(applyModalityLut(row(new Int32Array([32767, 40000])), half)), [
    32768,
    32768,
  ]);
});

Deno.test("modality: a large integer array equals the float64 formula", () => {
  const ds = new Dataset();
  ds.set("RescaleSlope", 0.7);
  ds.set("RescaleIntercept", -13.3);
  const src = noise(100000, -2000, 3000, Int16Array);
  const out = applyModalityLut(new PixelArray(src, [100, 1000]), ds);
  assert.equal(out.dtype, "float64");
  for (let i = 0; i < src.length; i++) assert.equal(out.data[i], src[i] * 0.7 + -13.3);
});

// ---------------------------------------------------------------- VOI: windows

Deno.test("voi: LINEAR window, pydicom's formula and range", () => {
  const ds = mono(8);
  ds.set("WindowCenter", 128.5);
  ds.set("WindowWidth", 65);
  const out = applyVoiLut(row(new Uint8Array([0, 96, 112, 128, 144, 160, 161, 255])), ds);
  assert.equal(out.dtype, "float64");
  assert.deepEqual(values(out), [0, 0, 63.75, 127.5, 191.25, 255, 255, 255]);
});

Deno.test("voi: LINEAR_EXACT and SIGMOID", () => {
  const ds = mono(8);
  ds.set("WindowCenter", 128);
  ds.set("WindowWidth", 64);
  ds.set("VOILUTFunction", "LINEAR_EXACT");
  const input = row(new Uint8Array([95, 96, 112, 128, 160, 161]));
  assert.deepEqual(values(applyVoiLut(input, ds)), [0, 0, 63.75, 127.5, 255, 255]);
  ds.set("VOILUTFunction", "SIGMOID");
  const s = values(applyVoiLut(row(new Uint8Array([112, 128, 144])), ds));
  assert.deepEqual(s, [
    255 / (1 + Math.exp(1)),
    127.5,
    255 / (1 + Math.exp(-1)),
  ]);
  ds.set("VOILUTFunction", "sigmoid", { validation: "ignore" }); // pydicom upper-cases
  assert.equal(applyVoiLut(row(new Uint8Array([128])), ds).data[0], 127.5);
});

Deno.test("voi: output range follows sign, Modality LUT and rescale", () => {
  const signed = mono(12, 1);
  signed.set("WindowCenter", 0.5);
  signed.set("WindowWidth", 2);
  assert.deepEqual(values(applyVoiLut(row(new Float64Array([-5, 5])), signed)), [-2048, 2047]);
  const rescaled = mono(12);
  rescaled.set("RescaleSlope", 1);
  rescaled.set("RescaleIntercept", -1024);
  rescaled.set("WindowCenter", 0.5);
  rescaled.set("WindowWidth", 2);
  assert.deepEqual(values(applyVoiLut(row(new Float64Array([-5, 5])), rescaled)), [
    -1024,
    3071,
  ]);
  const withLut = mono(12, 1);
  withLut.set("ModalityLUTSequence", [lutItem([2, 0, 10], [0, 1023])]);
  withLut.set("WindowCenter", 0.5);
  withLut.set("WindowWidth", 2);
  assert.deepEqual(values(applyVoiLut(row(new Float64Array([-1, 0, 1])), withLut)), [
    0,
    511.5,
    1023,
  ]);
});

Deno.test("voi: index picks a window; a single window ignores index", () => {
  const ds = mono(8);
  ds.set("WindowCenter", [128.5, 64.5]);
  ds.set("WindowWidth", [65, 33]);
  const input = row(new Uint8Array([48, 56, 64, 80]));
  assert.deepEqual(values(applyVoiLut(input, ds, { index: 1 })), [0, 63.75, 127.5, 255]);
  assert.deepEqual(values(applyVoiLut(input, ds)), [0, 0, 0, 0]);
  assert.throws(() => applyVoiLut(input, ds, { index: 2 }), ValueError);
  const single = mono(8);
  single.set("WindowCenter", 64.5);
  single.set("WindowWidth", 33);
  assert.deepEqual(values(applyVoiLut(input, single, { index: 5 })), [0, 63.75, 127.5, 255]);
});

Deno.test("voi: window errors", () => {
  const input = row(new Uint8Array([1]));
  const color = mono(8, 0, "RGB");
  color.set("WindowCenter", 10);
  color.set("WindowWidth", 10);
  assert.throws(() => applyVoiLut(input, color), {
    name: "ValueError",
    message: 'a window needs Photometric Interpretation MONOCHROME1 or MONOCHROME2, found "RGB"' +
      " in (0028, 0004)",
  });
  const narrow = mono(8);
  narrow.set("WindowCenter", 10);
  narrow.set("WindowWidth", 0.5);
  assert.throws(() => applyVoiLut(input, narrow), /window width must be >= 1 for LINEAR/);
  narrow.set("VOILUTFunction", "LINEAR_EXACT");
  assert.deepEqual(values(applyVoiLut(input, narrow)), [0]);
  narrow.set("WindowWidth", 0);
  assert.throws(() => applyVoiLut(input, narrow), /window width must be > 0 for LINEAR_EXACT/);
  narrow.set("VOILUTFunction", "CUBIC");
  narrow.set("WindowWidth", 5);
  assert.throws(() => applyVoiLut(input, narrow), /unsupported VOI LUT Function "CUBIC"/);
  const noBits = new Dataset();
  noBits.set("PhotometricInterpretation", "MONOCHROME2");
  noBits.set("WindowCenter", 10);
  noBits.set("WindowWidth", 10);
  assert.throws(() => applyVoiLut(input, noBits), /BitsStored is missing/);
});

Deno.test("voi: width 1 LINEAR is a threshold at the center", () => {
  const ds = mono(8);
  ds.set("WindowCenter", 10.5);
  ds.set("WindowWidth", 1);
  assert.deepEqual(values(applyVoiLut(row(new Uint8Array([9, 10, 11])), ds)), [0, 0, 255]);
});

// ---------------------------------------------------------------- VOI: LUT sequence

Deno.test("voi: VOI LUT Sequence, items by index, 8 and 16 bits", () => {
  const ds = mono(8);
  ds.set("VOILUTSequence", [
    lutItem([3, 1, 16], [100, 200, 65535]),
    lutItem([2, 0, 8], [7, 9]),
  ]);
  const input = row(new Uint8Array([0, 1, 2, 3, 200]));
  const a = applyVoiLut(input, ds);
  assert.equal(a.dtype, "uint16");
  assert.deepEqual(values(a), [100, 100, 200, 65535, 65535]);
  const b = applyVoiLut(input, ds, { index: 1 });
  assert.equal(b.dtype, "uint8");
  assert.deepEqual(values(b), [7, 9, 9, 9, 9]);
  assert.throws(() => applyVoiLut(input, ds, { index: 2 }), /VOI LUT Sequence has 2 item/);
  const twelve = mono(8);
  twelve.set("VOILUTSequence", [lutItem([2, 0, 12], [0, 4095])]);
  assert.equal(applyVoiLut(input, twelve).dtype, "uint16");
});

Deno.test("voi: precedence of VOI LUT Sequence and window", () => {
  const ds = mono(8);
  ds.set("VOILUTSequence", [lutItem([2, 0, 16], [1000, 2000])]);
  ds.set("WindowCenter", 128.5);
  ds.set("WindowWidth", 65);
  const input = row(new Uint8Array([0, 128]));
  assert.deepEqual(values(applyVoiLut(input, ds)), [1000, 2000]);
  assert.deepEqual(values(applyVoiLut(input, ds, { preferLut: false })), [0, 127.5]);
  // an item without LUT Data is not a valid VOI LUT: the window applies
  const broken = mono(8);
  const item = new Dataset();
  item.set("LUTDescriptor", [2, 0, 16]);
  broken.set("VOILUTSequence", [item]);
  broken.set("WindowCenter", 128.5);
  broken.set("WindowWidth", 65);
  assert.deepEqual(values(applyVoiLut(input, broken)), [0, 127.5]);
  // nothing at all: the input itself
  assert.equal(applyVoiLut(input, mono(8)), input);
});

Deno.test("voi: applyWindow with a chosen window and range", () => {
  const hu = row(new Float64Array([-1000, -160, 40, 240, 1000]));
  assert.deepEqual(values(applyWindow(hu, { center: 40.5, width: 401 })), [
    0,
    0,
    127.5,
    255,
    255,
  ]);
  assert.deepEqual(
    values(applyWindow(hu, { center: 40, width: 400, function: "LINEAR_EXACT", range: [0, 1] })),
    [0, 0, 0.5, 1, 1],
  );
  const ds = mono(12);
  assert.deepEqual(values(applyWindow(hu, { center: 40.5, width: 401, ds })), [
    0,
    0,
    2047.5,
    4095,
    4095,
  ]);
});

Deno.test("voi: fused modality+VOI equals the chain, through the table", () => {
  const ds = mono(12);
  ds.set("RescaleSlope", 1.5);
  ds.set("RescaleIntercept", -1024.25);
  ds.set("WindowCenter", [40, 300]);
  ds.set("WindowWidth", [400, 1500]);
  const arr = new PixelArray(noise(200000, 0, 4095, Uint16Array), [400, 500]);
  for (const index of [0, 1]) {
    const chain = applyVoiLut(applyModalityLut(arr, ds), ds, { index });
    const fused = applyGrayscaleLuts(arr, ds, { index });
    assert.equal(fused.dtype, "float64");
    assert.deepEqual(fused.shape, [400, 500]);
    assert.deepEqual(fused.data, chain.data);
  }
  const lutDs = mono(8);
  lutDs.set("ModalityLUTSequence", [
    lutItem([256, 0, 16], Array.from({ length: 256 }, (_, i) => i * 3)),
  ]);
  lutDs.set("VOILUTSequence", [
    lutItem([800, 0, 8], Array.from({ length: 800 }, (_, i) => i >> 2)),
  ]);
  const small = new PixelArray(noise(10000, 0, 255, Uint8Array), [100, 100]);
  const fused = applyGrayscaleLuts(small, lutDs);
  assert.equal(fused.dtype, "uint8");
  assert.deepEqual(fused.data, applyVoiLut(applyModalityLut(small, lutDs), lutDs).data);
});

// ---------------------------------------------------------------- palette color

function paletteDs(
  descriptor: number[],
  r: Uint16Array | number[],
  g: Uint16Array | number[],
  b: Uint16Array | number[],
): Dataset {
  const ds = new Dataset();
  ds.set("PhotometricInterpretation", "PALETTE COLOR");
  for (const c of ["Red", "Green", "Blue"]) {
    ds.set(`${c}PaletteColorLookupTableDescriptor`, descriptor);
  }
  // plain number lists (as a US-valued table reads) on purpose: stored unchecked
  ds.set("RedPaletteColorLookupTableData", r, { validation: "ignore" });
  ds.set("GreenPaletteColorLookupTableData", g, { validation: "ignore" });
  ds.set("BluePaletteColorLookupTableData", b, { validation: "ignore" });
  return ds;
}

Deno.test("palette: 16-bit entries, first value mapped, clamping", () => {
  const ds = paletteDs(
    [3, 10, 16],
    new Uint16Array([0, 1000, 65535]),
    new Uint16Array([1, 2, 3]),
    new Uint16Array([9, 8, 7]),
  );
  const out = applyColorLut(row(new Uint16Array([0, 10, 11, 12, 13, 500])), ds);
  assert.equal(out.dtype, "uint16");
  assert.deepEqual(out.shape, [1, 6, 3]);
  assert.deepEqual(values(out), [
    0,
    1,
    9,
    0,
    1,
    9,
    1000,
    2,
    8,
    65535,
    3,
    7,
    65535,
    3,
    7,
    65535,
    3,
    7,
  ]);
});

Deno.test("palette: 8-bit entries packed in OW words give uint8", () => {
  // 4 entries of 8 bits in 2 words, low byte first
  const ds = paletteDs(
    [4, 0, 8],
    new Uint16Array([0x0100, 0x0302]),
    new Uint16Array([0x1410, 0x1c18]),
    new Uint16Array([0xff00, 0xff00]),
  );
  const out = applyColorLut(row(new Uint8Array([0, 1, 2, 3])), ds);
  assert.equal(out.dtype, "uint8");
  assert.deepEqual(values(out), [0, 0x10, 0, 1, 0x14, 0xff, 2, 0x18, 0, 3, 0x1c, 0xff]);
});

Deno.test("palette: alpha table gives RGBA; multi-frame keeps frames", () => {
  const ds = paletteDs([2, 0, 16], new Uint16Array([1, 2]), new Uint16Array([3, 4]), [5, 6]);
  ds.set("AlphaPaletteColorLookupTableDescriptor", [2, 0, 16]);
  ds.set("AlphaPaletteColorLookupTableData", new Uint16Array([0, 65535]));
  const frames = new PixelArray(new Uint8Array([0, 1, 1, 0]), [2, 1, 2], { multiFrame: true });
  const out = applyColorLut(frames, ds);
  assert.deepEqual(out.shape, [2, 1, 2, 4]);
  assert.equal(out.multiFrame, true);
  assert.deepEqual(values(out), [1, 3, 5, 0, 2, 4, 6, 65535, 2, 4, 6, 65535, 1, 3, 5, 0]);
});

Deno.test("palette: missing module, bad sizes, unequal tables", () => {
  const arr = row(new Uint8Array([0]));
  assert.throws(() => applyColorLut(arr, new Dataset()), {
    name: "ValueError",
    message: "No suitable Palette Color Lookup Table Module found",
  });
  const descOnly = new Dataset();
  descOnly.set("RedPaletteColorLookupTableDescriptor", [2, 0, 8]);
  assert.throws(() => applyColorLut(arr, descOnly), {
    message: "No suitable Palette Color Lookup Table Module found",
  });
  const odd = paletteDs([4, 0, 16], new Uint16Array(3), new Uint16Array(3), new Uint16Array(3));
  assert.throws(() => applyColorLut(arr, odd), /bit depth of the LUT data '12.0' is invalid/);
  const unequal = paletteDs(
    [2, 0, 16],
    new Uint16Array(2),
    new Uint16Array(2),
    new Uint16Array(1),
  );
  assert.throws(() => applyColorLut(arr, unequal), /LUT data must be the same length/);
  assert.throws(() => applyColorLut(arr, new Dataset(), { palette: "RAINBOW" }), ValueError);
});

Deno.test("palette: well-known palettes by name and UID (FALL is .7, unlike pydicom)", () => {
  const ramp = row(new Uint8Array([0, 128, 255]));
  const fall = applyColorLut(ramp, new Dataset(), { palette: "FALL" });
  assert.deepEqual(values(fall), [255, 255, 0, 255, 127, 0, 255, 0, 0]);
  const byUid = applyColorLut(ramp, new Dataset(), { palette: "1.2.840.10008.1.5.7" });
  assert.deepEqual(byUid.data, fall.data);
  const winter = applyColorLut(ramp, new Dataset(), { palette: "winter" });
  assert.deepEqual(values(winter), [0, 0, 255, 1, 128, 191, 127, 255, 128]);
  const hot = applyColorLut(ramp, new Dataset(), { palette: "HOT_IRON" });
  assert.deepEqual(values(hot), [0, 0, 0, 255, 0, 0, 255, 255, 255]);
});

Deno.test("palette: segmented tables expand (8-bit, 16-bit)", () => {
  const ds = new Dataset();
  for (const c of ["Red", "Green", "Blue"]) {
    ds.set(`${c}PaletteColorLookupTableDescriptor`, [7, 0, 16]);
  }
  ds.set("SegmentedRedPaletteColorLookupTableData", new Uint16Array([0, 3, 0, 10, 20, 1, 4, 40]));
  ds.set("SegmentedGreenPaletteColorLookupTableData", new Uint16Array([0, 7, 1, 2, 3, 4, 5, 6, 7]));
  ds.set("SegmentedBluePaletteColorLookupTableData", new Uint16Array([0, 1, 9, 1, 6, 9]));
  const out = applyColorLut(row(new Uint8Array([0, 3, 6])), ds);
  assert.equal(out.dtype, "uint16");
  assert.deepEqual(values(out), [0, 1, 9, 25, 4, 9, 40, 7, 9]);
  // 8-bit segments come as the bytes of OW words, low byte first
  const eight = new Dataset();
  for (const c of ["Red", "Green", "Blue"]) {
    eight.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 8]);
    // discrete 1 entry (0), then linear 255 entries to 255
    eight.set(
      `Segmented${c}PaletteColorLookupTableData`,
      new Uint16Array([0x0100, 0x0100, 0xffff]),
    );
  }
  const grey = applyColorLut(row(new Uint8Array([0, 1, 128, 255])), eight);
  assert.equal(grey.dtype, "uint8");
  assert.deepEqual(values(grey), [0, 0, 0, 1, 1, 1, 128, 128, 128, 255, 255, 255]);
});

Deno.test("segmented: linear segments round half to even, as numpy", () => {
  assert.deepEqual(expandSegmentedLut(new Uint16Array([0, 1, 0, 1, 4, 2])), [0, 0, 1, 2, 2]);
  assert.deepEqual(expandSegmentedLut(new Uint16Array([0, 1, 7, 1, 3, 7])), [7, 7, 7, 7]);
  assert.deepEqual(expandSegmentedLut(new Uint16Array([0, 1, 10, 1, 1, 0])), [10, 0]);
  // a trailing padding value is ignored
  assert.deepEqual(expandSegmentedLut(new Uint8Array([0, 2, 5, 6, 0])), [5, 6]);
});

Deno.test("segmented: indirect segments copy by byte offset (the standard, not pydicom)", () => {
  // 16-bit: offset 8 bytes = word 4, the second discrete segment
  const wide = new Uint16Array([0, 2, 5, 6, 0, 2, 7, 8, 2, 1, 8, 0]);
  assert.deepEqual(expandSegmentedLut(wide), [5, 6, 7, 8, 7, 8]);
  // 8-bit: offset as 4 bytes, least significant first; byte 4
  const narrow = new Uint8Array([0, 2, 5, 6, 0, 2, 7, 8, 2, 1, 4, 0, 0, 0]);
  assert.deepEqual(expandSegmentedLut(narrow), [5, 6, 7, 8, 7, 8]);
  // copying two segments from the start, the linear one continuing from the last value
  const two = new Uint16Array([0, 1, 4, 1, 2, 8, 2, 2, 0, 0]);
  assert.deepEqual(expandSegmentedLut(two), [4, 6, 8, 4, 6, 8]);
});

Deno.test("segmented: errors", () => {
  assert.throws(
    () => expandSegmentedLut(new Uint16Array([1, 2, 3])),
    /the first segment cannot be a linear segment/,
  );
  assert.throws(
    () => expandSegmentedLut(new Uint16Array([2, 1, 0, 0])),
    /the first segment cannot be an indirect segment/,
  );
  assert.throws(
    () => expandSegmentedLut(new Uint16Array([0, 1, 3, 7, 1])),
    /unknown segment type 7/,
  );
  assert.throws(
    () => expandSegmentedLut(new Uint16Array([0, 1, 3, 2, 1, 6, 0])),
    /nest too deep/,
  );
});

Deno.test("palette: supplemental palette colors its range, grays the rest", () => {
  const ds = mono(8);
  ds.set("PixelPresentation", "MIXED");
  for (const c of ["Red", "Green", "Blue"]) {
    ds.set(`${c}PaletteColorLookupTableDescriptor`, [2, 200, 8]);
  }
  ds.set("RedPaletteColorLookupTableData", new Uint16Array([0x00ff]));
  ds.set("GreenPaletteColorLookupTableData", new Uint16Array([0xff00]));
  ds.set("BluePaletteColorLookupTableData", new Uint16Array([0x0000]));
  const out = applyColorLut(row(new Uint8Array([0, 100, 200, 201, 255])), ds);
  assert.equal(out.dtype, "uint8");
  assert.deepEqual(values(out), [0, 0, 0, 100, 100, 100, 255, 0, 0, 0, 255, 0, 255, 255, 255]);
  // with a window, the gray part goes through it
  ds.set("WindowCenter", 128);
  ds.set("WindowWidth", 64);
  ds.set("VOILUTFunction", "LINEAR_EXACT");
  const w = applyColorLut(row(new Uint8Array([100, 112, 200])), ds);
  assert.deepEqual(values(w), [16, 16, 16, 64, 64, 64, 255, 0, 0]);
});

// ---------------------------------------------------------------- presentation

Deno.test("presentation: MONOCHROME1 inverts over the stored range", () => {
  const ds = mono(12, 0, "MONOCHROME1");
  const out = applyPresentationLut(row(new Uint16Array([0, 1, 4095, 5000])), ds);
  assert.equal(out.dtype, "uint16");
  assert.deepEqual(values(out), [4095, 4094, 0, 0]);
  const signed = mono(8, 1, "MONOCHROME1");
  assert.deepEqual(values(applyPresentationLut(row(new Int8Array([-128, 0, 127])), signed)), [
    127,
    -1,
    -128,
  ]);
});

Deno.test("presentation: after windowing, inverts over the window's range", () => {
  const ds = mono(12, 0, "MONOCHROME1");
  ds.set("RescaleSlope", 1);
  ds.set("RescaleIntercept", -1024);
  ds.set("WindowCenter", 40.5);
  ds.set("WindowWidth", 401);
  const voi = applyVoiLut(row(new Float64Array([-1000, 40, 1000])), ds);
  assert.deepEqual(values(voi), [-1024, 1023.5, 3071]);
  const p = applyPresentationLut(voi, ds);
  assert.equal(p.dtype, "float64");
  assert.deepEqual(values(p), [3071, 1023.5, -1024]);
});

Deno.test("presentation: shape INVERSE / IDENTITY, VOI LUT range, explicit range", () => {
  const ds = mono(8);
  ds.set("PresentationLUTShape", "INVERSE");
  const arr = row(new Uint8Array([0, 55]));
  assert.deepEqual(values(applyPresentationLut(arr, ds)), [255, 200]);
  assert.deepEqual(values(applyPresentationLut(arr, ds, { range: [0, 100] })), [100, 45]);
  const identity = mono(8, 0, "MONOCHROME1");
  identity.set("PresentationLUTShape", "IDENTITY");
  assert.equal(applyPresentationLut(arr, identity), arr);
  assert.equal(applyPresentationLut(arr, mono(8)), arr);
  const voi = mono(8, 0, "MONOCHROME1");
  voi.set("VOILUTSequence", [lutItem([2, 0, 10], [0, 1023])]);
  assert.deepEqual(values(applyPresentationLut(row(new Uint16Array([0, 23])), voi)), [1023, 1000]);
  const bad = mono(8);
  bad.set("PresentationLUTShape", "LOG");
  assert.throws(() => applyPresentationLut(arr, bad), UnsupportedError);
  const noBits = new Dataset();
  noBits.set("PhotometricInterpretation", "MONOCHROME1");
  assert.deepEqual(values(applyPresentationLut(row(new Float64Array([2, 5, 3])), noBits)), [
    5,
    2,
    4,
  ]);
});

Deno.test("presentation: Presentation LUT Sequence maps the range onto its entries", () => {
  const ds = mono(8);
  const item = lutItem([4, 0, 8], [10, 20, 30, 40]);
  ds.set("PresentationLUTSequence", [item]);
  const out = applyPresentationLut(row(new Uint8Array([0, 42, 43, 128, 255])), ds);
  assert.equal(out.dtype, "uint8");
  // index = floor(x * 3 / 255 + 0.5)
  assert.deepEqual(values(out), [10, 10, 20, 30, 40]);
});

// ---------------------------------------------------------------- color space

Deno.test("color space: YBR_FULL to RGB with pydicom's rounding and clipping", () => {
  const ybr = new PixelArray(
    new Uint8Array([128, 128, 128, 76, 85, 255, 150, 44, 21, 29, 255, 107, 0, 0, 0, 255, 255, 255]),
    [2, 3, 3],
  );
  const rgb = convertColorSpace(ybr, "YBR_FULL", { to: "RGB" });
  assert.equal(rgb.dtype, "uint8");
  assert.deepEqual(rgb.shape, [2, 3, 3]);
  assert.deepEqual(values(rgb), [
    128,
    128,
    128,
    254,
    0,
    0,
    0,
    255,
    1,
    0,
    0,
    254,
    0,
    135,
    0,
    255,
    121,
    255,
  ]);
  assert.deepEqual(convertColorSpace(ybr, "YBR_FULL_422", { to: "RGB" }).data, rgb.data);
});

Deno.test("color space: RGB to YBR_FULL", () => {
  const rgb = row(new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128]));
  const ybr = new PixelArray(rgb.data, [1, 4, 3]);
  assert.deepEqual(values(convertColorSpace(ybr, "RGB", { to: "YBR_FULL" })), [
    76,
    85,
    255,
    150,
    44,
    21,
    29,
    255,
    107,
    128,
    128,
    128,
  ]);
});

Deno.test("color space: no-change pairs, multi-frame, errors", () => {
  const arr = new PixelArray(new Uint8Array(12), [2, 1, 2, 3], { multiFrame: true });
  assert.equal(convertColorSpace(arr, "RGB", { to: "RGB" }), arr);
  assert.equal(convertColorSpace(arr, "YBR_FULL_422", { to: "YBR_FULL" }), arr);
  const out = convertColorSpace(arr, "YBR_FULL", { to: "RGB" });
  assert.equal(out.multiFrame, true);
  assert.deepEqual(out.shape, [2, 1, 2, 3]);
  assert.deepEqual(values(out).slice(0, 3), [0, 135, 0]);
  assert.throws(() => convertColorSpace(arr, "YBR_ICT", { to: "RGB" }), UnsupportedError);
  assert.throws(
    () =>
      convertColorSpace(new PixelArray(new Int16Array(3), [1, 1, 3]), "YBR_FULL", { to: "RGB" }),
    /needs uint8 or uint16 pixels, found int16/,
  );
  assert.throws(
    () =>
      convertColorSpace(new PixelArray(new Uint8Array(4), [1, 1, 4]), "YBR_FULL", { to: "RGB" }),
    /needs 3 samples per pixel/,
  );
});

Deno.test("color space: 16-bit uses offset 32768", () => {
  const ybr = new PixelArray(new Uint16Array([32768, 32768, 32768, 1000, 32768, 32768]), [
    1,
    2,
    3,
  ]);
  assert.deepEqual(values(convertColorSpace(ybr, "YBR_FULL", { to: "RGB" })), [
    32768,
    32768,
    32768,
    1000,
    1000,
    1000,
  ]);
});
