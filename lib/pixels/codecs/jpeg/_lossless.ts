/**
 * Lossless scans (SOF3, process 14, Huffman coded): predictors 1–7, point transform,
 * restart intervals, 2–16 bit precision, interleaved or not.
 *
 * Reconstruction follows IJG libjpeg's lossless decoder (the one gdcm and DCMTK use):
 * sums are taken modulo 2^16, the first line of the scan and of each restart interval
 * uses predictor 1 (its first sample 2^(P-Pt-1)), the first column uses predictor 2, and
 * restart intervals must hold whole MCU rows.
 *
 * @module
 */

import { CodecError, UnsupportedError } from "../../../core/errors.ts";
import { type BitReader, FAST_BITS, type HuffmanTable } from "./_huffman.ts";
import type { JpegFrame, JpegScan } from "./_frame.ts";

const FAST_MASK = (1 << FAST_BITS) - 1;

/** Decodes `n` sample differences into `out` from `at`. The hot loop of lossless JPEG. */
function decodeDiffs(
  r: BitReader,
  t: HuffmanTable,
  out: Int32Array,
  at: number,
  n: number,
): void {
  const fast = t.fast;
  const data = r.data;
  let buf = r.buf;
  let cnt = r.cnt;
  let pos = r.pos;
  let nextFF = r.nextFF;
  for (let i = at, end = at + n; i < end; i++) {
    if (cnt < 16) {
      if (pos + 1 < nextFF) {
        buf = (buf << 16) | (data[pos] << 8) | data[pos + 1];
        pos += 2;
        cnt += 16;
      } else {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
    }
    const e = fast[(buf >>> (cnt - FAST_BITS)) & FAST_MASK];
    if (e & 1) {
      cnt -= (e >> 1) & 31;
      out[i] = e >> 6;
      continue;
    }
    let s: number;
    if (e !== 0) {
      cnt -= (e >> 1) & 31;
      s = e >> 6;
    } else {
      r.buf = buf;
      r.cnt = cnt;
      r.pos = pos;
      s = r.decodeSlow(t);
      cnt = r.cnt;
    }
    if (s === 0) {
      out[i] = 0;
    } else if (s < 16) {
      if (cnt < s) {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
      const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
      cnt -= s;
      out[i] = v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    } else if (s === 16) {
      out[i] = 32768;
    } else {
      r.buf = buf;
      r.cnt = cnt;
      r.pos = pos;
      throw new CodecError(`jpeg: bad huffman value (difference category ${s})`, {
        offset: r.offset(),
      });
    }
  }
  r.buf = buf;
  r.cnt = cnt;
  r.pos = pos;
}

/**
 * Decodes `n` groups of sample differences, one difference per component in each group
 * (component `c` with `tables[c]` into `outs[c]`): an interleaved scan of 1x1 sampling.
 */
function decodeDiffsInterleaved(
  r: BitReader,
  tables: HuffmanTable[],
  outs: Int32Array[],
  n: number,
): void {
  const nc = tables.length;
  const data = r.data;
  let buf = r.buf;
  let cnt = r.cnt;
  let pos = r.pos;
  let nextFF = r.nextFF;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nc; c++) {
      const out = outs[c];
      if (cnt < 16) {
        if (pos + 1 < nextFF) {
          buf = (buf << 16) | (data[pos] << 8) | data[pos + 1];
          pos += 2;
          cnt += 16;
        } else {
          r.buf = buf;
          r.cnt = cnt;
          r.pos = pos;
          r.fill();
          buf = r.buf;
          cnt = r.cnt;
          pos = r.pos;
          nextFF = r.nextFF;
        }
      }
      const e = tables[c].fast[(buf >>> (cnt - FAST_BITS)) & FAST_MASK];
      if (e & 1) {
        cnt -= (e >> 1) & 31;
        out[i] = e >> 6;
        continue;
      }
      let s: number;
      if (e !== 0) {
        cnt -= (e >> 1) & 31;
        s = e >> 6;
      } else {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        s = r.decodeSlow(tables[c]);
        cnt = r.cnt;
      }
      if (s === 0) {
        out[i] = 0;
      } else if (s < 16) {
        if (cnt < s) {
          r.buf = buf;
          r.cnt = cnt;
          r.pos = pos;
          r.fill();
          buf = r.buf;
          cnt = r.cnt;
          pos = r.pos;
          nextFF = r.nextFF;
        }
        const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
        cnt -= s;
        out[i] = v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
      } else if (s === 16) {
        out[i] = 32768;
      } else {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        throw new CodecError(`jpeg: bad huffman value (difference category ${s})`, {
          offset: r.offset(),
        });
      }
    }
  }
  r.buf = buf;
  r.cnt = cnt;
  r.pos = pos;
}

