/**
 * `pixelArray`, `frames` and `pixelInfo` on datasets built in the test: frame selection,
 * bit depths, byte order, planar configuration, Bits Stored, colour conversion, errors.
 */
import assert from "node:assert/strict";
import {
  Dataset,
  frames,
  pixelArray,
  PixelDataError,
  read,
  UnsupportedError,
  ValueError,
  write,
} from "../mod.ts";
import { pixelInfo } from "../lib/pixels/mod.ts";
import { CORPUS_FILES, corpusMissing, ORACLE, readNpy } from "./_corpus.ts";

interface Image {
  rows: number;
  cols: number;
  bits: number;
  stored?: number;
  signed?: boolean;
  spp?: number;
  planar?: number;
  frames?: number;
  pi?: string;
}

function image(spec: Image, pixels: Uint8Array | Uint16Array | Float32Array): Dataset {
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
  ds.set("SamplesPerPixel", spec.spp ?? 1);
  ds.set("PhotometricInterpretation", spec.pi ?? ((spec.spp ?? 1) === 3 ? "RGB" : "MONOCHROME2"));
  if ((spec.spp ?? 1) > 1) ds.set("PlanarConfiguration", spec.planar ?? 0);
  if (spec.frames) ds.set("NumberOfFrames", spec.frames);
  ds.set("Rows", spec.rows);
  ds.set("Columns", spec.cols);
  ds.set("BitsAllocated", spec.bits);
  ds.set("BitsStored", spec.stored ?? spec.bits);
  ds.set("HighBit", (spec.stored ?? spec.bits) - 1);
  ds.set("PixelRepresentation", spec.signed ? 1 : 0);
  if (pixels instanceof Float32Array) ds.set("FloatPixelData", pixels, { vr: "OF" });
  else ds.set("PixelData", pixels, { vr: pixels instanceof Uint16Array ? "OW" : "OB" });
  return ds;
}

Deno.test("pixelArray: 16-bit frames, one frame or a range decoded alone", () => {
  const data = new Uint16Array(3 * 2 * 2).map((_, i) => i * 100);
  const ds = image({ rows: 2, cols: 2, bits: 16, frames: 3 }, data);
  const all = pixelArray(ds);
  assert.deepEqual(all.shape, [3, 2, 2]);
  assert.equal(all.dtype, "uint16");
  const one = pixelArray(ds, { frame: 1 });
  assert.deepEqual(one.shape, [2, 2]);
  assert.deepEqual([...one.data], [400, 500, 600, 700]);
  const range = pixelArray(ds, { frames: [1, 3] });
  assert.deepEqual(range.shape, [2, 2, 2]);
  assert.deepEqual([...range.data], [400, 500, 600, 700, 800, 900, 1000, 1100]);
  assert.deepEqual([...frames(ds)].map((f) => f.data[0]), [0, 400, 800]);
  assert.throws(() => pixelArray(ds, { frame: 3 }), RangeError);
  assert.equal(pixelInfo(ds).frameCount, 3);
});

Deno.test("pixelArray: Bits Stored below Bits Allocated is masked, or sign-extended", () => {
  // 12 bits stored: 0xF800 has junk above bit 11 (an overlay in the old days)
  const unsigned = image(
    { rows: 1, cols: 3, bits: 16, stored: 12 },
    new Uint16Array([0xf800, 4095, 1]),
  );
  assert.deepEqual([...pixelArray(unsigned).data], [0x800, 4095, 1]);
  assert.deepEqual([...pixelArray(unsigned, { keepUnusedBits: true }).data], [0xf800, 4095, 1]);
  const signed = image(
    { rows: 1, cols: 3, bits: 16, stored: 12, signed: true },
    new Uint16Array([0x0fff, 0x0800, 0x07ff]),
  );
  const arr = pixelArray(signed);
  assert.equal(arr.dtype, "int16");
  assert.deepEqual([...arr.data], [-1, -2048, 2047]);
});

Deno.test("pixelArray: planar configuration 1 comes back interleaved", () => {
  const planes = new Uint8Array([1, 2, 10, 20, 100, 200]); // R R G G B B
  const ds = image({ rows: 1, cols: 2, bits: 8, spp: 3, planar: 1 }, planes);
  const arr = pixelArray(ds);
  assert.deepEqual(arr.shape, [1, 2, 3]);
  assert.deepEqual([...arr.data], [1, 10, 100, 2, 20, 200]);
});

Deno.test("pixelArray: 1-bit frames that do not start on a byte", () => {
  // 3x3 frames = 9 bits each; frame 1 starts at bit 9
  const bits = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0];
  const packed = new Uint8Array(4);
  bits.forEach((b, i) => packed[i >> 3] |= b << (i & 7));
  const ds = image({ rows: 3, cols: 3, bits: 1, frames: 2 }, packed);
  const arr = pixelArray(ds);
  assert.deepEqual(arr.shape, [2, 3, 3]);
  assert.deepEqual([...arr.data], bits);
  assert.deepEqual([...pixelArray(ds, { frame: 1 }).data], bits.slice(9));
});

Deno.test("pixelArray: big endian and float pixel data survive a write/read", () => {
  const ds = image(
    { rows: 2, cols: 2, bits: 16, signed: true },
    new Uint16Array([0, 1, 0xffff, 0x8000]),
  );
  const be = read(write(ds, { transferSyntax: "1.2.840.10008.1.2.2" }));
  assert.deepEqual([...pixelArray(be).data], [0, 1, -1, -32768]);
  const f = image({ rows: 1, cols: 3, bits: 32 }, new Float32Array([0.5, -1.25, 3e6]));
  const arr = pixelArray(read(write(f)));
  assert.equal(arr.dtype, "float32");
  assert.deepEqual([...arr.data], [0.5, -1.25, 3e6]);
});

Deno.test("pixelArray: clear errors for what cannot be decoded", () => {
  const short = image({ rows: 4, cols: 4, bits: 16 }, new Uint16Array(10));
  assert.throws(
    () => pixelArray(short),
    (e) => e instanceof PixelDataError && /32 expected|expected/.test(e.message),
  );
  // giant Rows x Columns over a tiny buffer: an error, not a 4 GB allocation
  const giant = image({ rows: 65535, cols: 65535, bits: 16, frames: 1000 }, new Uint16Array(4));
  assert.throws(() => pixelArray(giant), PixelDataError);
  const noRows = image({ rows: 2, cols: 2, bits: 8 }, new Uint8Array(4));
  noRows.delete("Rows");
  assert.throws(() => pixelArray(noRows), (e) => e instanceof ValueError && /Rows/.test(e.message));
  const none = new Dataset();
  assert.throws(() => pixelArray(none), PixelDataError);
  const odd = image({ rows: 2, cols: 2, bits: 12 }, new Uint8Array(6));
  assert.throws(() => pixelArray(odd), UnsupportedError);
});

Deno.test({
  name: "corpus: asRgb gives pydicom's convert_color_space for YBR data",
  ignore: corpusMissing(),
  fn() {
    for (const name of ["SC_ybr_full_422_uncompressed.dcm", "SC_rgb_jpeg_dcmtk.dcm"]) {
      const json = JSON.parse(Deno.readTextFileSync(`${ORACLE}/${name}.json`));
      const entry = json.arrays.ybr_to_rgb;
      const expected = readNpy(`${ORACLE}/${entry.file}`);
      const arr = pixelArray(read(`${CORPUS_FILES}/${name}`), { asRgb: true });
      assert.deepEqual(arr.shape, entry.shape);
      assert.deepEqual([...arr.data], [...expected.data as Uint8Array], name);
    }
  },
});
