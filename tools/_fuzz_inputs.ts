/**
 * Inputs of the fuzz harness (`tools/fuzz.ts`): the seed files the project makes itself
 * (the CT phantom in several transfer syntaxes and pixel formats, compressed with RLE,
 * JPEG, JPEG-LS and JPEG 2000, and a small DICOMDIR), the corpus files, and the mutations
 * applied to them (dataset-level edits before writing, byte-level edits after it, guided by
 * a map of where each element, item, fragment and length field is).
 *
 * Private to `tools/`.
 *
 * @module
 */

import { constants as zlib, deflateRawSync } from "node:zlib";
import { Dataset } from "../lib/dataset/dataset.ts";
import { DataElement } from "../lib/dataset/element.ts";
import { LONG_LENGTH_VRS, WIRE_VRS } from "../lib/core/vr.ts";
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  HTJ2K_LOSSLESS,
  IMPLICIT_VR_LITTLE_ENDIAN,
  JPEG_2000,
  JPEG_2000_LOSSLESS,
  JPEG_BASELINE,
  JPEG_EXTENDED,
  JPEG_LOSSLESS,
  JPEG_LOSSLESS_SV1,
  JPEG_LS_LOSSLESS,
  JPEG_LS_NEAR_LOSSLESS,
  RLE_LOSSLESS,
} from "../lib/core/transfer_syntax.ts";
import { lookupTag } from "../lib/dictionary/mod.ts";
import { write } from "../lib/io/write.ts";
import { makeCtSlice, phantomHU } from "../lib/sample/phantom.ts";
import { encodeRle } from "../lib/pixels/codecs/rle.ts";
import { encodeJpeg } from "../lib/image/jpeg.ts";
import type { FrameInfo, PixelTypedArray } from "../lib/pixels/codecs/types.ts";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";

// --- randomness ------------------------------------------------------------------------------

/** A seeded PRNG (mulberry32) with the helpers the mutators use. */
export class Rng {
  #a: number;
  constructor(seed: number) {
    this.#a = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One of the values. */
  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)];
  }
  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** The PRNG seed of case `index` of a run seeded with `seed`: each case replays alone. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index >>> 0), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h + index, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// --- byte helpers ----------------------------------------------------------------------------

/** Joins byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u16(v: number, le: boolean): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, v, le);
  return out;
}

function u32(v: number, le: boolean): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v >>> 0, le);
  return out;
}

/** An element header in the given encoding. */
export function header(
  tag: number,
  vr: string,
  length: number,
  implicit: boolean,
  le: boolean,
): Uint8Array {
  const t = concat(u16(tag >>> 16, le), u16(tag & 0xffff, le));
  if (implicit) return concat(t, u32(length, le));
  const v = new Uint8Array([vr.charCodeAt(0), vr.charCodeAt(1)]);
  if (LONG_LENGTH_VRS.has(vr)) return concat(t, v, new Uint8Array(2), u32(length, le));
  return concat(t, v, u16(length, le));
}

/** An item or delimiter header: (FFFE,xxxx) and a 32-bit length. */
export function itemHeader(element: number, length: number, le: boolean): Uint8Array {
  return concat(u16(0xfffe, le), u16(element, le), u32(length, le));
}

// --- the map of a well-formed stream ---------------------------------------------------------

/** What sits at a position of a seed stream. */
export type TokenKind = "element" | "item" | "delimiter" | "fragment";

/** One element, item, delimiter or fragment of a seed stream, found by {@linkcode scan}. */
export interface Token {
  kind: TokenKind;
  /** Where its header starts. */
  pos: number;
  /** The tag (elements), or the item/delimiter tag. */
  tag: number;
  /** Position of the VR (explicit VR elements only). */
  vrPos?: number;
  /** Position and size (2 or 4) of the length field. */
  lenPos: number;
  lenSize: 2 | 4;
  /** Where the value starts and its length (0xFFFFFFFF: undefined). */
  valuePos: number;
  length: number;
  /** Nesting depth (0 at the top level). */
  depth: number;
}

/** The map of a seed stream: its tokens, encoding, and where the dataset starts. */
export interface StreamMap {
  tokens: Token[];
  /** Where the dataset after the file meta starts (0 without meta). */
  bodyStart: number;
  implicit: boolean;
  littleEndian: boolean;
  /** True when the body is deflated (then there are no tokens past the meta). */
  deflated: boolean;
  /**
   * True when the file meta named the transfer syntax. Without it the map walks explicit
   * VR little endian, while the reader guesses (implicit VR, big endian...): the map's
   * element bounds are then no oracle of where a value was cut.
   */
  encodingKnown: boolean;
}

/**
 * Maps a (mostly) well-formed stream: the file meta, then the dataset in its transfer
 * syntax. Stops quietly at the first thing it does not understand; what was found before
 * is kept. Deflated bodies are not mapped.
 */
export function scan(bytes: Uint8Array): StreamMap {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tokens: Token[] = [];
  let pos = 0;
  const dicm = (p: number) =>
    bytes.length >= p + 4 && bytes[p] === 0x44 && bytes[p + 1] === 0x49 && bytes[p + 2] === 0x43 &&
    bytes[p + 3] === 0x4d;
  if (dicm(128)) pos = 132;
  else if (dicm(0)) pos = 4;
  let ts: string | undefined;
  // meta: explicit VR little endian, group 0002
  while (pos + 8 <= bytes.length && dv.getUint16(pos, true) === 0x0002) {
    const tag = dv.getUint32(pos, true);
    const t = ((tag & 0xffff) << 16 | tag >>> 16) >>> 0;
    const vr = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
    if (!WIRE_VRS.has(vr)) break;
    const long = LONG_LENGTH_VRS.has(vr);
    const lenPos = pos + (long ? 8 : 6);
    if (lenPos + (long ? 4 : 2) > bytes.length) break;
    const length = long ? dv.getUint32(lenPos, true) : dv.getUint16(lenPos, true);
    const valuePos = pos + (long ? 12 : 8);
    if (length === 0xffffffff || valuePos + length > bytes.length) break;
    tokens.push({
      kind: "element",
      pos,
      tag: t,
      vrPos: pos + 4,
      lenPos,
      lenSize: long ? 4 : 2,
      valuePos,
      length,
      depth: 0,
    });
    if (t === 0x00020010) {
      ts = new TextDecoder().decode(bytes.subarray(valuePos, valuePos + length)).replace(
        /[\0 ]+$/,
        "",
      );
    }
    pos = valuePos + length;
  }
  const bodyStart = pos;
  const implicit = ts === IMPLICIT_VR_LITTLE_ENDIAN;
  const le = ts !== EXPLICIT_VR_BIG_ENDIAN;
  const map: StreamMap = {
    tokens,
    bodyStart,
    implicit,
    littleEndian: le,
    deflated: ts === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
    encodingKnown: ts !== undefined,
  };
  if (map.deflated) return map;
  try {
    walk(bytes, dv, tokens, pos, bytes.length, implicit, le, 0, false);
  } catch {
    // a stream the map does not understand: keep what was found
  }
  return map;
}

