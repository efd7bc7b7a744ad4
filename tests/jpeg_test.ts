/**
 * Tests for the JPEG decoder and codecs: corpus frames against pydicom 2.3 + gdcm,
 * synthetic streams made by the small encoders below, and error cases.
 */
import assert from "node:assert/strict";
import { codecFor } from "../lib/pixels/codecs/registry.ts";
import { CORPUS_FILES, corpusMissing, manifest, ORACLE, readNpy } from "./_corpus.ts";
import { corpusFrames, frameInfoOf } from "./_encap.ts";
import {
  decodeJpeg,
  jpegBaseline,
  jpegExtended,
  jpegLossless,
} from "../lib/pixels/codecs/jpeg/mod.ts";
import type { Codec, FrameInfo, PixelTypedArray } from "../lib/pixels/codecs/types.ts";
import { CodecError, UnsupportedError } from "../lib/core/errors.ts";

// ---------------------------------------------------------------------------------------
// A tiny JPEG writer for tests: lossless (process 14) and DC-only sequential DCT.

class BitWriter {
  bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0);
    this.acc = 0;
    this.n = 0;
  }
  /** Pads the last byte with 1 bits. */
  align(): void {
    while (this.n !== 0) this.write(1, 1);
  }
}

function segment(marker: number, body: number[]): number[] {
  const len = body.length + 2;
  return [0xff, marker, len >> 8, len & 255, ...body];
}

/** A DHT body: every symbol gets a code of `length` bits, in order. */
function dhtBody(tcth: number, symbols: number[], length: number): number[] {
  const counts = new Array(16).fill(0);
  counts[length - 1] = symbols.length;
  return [tcth, ...counts, ...symbols];
}

function category(v: number): number {
  let a = Math.abs(v);
  let s = 0;
  while (a) {
    s++;
    a >>= 1;
  }
  return s;
}

/** Writes a difference with a table whose symbol s has code s on `codeBits` bits. */
function writeDiff(w: BitWriter, d: number, codeBits: number, lossless: boolean): void {
  if (lossless && d === 32768) {
    w.write(16, codeBits);
    return;
  }
  const s = category(d);
  w.write(s, codeBits);
  if (s) w.write(d > 0 ? d : d + (1 << s) - 1, s);
}

interface LosslessSpec {
  width: number;
  height: number;
  precision: number;
  predictor: number;
  pointTransform?: number;
  /** MCU rows per restart interval (0: no restarts). */
  restartRows?: number;
  /** One plane per component, at the component's resolution. */
  planes: Uint16Array[];
  /** Sampling factors [h, v] per component (default 1x1). */
  sampling?: [number, number][];
  /** One scan per component instead of one interleaved scan. */
  separateScans?: boolean;
  /** Extra segments to put after SOI. */
  prelude?: number[];
  ids?: number[];
}

