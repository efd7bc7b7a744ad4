import assert from "node:assert/strict";
import { codecFor } from "../lib/pixels/codecs/registry.ts";
import { encodeJ2k } from "./_j2k_encode.ts";
import openjphFull from "@cornerstonejs/codec-openjph/wasmjs";
import {
  decodeJ2kStream,
  decodeJpeg2000,
  j2kSiz,
  jpeg2000,
} from "../lib/pixels/codecs/jpeg_2000.ts";
import type { FrameInfo, PixelTypedArray } from "../lib/pixels/codecs/types.ts";
import { CodecError, UnsupportedError } from "../lib/core/errors.ts";
import { CORPUS_FILES, corpusMissing, manifest } from "./_corpus.ts";
import { corpusFrames, firstMismatch, frameInfoOf, maxAbsDiff, oraclePixels } from "./_encap.ts";

const encode = encodeJ2k;

function info(over: Partial<FrameInfo>): FrameInfo {
  return {
    rows: 32,
    columns: 48,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 16,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: "MONOCHROME2",
    ...over,
  };
}

/** A smooth 48x32 ramp with some texture, `components` interleaved. */
function ramp(make: (n: number) => Uint8Array | Uint16Array | Int16Array, components = 1) {
  const out = make(48 * 32 * components);
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7) % 200) + (i % 3) * 10;
  return out;
}

Deno.test("jpeg 2000: codec object", () => {
  assert.equal(jpeg2000.name, "JPEG 2000");
  for (const uid of ["90", "91", "201", "202", "203"]) {
    assert.equal(codecFor(`1.2.840.10008.1.2.4.${uid}`), jpeg2000);
  }
});

Deno.test("jpeg 2000: SIZ precision and sign", () => {
  const px = ramp((n) => new Uint16Array(n));
  const stream = encode(px, {
    width: 48,
    height: 32,
    bitsPerSample: 12,
    componentCount: 1,
    isSigned: false,
  });
  assert.deepEqual(j2kSiz(stream), { precision: 12, signed: false, components: 1 });
  assert.equal(j2kSiz(new Uint8Array([0, 0, 0, 12, 0x6a, 0x50])), undefined);
});

Deno.test("jpeg 2000: 8 and 16-bit lossless round trips", () => {
  const px8 = ramp((n) => new Uint8Array(n));
  const out8 = decodeJpeg2000(
    encode(px8, { width: 48, height: 32, bitsPerSample: 8, componentCount: 1, isSigned: false }),
    info({ bitsAllocated: 8, bitsStored: 8 }),
  );
  assert.deepEqual(out8, px8);
  const px16 = ramp((n) => new Uint16Array(n)).map((v) => v * 300);
  const out16 = decodeJpeg2000(
    encode(px16, { width: 48, height: 32, bitsPerSample: 16, componentCount: 1, isSigned: false }),
    info({}),
  );
  assert.deepEqual(out16, px16);
});

Deno.test("jpeg 2000: colour (with the reversible colour transform) comes back RGB", () => {
  const rgb = ramp((n) => new Uint8Array(n), 3);
  const stream = encode(rgb, {
    width: 48,
    height: 32,
    bitsPerSample: 8,
    componentCount: 3,
    isSigned: false,
  });
  const out = decodeJpeg2000(
    stream,
    info({
      samplesPerPixel: 3,
      bitsAllocated: 8,
      bitsStored: 8,
      photometricInterpretation: "YBR_RCT",
    }),
  );
  assert.deepEqual(out, rgb);
});

Deno.test("jpeg 2000: signed codestream, signed header", () => {
  const px = Int16Array.from(ramp((n) => new Uint16Array(n)), (v) => v * 10 - 1500);
  const stream = encode(px, {
    width: 48,
    height: 32,
    bitsPerSample: 12,
    componentCount: 1,
    isSigned: true,
  });
  const out = decodeJpeg2000(stream, info({ bitsStored: 12, pixelRepresentation: 1 }));
  assert.ok(out instanceof Int16Array);
  assert.deepEqual(out, px);
});