function walk(
  bytes: Uint8Array,
  dv: DataView,
  tokens: Token[],
  pos: number,
  end: number,
  implicit: boolean,
  le: boolean,
  depth: number,
  inItem: boolean,
): number {
  const tagAt = (p: number) => ((dv.getUint16(p, le) << 16) | dv.getUint16(p + 2, le)) >>> 0;
  while (pos + 8 <= end) {
    const tag = tagAt(pos);
    if (tag === 0xfffee00d && inItem) {
      tokens.push(delimiter(pos, tag, depth));
      return pos + 8;
    }
    if (tag >>> 16 === 0xfffe) throw new Error("unexpected delimiter");
    let vr: string | undefined;
    let lenPos: number, lenSize: 2 | 4, valuePos: number, length: number;
    if (implicit) {
      lenPos = pos + 4;
      lenSize = 4;
      valuePos = pos + 8;
      length = dv.getUint32(lenPos, le);
      vr = lookupTag(tag)?.vr;
    } else {
      vr = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
      if (!WIRE_VRS.has(vr)) throw new Error("bad VR");
      const long = LONG_LENGTH_VRS.has(vr);
      lenPos = pos + (long ? 8 : 6);
      lenSize = long ? 4 : 2;
      valuePos = pos + (long ? 12 : 8);
      if (valuePos > end) throw new Error("cut");
      length = long ? dv.getUint32(lenPos, le) : dv.getUint16(lenPos, le);
    }
    tokens.push({
      kind: "element",
      pos,
      tag,
      vrPos: implicit ? undefined : pos + 4,
      lenPos,
      lenSize,
      valuePos,
      length,
      depth,
    });
    const undefinedLength = length === 0xffffffff;
    const itemFollows = valuePos + 4 <= end && tagAt(valuePos) === 0xfffee000;
    if (vr === "SQ" || (undefinedLength && itemFollows && tag !== 0x7fe00010)) {
      pos = walkSequence(bytes, dv, tokens, valuePos, undefinedLength ? end : valuePos + length, {
        implicit,
        le,
        depth,
        undefinedLength,
      });
    } else if (undefinedLength) {
      pos = walkFragments(dv, tokens, valuePos, end, le, depth, tagAt);
    } else {
      if (valuePos + length > end) throw new Error("cut");
      pos = valuePos + length;
    }
  }
  if (inItem) throw new Error("item without delimiter");
  return pos;
}

function delimiter(pos: number, tag: number, depth: number): Token {
  return {
    kind: "delimiter",
    pos,
    tag,
    lenPos: pos + 4,
    lenSize: 4,
    valuePos: pos + 8,
    length: 0,
    depth,
  };
}

function walkSequence(
  bytes: Uint8Array,
  dv: DataView,
  tokens: Token[],
  pos: number,
  end: number,
  o: { implicit: boolean; le: boolean; depth: number; undefinedLength: boolean },
): number {
  const tagAt = (p: number) => ((dv.getUint16(p, o.le) << 16) | dv.getUint16(p + 2, o.le)) >>> 0;
  while (pos + 8 <= end) {
    const tag = tagAt(pos);
    if (tag === 0xfffee0dd) {
      tokens.push(delimiter(pos, tag, o.depth));
      return pos + 8;
    }
    if (tag !== 0xfffee000) throw new Error("not an item");
    const length = dv.getUint32(pos + 4, o.le);
    tokens.push({
      kind: "item",
      pos,
      tag,
      lenPos: pos + 4,
      lenSize: 4,
      valuePos: pos + 8,
      length,
      depth: o.depth + 1,
    });
    if (length === 0xffffffff) {
      pos = walk(bytes, dv, tokens, pos + 8, end, o.implicit, o.le, o.depth + 1, true);
    } else {
      walk(bytes, dv, tokens, pos + 8, pos + 8 + length, o.implicit, o.le, o.depth + 1, false);
      pos = pos + 8 + length;
    }
  }
  if (o.undefinedLength) throw new Error("sequence without delimiter");
  return pos;
}

function walkFragments(
  dv: DataView,
  tokens: Token[],
  pos: number,
  end: number,
  le: boolean,
  depth: number,
  tagAt: (p: number) => number,
): number {
  while (pos + 8 <= end) {
    const tag = tagAt(pos);
    if (tag === 0xfffee0dd) {
      tokens.push(delimiter(pos, tag, depth));
      return pos + 8;
    }
    if (tag !== 0xfffee000) throw new Error("not a fragment");
    const length = dv.getUint32(pos + 4, le);
    tokens.push({
      kind: "fragment",
      pos,
      tag,
      lenPos: pos + 4,
      lenSize: 4,
      valuePos: pos + 8,
      length,
      depth,
    });
    pos += 8 + length;
  }
  throw new Error("fragments without delimiter");
}

// --- seeds made by the project ---------------------------------------------------------------

/** The transfer syntaxes of the native seeds. */
export const NATIVE_SYNTAXES: readonly string[] = [
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
];

/** Every transfer syntax a lying file meta may claim. */
export const ANY_SYNTAXES: readonly string[] = [
  ...NATIVE_SYNTAXES,
  RLE_LOSSLESS,
  JPEG_BASELINE,
  JPEG_EXTENDED,
  JPEG_LOSSLESS,
  JPEG_LOSSLESS_SV1,
  JPEG_LS_LOSSLESS,
  JPEG_LS_NEAR_LOSSLESS,
  JPEG_2000_LOSSLESS,
  JPEG_2000,
  HTJ2K_LOSSLESS,
  "1.2.840.10008.1.2.4.100", // MPEG2 Main Profile: a syntax without a codec here
  "1.2.3.4",
  "",
];

/** A frame encoder for seeds: the project's own, or one from an npm codec package. */
export type FrameEncoder = (pixels: PixelTypedArray, info: FrameInfo) => Uint8Array;

/** The compressed-frame encoders available to the seeds. */
export interface Encoders {
  jpegLs?: FrameEncoder;
  j2k?: FrameEncoder;
}

/** A seed: a dataset factory and the transfer syntax to write it in. */
export interface Seed {
  name: string;
  make: () => Dataset;
  transferSyntax: string;
}

const SIZE = 32;

function ct(index = 0): Dataset {
  return makeCtSlice(index, { size: SIZE, slices: 4 });
}

function stored(index: number): Uint16Array {
  const hu = phantomHU(index, { size: SIZE, slices: 4 });
  return Uint16Array.from(hu, (v) => v + 1024);
}

function eightBit(index: number): Uint8Array {
  const hu = phantomHU(index, { size: SIZE, slices: 4 });
  return Uint8Array.from(hu, (v) => Math.max(0, Math.min(255, (v + 1024) >> 4)));
}

function setImage(
  ds: Dataset,
  o: { bits: number; stored?: number; spp?: number; pi: string; signed?: boolean },
): void {
  ds.set("BitsAllocated", o.bits);
  ds.set("BitsStored", o.stored ?? o.bits);
  ds.set("HighBit", (o.stored ?? o.bits) - 1);
  ds.set("SamplesPerPixel", o.spp ?? 1);
  ds.set("PhotometricInterpretation", o.pi);
  ds.set("PixelRepresentation", o.signed ? 1 : 0);
  if ((o.spp ?? 1) > 1) ds.set("PlanarConfiguration", 0);
}

