/**
 * Burned-in text: refusal, and blanking of regions in every frame of compressed data,
 * written natively (the DICOMDIR's ReferencedTransferSyntaxUIDInFile follows).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DataElement, Dataset } from "../lib/dataset/mod.ts";
import { read, write } from "../lib/io/mod.ts";
import { fileSet } from "../lib/fileset/mod.ts";
import { deidentify, deidentifyFileSet } from "../lib/deid/mod.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN, RefusedError, RLE_LOSSLESS } from "../lib/core/mod.ts";
import { put } from "./_deid.ts";

const ROWS = 4, COLUMNS = 6;

/** One RLE frame of 8-bit samples: a header with one segment, one literal run, a no-op. */
function rleFrame(samples: Uint8Array): Uint8Array {
  const out = new Uint8Array(64 + 1 + samples.length + 1);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 1, true);
  dv.setUint32(4, 64, true);
  out[64] = samples.length - 1;
  out.set(samples, 65);
  out[65 + samples.length] = 0x80; // no-op, keeps the fragment even
  return out;
}

function secondaryCapture(): Dataset {
  const ds = new Dataset();
  put(ds, 0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  put(ds, 0x00080018, "UI", "1.2.3.4.5.6.7");
  put(ds, 0x0020000d, "UI", "1.2.3.4.5");
  put(ds, 0x0020000e, "UI", "1.2.3.4.5.6");
  put(ds, 0x00100020, "LO", "PAT1");
  put(ds, 0x00280002, "US", 1);
  put(ds, 0x00280004, "CS", "MONOCHROME2");
  put(ds, 0x00280008, "IS", 2);
  put(ds, 0x00280010, "US", ROWS);
  put(ds, 0x00280011, "US", COLUMNS);
  put(ds, 0x00280100, "US", 8);
  put(ds, 0x00280101, "US", 8);
  put(ds, 0x00280102, "US", 7);
  put(ds, 0x00280103, "US", 0);
  const frames = [0, 1].map((f) =>
    rleFrame(new Uint8Array(ROWS * COLUMNS).map((_, i) => 10 + i + 100 * f))
  );
  const px = new DataElement(0x7fe00010, "OB");
  px.encapsulated = {
    basicOffsetTable: new Uint32Array(0),
    fragments: frames,
    fragmentPositions: [0, 8 + frames[0].length],
  };
  ds.add(px);
  const meta = new Dataset();
  put(meta, 0x00020010, "UI", RLE_LOSSLESS);
  ds.fileMeta = meta;
  return read(write(ds));
}

Deno.test("a secondary capture is refused without regions", () => {
  const ds = secondaryCapture();
  assert.equal(ds.transferSyntaxUID, RLE_LOSSLESS);
  assert.throws(() => deidentify(ds, { key: "k" }), RefusedError);
});

Deno.test("regions are blanked in every frame of RLE data, written natively, code 113101", async () => {
  const ds = secondaryCapture();
  const regions = [{ x: 1, y: 1, width: 2, height: 2 }, { x: 5, y: 3, width: 9, height: 9 }];
  const out = deidentify(ds, { key: "k", cleanPixels: { regions } });
  assert.equal(out.transferSyntaxUID, EXPLICIT_VR_LITTLE_ENDIAN);
  const back = read(write(out, { transferSyntax: out.transferSyntaxUID }));
  const px = back.get("PixelData") as Uint8Array;
  const expected: number[] = [];
  for (let f = 0; f < 2; f++) {
    for (let i = 0; i < ROWS * COLUMNS; i++) {
      const y = Math.floor(i / COLUMNS), x = i % COLUMNS;
      const blank = (y >= 1 && y < 3 && x >= 1 && x < 3) || (y === 3 && x === 5);
      expected.push(blank ? 0 : 10 + i + 100 * f);
    }
  }
  assert.deepEqual([...px], expected);
  assert.equal(back.get("BurnedInAnnotation"), "NO");
  const codes = (back.get("DeidentificationMethodCodeSequence") as Dataset[]).map((i) =>
    i.get("CodeValue")
  );
  assert.deepEqual(codes, ["113100", "113101"]);
  assert.equal(ds.element(0x7fe00010)?.encapsulated?.fragments.length, 2, "input untouched");

  // through a file-set: the new DICOMDIR names the native transfer syntax
  const input = Deno.makeTempDirSync();
  Deno.writeFileSync(join(input, "SC1"), write(ds));
  const folder = Deno.makeTempDirSync() + "/out";
  const report = await deidentifyFileSet(input, folder, { key: "k", cleanPixels: { regions } });
  assert.equal(report.written, 1);
  const fs = fileSet(join(folder, "DICOMDIR"));
  assert.equal(
    fs.instances[0].record.get("ReferencedTransferSyntaxUIDInFile"),
    EXPLICIT_VR_LITTLE_ENDIAN,
  );
  assert.deepEqual([...(fs.instances[0].load().get("PixelData") as Uint8Array)], expected);
});

Deno.test("the pixel decoders load only when regions are given, in the main thread and in workers", async () => {
  // a fresh process that imports the file-set job alone (not lib/deid/mod.ts): with
  // regions it loads the blanker itself, in every thread; a deep import of deidentify
  // without it names what is missing
  const input = Deno.makeTempDirSync();
  for (let i = 0; i < 4; i++) {
    const ds = secondaryCapture();
    ds.set("SOPInstanceUID", `1.2.3.4.5.6.${10 + i}`, { validation: "ignore" });
    Deno.writeFileSync(join(input, `SC${i}`), write(ds));
  }
  const out = Deno.makeTempDirSync() + "/out";
  const lib = new URL("../lib/deid/", import.meta.url).href;
  const script = `
    const { deidentifyFileSet } = await import("${lib}file_set.ts");
    const { deidentify } = await import("${lib}deidentify.ts");
    const { read } = await import("${new URL("../lib/io/read.ts", import.meta.url).href}");
    const regions = [{ x: 0, y: 0, width: 2, height: 2 }];
    let refused = "";
    try {
      deidentify(read(Deno.readFileSync("${input}/SC0")), { key: "k", cleanPixels: { regions } });
    } catch (e) {
      refused = e.name + ": " + e.message;
    }
    const r = await deidentifyFileSet("${input}", "${out}", { key: "k", jobs: 3, cleanPixels: { regions } });
    console.log(JSON.stringify({ refused, written: r.written, failed: r.failed }));
  `;
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(res.stderr);
  assert.equal(res.code, 0, stderr);
  const got = JSON.parse(new TextDecoder().decode(res.stdout));
  assert.match(got.refused, /^UnsupportedError: blanking pixels needs the pixel decoders/);
  assert.deepEqual(got.failed, []);
  assert.equal(got.written, 4);
  const fs = fileSet(join(out, "DICOMDIR"));
  for (const instance of fs.instances) {
    const px = instance.load().get("PixelData") as Uint8Array;
    assert.deepEqual([px[0], px[1], px[COLUMNS], px[COLUMNS + 1]], [0, 0, 0, 0]);
  }
});