Deno.test("jpeg 2000: unsigned codestream under Pixel Representation 1 is sign-extended", () => {
  // As pydicom 2.3.1: shift by the codestream precision.
  const values = ramp((n) => new Uint16Array(n));
  values.set([4095, 2048, 2047, 0, 1]);
  const stream12 = encode(values, {
    width: 48,
    height: 32,
    bitsPerSample: 12,
    componentCount: 1,
    isSigned: false,
  });
  const out12 = decodeJpeg2000(stream12, info({ bitsStored: 12, pixelRepresentation: 1 }));
  assert.ok(out12 instanceof Int16Array);
  assert.deepEqual(Array.from(out12.subarray(0, 5)), [-1, -2048, 2047, 0, 1]);
  // Precision 16 above Bits Stored 12: pydicom's shift is 0, a plain reinterpretation.
  const wide = new Uint16Array(values);
  wide.set([63488, 4095, 65535]);
  const stream16 = encode(wide, {
    width: 48,
    height: 32,
    bitsPerSample: 16,
    componentCount: 1,
    isSigned: false,
  });
  const out16 = decodeJpeg2000(stream16, info({ bitsStored: 12, pixelRepresentation: 1 }));
  assert.deepEqual(Array.from(out16.subarray(0, 3)), [-2048, 4095, -1]);
});

Deno.test("jpeg 2000: narrow precision in a 16-bit container widens", () => {
  const px = ramp((n) => new Uint8Array(n));
  const out = decodeJpeg2000(
    encode(px, { width: 48, height: 32, bitsPerSample: 8, componentCount: 1, isSigned: false }),
    info({ bitsStored: 8 }),
  );
  assert.ok(out instanceof Uint16Array);
  assert.deepEqual(Array.from(out), Array.from(px));
});

Deno.test("jpeg 2000: bad streams are CodecErrors, and OpenJPEG stays quiet", () => {
  const px = ramp((n) => new Uint8Array(n));
  const good = encode(px, {
    width: 48,
    height: 32,
    bitsPerSample: 8,
    componentCount: 1,
    isSigned: false,
  });
  const fi = info({ bitsAllocated: 8, bitsStored: 8 });
  const logged: unknown[] = [];
  const { log, error, warn } = console;
  console.log = console.error = console.warn = (...a: unknown[]) => logged.push(a);
  try {
    assert.throws(
      () => jpeg2000.decode(new Uint8Array([0xff, 0x4f, 0xff, 0x51, 0, 1, 2, 3]), fi),
      (e: unknown) => e instanceof CodecError && /^jpeg 2000: /.test(e.message),
    );
    assert.throws(() => jpeg2000.decode(new Uint8Array(2), fi), /too short/);
    assert.throws(() => jpeg2000.decode(new Uint8Array(100), fi), CodecError);
    assert.throws(
      () => jpeg2000.decode(good, info({ rows: 31, bitsAllocated: 8 })),
      /stream is 32x48 with 1 component\(s\), the header says 31x48 with 1/,
    );
    assert.throws(() => jpeg2000.decode(good, info({ bitsAllocated: 64 })), UnsupportedError);
    // A truncated codestream: an error or a partial image, never a crash.
    try {
      jpeg2000.decode(good.subarray(0, good.length >> 1), fi);
    } catch (e) {
      assert.ok(e instanceof CodecError, `unexpected ${e}`);
    }
    assert.deepEqual(jpeg2000.decode(good, fi), px);
  } finally {
    Object.assign(console, { log, error, warn });
  }
  assert.deepEqual(logged, []);
});