function infoOf(ds: Dataset): FrameInfo {
  const n = (k: string) => Number(ds.get(k) ?? 0);
  return {
    rows: n("Rows"),
    columns: n("Columns"),
    samplesPerPixel: n("SamplesPerPixel") || 1,
    bitsAllocated: n("BitsAllocated"),
    bitsStored: n("BitsStored"),
    pixelRepresentation: n("PixelRepresentation"),
    planarConfiguration: 0,
    photometricInterpretation: String(ds.get("PhotometricInterpretation") ?? ""),
  };
}

/** Sets encapsulated Pixel Data (one fragment per frame, with a Basic Offset Table). */
export function setEncapsulated(
  ds: Dataset,
  frames: Uint8Array[],
  transferSyntax: string,
  offsetTable = true,
): void {
  const table: number[] = [];
  const positions: number[] = [];
  let at = 0;
  for (const f of frames) {
    table.push(at);
    positions.push(at);
    at += 8 + f.length + (f.length % 2);
  }
  const el = new DataElement(0x7fe00010, "OB");
  el.encapsulated = {
    basicOffsetTable: offsetTable ? Uint32Array.from(table) : new Uint32Array(0),
    fragments: frames,
    fragmentPositions: positions,
  };
  ds.delete("PixelData");
  ds.add(el);
  const meta = ds.fileMeta ?? new Dataset();
  meta.set(0x00020010, transferSyntax, { vr: "UI", validation: "ignore" });
  ds.fileMeta = meta;
}

function multiFrame(frames: number): Dataset {
  const ds = ct(1);
  const all = new Uint16Array(SIZE * SIZE * frames);
  for (let f = 0; f < frames; f++) all.set(stored(f), f * SIZE * SIZE);
  ds.set("NumberOfFrames", frames);
  ds.set("PixelData", all, { vr: "OW", validation: "ignore" });
  return ds;
}

function rgb(planar: number): Dataset {
  const ds = ct(2);
  const g = eightBit(2);
  const px = new Uint8Array(g.length * 3);
  for (let i = 0; i < g.length; i++) {
    const r = g[i], gg = 255 - g[i], b = (g[i] * 7) & 0xff;
    if (planar) {
      px[i] = r;
      px[g.length + i] = gg;
      px[2 * g.length + i] = b;
    } else px.set([r, gg, b], i * 3);
  }
  setImage(ds, { bits: 8, spp: 3, pi: "RGB" });
  ds.set("PlanarConfiguration", planar);
  for (const k of ["WindowCenter", "WindowWidth", "RescaleIntercept", "RescaleSlope"]) ds.delete(k);
  ds.set("PixelData", px, { vr: "OB", validation: "ignore" });
  return ds;
}

function ybr422(): Dataset {
  const ds = rgb(0);
  const g = eightBit(3);
  const px = new Uint8Array(g.length * 2);
  for (let i = 0; i + 1 < g.length; i += 2) px.set([g[i], g[i + 1], 128, 100], i * 2);
  ds.set("PhotometricInterpretation", "YBR_FULL_422");
  ds.set("PixelData", px, { vr: "OB", validation: "ignore" });
  return ds;
}

function palette(segmented: boolean): Dataset {
  const ds = ct(0);
  setImage(ds, { bits: 8, pi: "PALETTE COLOR" });
  for (const k of ["WindowCenter", "WindowWidth", "RescaleIntercept", "RescaleSlope"]) ds.delete(k);
  ds.set("PixelData", eightBit(0), { vr: "OB", validation: "ignore" });
  const colors = ["Red", "Green", "Blue"];
  colors.forEach((c, k) => {
    ds.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 16], {
      vr: "US",
      validation: "ignore",
    });
    if (segmented) {
      // a discrete first entry, then a linear ramp to a channel-specific top
      const words = new Uint16Array([0, 1, 0, 1, 255, 20000 * (k + 1)]);
      ds.set(`Segmented${c}PaletteColorLookupTableData`, words, { vr: "OW", validation: "ignore" });
    } else {
      const lut = new Uint16Array(256);
      for (let i = 0; i < 256; i++) lut[i] = (i * (k + 1) * 97) & 0xffff;
      ds.set(`${c}PaletteColorLookupTableData`, lut, { vr: "OW", validation: "ignore" });
    }
  });
  return ds;
}

function oneBit(): Dataset {
  const ds = ct(0);
  setImage(ds, { bits: 1, pi: "MONOCHROME2" });
  const s = stored(0);
  const packed = new Uint8Array(Math.ceil(s.length / 8));
  for (let i = 0; i < s.length; i++) if (s[i] > 1100) packed[i >> 3] |= 1 << (i & 7);
  for (const k of ["WindowCenter", "WindowWidth", "RescaleIntercept", "RescaleSlope"]) ds.delete(k);
  ds.set("PixelData", packed, { vr: "OB", validation: "ignore" });
  return ds;
}

function floatPixels(): Dataset {
  const ds = ct(0);
  ds.delete("PixelData");
  setImage(ds, { bits: 32, pi: "MONOCHROME2" });
  ds.delete("PixelRepresentation");
  ds.delete("BitsStored");
  ds.delete("HighBit");
  ds.set("FloatPixelData", Float32Array.from(phantomHU(0, { size: SIZE, slices: 4 })), {
    vr: "OF",
    validation: "ignore",
  });
  return ds;
}

function signed(): Dataset {
  const ds = ct(2);
  setImage(ds, { bits: 16, stored: 16, pi: "MONOCHROME2", signed: true });
  ds.set("RescaleIntercept", 0);
  ds.set("PixelData", new Uint16Array(phantomHU(2, { size: SIZE, slices: 4 }).buffer), {
    vr: "OW",
    validation: "ignore",
  });
  return ds;
}

function lutItem(entries: number, first: number, bits: number, data: Uint16Array): Dataset {
  const item = new Dataset();
  item.set("LUTDescriptor", [entries, first, bits], { vr: "US", validation: "ignore" });
  item.set("LUTData", data, { vr: "OW", validation: "ignore" });
  return item;
}

function modalityLut(): Dataset {
  const ds = ct(1);
  ds.delete("RescaleIntercept");
  ds.delete("RescaleSlope");
  const data = new Uint16Array(4096).map((_, i) => (i * 3) & 0xffff);
  ds.set("ModalityLUTSequence", [lutItem(4096, 0, 16, data)], { vr: "SQ", validation: "ignore" });
  return ds;
}

function voiLut(): Dataset {
  const ds = ct(3);
  ds.delete("WindowCenter");
  ds.delete("WindowWidth");
  const data = new Uint16Array(4096).map((_, i) => i >> 4);
  ds.set("VOILUTSequence", [lutItem(4096, 0, 8, data)], { vr: "SQ", validation: "ignore" });
  return ds;
}