/**
 * Decodes `n` samples with predictor 1 (each sample predicted by its left neighbour)
 * straight into `out` from `at`; `ra` predicts the first one. The hot loop of lossless
 * JPEG (selection value 1, and the first line of every scan).
 */
function decodeLineP1(
  r: BitReader,
  t: HuffmanTable,
  out: Uint16Array,
  at: number,
  n: number,
  ra: number,
): void {
  const fast = t.fast;
  const data = r.data;
  let buf = r.buf;
  let cnt = r.cnt;
  let pos = r.pos;
  let nextFF = r.nextFF;
  for (let i = at, end = at + n; i < end; i++) {
    if (cnt < 16) {
      if (pos + 1 < nextFF) {
        buf = (buf << 16) | (data[pos] << 8) | data[pos + 1];
        pos += 2;
        cnt += 16;
      } else {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
    }
    const e = fast[(buf >>> (cnt - FAST_BITS)) & FAST_MASK];
    if (e & 1) {
      cnt -= (e >> 1) & 31;
      ra = (ra + (e >> 6)) & 0xffff;
      out[i] = ra;
      continue;
    }
    let s: number;
    if (e !== 0) {
      cnt -= (e >> 1) & 31;
      s = e >> 6;
    } else {
      r.buf = buf;
      r.cnt = cnt;
      r.pos = pos;
      s = r.decodeSlow(t);
      cnt = r.cnt;
    }
    if (s === 0) {
      out[i] = ra;
    } else if (s < 16) {
      if (cnt < s) {
        r.buf = buf;
        r.cnt = cnt;
        r.pos = pos;
        r.fill();
        buf = r.buf;
        cnt = r.cnt;
        pos = r.pos;
        nextFF = r.nextFF;
      }
      const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
      cnt -= s;
      ra = (ra + (v < 1 << (s - 1) ? v - (1 << s) + 1 : v)) & 0xffff;
      out[i] = ra;
    } else if (s === 16) {
      ra = (ra + 32768) & 0xffff;
      out[i] = ra;
    } else {
      r.buf = buf;
      r.cnt = cnt;
      r.pos = pos;
      throw new CodecError(`jpeg: bad huffman value (difference category ${s})`, {
        offset: r.offset(),
      });
    }
  }
  r.buf = buf;
  r.cnt = cnt;
  r.pos = pos;
}

/**
 * Rebuilds one line of samples from its differences `diff[d..]` into `out[o..]`, with the
 * line above at `out[po..]`. `first` marks the first line of the scan or restart interval.
 */
function undifference(
  psv: number,
  diff: Int32Array,
  d: number,
  out: Uint16Array,
  o: number,
  po: number,
  w: number,
  first: boolean,
  initial: number,
): void {
  if (first) {
    let ra = (diff[d] + initial) & 0xffff;
    out[o] = ra;
    for (let x = 1; x < w; x++) {
      ra = (diff[d + x] + ra) & 0xffff;
      out[o + x] = ra;
    }
    return;
  }
  let rb = out[po];
  let ra = (diff[d] + rb) & 0xffff;
  out[o] = ra;
  switch (psv) {
    case 1:
      for (let x = 1; x < w; x++) {
        ra = (diff[d + x] + ra) & 0xffff;
        out[o + x] = ra;
      }
      break;
    case 2:
      for (let x = 1; x < w; x++) out[o + x] = (diff[d + x] + out[po + x]) & 0xffff;
      break;
    case 3:
      for (let x = 1; x < w; x++) out[o + x] = (diff[d + x] + out[po + x - 1]) & 0xffff;
      break;
    case 4:
      for (let x = 1; x < w; x++) {
        const rc = rb;
        rb = out[po + x];
        ra = (diff[d + x] + ra + rb - rc) & 0xffff;
        out[o + x] = ra;
      }
      break;
    case 5:
      for (let x = 1; x < w; x++) {
        const rc = rb;
        rb = out[po + x];
        ra = (diff[d + x] + ra + ((rb - rc) >> 1)) & 0xffff;
        out[o + x] = ra;
      }
      break;
    case 6:
      for (let x = 1; x < w; x++) {
        const rc = rb;
        rb = out[po + x];
        ra = (diff[d + x] + rb + ((ra - rc) >> 1)) & 0xffff;
        out[o + x] = ra;
      }
      break;
    default:
      for (let x = 1; x < w; x++) {
        rb = out[po + x];
        ra = (diff[d + x] + ((ra + rb) >> 1)) & 0xffff;
        out[o + x] = ra;
      }
  }
}

/** Decodes one lossless scan into the (Uint16Array) planes of its components. */
export function decodeLosslessScan(
  frame: JpegFrame,
  scan: JpegScan,
  r: BitReader,
  at: number,
): void {
  const psv = scan.ss;
  const pt = scan.al;
  if (psv < 1 || psv > 7 || pt >= frame.precision) {
    throw new CodecError(
      `jpeg: invalid lossless scan parameters (predictor ${psv}, point transform ${pt})`,
      { offset: at },
    );
  }
  const initial = 1 << (frame.precision - pt - 1);
  const ri = scan.restartInterval;
  const sc = scan.components;

  if (sc.length === 1) {
    const c = sc[0].component;
    const table = sc[0].dc;
    const plane = c.plane as Uint16Array;
    const w = c.width;
    const stride = c.stride;
    if (ri % w !== 0) {
      throw new UnsupportedError(
        `jpeg: lossless restart interval ${ri} is not a multiple of the line length ${w}`,
        { offset: at },
      );
    }
    const diff = new Int32Array(w);
    const rowsPerInterval = ri / w;
    let toGo = rowsPerInterval;
    let first = true;
    for (let y = 0; y < c.height; y++) {
      if (ri) {
        if (toGo === 0) {
          r.restart();
          first = true;
          toGo = rowsPerInterval;
        }
        toGo--;
      }
      const o = y * stride;
      if (first || psv === 1) {
        decodeLineP1(r, table, plane, o, w, first ? initial : plane[o - stride]);
      } else {
        decodeDiffs(r, table, diff, 0, w);
        undifference(psv, diff, 0, plane, o, o - stride, w, false, initial);
      }
      first = false;
    }
    return;
  }

  // Interleaved: an MCU holds Vi rows of Hi samples of each component.
  const perLine = frame.mcusPerLine;
  if (ri % perLine !== 0) {
    throw new UnsupportedError(
      `jpeg: lossless restart interval ${ri} is not a multiple of the MCUs per line ${perLine}`,
      { offset: at },
    );
  }
  const simple = sc.every((s) => s.component.h === 1 && s.component.v === 1);
  const tables = sc.map((s) => s.dc);
  const diffs = sc.map((s) => new Int32Array(s.component.v * perLine * s.component.h));
  const firsts = sc.map(() => true);
  const rowsPerInterval = ri / perLine;
  let toGo = rowsPerInterval;
  for (let my = 0; my < frame.mcuRows; my++) {
    if (ri) {
      if (toGo === 0) {
        r.restart();
        firsts.fill(true);
        toGo = rowsPerInterval;
      }
      toGo--;
    }
    if (simple) {
      decodeDiffsInterleaved(r, tables, diffs, perLine);
    } else {
      for (let mx = 0; mx < perLine; mx++) {
        for (let i = 0; i < sc.length; i++) {
          const c = sc[i].component;
          const lineLength = perLine * c.h;
          for (let v = 0; v < c.v; v++) {
            decodeDiffs(r, tables[i], diffs[i], v * lineLength + mx * c.h, c.h);
          }
        }
      }
    }
    for (let i = 0; i < sc.length; i++) {
      const c = sc[i].component;
      const plane = c.plane as Uint16Array;
      const lineLength = perLine * c.h;
      for (let v = 0; v < c.v; v++) {
        const y = my * c.v + v;
        undifference(
          psv,
          diffs[i],
          v * lineLength,
          plane,
          y * c.stride,
          (y - 1) * c.stride,
          c.width,
          firsts[i],
          initial,
        );
        firsts[i] = false;
      }
    }
  }
}