function assertFramesEqual(
  out: PixelTypedArray,
  expected: ArrayLike<number> & { constructor: { name: string } },
  k: number,
): void {
  assert.equal(out.constructor.name, expected.constructor.name);
  const at = firstMismatch(out, expected);
  assert.equal(at, -1, `frame ${k} differs at ${at}: ${out[at]} vs ${expected[at]}`);
}

Deno.test("jpeg 2000: corpus files match pydicom, every frame", async (t) => {
  if (corpusMissing()) return;
  const rows = manifest().filter((r) =>
    r.transfer_syntax_uid === "1.2.840.10008.1.2.4.90" ||
    r.transfer_syntax_uid === "1.2.840.10008.1.2.4.91"
  );
  assert.ok(rows.length >= 17, `found ${rows.length} JPEG 2000 files`);
  for (const row of rows) {
    // No oracle: GDCM crashes on 1-bit JPEG 2000; checked against the native file below.
    if (row.pydicom_decodes !== "yes") continue;
    await t.step(row.path, () => {
      const fi = frameInfoOf(row);
      const nFrames = Number(row.frames);
      const frames = corpusFrames(row);
      const oracle = oraclePixels(row);
      const perFrame = fi.rows * fi.columns * fi.samplesPerPixel;
      assert.equal(oracle.data.length, perFrame * nFrames);
      frames.forEach((frame, k) => {
        const out = jpeg2000.decode(frame, fi);
        const expected = oracle.data.subarray(k * perFrame, (k + 1) * perFrame);
        // OpenJPEG is also GDCM's decoder: lossy files match exactly too.
        assertFramesEqual(out, expected as Int16Array, k);
        assert.equal(maxAbsDiff(out, expected as Int16Array), 0);
      });
    });
  }
});

Deno.test("jpeg 2000: 1-bit liver_nonbyte_aligned_j2k equals its deflated native twin", () => {
  if (corpusMissing()) return;
  const rows = manifest();
  const j2k = rows.find((r) => r.path.endsWith("/liver_nonbyte_aligned_j2k.dcm"))!;
  const twin = rows.find((r) => r.path.endsWith("/tc_liver_nonbyte_aligned_deflated.dcm"))!;
  assert.ok(j2k && twin, `corpus rows missing under ${CORPUS_FILES}`);
  const fi = frameInfoOf(j2k);
  assert.equal(fi.bitsAllocated, 1);
  const frames = corpusFrames(j2k);
  const oracle = oraclePixels(twin);
  assert.deepEqual(oracle.shape, [3, 510, 510]);
  const perFrame = 510 * 510;
  let ones = 0;
  frames.forEach((frame, k) => {
    const out = jpeg2000.decode(frame, fi);
    assertFramesEqual(out, oracle.data.subarray(k * perFrame, (k + 1) * perFrame) as Uint8Array, k);
    for (const v of out) ones += v;
  });
  assert.ok(ones > 0, "the segmentation is not empty");
});

Deno.test("jpeg 2000: decodeJ2kStream reports the codestream", () => {
  const px = ramp((n) => new Uint16Array(n));
  const { frame, reversible, samples } = decodeJ2kStream(
    encode(px, { width: 48, height: 32, bitsPerSample: 10, componentCount: 1, isSigned: false }),
  );
  assert.deepEqual(frame, {
    width: 48,
    height: 32,
    bitsPerSample: 10,
    componentCount: 1,
    isSigned: false,
  });
  assert.equal(reversible, true);
  assert.deepEqual(samples, px);
});