/** Encodes a lossless JPEG following the IJG prediction rules. */
function encodeLossless(spec: LosslessSpec): Uint8Array {
  const { width: w, height: h, precision, predictor } = spec;
  const pt = spec.pointTransform ?? 0;
  const nc = spec.planes.length;
  const ids = spec.ids ?? spec.planes.map((_, i) => i + 1);
  const sampling = spec.sampling ?? spec.planes.map((): [number, number] => [1, 1]);
  const hmax = Math.max(...sampling.map((f) => f[0]));
  const vmax = Math.max(...sampling.map((f) => f[1]));
  const dims = sampling.map(([fh, fv]) => [Math.ceil(w * fh / hmax), Math.ceil(h * fv / vmax)]);
  const interleaved = nc > 1 && !spec.separateScans;
  const perLine = interleaved ? Math.ceil(w / hmax) : dims[0][0];
  const restartRows = spec.restartRows ?? 0;
  const ri = restartRows * perLine;
  const out: number[] = [0xff, 0xd8, ...(spec.prelude ?? [])];
  out.push(...segment(0xc4, dhtBody(0x00, [...Array(17).keys()], 5)));
  const sof = [precision, h >> 8, h & 255, w >> 8, w & 255, nc];
  for (let i = 0; i < nc; i++) sof.push(ids[i], sampling[i][0] << 4 | sampling[i][1], 0);
  out.push(...segment(0xc3, sof));
  if (ri) out.push(...segment(0xdd, [ri >> 8, ri & 255]));
  // Differences per component plane, in raster order.
  const diffs = spec.planes.map((plane, c) => {
    const [cw, ch] = dims[c];
    const fv = interleaved ? sampling[c][1] : 1;
    const v = (x: number, y: number) => plane[y * cw + x] >> pt;
    const d = new Int32Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      const first = y === 0 || (restartRows > 0 && y % (restartRows * fv) === 0);
      for (let x = 0; x < cw; x++) {
        let p: number;
        if (first) p = x === 0 ? 1 << (precision - pt - 1) : v(x - 1, y);
        else if (x === 0) p = v(0, y - 1);
        else {
          const ra = v(x - 1, y), rb = v(x, y - 1), rc = v(x - 1, y - 1);
          p = [
            0,
            ra,
            rb,
            rc,
            ra + rb - rc,
            ra + ((rb - rc) >> 1),
            rb + ((ra - rc) >> 1),
            (ra + rb) >> 1,
          ][predictor];
        }
        let diff = (v(x, y) - p) & 0xffff;
        if (diff > 32768) diff -= 65536;
        d[y * cw + x] = diff;
      }
    }
    return d;
  });
  const scans = interleaved ? [spec.planes.map((_, i) => i)] : spec.planes.map((_, i) => [i]);
  for (const comps of scans) {
    const sos = [comps.length];
    for (const c of comps) sos.push(ids[c], 0x00);
    sos.push(predictor, 0, pt);
    out.push(...segment(0xda, sos));
    let bw = new BitWriter();
    let rst = 0;
    const mcuRows = interleaved ? Math.ceil(h / vmax) : dims[comps[0]][1];
    for (let my = 0; my < mcuRows; my++) {
      if (ri && my > 0 && my % restartRows === 0) {
        bw.align();
        out.push(...bw.bytes, 0xff, 0xd0 + (rst++ & 7));
        bw = new BitWriter();
      }
      for (let mx = 0; mx < perLine; mx++) {
        for (const c of comps) {
          // A non-interleaved MCU is one sample; dummy samples past the edge code 0.
          const [mh, mv] = interleaved ? sampling[c] : [1, 1];
          const [cw, ch] = dims[c];
          for (let yy = 0; yy < mv; yy++) {
            for (let xx = 0; xx < mh; xx++) {
              const x = mx * mh + xx, y = my * mv + yy;
              writeDiff(bw, x < cw && y < ch ? diffs[c][y * cw + x] : 0, 5, true);
            }
          }
        }
      }
    }
    bw.align();
    out.push(...bw.bytes);
  }
  out.push(0xff, 0xd9);
  return new Uint8Array(out);
}

interface DcSpec {
  width: number;
  height: number;
  precision: number;
  /** Per component: sampling factors and the DC level of every block (raster order). */
  components: { h: number; v: number; blocks: (bx: number, by: number) => number }[];
  restartInterval?: number;
  sof?: number;
}

/** Encodes a sequential DCT JPEG whose blocks have only a DC coefficient. */
function encodeDcOnly(spec: DcSpec): Uint8Array {
  const { width: w, height: h, precision } = spec;
  const nc = spec.components.length;
  const out: number[] = [0xff, 0xd8];
  const q = new Array(64).fill(1);
  q[0] = 8;
  out.push(...segment(0xdb, [0x00, ...q]));
  out.push(...segment(0xc4, dhtBody(0x00, [...Array(16).keys()], 5)));
  out.push(...segment(0xc4, dhtBody(0x10, [0x00], 1)));
  const sof = [precision, h >> 8, h & 255, w >> 8, w & 255, nc];
  spec.components.forEach((c, i) => sof.push(i + 1, c.h << 4 | c.v, 0));
  out.push(...segment(spec.sof ?? 0xc0, sof));
  const ri = spec.restartInterval ?? 0;
  if (ri) out.push(...segment(0xdd, [ri >> 8, ri & 255]));
  const sos = [nc];
  spec.components.forEach((_, i) => sos.push(i + 1, 0x00));
  sos.push(0, 63, 0);
  out.push(...segment(0xda, sos));
  const hmax = Math.max(...spec.components.map((c) => c.h));
  const vmax = Math.max(...spec.components.map((c) => c.v));
  const centre = 1 << (precision - 1);
  const mcusX = Math.ceil(w / (8 * hmax));
  const mcusY = Math.ceil(h / (8 * vmax));
  let bw = new BitWriter();
  const preds = new Array(nc).fill(0);
  let mcu = 0;
  let rst = 0;
  for (let my = 0; my < mcusY; my++) {
    for (let mx = 0; mx < mcusX; mx++, mcu++) {
      if (ri && mcu > 0 && mcu % ri === 0) {
        bw.align();
        out.push(...bw.bytes, 0xff, 0xd0 + (rst++ & 7));
        bw = new BitWriter();
        preds.fill(0);
      }
      spec.components.forEach((c, i) => {
        for (let v = 0; v < c.v; v++) {
          for (let u = 0; u < c.h; u++) {
            const dc = c.blocks(mx * c.h + u, my * c.v + v) - centre;
            writeDiff(bw, dc - preds[i], 5, false);
            preds[i] = dc;
            bw.write(0, 1); // EOB
          }
        }
      });
    }
  }
  bw.align();
  out.push(...bw.bytes, 0xff, 0xd9);
  return new Uint8Array(out);
}