function mono1(): Dataset {
  const ds = ct(2);
  setImage(ds, { bits: 8, pi: "MONOCHROME1" });
  ds.set("PixelData", eightBit(2), { vr: "OB", validation: "ignore" });
  ds.set("WindowCenter", 128);
  ds.set("WindowWidth", 200);
  ds.delete("RescaleIntercept");
  ds.delete("RescaleSlope");
  return ds;
}

function nested(): Dataset {
  const ds = ct(0);
  const inner = new Dataset();
  inner.set("CodeValue", "T-A0100");
  inner.set("CodingSchemeDesignator", "SRT");
  inner.set("CodeMeaning", "Brain");
  const mid = new Dataset();
  mid.set("AnatomicRegionSequence", [inner], { vr: "SQ", validation: "ignore" });
  mid.set(0x00091010, "private", { vr: "LO", validation: "ignore" });
  ds.set("ReferencedImageSequence", [mid, new Dataset()], { vr: "SQ", validation: "ignore" });
  ds.set(0x00090010, "FUZZ CREATOR", { vr: "LO", validation: "ignore" });
  ds.set(0x00091001, new Uint8Array([1, 2, 3, 4]), { vr: "OB", validation: "ignore" });
  return ds;
}

function compressed(
  base: () => Dataset,
  frames: (ds: Dataset) => PixelTypedArray[],
  encode: FrameEncoder,
  ts: string,
): () => Dataset {
  return () => {
    const ds = base();
    const info = infoOf(ds);
    const encoded = frames(ds).map((f) => encode(f, info));
    setEncapsulated(ds, encoded, ts);
    if (encoded.length > 1) ds.set("NumberOfFrames", encoded.length);
    return ds;
  };
}

function eightBitCt(): Dataset {
  const ds = ct(1);
  setImage(ds, { bits: 8, pi: "MONOCHROME2" });
  ds.set("PixelData", eightBit(1), { vr: "OB", validation: "ignore" });
  ds.set("WindowCenter", 128);
  ds.set("WindowWidth", 256);
  ds.delete("RescaleIntercept");
  ds.delete("RescaleSlope");
  return ds;
}

// deno-fmt-ignore
const LOSSLESS_2X2 = [
  0xff, 0xd8, 0xff, 0xc4, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
  0x0d, 0x0e, 0x0f, 0x10, 0xff, 0xc3, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00,
  0x02, 0x01, 0x01, 0x11, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00,
  0x01, 0x00, 0x00, 0x38, 0x92, 0x51, 0x68, 0x4a, 0xff, 0xd9,
];

/**
 * A new copy of a hand-made 2x2 8-bit lossless JPEG (process 14, predictor 1) holding
 * 10, 20 / 30, 40: the stream of the JPEG Lossless codec's documentation example, seed
 * `2x2/jpeg-lossless` of the fuzz harness and the base of the regression tests' lying
 * frame headers (its SOF's height is at byte 45, its width at byte 47).
 */
export function losslessJpeg2x2(): Uint8Array {
  return new Uint8Array(LOSSLESS_2X2);
}

function losslessJpeg(): Dataset {
  const ds = eightBitCt();
  ds.set("Rows", 2);
  ds.set("Columns", 2);
  setEncapsulated(ds, [losslessJpeg2x2()], JPEG_LOSSLESS_SV1);
  return ds;
}

/** The seeds the project makes itself, with `encoders` for JPEG-LS and JPEG 2000. */
export function projectSeeds(encoders: Encoders): Seed[] {
  const seeds: Seed[] = [];
  const native: [string, () => Dataset][] = [
    ["ct", () => ct(0)],
    ["ct-nested", nested],
    ["multiframe", () => multiFrame(3)],
    ["rgb", () => rgb(0)],
    ["rgb-planar", () => rgb(1)],
    ["ybr-full-422", ybr422],
    ["palette", () => palette(false)],
    ["palette-segmented", () => palette(true)],
    ["one-bit", oneBit],
    ["float", floatPixels],
    ["signed", signed],
    ["modality-lut", modalityLut],
    ["voi-lut", voiLut],
    ["mono1", mono1],
  ];
  for (const [name, make] of native) {
    for (const ts of NATIVE_SYNTAXES) {
      seeds.push({ name: `${name}/${ts}`, make, transferSyntax: ts });
    }
  }
  const rle: FrameEncoder = (px, info) => encodeRle(px, info);
  const ctFrames = (ds: Dataset) => {
    const n = Number(ds.get("NumberOfFrames") ?? 1);
    const all = ds.get("PixelData") as Uint16Array;
    return Array.from(
      { length: n },
      (_, f) => all.subarray(f * SIZE * SIZE, (f + 1) * SIZE * SIZE),
    );
  };
  const rgbFrame = (ds: Dataset) => [ds.get("PixelData") as Uint8Array];
  const add = (name: string, make: () => Dataset, ts: string) =>
    seeds.push({ name, make, transferSyntax: ts });
  add("ct/rle", compressed(() => ct(0), ctFrames, rle, RLE_LOSSLESS), RLE_LOSSLESS);
  add("multiframe/rle", compressed(() => multiFrame(3), ctFrames, rle, RLE_LOSSLESS), RLE_LOSSLESS);
  add("rgb/rle", compressed(() => rgb(0), rgbFrame, rle, RLE_LOSSLESS), RLE_LOSSLESS);
  add(
    "ct8/jpeg-baseline",
    compressed(eightBitCt, rgbFrame, (px) => {
      return encodeJpeg(px as Uint8Array, { width: SIZE, height: SIZE, quality: 90 });
    }, JPEG_BASELINE),
    JPEG_BASELINE,
  );
  add("2x2/jpeg-lossless", losslessJpeg, JPEG_LOSSLESS_SV1);
  if (encoders.jpegLs) {
    add(
      "ct/jpeg-ls",
      compressed(() => ct(0), ctFrames, encoders.jpegLs, JPEG_LS_LOSSLESS),
      JPEG_LS_LOSSLESS,
    );
    add(
      "rgb/jpeg-ls",
      compressed(() => rgb(0), rgbFrame, encoders.jpegLs, JPEG_LS_LOSSLESS),
      JPEG_LS_LOSSLESS,
    );
    add(
      "multiframe/jpeg-ls",
      compressed(() => multiFrame(2), ctFrames, encoders.jpegLs, JPEG_LS_LOSSLESS),
      JPEG_LS_LOSSLESS,
    );
  }
  if (encoders.j2k) {
    add(
      "ct/j2k",
      compressed(() => ct(0), ctFrames, encoders.j2k, JPEG_2000_LOSSLESS),
      JPEG_2000_LOSSLESS,
    );
    add(
      "rgb/j2k",
      compressed(() => rgb(0), rgbFrame, encoders.j2k, JPEG_2000_LOSSLESS),
      JPEG_2000_LOSSLESS,
    );
  }
  return seeds;
}

/** Writes a seed dataset; encapsulated data keeps its own transfer syntax. */
export function writeSeed(ds: Dataset, transferSyntax: string): Uint8Array {
  const encapsulated = ds.element(0x7fe00010)?.encapsulated !== undefined;
  return write(ds, encapsulated ? {} : { transferSyntax });
}

