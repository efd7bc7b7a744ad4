/**
 * Turns decoded component planes into the interleaved output image: chroma upsampling
 * and the optional YCbCr → RGB conversion, both as IJG libjpeg 6b does them.
 *
 * Upsampling: for DCT images a component at half the horizontal resolution (4:2:2) or at
 * half both resolutions (4:2:0) is "fancy" upsampled (triangle filter, libjpeg's default
 * `do_fancy_upsampling`) when it is wider than 2 samples; other integer ratios, and all
 * lossless images, replicate samples.
 *
 * @module
 */

import { UnsupportedError } from "../../../core/errors.ts";
import type { JpegComponent, JpegFrame } from "./_frame.ts";

type Plane = Uint8Array | Uint16Array;

/** A component at full resolution: its samples and row pitch. */
interface FullPlane {
  data: Plane;
  stride: number;
}

function h2v1Fancy(c: JpegComponent, out: Plane, w: number, h: number): void {
  const src = c.plane;
  const dw = c.width;
  const row = new Int32Array(2 * dw);
  for (let y = 0; y < h; y++) {
    const p = y * c.stride;
    let v = src[p];
    row[0] = v;
    row[1] = (v * 3 + src[p + 1] + 2) >> 2;
    for (let x = 1; x < dw - 1; x++) {
      v = src[p + x] * 3;
      row[2 * x] = (v + src[p + x - 1] + 1) >> 2;
      row[2 * x + 1] = (v + src[p + x + 1] + 2) >> 2;
    }
    v = src[p + dw - 1];
    row[2 * dw - 2] = (v * 3 + src[p + dw - 2] + 1) >> 2;
    row[2 * dw - 1] = v;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = row[x];
  }
}

function h2v2Fancy(c: JpegComponent, out: Plane, w: number, h: number): void {
  const src = c.plane;
  const dw = c.width;
  const dh = c.height;
  const row = new Int32Array(2 * dw);
  for (let y = 0; y < h; y++) {
    const inRow = y >> 1;
    const near = y & 1 ? Math.min(inRow + 1, dh - 1) : Math.max(inRow - 1, 0);
    const p0 = inRow * c.stride;
    const p1 = near * c.stride;
    let cur = src[p0] * 3 + src[p1];
    let next = src[p0 + 1] * 3 + src[p1 + 1];
    row[0] = (cur * 4 + 8) >> 4;
    row[1] = (cur * 3 + next + 7) >> 4;
    let last = cur;
    cur = next;
    for (let x = 1; x < dw - 1; x++) {
      next = src[p0 + x + 1] * 3 + src[p1 + x + 1];
      row[2 * x] = (cur * 3 + last + 8) >> 4;
      row[2 * x + 1] = (cur * 3 + next + 7) >> 4;
      last = cur;
      cur = next;
    }
    row[2 * dw - 2] = (cur * 3 + last + 8) >> 4;
    row[2 * dw - 1] = (cur * 4 + 7) >> 4;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = row[x];
  }
}

function replicate(
  c: JpegComponent,
  out: Plane,
  w: number,
  h: number,
  hexp: number,
  vexp: number,
): void {
  const src = c.plane;
  for (let y = 0; y < h; y++) {
    const p = Math.floor(y / vexp) * c.stride;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = src[p + Math.floor(x / hexp)];
  }
}

/** A component brought to the full image resolution. */
function fullResolution(frame: JpegFrame, c: JpegComponent, lossless: boolean): FullPlane {
  const hexp = frame.hmax / c.h;
  const vexp = frame.vmax / c.v;
  if (hexp === 1 && vexp === 1) return { data: c.plane, stride: c.stride };
  if (!Number.isInteger(hexp) || !Number.isInteger(vexp)) {
    throw new UnsupportedError(
      `jpeg: fractional sampling factors (${c.h}x${c.v} of ${frame.hmax}x${frame.vmax}) not supported`,
    );
  }
  const w = frame.width;
  const h = frame.height;
  const out = c.plane instanceof Uint8Array ? new Uint8Array(w * h) : new Uint16Array(w * h);
  const fancy = !lossless && c.width > 2;
  if (fancy && hexp === 2 && vexp === 1) h2v1Fancy(c, out, w, h);
  else if (fancy && hexp === 2 && vexp === 2) h2v2Fancy(c, out, w, h);
  else replicate(c, out, w, h, hexp, vexp);
  return { data: out, stride: w };
}