/** Deterministic pseudo-random samples of `bits` bits with some smooth structure. */
function testPlane(w: number, h: number, bits: number, seed: number): Uint16Array {
  const p = new Uint16Array(w * h);
  let s = seed;
  const max = (1 << bits) - 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const smooth = Math.round(max / 2 + (max / 3) * Math.sin((x + seed) / 5 + y / 7));
      const noise = (s >>> 16) % 7 - 3;
      p[y * w + x] = Math.min(max, Math.max(0, smooth + noise));
    }
  }
  // A few extremes to exercise large differences.
  p[0] = max;
  p[1] = 0;
  p[w * h - 1] = max;
  return p;
}

function interleave(planes: Uint16Array[]): Uint16Array {
  const n = planes[0].length;
  const out = new Uint16Array(n * planes.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < planes.length; c++) out[i * planes.length + c] = planes[c][i];
  }
  return out;
}

function info(overrides: Partial<FrameInfo>): FrameInfo {
  return {
    rows: 1,
    columns: 1,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 16,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: "MONOCHROME2",
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------
// Synthetic lossless streams.

Deno.test("jpeg lossless: every predictor and precision round-trips exactly", () => {
  for (const precision of [2, 8, 12, 16]) {
    for (let predictor = 1; predictor <= 7; predictor++) {
      const plane = testPlane(23, 9, precision, predictor);
      const stream = encodeLossless({
        width: 23,
        height: 9,
        precision,
        predictor,
        planes: [plane],
      });
      const image = decodeJpeg(stream);
      assert.deepEqual(
        [image.width, image.height, image.components, image.precision],
        [23, 9, 1, precision],
      );
      assert(precision <= 8 ? image.data instanceof Uint8Array : image.data instanceof Uint16Array);
      assert.deepEqual(Array.from(image.data), Array.from(plane), `P${precision} SV${predictor}`);
    }
  }
});

Deno.test("jpeg lossless: difference 32768 (category 16) at 16 bits", () => {
  const plane = new Uint16Array([0, 32768, 0, 65535, 32767, 1]);
  const stream = encodeLossless({
    width: 3,
    height: 2,
    precision: 16,
    predictor: 1,
    planes: [plane],
  });
  assert.deepEqual(Array.from(decodeJpeg(stream).data), Array.from(plane));
});

Deno.test("jpeg lossless: point transform, restart intervals, fill bytes and APP/COM", () => {
  const plane = testPlane(17, 12, 12, 3).map((v) => v & ~3);
  const app = segment(0xe1, [1, 2, 3, 4]);
  const com = segment(0xfe, [0x68, 0x69]);
  const stream = encodeLossless({
    width: 17,
    height: 12,
    precision: 12,
    predictor: 4,
    pointTransform: 2,
    restartRows: 5,
    planes: [plane],
    prelude: [...app, 0xff, 0xff, 0xff, ...com],
  });
  assert.deepEqual(Array.from(decodeJpeg(stream).data), Array.from(plane));
});

Deno.test("jpeg lossless: 3 components, interleaved and in separate scans", () => {
  const planes = [0, 1, 2].map((i) => testPlane(11, 7, 8, 10 + i));
  for (const separateScans of [false, true]) {
    for (const predictor of [1, 2, 6]) {
      const stream = encodeLossless({
        width: 11,
        height: 7,
        precision: 8,
        predictor,
        planes,
        separateScans,
        restartRows: separateScans ? 0 : 3,
      });
      const image = decodeJpeg(stream);
      assert.deepEqual(image.components, 3);
      assert.deepEqual(Array.from(image.data), Array.from(interleave(planes)));
      // Lossless streams are never colour converted, even on request, without a marker.
      assert.deepEqual(
        Array.from(decodeJpeg(stream, { colorTransform: true }).data),
        Array.from(interleave(planes)),
      );
    }
  }
});

Deno.test("jpeg lossless: subsampled interleaved components are replicated", () => {
  for (const [fh, fv] of [[2, 1], [2, 2], [1, 2]]) {
    const w = 7, h = 5;
    const cw = Math.ceil(w / fh), ch = Math.ceil(h / fv);
    const planes = [testPlane(w, h, 10, 1), testPlane(cw, ch, 10, 2), testPlane(cw, ch, 10, 3)];
    const stream = encodeLossless({
      width: w,
      height: h,
      precision: 10,
      predictor: 5,
      planes,
      sampling: [[fh, fv], [1, 1], [1, 1]],
      restartRows: 2,
    });
    const expected = new Uint16Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = 3 * (y * w + x);
        expected[o] = planes[0][y * w + x];
        const s = Math.floor(y / fv) * cw + Math.floor(x / fh);
        expected[o + 1] = planes[1][s];
        expected[o + 2] = planes[2][s];
      }
    }
    assert.deepEqual(decodeJpeg(stream).data, expected, `${fh}x${fv}`);
  }
});

