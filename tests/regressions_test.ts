/**
 * Regressions found by the fuzz harness (`deno task fuzz`): each test builds the smallest
 * input that showed the problem, in code, and asserts the typed `DicomError` (or the
 * result) the toolkit now gives. The header of each test names the fuzz case that found it.
 */
import assert from "node:assert/strict";
import {
  applyColorLut,
  applyModalityLut,
  applyVoiLut,
  CodecError,
  DataElement,
  Dataset,
  type DicomError,
  fileSet,
  InvalidFileError,
  MalformedError,
  PixelArray,
  pixelArray,
  PixelDataError,
  read,
  UnsupportedError,
  ValueError,
  write,
} from "../mod.ts";
import type { FrameInfo } from "../lib/pixels/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { constants as zlib, deflateRawSync } from "node:zlib";
import { expandSegmentedLut } from "../lib/lut/_segmented.ts";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";
import { encodeRle } from "../lib/pixels/codecs/rle.ts";
import { jpegLs } from "../lib/pixels/codecs/jpeg_ls.ts";
import { jpeg2000 } from "../lib/pixels/codecs/jpeg_2000.ts";
import { losslessJpeg2x2 } from "../tools/fuzz.ts";

/** Asserts that `fn` throws `type` with exactly this message, within `ms` milliseconds. */
function throwsQuickly(
  fn: () => unknown,
  type: typeof DicomError,
  message: string,
  ms = 500,
): void {
  const t0 = performance.now();
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `${(e as Error).name}: ${(e as Error).message}`);
    assert.equal((e as Error).message, message);
    return true;
  });
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
}

// --- segmented palette LUTs (fuzz seed 1, cases 24, 31, 103, 177, 202) ------------------------

/**
 * Segmented LUT data (16-bit words) whose indirect segments copy each other: a discrete
 * entry, a linear segment of 65535 entries, then `levels` levels of two indirect segments
 * each copying the level below, so the data asks for 2^levels * 65535 entries.
 */
function segmentedBomb(levels: number): Uint16Array {
  const words = [0, 1, 0, 1, 65535, 65535];
  let previous = 3;
  let count = 1;
  for (let l = 0; l < levels; l++) {
    const start = words.length;
    for (let k = 0; k < 2; k++) words.push(2, count, previous * 2, 0);
    previous = start;
    count = 2;
  }
  return Uint16Array.from(words);
}

function paletteDataset(segmented: Uint16Array): Dataset {
  const ds = new Dataset();
  ds.set("PhotometricInterpretation", "PALETTE COLOR");
  for (const c of ["Red", "Green", "Blue"]) {
    ds.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 16], { vr: "US" });
    ds.set(`Segmented${c}PaletteColorLookupTableData`, segmented, { vr: "OW" });
  }
  return ds;
}

Deno.test("regression: segmented palette indirect segments that multiply stop at 65536 entries", () => {
  // before: 2^12 * 65535 entries pushed to a number[]: 12 s, then RangeError
  // "Invalid array length" (or 130 MB and 19 s for fewer levels)
  const words = segmentedBomb(12);
  assert.equal(words.length, 102);
  const message = "segmented palette: expands past 65536 entries in (0028, 1221)";
  throwsQuickly(() => expandSegmentedLut(words, { tag: 0x00281221 }), ValueError, message);
  const ds = read(write(paletteDataset(words)));
  const arr = new PixelArray(new Uint8Array([0, 1, 2, 3]), [2, 2]);
  throwsQuickly(() => applyColorLut(arr, ds), ValueError, message);
});

