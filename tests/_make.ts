/**
 * Test helpers that build small DICOM byte streams by hand (PS3.5 section 7, PS3.10
 * section 7), so the reader tests state their input byte by byte and do not depend on the
 * writer.
 *
 * @module
 */

import { LONG_LENGTH_VRS } from "../lib/core/vr.ts";

/** How a stream is encoded: explicit VR little endian unless told otherwise. */
export interface Encoding {
  /** Implicit VR (no VR on the wire, 4-byte lengths). */
  implicit?: boolean;
  /** Big endian (only with explicit VR). */
  bigEndian?: boolean;
}

/** The undefined length, 0xFFFFFFFF. */
export const UNDEFINED = 0xffffffff;

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

/** Latin-1 bytes of `s`, not padded. */
export function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** Text as a DICOM value: Latin-1, padded to even length with a space (a NUL for UI). */
export function textValue(s: string, vr = "LO"): Uint8Array {
  const b = latin1(s);
  if (b.length % 2 === 0) return b;
  return concat(b, new Uint8Array([vr === "UI" ? 0 : 0x20]));
}

function numbers(
  size: number,
  set: (dv: DataView, at: number, v: number, le: boolean) => void,
  values: number[],
  enc: Encoding,
): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => set(dv, i * size, v, !enc.bigEndian));
  return out;
}

/** Unsigned 16-bit values in the encoding's byte order. */
export function u16(values: number[], enc: Encoding = {}): Uint8Array {
  return numbers(2, (dv, at, v, le) => dv.setUint16(at, v, le), values, enc);
}

/** Unsigned 32-bit values in the encoding's byte order. */
export function u32(values: number[], enc: Encoding = {}): Uint8Array {
  return numbers(4, (dv, at, v, le) => dv.setUint32(at, v, le), values, enc);
}

/** 32-bit floats in the encoding's byte order. */
export function f32(values: number[], enc: Encoding = {}): Uint8Array {
  return numbers(4, (dv, at, v, le) => dv.setFloat32(at, v, le), values, enc);
}

/** 64-bit floats in the encoding's byte order. */
export function f64(values: number[], enc: Encoding = {}): Uint8Array {
  return numbers(8, (dv, at, v, le) => dv.setFloat64(at, v, le), values, enc);
}

/** A tag (group, element) in the encoding's byte order. */
export function tagBytes(tag: number, enc: Encoding = {}): Uint8Array {
  return u16([tag >>> 16, tag & 0xffff], enc);
}

/**
 * An element header with any length (also a wrong one): tag, VR unless implicit, length.
 * A VR not in the long-length list gets a 2-byte length (which must then fit).
 */
export function header(tag: number, vr: string, length: number, enc: Encoding = {}): Uint8Array {
  if (enc.implicit) return concat(tagBytes(tag, enc), u32([length], enc));
  if (LONG_LENGTH_VRS.has(vr)) {
    return concat(tagBytes(tag, enc), latin1(vr), new Uint8Array(2), u32([length], enc));
  }
  return concat(tagBytes(tag, enc), latin1(vr), u16([length], enc));
}

/**
 * One element of defined length. A string value is written as padded Latin-1 text; bytes
 * are written as given (padding is the caller's business).
 */
export function element(
  tag: number,
  vr: string,
  value: Uint8Array | string,
  enc: Encoding = {},
): Uint8Array {
  const bytes = typeof value === "string" ? textValue(value, vr) : value;
  return concat(header(tag, vr, bytes.length, enc), bytes);
}

/** Options for {@linkcode item} and {@linkcode sequence}. */
export interface LengthOptions {
  /** Write 0xFFFFFFFF and a delimiter instead of the length. */
  undefinedLength?: boolean;
}

/** A sequence item (FFFE,E000) holding the given element bytes. */
export function item(
  content: Uint8Array,
  options: LengthOptions = {},
  enc: Encoding = {},
): Uint8Array {
  const e = { bigEndian: enc.bigEndian };
  if (!options.undefinedLength) {
    return concat(tagBytes(0xfffee000, e), u32([content.length], e), content);
  }
  return concat(
    tagBytes(0xfffee000, e),
    u32([UNDEFINED], e),
    content,
    tagBytes(0xfffee00d, e),
    u32([0], e),
  );
}

/** The sequence delimitation item (FFFE,E0DD) with length 0. */
export function sequenceDelimiter(enc: Encoding = {}): Uint8Array {
  const e = { bigEndian: enc.bigEndian };
  return concat(tagBytes(0xfffee0dd, e), u32([0], e));
}

/** A sequence element (VR SQ) holding the given item bytes (see {@linkcode item}). */
export function sequence(
  tag: number,
  items: Uint8Array[],
  options: LengthOptions = {},
  enc: Encoding = {},
): Uint8Array {
  const body = concat(...items);
  if (!options.undefinedLength) return concat(header(tag, "SQ", body.length, enc), body);
  return concat(header(tag, "SQ", UNDEFINED, enc), body, sequenceDelimiter(enc));
}

/**
 * Encapsulated pixel data (PS3.5 A.4): (7FE0,0010) OB of undefined length, the Basic
 * Offset Table item (empty when `offsets` is empty), one item per fragment, the delimiter.
 */
export function encapsulatedPixelData(
  fragments: Uint8Array[],
  offsets: number[] = [],
  enc: Encoding = {},
): Uint8Array {
  const e = { bigEndian: enc.bigEndian };
  return concat(
    header(0x7fe00010, "OB", UNDEFINED, enc),
    item(u32(offsets, e), {}, e),
    ...fragments.map((f) => item(f, {}, e)),
    sequenceDelimiter(e),
  );
}

/** Options for {@linkcode part10}. */
export interface Part10Options {
  /** Write the 128-byte preamble before `DICM` (default true). */
  preamble?: boolean;
  /** Transfer Syntax UID; omitted from the meta when null. */
  transferSyntax?: string | null;
  /** SOP Class UID for the meta (default CT Image Storage). */
  sopClass?: string;
  /** SOP Instance UID for the meta. */
  sopInstance?: string;
  /** Write (0002,0000) File Meta Information Group Length (default true). */
  groupLength?: boolean;
}

/** The file meta group (0002): explicit VR little endian, with its group length. */
export function fileMeta(options: Part10Options = {}): Uint8Array {
  const ts = options.transferSyntax === undefined ? "1.2.840.10008.1.2.1" : options.transferSyntax;
  const body = concat(
    element(0x00020001, "OB", new Uint8Array([0, 1])),
    element(0x00020002, "UI", options.sopClass ?? "1.2.840.10008.5.1.4.1.1.2"),
    element(0x00020003, "UI", options.sopInstance ?? "1.2.3.4"),
    ts === null ? new Uint8Array(0) : element(0x00020010, "UI", ts),
    element(0x00020012, "UI", "1.2.3.4.5"),
  );
  if (options.groupLength === false) return body;
  return concat(element(0x00020000, "UL", u32([body.length])), body);
}

/** A Part 10 file: preamble, `DICM`, file meta, then the dataset bytes as given. */
export function part10(dataset: Uint8Array, options: Part10Options = {}): Uint8Array {
  return concat(
    options.preamble === false ? new Uint8Array(0) : new Uint8Array(128),
    latin1("DICM"),
    fileMeta(options),
    dataset,
  );
}

/**
 * xorshift32 (Marsaglia), a deterministic generator in [0, 1): the image tests' inputs,
 * which their reference files (made with Pillow from the same sequence) depend on.
 */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A small deterministic PRNG (mulberry32) for reproducible random input. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