// ---------------------------------------------------------------------------------------
// Synthetic DC-only DCT streams: every block is flat at its DC level.

Deno.test("jpeg baseline: DC-only blocks, restart intervals, partial edge blocks", () => {
  const level = (bx: number, by: number) => 40 + 17 * bx + 29 * by;
  const stream = encodeDcOnly({
    width: 21,
    height: 18,
    precision: 8,
    restartInterval: 2,
    components: [{ h: 1, v: 1, blocks: level }],
  });
  const image = decodeJpeg(stream);
  assert.deepEqual([image.width, image.height, image.components, image.precision], [21, 18, 1, 8]);
  const expected = new Uint8Array(21 * 18);
  for (let y = 0; y < 18; y++) {
    for (let x = 0; x < 21; x++) expected[y * 21 + x] = level(x >> 3, y >> 3);
  }
  assert.deepEqual(image.data, expected);
});

Deno.test("jpeg extended: 12-bit DC-only blocks (SOF1, and SOF0 as libjpeg allows)", () => {
  const level = (bx: number, by: number) => 100 + 1000 * bx + 300 * by;
  for (const sof of [0xc1, 0xc0]) {
    const stream = encodeDcOnly({
      width: 16,
      height: 16,
      precision: 12,
      sof,
      components: [{ h: 1, v: 1, blocks: level }],
    });
    const image = decodeJpeg(stream);
    assert(image.data instanceof Uint16Array);
    assert.deepEqual(
      [image.data[0], image.data[15], image.data[8 * 16], image.data[255]],
      [100, 1100, 400, 1400],
    );
  }
});

Deno.test("jpeg baseline: 4:2:2 with flat chroma, colour conversion on request", () => {
  const luma = (bx: number) => (bx % 2 ? 200 : 60);
  const stream = encodeDcOnly({
    width: 32,
    height: 8,
    precision: 8,
    components: [
      { h: 2, v: 1, blocks: luma },
      { h: 1, v: 1, blocks: () => 128 },
      { h: 1, v: 1, blocks: () => 128 },
    ],
  });
  const image = decodeJpeg(stream);
  for (let x = 0; x < 32; x++) {
    assert.deepEqual(Array.from(image.data.subarray(3 * x, 3 * x + 3)), [luma(x >> 3), 128, 128]);
  }
  // Component ids 1,2,3 mean YCbCr to libjpeg; with neutral chroma RGB = Y.
  const rgb = decodeJpeg(stream, { colorTransform: true });
  for (let x = 0; x < 32; x++) {
    const y = luma(x >> 3);
    assert.deepEqual(Array.from(rgb.data.subarray(3 * x, 3 * x + 3)), [y, y, y]);
  }
});

// ---------------------------------------------------------------------------------------
// Errors.

/** Asserts `fn` throws `type` with a message matching `pattern` (and returns it). */
function assertThrowsMatching(
  fn: () => unknown,
  type: typeof CodecError | typeof UnsupportedError,
  pattern: RegExp,
): string {
  let message = "";
  assert.throws(fn, (e: unknown) => {
    assert(e instanceof type, `expected ${type.name}, got ${e}`);
    message = e.message;
    assert.match(message, pattern);
    return true;
  });
  return message;
}