/**
 * A small file-set made by the project: three CT slices (16x16) and their DICOMDIR, in a
 * new temporary folder. Returns the folder and the DICOMDIR's bytes.
 */
export function makeFileSet(): { folder: string; dicomdir: Uint8Array } {
  const folder = Deno.makeTempDirSync({ prefix: "dicom_fuzz_fs_" });
  for (let i = 0; i < 3; i++) {
    const ds = makeCtSlice(i, { size: 16, slices: 3 });
    Deno.writeFileSync(`${folder}/IM00000${i + 1}`, write(ds));
  }
  writeDicomdir(folder, { fileSetId: "FUZZ" });
  return { folder, dicomdir: Deno.readFileSync(`${folder}/DICOMDIR`) };
}

// --- dataset-level mutations -----------------------------------------------------------------

const PHOTOMETRIC = [
  "MONOCHROME1",
  "MONOCHROME2",
  "RGB",
  "PALETTE COLOR",
  "YBR_FULL",
  "YBR_FULL_422",
  "YBR_RCT",
  "YBR_ICT",
  "YBR_PARTIAL_420",
  "ARGB",
  "",
  "GARBAGE",
];

/** One dataset-level mutation: edits `ds` and says what it did. */
type DatasetMutation = (ds: Dataset, rng: Rng) => string;

function setNumber(ds: Dataset, key: string, values: readonly number[], rng: Rng): string {
  const v = rng.pick(values);
  ds.set(key, v);
  return `${key}=${v}`;
}

function hostileLut(rng: Rng): Dataset {
  const entries = rng.pick([0, 1, 2, 255, 4096, 65535]);
  const first = rng.pick([0, 1, 32767, 65535]);
  const bits = rng.pick([0, 1, 8, 12, 16, 17, 32, 255]);
  const n = rng.pick([0, 1, 2, 3, entries, entries + 1, 16]);
  return lutItem(entries, first, bits, new Uint16Array(n).map(() => rng.int(65536)));
}

/**
 * Segmented palette data whose indirect segments copy each other (PS3.3 C.7.9.2): each
 * level repeats the level below twice, so `levels` levels expand to 2^levels copies of a
 * long linear segment unless the expansion is bounded.
 */
export function segmentedBomb(levels: number, linear = 65535): Uint16Array {
  // [0] discrete 1 value, [3] linear `linear` entries, then per level two indirect
  // segments pointing at the previous level's start (byte offsets, 16-bit words)
  const words: number[] = [0, 1, 0, 1, linear, 65535];
  let previous = 3; // word index of the first linear segment
  let count = 1;
  for (let l = 0; l < levels; l++) {
    const start = words.length;
    const byteOffset = previous * 2;
    for (let k = 0; k < 2; k++) words.push(2, count, byteOffset & 0xffff, byteOffset >>> 16);
    previous = start;
    count = 2;
  }
  return Uint16Array.from(words);
}

const DATASET_MUTATIONS: [string, DatasetMutation][] = [
  [
    "rows",
    (ds, r) =>
      setNumber(ds, r.pick(["Rows", "Columns"]), [0, 1, 2, 3, 7, 255, 256, 4096, 40000, 65535], r),
  ],
  ["bits", (ds, r) => {
    const a = setNumber(ds, "BitsAllocated", [0, 1, 7, 8, 12, 16, 24, 32, 64, 255], r);
    if (!r.chance(0.5)) return a;
    return `${a} ${setNumber(ds, "BitsStored", [0, 1, 8, 12, 16, 17, 32, 33], r)}`;
  }],
  ["samples", (ds, r) => setNumber(ds, "SamplesPerPixel", [0, 1, 2, 3, 4, 5, 255], r)],
  ["frames", (ds, r) => {
    const v = r.pick([0, -1, 2, 3, 7, 1000, 65535, 2147483647]);
    ds.set("NumberOfFrames", v);
    return `NumberOfFrames=${v}`;
  }],
  ["photometric", (ds, r) => {
    const v = r.pick(PHOTOMETRIC);
    ds.set("PhotometricInterpretation", v);
    return `PhotometricInterpretation=${JSON.stringify(v)}`;
  }],
  ["representation", (ds, r) => setNumber(ds, "PixelRepresentation", [0, 1, 2, 65535], r)],
  ["planar", (ds, r) => setNumber(ds, "PlanarConfiguration", [0, 1, 2], r)],
  ["remove", (ds, r) => {
    const k = r.pick([
      "Rows",
      "Columns",
      "BitsAllocated",
      "BitsStored",
      "PixelRepresentation",
      "PhotometricInterpretation",
      "SamplesPerPixel",
      "PixelData",
      "WindowWidth",
      "RescaleSlope",
      "RedPaletteColorLookupTableData",
      "GreenPaletteColorLookupTableDescriptor",
    ]);
    ds.delete(k);
    return `remove ${k}`;
  }],
  ["rescale", (ds, r) => {
    const s = r.pick([0, -1, 1e300, 1e-300, 3.5]);
    const i = r.pick([0, -1e300, 32768, -1024]);
    ds.set("RescaleSlope", s);
    ds.set("RescaleIntercept", i);
    return `rescale ${s} ${i}`;
  }],
  ["window", (ds, r) => {
    const c = r.pick([[0], [-5], [1e300], [40, 400, 9], []]);
    const w = r.pick([[0], [-1], [0.5], [1e-300], [1e300], [80, 1], []]);
    ds.set("WindowCenter", c);
    ds.set("WindowWidth", w);
    const f = r.pick(["", "LINEAR", "LINEAR_EXACT", "SIGMOID", "BOGUS"]);
    if (f) ds.set("VOILUTFunction", f);
    return `window ${JSON.stringify(c)} ${JSON.stringify(w)} ${f}`;
  }],
  ["modality-lut", (ds, r) => {
    ds.set("ModalityLUTSequence", [hostileLut(r)], { vr: "SQ", validation: "ignore" });
    return "hostile ModalityLUTSequence";
  }],
  ["voi-lut", (ds, r) => {
    ds.set("VOILUTSequence", r.chance(0.2) ? [] : [hostileLut(r), hostileLut(r)], {
      vr: "SQ",
      validation: "ignore",
    });
    return "hostile VOILUTSequence";
  }],
  ["palette", (ds, r) => {
    ds.set("PhotometricInterpretation", "PALETTE COLOR");
    for (const c of ["Red", "Green", "Blue"]) {
      const d = [r.pick([0, 1, 256, 4096]), r.pick([0, 100, 65535]), r.pick([0, 8, 16, 64])];
      ds.set(`${c}PaletteColorLookupTableDescriptor`, d, { vr: "US", validation: "ignore" });
      ds.set(
        `${c}PaletteColorLookupTableData`,
        r.bytes(r.pick([0, 1, 2, 3, 256, 512, 4097])),
        { vr: "OB", validation: "ignore" },
      );
    }
    if (r.chance(0.3)) ds.set("PixelPresentation", r.pick(["COLOR", "MIXED"]));
    return "hostile palette";
  }],
  ["segmented-bomb", (ds, r) => {
    ds.set("PhotometricInterpretation", "PALETTE COLOR");
    const levels = r.range(8, 16);
    for (const c of ["Red", "Green", "Blue"]) {
      ds.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 16], {
        vr: "US",
        validation: "ignore",
      });
      ds.delete(`${c}PaletteColorLookupTableData`);
      ds.set(`Segmented${c}PaletteColorLookupTableData`, segmentedBomb(levels), {
        vr: "OW",
        validation: "ignore",
      });
    }
    return `segmented palette bomb of ${levels} levels`;
  }],
  ["segmented-garbage", (ds, r) => {
    ds.set("PhotometricInterpretation", "PALETTE COLOR");
    for (const c of ["Red", "Green", "Blue"]) {
      ds.set(`${c}PaletteColorLookupTableDescriptor`, [256, 0, 16], {
        vr: "US",
        validation: "ignore",
      });
      ds.delete(`${c}PaletteColorLookupTableData`);
      const words = new Uint16Array(r.range(1, 40)).map(() =>
        r.chance(0.5) ? r.int(3) : r.int(65536)
      );
      ds.set(`Segmented${c}PaletteColorLookupTableData`, words, { vr: "OW", validation: "ignore" });
    }
    return "garbage segmented palette";
  }],
  ["pixel-length", (ds, r) => {
    const el = ds.element("PixelData");
    const v = el?.value;
    if (!el || !(v instanceof Uint8Array || v instanceof Uint16Array || v instanceof Int16Array)) {
      return "pixel-length: no native pixel data";
    }
    const n = r.pick([0, 1, Math.floor(v.length / 2), Math.max(0, v.length - 1), v.length * 2 + 3]);
    const out = new (v.constructor as new (n: number) => Uint8Array)(n);
    out.set(v.subarray(0, Math.min(n, v.length)));
    ds.set("PixelData", out, { vr: el.vr, validation: "ignore" });
    return `PixelData of ${n} values instead of ${v.length}`;
  }],
  ["fragments", (ds, r) => mutateFragments(ds, r)],
  ["fragments", (ds, r) => mutateFragments(ds, r)],
  ["stream-size", (ds, r) => streamSize(ds, r)],
  ["stream-size", (ds, r) => streamSize(ds, r)],
];