Deno.test("regression: segmented palette indirect segments copying nothing still end", () => {
  // level 0: ten empty discrete segments; each of 15 levels above: ten indirect segments
  // copying the ten below. No entries, but 10^15 segments to walk: it never ended
  const words = [0, 1, 7];
  let previous = words.length;
  for (let k = 0; k < 10; k++) words.push(0, 0);
  for (let level = 0; level < 15; level++) {
    const start = words.length;
    for (let k = 0; k < 10; k++) words.push(2, 10, previous * 2, 0);
    previous = start;
  }
  throwsQuickly(
    () => expandSegmentedLut(Uint16Array.from(words), { tag: 0x00281221 }),
    ValueError,
    "segmented palette: more than 1048576 segments in (0028, 1221)",
  );
});

Deno.test("regression: a segmented palette of exactly 65536 entries still expands", () => {
  // a discrete first entry and a linear ramp of 65535: the largest table there is
  const lut = expandSegmentedLut(new Uint16Array([0, 1, 0, 1, 65535, 65535]));
  assert.equal(lut.length, 65536);
  assert.deepEqual([lut[0], lut[1], lut[32768], lut[65535]], [0, 1, 32768, 65535]);
});

// --- deflate bombs (fuzz seed 1, case 162) -------------------------------------------------

/**
 * A Deflated Explicit VR Little Endian file whose dataset is one OB element of
 * `megabytes` MiB of zeros: the same sync-flushed deflate block of 1 MiB of zeros
 * repeated, then a final empty block. About 1 KB per MiB.
 */