function assertCodecError(fn: () => unknown, pattern: RegExp): void {
  const message = assertThrowsMatching(fn, CodecError, pattern);
  assert.match(message, /at byte \d+/);
}

Deno.test("jpeg errors: truncated stream, missing SOF/SOI, bad huffman code", () => {
  const plane = testPlane(32, 32, 12, 1);
  const stream = encodeLossless({
    width: 32,
    height: 32,
    precision: 12,
    predictor: 1,
    planes: [plane],
  });
  assertCodecError(() => decodeJpeg(stream.subarray(0, stream.length >> 1)), /truncated/);
  // Cut before the end and closed with EOI: the scan hits the marker early.
  const cut = new Uint8Array([...stream.subarray(0, stream.length >> 1), 0xff, 0xd9]);
  assertCodecError(() => decodeJpeg(cut), /ends early/);
  assertCodecError(() => decodeJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xd9])), /no SOF/);
  assertCodecError(() => decodeJpeg(new Uint8Array([0x00, 0x01, 0x02])), /no SOI/);
  // A table with codes 0, 10, 110 only: the bits 111... match no code.
  const bad = [
    0xff,
    0xd8,
    ...segment(0xc4, [0x00, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]),
    ...segment(0xc3, [8, 0, 2, 0, 2, 1, 1, 0x11, 0]),
    ...segment(0xda, [1, 1, 0, 1, 0, 0]),
    0xef,
    0x7f,
    0xff,
    0xd9,
  ];
  assertCodecError(() => decodeJpeg(new Uint8Array(bad)), /bad huffman code/);
  // A segment running past the end of the data.
  assertCodecError(
    () => decodeJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x01, 0x00, 0x00])),
    /runs past/,
  );
});