/**
 * Rewrites the image size a compressed frame's own header declares (JPEG SOF, JPEG-LS
 * SOF55, JPEG 2000 SIZ), and sometimes the dataset's Rows and Columns to agree with it:
 * a few bytes that ask a decoder for gigabytes.
 */
function streamSize(ds: Dataset, rng: Rng): string {
  const enc = ds.element("PixelData")?.encapsulated;
  if (!enc || !enc.fragments.length) return "stream-size: not encapsulated";
  const frame = enc.fragments[0].slice();
  const rows = rng.pick([0, 1, 4000, 8192, 16384, 30000, 65535]);
  const columns = rng.pick([0, 1, 4000, 8192, 16384, 30000, 65535]);
  const dv = new DataView(frame.buffer);
  let where = "";
  for (let i = 0; i + 9 < frame.length; i++) {
    if (frame[i] !== 0xff) continue;
    const m = frame[i + 1];
    if (m === 0xc0 || m === 0xc1 || m === 0xc3 || m === 0xf7) {
      dv.setUint16(i + 5, rows);
      dv.setUint16(i + 7, columns);
      where = `SOF ${m.toString(16)}`;
      break;
    }
    if (m === 0x51 && i + 14 <= frame.length) {
      dv.setUint32(i + 6, columns);
      dv.setUint32(i + 10, rows);
      where = "SIZ";
      break;
    }
  }
  if (!where) return "stream-size: no frame header";
  enc.fragments = [frame, ...enc.fragments.slice(1)];
  const agree = rng.chance(0.5);
  if (agree) {
    ds.set("Rows", rows);
    ds.set("Columns", columns);
  }
  return `${where} says ${rows}x${columns}${agree ? ", and so do Rows and Columns" : ""}`;
}

const KEEP_HEADER = [0, 2, 4, 16, 40, 64, 100];

function mutateFragments(ds: Dataset, rng: Rng): string {
  const enc = ds.element("PixelData")?.encapsulated;
  if (!enc) return "fragments: not encapsulated";
  const frags: Uint8Array[] = enc.fragments.map((f) => f.slice());
  const k = rng.int(frags.length);
  const what = rng.pick([
    "garbage",
    "keep-header",
    "truncate",
    "empty",
    "split",
    "extra",
    "drop",
    "duplicate",
    "table",
    "no-table",
  ]);
  let table = enc.basicOffsetTable;
  switch (what) {
    case "garbage":
      frags[k] = rng.bytes(rng.pick([1, 2, 7, 64, 200, frags[k].length]));
      break;
    case "keep-header": {
      // a valid stream header, then garbage: reaches the decoders' inner loops
      const keep = Math.min(frags[k].length, rng.pick(KEEP_HEADER) + rng.int(60));
      frags[k] = concat(frags[k].subarray(0, keep), rng.bytes(rng.int(400)));
      if (rng.chance(0.5)) frags[k] = concat(frags[k], new Uint8Array([0xff, 0xd9]));
      break;
    }
    case "truncate":
      frags[k] = frags[k].subarray(0, rng.int(frags[k].length));
      break;
    case "empty":
      frags[k] = new Uint8Array(0);
      break;
    case "split": {
      const at = rng.int(frags[k].length + 1);
      frags.splice(k, 1, frags[k].subarray(0, at), frags[k].subarray(at));
      break;
    }
    case "extra":
      frags.push(rng.bytes(rng.range(1, 100)));
      break;
    case "drop":
      if (frags.length > 1) frags.splice(k, 1);
      else frags[0] = frags[0].subarray(0, 1);
      break;
    case "duplicate":
      frags.splice(k, 0, frags[k]);
      break;
    case "table":
      table = Uint32Array.from(
        { length: rng.range(1, 5) },
        () => rng.pick([0, 1, 8, 0xffffffff, rng.int(5000)]),
      );
      break;
    case "no-table":
      table = new Uint32Array(0);
      break;
  }
  enc.fragments = frags;
  enc.basicOffsetTable = table;
  return `fragment ${k}: ${what}`;
}

/** Applies 1 to 3 dataset-level mutations; returns what they did. */
export function mutateDataset(ds: Dataset, rng: Rng): string[] {
  // mutations store hostile values on purpose
  ds.validation = "ignore";
  const out: string[] = [];
  const n = rng.range(1, 3);
  for (let i = 0; i < n; i++) {
    const [, fn] = rng.pick(DATASET_MUTATIONS);
    out.push(fn(ds, rng));
  }
  return out;
}