// HTJ2K codestreams made by OpenJPH's encoder (a test-only dependency), decoded by OpenJPEG.
interface HtEncoder {
  getDecodedBuffer(fi: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  delete(): void;
}
const openjph = await (openjphFull as (
  arg: object,
) => Promise<{ HTJ2KEncoder: new () => HtEncoder }>)({ print() {}, printErr() {} });

function encodeHt(
  samples: Uint8Array | Uint16Array | Int16Array,
  frame: { width: number; height: number; bitsPerSample: number; componentCount: number },
): Uint8Array {
  const enc = new openjph.HTJ2KEncoder();
  try {
    enc.getDecodedBuffer({
      ...frame,
      isSigned: samples instanceof Int16Array,
      isUsingColorTransform: frame.componentCount === 3,
    }).set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    enc.encode();
    return new Uint8Array(enc.getEncodedBuffer());
  } finally {
    enc.delete();
  }
}

Deno.test("htj2k: lossless streams decode exactly", () => {
  const cases = [
    { px: ramp((n) => new Uint16Array(n)).map((v) => v * 300), fi: info({}) },
    {
      px: Int16Array.from(ramp((n) => new Uint16Array(n)), (v) => v * 10 - 1500),
      fi: info({ pixelRepresentation: 1 }),
    },
    {
      px: ramp((n) => new Uint8Array(n), 3),
      fi: info({
        samplesPerPixel: 3,
        bitsAllocated: 8,
        bitsStored: 8,
        photometricInterpretation: "YBR_RCT",
      }),
    },
  ];
  for (const { px, fi } of cases) {
    const stream = encodeHt(px, {
      width: 48,
      height: 32,
      bitsPerSample: fi.bitsAllocated,
      componentCount: fi.samplesPerPixel,
    });
    // Rsiz bit 14: the codestream uses HT block coding.
    assert.equal(((stream[6] << 8) | stream[7]) & 0x4000, 0x4000);
    const out = jpeg2000.decode(stream, fi);
    assert.equal(out.constructor.name, px.constructor.name);
    assert.deepEqual(out, px);
  }
});

Deno.test("jpeg 2000: the decoder needs no file, network or environment access", async () => {
  // The WebAssembly module's bytes are in a module (so the published package works as a
  // checkout does): a process with no permissions at all decodes a stream from stdin.
  const px = ramp((n) => new Uint16Array(n)).map((v) => v * 211);
  const stream = encode(px, {
    width: 48,
    height: 32,
    bitsPerSample: 16,
    componentCount: 1,
    isSigned: false,
  });
  const codec = new URL("../lib/pixels/codecs/jpeg_2000.ts", import.meta.url).href;
  const dir = Deno.makeTempDirSync();
  try {
    const script = `${dir}/decode.ts`;
    Deno.writeTextFileSync(
      script,
      `import { decodeJpeg2000 } from "${codec}";
const chunks: number[] = [];
for await (const c of Deno.stdin.readable) chunks.push(...c);
const out = decodeJpeg2000(new Uint8Array(chunks), {
  rows: 32, columns: 48, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
  pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
});
console.log(JSON.stringify(Array.from(out)));
`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--no-config", "--no-lock", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(stream);
    await writer.close();
    const result = await child.output();
    assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(result.stdout)), Array.from(px));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("jpeg 2000: the WebAssembly module is the one tools/openjpeg/build.sh makes", async () => {
  const { OPENJPEG_WASM_BASE64 } = await import("../lib/pixels/codecs/_openjpeg_wasm.ts");
  const text = atob(OPENJPEG_WASM_BASE64);
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const module = new WebAssembly.Module(bytes);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of ["dj_decode", "dj_info", "dj_samples", "dj_message", "dj_release"]) {
    assert.ok(exports.includes(name), name);
  }
  // no file system, no clock, no process exit: only stubs are imported
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  for (const name of imports) {
    assert.match(
      name,
      /^(env\.emscripten_notify_memory_growth|wasi_snapshot_preview1\.environ_(sizes_)?get)$/,
    );
  }
  const source = Deno.readTextFileSync(
    new URL("../lib/pixels/codecs/_openjpeg_wasm.ts", import.meta.url),
  );
  assert.match(source, /Generated by tools\/openjpeg\/build\.sh/);
  assert.match(source, /OpenJPEG 2\.5\.4 \(v2\.5\.4\).*-msimd128/);
});