const FIX_1_40200 = 91881;
const FIX_1_77200 = 116130;
const FIX_0_71414 = 46802;
const FIX_0_34414 = 22554;

/**
 * Assembles the interleaved output. `shift` is the lossless point transform (0 for DCT),
 * `bits` the sample size of the output (8, 12 or 16), `ycc` asks for YCbCr → RGB.
 */
export function assembleOutput(
  frame: JpegFrame,
  lossless: boolean,
  shift: number,
  ycc: boolean,
): Uint8Array | Uint16Array {
  const w = frame.width;
  const h = frame.height;
  const nc = frame.components.length;
  const bits = frame.precision <= 8 ? 8 : frame.precision <= 12 ? 12 : 16;
  const mask = bits === 8 ? 0xff : 0xffff;
  const planes = frame.components.map((c) => fullResolution(frame, c, lossless));
  const size = w * h * nc;
  const out = bits === 8 ? new Uint8Array(size) : new Uint16Array(size);

  if (nc === 1) {
    const { data, stride } = planes[0];
    if (
      shift === 0 && stride === w && data.length >= w * h && data.constructor === out.constructor
    ) {
      return data.subarray(0, w * h);
    }
    for (let y = 0; y < h; y++) {
      const p = y * stride;
      const o = y * w;
      if (shift === 0 && data.constructor === out.constructor) {
        out.set(data.subarray(p, p + w), o);
      } else {
        for (let x = 0; x < w; x++) out[o + x] = data[p + x] << shift;
      }
    }
    return out;
  }

  if (ycc && nc === 3) {
    const max = (1 << bits) - 1;
    const centre = 1 << (bits - 1);
    const n = max + 1;
    const crR = new Int32Array(n);
    const cbB = new Int32Array(n);
    const crG = new Float64Array(n);
    const cbG = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = i - centre;
      crR[i] = Math.floor((FIX_1_40200 * x + 32768) / 65536);
      cbB[i] = Math.floor((FIX_1_77200 * x + 32768) / 65536);
      crG[i] = -FIX_0_71414 * x;
      cbG[i] = -FIX_0_34414 * x + 32768;
    }
    const [py, pcb, pcr] = planes;
    let o = 0;
    for (let y = 0; y < h; y++) {
      const ry = y * py.stride;
      const rb = y * pcb.stride;
      const rr = y * pcr.stride;
      for (let x = 0; x < w; x++, o += 3) {
        const yy = (py.data[ry + x] << shift) & mask;
        const cb = (pcb.data[rb + x] << shift) & mask;
        const cr = (pcr.data[rr + x] << shift) & mask;
        const r = yy + crR[cr];
        const g = yy + Math.floor((cbG[cb] + crG[cr]) / 65536);
        const b = yy + cbB[cb];
        out[o] = r < 0 ? 0 : r > max ? max : r;
        out[o + 1] = g < 0 ? 0 : g > max ? max : g;
        out[o + 2] = b < 0 ? 0 : b > max ? max : b;
      }
    }
    return out;
  }

  if (nc === 3) {
    const [p0, p1, p2] = planes;
    const d0 = p0.data;
    const d1 = p1.data;
    const d2 = p2.data;
    let o = 0;
    for (let y = 0; y < h; y++) {
      const r0 = y * p0.stride;
      const r1 = y * p1.stride;
      const r2 = y * p2.stride;
      // Typed-array stores keep the low 8 or 16 bits, as libjpeg's JSAMPLE casts do.
      for (let x = 0; x < w; x++, o += 3) {
        out[o] = d0[r0 + x] << shift;
        out[o + 1] = d1[r1 + x] << shift;
        out[o + 2] = d2[r2 + x] << shift;
      }
    }
    return out;
  }

  for (let ci = 0; ci < nc; ci++) {
    const { data, stride } = planes[ci];
    for (let y = 0; y < h; y++) {
      const p = y * stride;
      let o = y * w * nc + ci;
      for (let x = 0; x < w; x++, o += nc) out[o] = data[p + x] << shift;
    }
  }
  return out;
}