/** Mutations of a DICOMDIR's records: hostile File IDs, offsets, record types. */
export function mutateDicomdir(ds: Dataset, rng: Rng): string[] {
  ds.validation = "ignore";
  const records = (ds.get("DirectoryRecordSequence") ?? []) as Dataset[];
  if (!Array.isArray(records) || records.length === 0) return ["dicomdir: no records"];
  const rec = rng.pick(records);
  const what = rng.pick(["file-id", "offset", "type", "remove", "first-offset"]);
  switch (what) {
    case "file-id": {
      const v = rng.pick([
        ["..", "..", "..", "etc", "passwd"],
        ["..", "IM000001"],
        ["/etc/passwd"],
        ["A".repeat(200)],
        [""],
        ["IM000001", "", "X"],
        ["NOSUCH"],
      ]);
      rec.set("ReferencedFileID", v, { vr: "CS", validation: "ignore" });
      return [`ReferencedFileID=${JSON.stringify(v)}`];
    }
    case "offset": {
      const k = rng.pick([
        "OffsetOfTheNextDirectoryRecord",
        "OffsetOfReferencedLowerLevelDirectoryEntity",
      ]);
      const v = rng.pick([0, 1, 8, 0xffffffff, 0x7fffffff, rng.int(4000)]);
      rec.set(k, v, { vr: "UL", validation: "ignore" });
      return [`${k}=${v}`];
    }
    case "type": {
      const v = rng.pick(["PATIENT", "STUDY", "SERIES", "IMAGE", "PRIVATE", "", "BOGUS"]);
      rec.set("DirectoryRecordType", v, { vr: "CS", validation: "ignore" });
      return [`DirectoryRecordType=${JSON.stringify(v)}`];
    }
    case "remove": {
      const k = rng.pick([
        "DirectoryRecordType",
        "ReferencedFileID",
        "ReferencedSOPInstanceUIDInFile",
      ]);
      rec.delete(k);
      return [`remove ${k}`];
    }
    default: {
      const v = rng.pick([0, 1, 0xffffffff, rng.int(4000)]);
      ds.set("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity", v, {
        vr: "UL",
        validation: "ignore",
      });
      return [`first record offset=${v}`];
    }
  }
}

// --- byte-level mutations --------------------------------------------------------------------

const DELIMITERS = [0xfffee000, 0xfffee00d, 0xfffee0dd];

function setU32(bytes: Uint8Array, pos: number, v: number, le: boolean): void {
  if (pos + 4 <= bytes.length) {
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(pos, v >>> 0, le);
  }
}

function setU16(bytes: Uint8Array, pos: number, v: number, le: boolean): void {
  if (pos + 2 <= bytes.length) new DataView(bytes.buffer, bytes.byteOffset).setUint16(pos, v, le);
}

function setTag(bytes: Uint8Array, pos: number, tag: number, le: boolean): void {
  setU16(bytes, pos, tag >>> 16, le);
  setU16(bytes, pos + 2, tag & 0xffff, le);
}

/** Sequences nested `depth` deep, in the given encoding, with defined or undefined lengths. */
export function deepNesting(
  depth: number,
  o: { implicit: boolean; le: boolean; undefinedLength: boolean },
): Uint8Array {
  const seqTag = 0x0040a730;
  let inner: Uint8Array = new Uint8Array(0);
  // build from the inside out
  for (let d = 0; d < depth; d++) {
    if (o.undefinedLength) {
      inner = concat(
        header(seqTag, "SQ", 0xffffffff, o.implicit, o.le),
        itemHeader(0xe000, 0xffffffff, o.le),
        inner,
        itemHeader(0xe00d, 0, o.le),
        itemHeader(0xe0dd, 0, o.le),
      );
    } else {
      const item = concat(itemHeader(0xe000, inner.length, o.le), inner);
      inner = concat(header(seqTag, "SQ", item.length, o.implicit, o.le), item);
    }
  }
  return inner;
}

function tokenOf(map: StreamMap, rng: Rng, pred: (t: Token) => boolean): Token | undefined {
  const list = map.tokens.filter(pred);
  return list.length ? rng.pick(list) : undefined;
}

/**
 * Applies one byte-level mutation to `bytes` (mapped by `map`); returns the new bytes and
 * what was done. `inBody` keeps the mutation after the file meta.
 */