function deflateBomb(megabytes: number): Uint8Array {
  const meta = write(new Dataset(), { transferSyntax: "1.2.840.10008.1.2.1.99" });
  const metaEnd = 132 + 12 + new DataView(meta.buffer).getUint32(140, true);
  const head = new Uint8Array([0x09, 0, 0x00, 0x10, 0x4f, 0x42, 0, 0, 0, 0, 0, 0]);
  new DataView(head.buffer).setUint32(8, megabytes << 20, true);
  const flush = { finishFlush: zlib.Z_SYNC_FLUSH };
  const parts = [meta.subarray(0, metaEnd), deflateRawSync(head, flush)];
  const block = deflateRawSync(new Uint8Array(1 << 20), flush);
  for (let i = 0; i < megabytes; i++) parts.push(block);
  parts.push(new Uint8Array([0x03, 0x00])); // final empty block
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("regression: a deflated dataset inflating past the limit throws before allocating it", () => {
  // before: 512 MiB inflated (and copied) from 520 KB
  const bomb = deflateBomb(300);
  assert.ok(bomb.length < 400_000, `${bomb.length} bytes`);
  const start = 132 + 12 + new DataView(bomb.buffer).getUint32(140, true);
  const message = `deflated dataset of ${bomb.length - start} bytes inflates past ${
    256 * 2 ** 20
  } bytes (the maxInflatedBytes option) at byte ${start}`;
  for (const strict of [false, true]) {
    assert.throws(() => read(bomb, { strict }), (e: unknown) => {
      assert.ok(e instanceof MalformedError, String(e));
      assert.equal(e.message, message);
      assert.equal(e.offset, start);
      return true;
    });
  }
});

Deno.test("regression: maxInflatedBytes lowers or raises the inflate limit", () => {
  const small = deflateBomb(2);
  const start = 132 + 12 + new DataView(small.buffer).getUint32(140, true);
  throwsQuickly(
    () => read(small, { maxInflatedBytes: 1 << 20 }),
    MalformedError,
    `deflated dataset of ${small.length - start} bytes inflates past 1048576 bytes ` +
      `(the maxInflatedBytes option) at byte ${start}`,
  );
  const ds = read(small, { maxInflatedBytes: 3 << 20 });
  assert.equal(ds.element(0x00091000)?.bytes?.length, 2 << 20);
  assert.deepEqual(ds.warnings, []);
});

// --- DICOMDIR File IDs leaving the root (fuzz seed 2, case 918 with --corpus) ---------------

Deno.test("regression: a Referenced File ID with .. components reads nothing outside the root", () => {
  // before: ["..", "SECRET"] made the instance's path <parent>/SECRET, and load() read it
  const parent = Deno.makeTempDirSync();
  try {
    const root = `${parent}/CD`;
    Deno.mkdirSync(root);
    Deno.writeFileSync(`${root}/IM000001`, write(makeCtSlice(0, { size: 16 })));
    Deno.writeFileSync(`${parent}/SECRET`, write(makeCtSlice(1, { size: 16 })));
    writeDicomdir(root);
    const dicomdir = read(`${root}/DICOMDIR`);
    const records = dicomdir.get("DirectoryRecordSequence") as Dataset[];
    const image = records.find((r) => r.get("DirectoryRecordType") === "IMAGE")!;
    image.set("ReferencedFileID", ["..", "SECRET"], { vr: "CS", validation: "ignore" });
    Deno.writeFileSync(`${root}/DICOMDIR`, write(dicomdir));
    const fs = fileSet(root);
    assert.equal(fs.length, 1);
    const inst = fs.instances[0];
    const at = `record at byte ${inst.node.offset}`;
    assert.equal(inst.path, `${root}/__/SECRET`);
    assert.deepEqual(fs.warnings, [
      `Referenced File ID ..\\SECRET leaves the file-set root: not read (${at})`,
    ]);
    assert.throws(() => inst.load(), (e: unknown) => {
      assert.ok(e instanceof InvalidFileError);
      assert.equal(
        e.message,
        `missing file ${root}/__/SECRET referenced by the IMAGE ${at}`,
      );
      return true;
    });
  } finally {
    Deno.removeSync(parent, { recursive: true });
  }
});

// --- compressed frames whose own header disagrees with the dataset --------------------------

/** A dataset of `rows` x `columns` 8-bit MONOCHROME2 pixels with one compressed frame. */
function compressedDataset(
  frame: Uint8Array | Uint8Array[],
  transferSyntax: string,
  o: { rows: number; columns: number; bits?: number },
): Dataset {
  const frames = Array.isArray(frame) ? frame : [frame];
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
  ds.set("SOPInstanceUID", "2.25.3");
  ds.set("Rows", o.rows);
  ds.set("Columns", o.columns);
  ds.set("SamplesPerPixel", 1);
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("BitsAllocated", o.bits ?? 8);
  ds.set("BitsStored", o.bits ?? 8);
  ds.set("HighBit", (o.bits ?? 8) - 1);
  ds.set("PixelRepresentation", 0);
  const el = new DataElement(0x7fe00010, "OB");
  el.encapsulated = {
    basicOffsetTable: new Uint32Array(0),
    fragments: frames,
    fragmentPositions: frames.map((_, i) => i * 100),
  };
  ds.add(el);
  if (frames.length > 1) ds.set("NumberOfFrames", frames.length);
  const meta = new Dataset();
  meta.set(0x00020010, transferSyntax, { vr: "UI" });
  ds.fileMeta = meta;
  return read(write(ds));
}

Deno.test("regression: a codec failure names its frame and the pixel data element", () => {
  // fuzz harness: codec errors said where in the stream, not which frame
  const good = encodeRle(new Uint8Array([1, 2, 3, 4]), {
    rows: 2,
    columns: 2,
    samplesPerPixel: 1,
    bitsAllocated: 8,
    bitsStored: 8,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: "MONOCHROME2",
  });
  const bad = good.slice(0, 64); // the header, no segment data
  const ds = compressedDataset([good, bad], "1.2.840.10008.1.2.5", { rows: 2, columns: 2 });
  assert.throws(() => pixelArray(ds), (e: unknown) => {
    assert.ok(e instanceof CodecError, String(e));
    assert.equal(
      e.message,
      "rle: segment 0 (bytes 64 to 64) can decode to at most 0 bytes, expected 4 in (7fe0, 0010) " +
        "in frame 1 at byte 64",
    );
    assert.deepEqual([e.frame, e.tag, e.offset], [1, 0x7fe00010, 64]);
    return true;
  });
  assert.deepEqual(Array.from(pixelArray(ds, { frame: 0 }).data), [1, 2, 3, 4]);
});

/** Asserts `pixelArray(ds)` throws a CodecError with this message, quickly. */
function codecErrorQuickly(ds: Dataset, message: string): void {
  throwsQuickly(() => pixelArray(ds), CodecError, message, 200);
}

Deno.test("regression: a JPEG frame header larger than Rows x Columns is refused before decoding", () => {
  // fuzz seed 7, case 2373: a 70-byte lossless stream whose SOF says 30000x4000 in a 2x2
  // image allocated 240 MB and took 3 s (16384x16384: 512 MB) before the size check
  const stream = losslessDeclaring(16384, 16384);
  const ds = compressedDataset(stream, "1.2.840.10008.1.2.4.70", { rows: 2, columns: 2 });
  codecErrorQuickly(
    ds,
    "jpeg: stream is 16384x16384 but the header says 2x2 (columns x rows) in (7fe0, 0010) " +
      "in frame 0 at byte 40",
  );
});

/** A 2x2 8-bit JPEG-LS stream (CharLS) holding 10, 20 / 30, 40. */
const JLS_2X2 = [
  255,
  216,
  255,
  247,
  0,
  11,
  8,
  0,
  2,
  0,
  2,
  1,
  1,
  17,
  0,
  255,
  218,
  0,
  8,
  1,
  1,
  0,
  0,
  0,
  0,
  7,
  14,
  0,
  64,
  64,
  255,
  217,
];

/** A 2x2 8-bit lossless JPEG 2000 codestream (OpenJPEG) holding 10, 20 / 30, 40. */
const J2K_2X2 = [
  255,
  79,
  255,
  81,
  0,
  41,
  0,
  0,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  7,
  1,
  1,
  255,
  82,
  0,
  12,
  0,
  2,
  0,
  1,
  0,
  0,
  4,
  4,
  0,
  1,
  255,
  92,
  0,
  4,
  64,
  64,
  255,
  144,
  0,
  10,
  0,
  0,
  0,
  0,
  0,
  22,
  0,
  1,
  255,
  147,
  207,
  180,
  20,
  8,
  127,
  155,
  7,
  231,
  255,
  217,
];

/** The frame info of a `rows` x `columns` 8-bit MONOCHROME2 frame. */
function gray8(rows: number, columns: number): FrameInfo {
  return {
    rows,
    columns,
    samplesPerPixel: 1,
    bitsAllocated: 8,
    bitsStored: 8,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: "MONOCHROME2",
  };
}

Deno.test("regression: a JPEG-LS frame header larger than Rows x Columns never reaches CharLS", () => {
  // fuzz seed 7, case 2941: SOF55 saying 16384x30000 in a 7x32 image made CharLS grow
  // its WebAssembly memory to 1 GB (it never shrinks) and fail after 3.4 s
  const stream = Uint8Array.from(JLS_2X2);
  assert.deepEqual(Array.from(jpegLs.decode(stream, gray8(2, 2))), [10, 20, 30, 40]);
  stream.set([0x40, 0x00, 0x75, 0x30], 7); // Y = 16384, X = 30000
  const ds = compressedDataset(stream, "1.2.840.10008.1.2.4.80", { rows: 2, columns: 2 });
  codecErrorQuickly(
    ds,
    "jpeg-ls: stream is 16384x30000 with 1 component(s), the header says 2x2 with 1 " +
      "in (7fe0, 0010) in frame 0 at byte 2",
  );
  // a header that agrees with a frame this large: refused before CharLS as well
  throwsQuickly(
    () => jpegLs.decode(stream, gray8(16384, 30000)),
    UnsupportedError,
    "jpeg-ls: 16384x30000x1 samples are more than the WebAssembly decoder holds",
  );
});

Deno.test("regression: a JPEG 2000 SIZ larger than Rows x Columns never reaches OpenJPEG", () => {
  // SIZ saying 30000x16384 in one tile of a 2x2 image: OpenJPEG grew its memory to 2 GB
  // and aborted after 2.9 s
  const stream = Uint8Array.from(J2K_2X2);
  assert.deepEqual(Array.from(jpeg2000.decode(stream, gray8(2, 2))), [10, 20, 30, 40]);
  const dv = new DataView(stream.buffer);
  for (const at of [8, 24]) dv.setUint32(at, 30000); // Xsiz, XTsiz
  for (const at of [12, 28]) dv.setUint32(at, 16384); // Ysiz, YTsiz
  const ds = compressedDataset(stream, "1.2.840.10008.1.2.4.90", { rows: 2, columns: 2 });
  codecErrorQuickly(
    ds,
    "jpeg 2000: stream is 16384x30000 with 1 component(s), the header says 2x2 with 1 " +
      "in (7fe0, 0010) in frame 0 at byte 2",
  );
  throwsQuickly(
    () => jpeg2000.decode(stream, gray8(16384, 30000)),
    UnsupportedError,
    "jpeg 2000: 16384x30000x1 samples are more than the WebAssembly decoder holds",
  );
});

/** The fuzz seed's 2x2 8-bit lossless JPEG, its frame header saying `rows` x `columns`. */
function losslessDeclaring(rows: number, columns: number, padTo = 0): Uint8Array {
  const stream = losslessJpeg2x2();
  const dv = new DataView(stream.buffer);
  dv.setUint16(45, rows);
  dv.setUint16(47, columns);
  if (padTo <= stream.length) return stream;
  const padded = new Uint8Array(padTo); // zeros after the EOI marker
  padded.set(stream);
  return padded;
}

/**
 * The largest typed array `fn` makes (bytes), watching the constructors of the pixel
 * array types while it runs.
 */
function largestAllocation(fn: () => void): number {
  const g = globalThis as unknown as Record<string, unknown>;
  const names = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array"];
  const originals = names.map((n) => g[n]);
  let largest = 0;
  names.forEach((n, i) => {
    const ctor = originals[i] as { new (...a: unknown[]): unknown; BYTES_PER_ELEMENT: number };
    g[n] = new Proxy(ctor, {
      construct(target, args, newTarget) {
        if (typeof args[0] === "number") {
          largest = Math.max(largest, args[0] * ctor.BYTES_PER_ELEMENT);
        }
        return Reflect.construct(target, args, newTarget);
      },
    });
  });
  try {
    fn();
  } finally {
    names.forEach((n, i) => g[n] = originals[i]);
  }
  return largest;
}

Deno.test("regression: a compressed frame that fails to decode allocates no output", () => {
  // fuzz seed 11, case 11669: Rows and Columns of 8192x30000 agreeing with a 184 KB JPEG
  // stream: pixelArray allocated the 245 MB output (491 MB for 16 bits) before the codec
  // failed. The output is now made once a frame has decoded.
  const stream = losslessDeclaring(8192, 30000, 60_000);
  const ds = compressedDataset(stream, "1.2.840.10008.1.2.4.70", { rows: 8192, columns: 30000 });
  let error: unknown;
  const largest = largestAllocation(() => {
    try {
      pixelArray(ds);
    } catch (e) {
      error = e;
    }
  });
  assert.ok(error instanceof CodecError, String(error));
  assert.ok(largest < 1 << 20, `largest allocation ${largest} bytes`);
});

Deno.test("regression: a JPEG stream too short for its frame is refused before decoding", () => {
  // the same stream: the decoder ran 2.6 s through 245 M samples of missing data before
  // finding the scan incomplete. A lossless frame needs a bit per sample at least.
  const stream = losslessDeclaring(8192, 30000, 60_000);
  const ds = compressedDataset(stream, "1.2.840.10008.1.2.4.70", { rows: 8192, columns: 30000 });
  codecErrorQuickly(
    ds,
    "jpeg: a stream of 60000 bytes cannot hold a 30000x8192 frame (at least 30720000 bytes " +
      "of coded data) in (7fe0, 0010) in frame 0 at byte 40",
  );
  // the smallest frame a 70-byte stream can hold decodes
  const ok = compressedDataset(losslessDeclaring(2, 2), "1.2.840.10008.1.2.4.70", {
    rows: 2,
    columns: 2,
  });
  assert.deepEqual(Array.from(pixelArray(ok).data), [10, 20, 30, 40]);
});

Deno.test("regression: a Directory Record Sequence that is not a sequence is a MalformedError", () => {
  // fuzz seed 21, cases 4804 and 24288: its VR changed to SV or DA, fileSet threw
  // TypeError "item is not iterable" or "items.map is not a function"
  const root = Deno.makeTempDirSync();
  try {
    Deno.writeFileSync(`${root}/IM000001`, write(makeCtSlice(0, { size: 16 })));
    writeDicomdir(root);
    const bytes = Deno.readFileSync(`${root}/DICOMDIR`);
    const at = bytes.findIndex((b, i) =>
      b === 0x04 && bytes[i + 1] === 0 && bytes[i + 2] === 0x20 && bytes[i + 3] === 0x12
    );
    assert.equal(String.fromCharCode(bytes[at + 4], bytes[at + 5]), "SQ");
    for (const [vr, offset] of [["SV", at + 12], ["DA", at + 8]] as const) {
      const broken = bytes.slice();
      broken.set([vr.charCodeAt(0), vr.charCodeAt(1)], at + 4);
      Deno.writeFileSync(`${root}/DICOMDIR`, broken);
      for (const strict of [false, true]) {
        assert.throws(() => fileSet(root, { strict }), (e: unknown) => {
          assert.ok(e instanceof MalformedError, String(e));
          assert.equal(
            e.message,
            `${root}/DICOMDIR: the Directory Record Sequence is not a sequence (VR ${vr}) ` +
              `in (0004, 1220) at byte ${offset}`,
          );
          assert.deepEqual([e.tag, e.offset], [0x00041220, offset]);
          return true;
        });
      }
    }
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

// --- large frames declared by small streams (fuzz seed 100, cases 23978 and 35465) ----------

/** A lossless J2K codestream of a 256x256 8-bit noise image (about 70 KB). */
async function j2kNoise(): Promise<Uint8Array> {
  const { encodeJ2k } = await import("./_j2k_encode.ts");
  const px = new Uint8Array(256 * 256);
  let a = 1;
  for (let i = 0; i < px.length; i++) px[i] = (a = (a * 1103515245 + 12345) >>> 0) >>> 24;
  return encodeJ2k(px, {
    width: 256,
    height: 256,
    bitsPerSample: 8,
    componentCount: 1,
    isSigned: false,
  });
}

Deno.test("regression: a JPEG 2000 stream far too small for its large frame is not decoded", async () => {
  // the corpus's RG1_J2KI.dcm (677 KB) with SIZ, Rows and Columns all saying 16384x16384
  // kept OpenJPEG busy 22 s and grew its memory to 1.6 GB (30000x4000: 11 s, 740 MB)
  const stream = await j2kNoise();
  const dv = new DataView(stream.buffer);
  dv.setUint32(8, 16384); // Xsiz; the tiles stay 256x256
  dv.setUint32(12, 8192); // Ysiz
  throwsQuickly(
    () => jpeg2000.decode(stream, gray8(8192, 16384)),
    UnsupportedError,
    `jpeg 2000: a stream of ${stream.length} bytes for 8192x16384x1 samples: frames over ` +
      "2^24 samples need a byte per 128 samples",
  );
  // at 2^24 samples the stream decodes (the missing tiles are empty)
  dv.setUint32(8, 4096);
  dv.setUint32(12, 4096);
  const pixels = jpeg2000.decode(stream, gray8(4096, 4096));
  assert.equal(pixels.length, 4096 * 4096);
});

Deno.test("regression: a JPEG-LS stream far too small for its large frame is not decoded", () => {
  const stream = Uint8Array.from(JLS_2X2);
  stream.set([0x20, 0x00, 0x20, 0x00], 7); // 8192x8192
  throwsQuickly(
    () => jpegLs.decode(stream, gray8(8192, 8192)),
    UnsupportedError,
    "jpeg-ls: a stream of 32 bytes for 8192x8192x1 samples: frames over 2^24 samples need " +
      "a byte per 128 samples",
  );
});

// --- errors name the element they are about (fuzz statistics: a third had no location) -----

Deno.test("regression: a missing pixel attribute or element is named by its tag", () => {
  const ds = compressedDataset(Uint8Array.from(JLS_2X2), "1.2.840.10008.1.2.4.80", {
    rows: 2,
    columns: 2,
  });
  const check = (d: Dataset, type: typeof DicomError, message: string, tag: number) =>
    assert.throws(() => pixelArray(d), (e: unknown) => {
      assert.ok(e instanceof type, String(e));
      assert.equal(e.message, message);
      assert.equal(e.tag, tag);
      return true;
    });
  const noRows = read(write(ds));
  noRows.delete("Rows");
  check(noRows, ValueError, "Rows is missing or not a number in (0028, 0010)", 0x00280010);
  const noPixels = read(write(ds));
  noPixels.delete("PixelData");
  check(noPixels, PixelDataError, "the dataset has no Pixel Data in (7fe0, 0010)", 0x7fe00010);
  const noFragments = read(write(ds));
  noFragments.element("PixelData")!.encapsulated!.fragments = [];
  check(
    noFragments,
    PixelDataError,
    "encapsulated pixel data has no fragments in (7fe0, 0010)",
    0x7fe00010,
  );
});

Deno.test("regression: Specific Character Set stored with a numeric VR is ignored, not a TypeError", () => {
  // (0008,0005) SS 1\2, then (0010,0010) PN "Doe "
  const bytes = new Uint8Array([
    8,
    0,
    5,
    0,
    0x53,
    0x53,
    4,
    0,
    1,
    0,
    2,
    0,
    0x10,
    0,
    0x10,
    0,
    0x50,
    0x4e,
    4,
    0,
    0x44,
    0x6f,
    0x65,
    0x20,
  ]);
  const ds = read(bytes, { force: true });
  assert.deepEqual(ds.charset, []);
  assert.match(String(ds), /\(0010, 0010\) Patient's Name {22}PN: 'Doe'/);
});

Deno.test("regression: a LUT sequence stored with another VR is a ValueError naming it, not a TypeError", () => {
  // fuzz seed 35 case 63722: VOI LUT Sequence (0028,3010) read as UC text
  const arr = new PixelArray(new Uint16Array([0, 100, 200, 300]), [2, 2]);
  const ds = new Dataset();
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("BitsStored", 12);
  ds.set("PixelRepresentation", 0);
  ds.set("WindowCenter", 150);
  ds.set("WindowWidth", 300);
  ds.set("RescaleSlope", 1);
  ds.set("RescaleIntercept", 0);
  for (
    const [keyword, tag, apply] of [
      ["VOILUTSequence", 0x00283010, () => applyVoiLut(arr, ds)],
      ["ModalityLUTSequence", 0x00283000, () => applyModalityLut(arr, ds)],
    ] as const
  ) {
    ds.add(DataElement.fromValue(tag, "UC", ["AB", "CD"]));
    assert.throws(apply, (e: unknown) => {
      assert.ok(e instanceof ValueError, String(e));
      assert.match(e.message, new RegExp(`${keyword} is not a sequence \\(VR UC\\)`));
      assert.equal(e.tag, tag);
      return true;
    });
    // an empty one is no sequence at all: the window (or the rescale) applies
    ds.add(DataElement.fromValue(tag, "UC", ""));
    apply();
    ds.delete(tag);
  }
});