Deno.test("jpeg errors: unsupported processes", () => {
  const sof2 = new Uint8Array([
    0xff,
    0xd8,
    ...segment(0xc2, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    0xff,
    0xd9,
  ]);
  assertThrowsMatching(
    () => decodeJpeg(sof2),
    UnsupportedError,
    /progressive DCT \(SOF2\) not supported at byte 2/,
  );
});

// ---------------------------------------------------------------------------------------
// Codec objects.

Deno.test("jpeg codecs: transfer syntaxes and names", () => {
  assert.equal(codecFor("1.2.840.10008.1.2.4.50"), jpegBaseline);
  assert.equal(codecFor("1.2.840.10008.1.2.4.51"), jpegExtended);
  assert.equal(codecFor("1.2.840.10008.1.2.4.57"), jpegLossless);
  assert.equal(codecFor("1.2.840.10008.1.2.4.70"), jpegLossless);
  assert.deepEqual([jpegBaseline.name, jpegExtended.name, jpegLossless.name], [
    "JPEG Baseline",
    "JPEG Extended",
    "JPEG Lossless",
  ]);
});

Deno.test("jpeg codecs: signed output and unused high bits as gdcm", () => {
  const plane = new Uint16Array([0x0fff, 0x0800, 0x07ff, 0xf001, 0x1234, 0]);
  const stream = encodeLossless({
    width: 3,
    height: 2,
    precision: 16,
    predictor: 1,
    planes: [plane],
  });
  const base = { rows: 2, columns: 3 };
  const signed16 = jpegLossless.decode(stream, info({ ...base, pixelRepresentation: 1 }));
  assert(signed16 instanceof Int16Array);
  assert.deepEqual(Array.from(signed16), [4095, 2048, 2047, -4095, 4660, 0]);
  const signed12 = jpegLossless.decode(
    stream,
    info({ ...base, pixelRepresentation: 1, bitsStored: 12 }),
  );
  assert.deepEqual(Array.from(signed12), [-1, -2048, 2047, 1, 0x234, 0]);
  const unsigned12 = jpegLossless.decode(stream, info({ ...base, bitsStored: 12 }));
  assert(unsigned12 instanceof Uint16Array);
  assert.deepEqual(Array.from(unsigned12), [0xfff, 0x800, 0x7ff, 1, 0x234, 0]);
  // 8-bit data in a 16-bit container is widened.
  const small = encodeLossless({
    width: 3,
    height: 2,
    precision: 8,
    predictor: 1,
    planes: [new Uint16Array([1, 2, 3, 250, 251, 252])],
  });
  const wide = jpegLossless.decode(small, info({ ...base, bitsStored: 8 }));
  assert(wide instanceof Uint16Array);
  assert.deepEqual(Array.from(wide), [1, 2, 3, 250, 251, 252]);
  const narrow = jpegLossless.decode(small, info({ ...base, bitsAllocated: 8, bitsStored: 8 }));
  assert(narrow instanceof Uint8Array);
  assertThrowsMatching(
    () => jpegLossless.decode(small, info({ rows: 3, columns: 2 })),
    CodecError,
    /stream is 3x2 but the header says 2x3/,
  );
});

// ---------------------------------------------------------------------------------------
// Corpus conformance against pydicom 2.3 (gdcm / IJG libjpeg).

const CODECS: Record<string, Codec> = {
  "1.2.840.10008.1.2.4.50": jpegBaseline,
  "1.2.840.10008.1.2.4.51": jpegExtended,
  "1.2.840.10008.1.2.4.57": jpegLossless,
  "1.2.840.10008.1.2.4.70": jpegLossless,
};

function oraclePixels(name: string) {
  for (const ext of [".npy", ".npy.gz"]) {
    try {
      return readNpy(`${ORACLE}/${name}.pixel_array${ext}`);
    } catch {
      // try the next extension
    }
  }
  throw new Error(`no pixel_array oracle for ${name}`);
}

Deno.test({
  name: "jpeg corpus: every JPEG frame matches pydicom/gdcm exactly",
  ignore: corpusMissing(),
  fn() {
    const rows = manifest().filter((r) => CODECS[r.transfer_syntax_uid] && r.rows_x_cols);
    assert(rows.length >= 19, `only ${rows.length} JPEG files in the manifest`);
    const report: string[] = [];
    for (const row of rows) {
      const name = row.path.replace(/^files\/dev\//, "");
      const codec = CODECS[row.transfer_syntax_uid];
      const frameInfo = frameInfoOf(row);
      const nFrames = Number(row.frames || 1);
      const oracle = oraclePixels(name);
      const frames = corpusFrames(`${CORPUS_FILES}/${name}`);
      assert.deepEqual(frames.length, nFrames, name);
      let offset = 0;
      let maxDiff = 0;
      for (const frame of frames) {
        const pixels: PixelTypedArray = codec.decode(frame, frameInfo);
        const expectedType = oracle.dtype === "i2"
          ? Int16Array
          : oracle.dtype === "u2"
          ? Uint16Array
          : Uint8Array;
        assert(
          pixels instanceof expectedType,
          `${name}: ${pixels.constructor.name} for ${oracle.dtype}`,
        );
        for (let i = 0; i < pixels.length; i++) {
          const d = Math.abs(pixels[i] - Number(oracle.data[offset + i]));
          if (d > maxDiff) maxDiff = d;
        }
        offset += pixels.length;
      }
      assert.deepEqual(offset, oracle.data.length, `${name}: sample count`);
      report.push(`${name}: max diff ${maxDiff}`);
      // Lossless must be exact; lossy is exact too with the IJG integer IDCT.
      assert.deepEqual(maxDiff, 0, `${name}: max abs diff ${maxDiff}`);
    }
    console.log(report.join("\n"));
  },
});

Deno.test({
  name: "jpeg corpus: colorTransform matches pydicom's ybr_to_rgb",
  ignore: corpusMissing(),
  fn() {
    for (const name of ["SC_rgb_dcmtk_+eb+cy+s2.dcm", "SC_rgb_jpeg_dcmtk.dcm"]) {
      const expected = readNpy(`${ORACLE}/${name}.ybr_to_rgb.npy`);
      const [frame] = corpusFrames(`${CORPUS_FILES}/${name}`);
      const image = decodeJpeg(frame, { colorTransform: true });
      assert.deepEqual(image.data, expected.data as Uint8Array, name);
    }
  },
});

Deno.test({
  name: "jpeg corpus: fill bytes before EOI (dcmcjpeg stream) decode",
  ignore: corpusMissing(),
  fn() {
    const [frame] = corpusFrames(`${CORPUS_FILES}/tc_CT_small_jpll_p14_sv6.dcm`);
    // The stream ends FF FF D9: a fill byte before EOI.
    assert.deepEqual(Array.from(frame.subarray(frame.length - 3)), [0xff, 0xff, 0xd9]);
    assert.deepEqual(decodeJpeg(frame).data.length, 128 * 128);
  },
});