export function mutateBytes(
  bytes: Uint8Array,
  map: StreamMap,
  rng: Rng,
  focus?: (t: Token) => boolean,
): { bytes: Uint8Array; what: string; truncatedInValue?: boolean } {
  const le = map.littleEndian;
  const out = bytes.slice();
  if (focus) {
    const all = map.tokens;
    map = { ...map, tokens: all.filter(focus) };
    if (!map.tokens.length) map.tokens = all;
  }
  const kind = focus && rng.chance(0.5) ? "value-bits" : rng.pick([
    "truncate",
    "truncate",
    "bitflip",
    "bitflip",
    "length",
    "length",
    "vr",
    "tag",
    "insert-nesting",
    "chunk",
    "interesting",
  ]);
  switch (kind) {
    case "value-bits": {
      // bit flips and marker bytes inside a value (a fragment's compressed stream)
      const t = tokenOf(map, rng, (t) => t.length !== 0xffffffff && t.length > 0);
      if (!t) return { bytes: out, what: "value-bits: no value" };
      const n = rng.range(1, 8);
      const end = Math.min(bytes.length, t.valuePos + t.length);
      for (let i = 0; i < n; i++) {
        const at = t.valuePos + rng.int(end - t.valuePos);
        if (rng.chance(0.2) && at + 1 < end) {
          out[at] = 0xff;
          out[at + 1] = rng.pick([0xd9, 0xd8, 0xda, 0xc4, 0xdd, 0x00, 0xff, 0xd0, 0x90, 0x93]);
        } else out[at] ^= 1 << rng.int(8);
      }
      return { bytes: out, what: `${n} bit flips in the value of ${t.kind} at ${t.pos}` };
    }
    case "truncate": {
      const t = rng.chance(0.85) ? tokenOf(map, rng, () => true) : undefined;
      if (!t) {
        const at = rng.int(bytes.length);
        return { bytes: out.subarray(0, at), what: `truncate at ${at}` };
      }
      const spots = [t.pos, t.pos + 2, t.pos + 4, t.lenPos, t.valuePos, t.valuePos + 1];
      if (t.length !== 0xffffffff && t.length > 2) {
        spots.push(t.valuePos + rng.int(t.length), t.valuePos + t.length - 1);
      }
      const at = Math.min(bytes.length, rng.pick(spots));
      const inValue = map.encodingKnown && t.length !== 0xffffffff && at > t.valuePos &&
        at < t.valuePos + t.length && t.kind !== "delimiter";
      return {
        bytes: out.subarray(0, at),
        what: `truncate at ${at} (${t.kind} ${hex(t.tag)} at ${t.pos})`,
        truncatedInValue: inValue,
      };
    }
    case "bitflip": {
      const n = rng.range(1, 16);
      const focus = rng.chance(0.5) ? tokenOf(map, rng, () => true) : undefined;
      for (let i = 0; i < n; i++) {
        const at = focus
          ? Math.min(bytes.length - 1, focus.pos + rng.int(16))
          : rng.int(bytes.length);
        out[at] ^= 1 << rng.int(8);
      }
      return { bytes: out, what: `${n} bit flips${focus ? ` near ${focus.pos}` : ""}` };
    }
    case "length": {
      const t = tokenOf(map, rng, (t) => t.kind !== "delimiter" || rng.chance(0.1));
      if (!t) return { bytes: out, what: "length: no token" };
      const remaining = bytes.length - t.valuePos;
      if (t.lenSize === 2) {
        const v =
          rng.pick([0xffff, 0, 1, t.length + 1, t.length - 1, t.length + 2, rng.int(65536)]) &
          0xffff;
        setU16(out, t.lenPos, v, t.pos < map.bodyStart ? true : le);
        return { bytes: out, what: `length of ${hex(t.tag)} at ${t.pos}: ${t.length} -> ${v}` };
      }
      const v = rng.pick([
        0xffffffff,
        0xffffffff,
        0xfffffffe,
        0,
        1,
        2,
        3,
        t.length + 1,
        t.length - 1,
        t.length + 2,
        t.length * 2,
        remaining,
        remaining + 1,
        0x7fffffff,
        0x80000000,
        rng.int(0x100000000),
      ]) >>> 0;
      setU32(out, t.lenPos, v, t.pos < map.bodyStart ? true : le);
      return {
        bytes: out,
        what: `length of ${t.kind} ${hex(t.tag)} at ${t.pos}: ${t.length} -> ${v}`,
      };
    }
    case "vr": {
      const t = tokenOf(map, rng, (t) => t.vrPos !== undefined);
      if (!t || t.vrPos === undefined) return { bytes: out, what: "vr: implicit" };
      const vr = rng.pick([...WIRE_VRS, "??", "zz", "\0\0", "UN", "SQ", "OB", "AA", "ZZ"]);
      out[t.vrPos] = vr.charCodeAt(0);
      out[t.vrPos + 1] = vr.charCodeAt(1);
      return { bytes: out, what: `VR of ${hex(t.tag)} at ${t.pos} -> ${JSON.stringify(vr)}` };
    }
    case "tag": {
      const t = tokenOf(map, rng, () => true);
      if (!t) return { bytes: out, what: "tag: no token" };
      const tag = rng.pick([
        ...DELIMITERS,
        0x7fe00010,
        0x00020010,
        0xffffffff,
        0x00000000,
        0x00280010,
        0x00081140,
        rng.int(0x100000000) >>> 0,
      ]);
      setTag(out, t.pos, tag, t.pos < map.bodyStart ? true : le);
      return { bytes: out, what: `tag at ${t.pos}: ${hex(t.tag)} -> ${hex(tag)}` };
    }
    case "insert-nesting": {
      const t = tokenOf(map, rng, (t) => t.kind === "element" && t.pos >= map.bodyStart);
      if (!t) return { bytes: out, what: "nesting: no body element" };
      const depth = rng.pick([10, 63, 64, 65, 100, 200, 1000]);
      const undefinedLength = rng.chance(0.6);
      const nest = deepNesting(depth, { implicit: map.implicit, le, undefinedLength });
      return {
        bytes: concat(out.subarray(0, t.pos), nest, out.subarray(t.pos)),
        what: `${depth} nested sequences (${
          undefinedLength ? "undefined" : "defined"
        } lengths) at ${t.pos}`,
      };
    }
    case "chunk": {
      const a = rng.int(bytes.length);
      const n = rng.range(1, 64);
      const op = rng.pick(["delete", "duplicate", "random"]);
      if (op === "delete") {
        return {
          bytes: concat(out.subarray(0, a), out.subarray(a + n)),
          what: `delete ${n} at ${a}`,
        };
      }
      if (op === "duplicate") {
        return {
          bytes: concat(out.subarray(0, a + n), out.subarray(a, a + n), out.subarray(a + n)),
          what: `duplicate ${n} at ${a}`,
        };
      }
      return {
        bytes: concat(out.subarray(0, a), rng.bytes(n), out.subarray(a)),
        what: `insert ${n} random at ${a}`,
      };
    }
    default: {
      const t = tokenOf(map, rng, () => true);
      const at = t ? Math.min(bytes.length - 1, t.pos + rng.int(12)) : rng.int(bytes.length);
      const v = rng.pick([0x00, 0xff, 0x7f, 0x80, 0xfe, 0x01]);
      out[at] = v;
      return { bytes: out, what: `byte ${at} = ${v}` };
    }
  }
}

function hex(tag: number): string {
  return `(${(tag >>> 16).toString(16).padStart(4, "0")},${
    (tag & 0xffff).toString(16).padStart(4, "0")
  })`;
}

/**
 * Replaces the file meta of a Part 10 stream by one that claims `transferSyntax`; the
 * body stays as it was encoded.
 */
export function lieAboutSyntax(bytes: Uint8Array, transferSyntax: string): Uint8Array {
  const map = scan(bytes);
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
  ds.set("SOPInstanceUID", "2.25.1");
  const fake = write(ds, { transferSyntax: transferSyntax || EXPLICIT_VR_LITTLE_ENDIAN });
  const fakeMeta = scan(fake).bodyStart;
  let meta = fake.subarray(0, fakeMeta);
  if (transferSyntax === "") {
    // no Transfer Syntax UID at all
    const ts = scan(meta).tokens.find((t) => t.tag === 0x00020010);
    if (ts) meta = concat(meta.subarray(0, ts.pos), meta.subarray(ts.valuePos + ts.length));
  }
  return concat(meta, bytes.subarray(map.bodyStart));
}

/** Deflates the body of an explicit VR little endian Part 10 stream into a Deflated one. */
export function deflateBody(explicit: Uint8Array): Uint8Array {
  const map = scan(explicit);
  const meta = lieAboutSyntax(
    explicit.subarray(0, map.bodyStart),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  );
  return concat(meta, new Uint8Array(deflateRawSync(explicit.subarray(map.bodyStart))));
}

let zeroChunk: Uint8Array | undefined;

/**
 * A deflate bomb: a Deflated Explicit VR Little Endian file of about `megabytes / 1000`
 * MB whose dataset inflates to `megabytes` MB (one OB element of zeros). Built from one
 * sync-flushed block of 64 MB of zeros repeated, so it costs one deflate of 64 MB.
 */
export function deflateBomb(megabytes: number): Uint8Array {
  const chunkSize = 64 << 20;
  zeroChunk ??= new Uint8Array(
    deflateRawSync(new Uint8Array(chunkSize), { finishFlush: zlib.Z_SYNC_FLUSH }),
  );
  const chunks = Math.max(1, Math.round(megabytes / 64));
  const total = chunks * chunkSize;
  const head = concat(
    header(0x00090010, "LO", 4, false, true),
    new TextEncoder().encode("FUZZ"),
    header(0x00091000, "OB", total, false, true),
  );
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
  ds.set("SOPInstanceUID", "2.25.2");
  const explicit = write(ds);
  const meta = lieAboutSyntax(
    explicit.subarray(0, scan(explicit).bodyStart),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  );
  const headDeflated = new Uint8Array(deflateRawSync(head, { finishFlush: zlib.Z_SYNC_FLUSH }));
  const parts = [meta, headDeflated];
  for (let i = 0; i < chunks; i++) parts.push(zeroChunk);
  parts.push(new Uint8Array([0x03, 0x00])); // a final empty fixed-Huffman block
  return concat(...parts);
}
