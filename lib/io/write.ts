/**
 * `write`: a `Dataset` into the bytes of a Part 10 file (preamble, `DICM`, file meta
 * in explicit VR little endian, then the dataset in the chosen transfer syntax).
 *
 * @module
 */

import { nodeZlib } from "./_zlib.ts";
import { Dataset, type SaveOptions } from "../dataset/dataset.ts";
import { formatDecimalString } from "../dataset/validate.ts";
import { DataElement, type ElementSource } from "../dataset/element.ts";
import { PersonName } from "../dataset/person_name.ts";
import {
  CHARSET_VRS,
  LONG_LENGTH_VRS,
  NUMBER_SIZES,
  PLAIN_TEXT_VRS,
  WIRE_VRS,
} from "../core/vr.ts";
import { encodeText } from "../dataset/charset/mod.ts";
import { ValueError } from "../core/errors.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntax } from "../core/transfer_syntax.ts";

/**
 * Options for {@linkcode write}: the transfer syntax and Implementation Class UID to write
 * (the same as `Dataset.saveAs` takes).
 */
export type WriteOptions = SaveOptions;

/** The Implementation Class UID of this toolkit (a UUID-derived 2.25 root). */
export const IMPLEMENTATION_CLASS_UID = "2.25.238474781120139620425815413373620815471";
/** The Implementation Version Name of this toolkit. */
export const IMPLEMENTATION_VERSION_NAME = "DICOM_DENO_0_1";

/** A growable byte buffer. */
class Out {
  buf: Uint8Array<ArrayBuffer>;
  dv: DataView;
  len = 0;
  constructor(buf: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16)) {
    this.buf = buf;
    this.dv = new DataView(buf.buffer);
  }
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  u16(v: number, le: boolean): void {
    this.reserve(2);
    this.dv.setUint16(this.len, v, le);
    this.len += 2;
  }
  u32(v: number, le: boolean): void {
    this.reserve(4);
    this.dv.setUint32(this.len, v, le);
    this.len += 4;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * The buffer `write` encodes into, kept from call to call (its result is a copy): a new
 * 64 KiB buffer per call, zeroed by the engine, cost more than encoding a small header.
 * Buffers grown past 16 MiB (large pixel data) are not kept.
 */
let scratch: Uint8Array<ArrayBuffer> | undefined;
const KEEP_SCRATCH = 1 << 24;

/** An empty `Out` on the kept buffer; give it back with `release` (not re-entrant). */
function borrow(): Out {
  const out = new Out(scratch ?? new Uint8Array(1 << 16));
  scratch = undefined;
  return out;
}

function release(out: Out): void {
  if (out.buf.length <= KEEP_SCRATCH) scratch = out.buf;
}

const ascii = new TextEncoder();

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function asList<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function formatDS(x: number | string | null): string {
  if (x === null) return "";
  if (typeof x === "string") return x;
  return formatDecimalString(x);
}

/** The bytes of a typed array, in the machine's (little endian) order. */
function viewBytes(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Copies `bytes` reversing each `size`-byte unit (a byte-order change). */
function swapUnits(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const n = bytes.length - (bytes.length % size);
  for (let i = 0; i < n; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  }
  out.set(bytes.subarray(n), n);
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof PersonName && b instanceof PersonName) return String(a) === String(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  return false;
}

/** True when a typed-array value still holds what its source bytes say. */
function typedMatchesSource(v: ArrayBufferView, src: ElementSource): boolean {
  const size = (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const a = viewBytes(v), b = src.bytes;
  const n = b.length - (b.length % size);
  if (a.length !== n) return false;
  if (a.buffer === b.buffer && a.byteOffset === b.byteOffset) return true;
  const swap = !src.littleEndian && size > 1;
  for (let i = 0; i < n; i += size) {
    for (let j = 0; j < size; j++) {
      if (a[i + j] !== b[swap ? i + size - 1 - j : i + j]) return false;
    }
  }
  return true;
}

/**
 * True when an element read from bytes still holds the value those bytes decode to (the
 * user has not replaced it), so the stored bytes can be written as they are.
 */
function unchanged(el: DataElement): boolean {
  const src = el.source;
  if (!src) return false;
  if (el.pristine) return true; // never decoded: nothing can have changed it
  const v = el.value;
  if (ArrayBuffer.isView(v)) return typedMatchesSource(v, src);
  const fresh = new DataElement(el.tag, el.vr, src);
  fresh.dataset = el.dataset;
  return sameValue(fresh.value, v);
}

/** Bytes per pixel sample when byte order matters, from Bits Allocated (1 for <= 8). */
function pixelUnit(ds: Dataset, otherwise = 2): number {
  const bits = ds.get(0x00280100);
  if (typeof bits !== "number") return otherwise;
  return bits > 8 ? Math.ceil(bits / 8) : 1;
}

/**
 * Native (7FE0,0010) Pixel Data: byte order is per sample of Bits Allocated (a 32-bit
 * sample is one unit, as pydicom and the big endian corpus files have it), not per word.
 */
function encodePixelData(el: DataElement, ds: Dataset, le: boolean): Uint8Array {
  const v = el.value;
  const src = el.source;
  if (src && unchanged(el)) {
    return src.littleEndian === le ? src.bytes : swapUnits(src.bytes, pixelUnit(ds));
  }
  if (!ArrayBuffer.isView(v)) return new Uint8Array(0);
  // a typed array holds the samples in the machine's order: little endian bytes
  const size = (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return le ? viewBytes(v) : swapUnits(viewBytes(v), pixelUnit(ds, size));
}

/** VRs whose value is text (the decimal and integer strings too): written as stored when unchanged. */
const TEXT_VRS: ReadonlySet<string> = new Set([...PLAIN_TEXT_VRS, ...CHARSET_VRS, "DS", "IS"]);
/** VRs whose value is a byte string (no byte order). */
const BYTE_VRS: ReadonlySet<string> = new Set(["OB", "UN"]);

/** Encodes one element's value (not its header) for the given byte order. */
function encodeValue(el: DataElement, le: boolean, charset: readonly string[]): Uint8Array {
  const vr = el.vr;
  const src = el.source;
  // stored bytes never decoded: text and bytes go out as they are, whatever the byte order
  if (src && el.pristine && (TEXT_VRS.has(vr) || BYTE_VRS.has(vr))) return src.bytes;
  const v = el.value;
  if (v === null || v === undefined) return new Uint8Array(0);
  if (ArrayBuffer.isView(v)) {
    const size = (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    return le ? viewBytes(v) : swapUnits(viewBytes(v), size);
  }
  const size = NUMBER_SIZES[vr];
  // Text as stored keeps its exact form (character set encoding, DS/IS digits)
  if (size === undefined && src && unchanged(el)) return src.bytes;
  if (size !== undefined) {
    const list = asList(v as number | bigint | (number | null)[]);
    const out = new Uint8Array(list.length * size);
    const dv = new DataView(out.buffer);
    list.forEach((x, i) => {
      const o = i * size;
      switch (vr) {
        case "US":
          dv.setUint16(o, Number(x), le);
          break;
        case "SS":
          dv.setInt16(o, Number(x), le);
          break;
        case "UL":
          dv.setUint32(o, Number(x), le);
          break;
        case "SL":
          dv.setInt32(o, Number(x), le);
          break;
        case "FL":
          dv.setFloat32(o, Number(x), le);
          break;
        case "FD":
          dv.setFloat64(o, Number(x), le);
          break;
        case "SV":
          dv.setBigInt64(o, BigInt(x as bigint), le);
          break;
        case "UV":
          dv.setBigUint64(o, BigInt(x as bigint), le);
          break;
        case "AT":
          dv.setUint16(o, Number(x) >>> 16, le);
          dv.setUint16(o + 2, Number(x) & 0xffff, le);
          break;
      }
    });
    return out;
  }
  let text: string;
  if (vr === "DS") text = asList(v as number | null).map((x) => formatDS(x)).join("\\");
  else if (vr === "IS") {
    text = asList(v as number | string | null).map((x) =>
      x === null ? "" : typeof x === "string" ? x : String(Math.round(x))
    ).join("\\");
  } else if (v instanceof PersonName || (Array.isArray(v) && v[0] instanceof PersonName)) {
    text = asList(v as PersonName).map(String).join("\\");
  } else text = asList(v as string).map(String).join("\\");
  let bytes = vr === "SH" || vr === "LO" || vr === "ST" || vr === "LT" || vr === "UC" ||
      vr === "UT" || vr === "PN"
    ? encodeText(text, charset, { vr })
    : vr === "UI"
    ? ascii.encode(text)
    : latin1Bytes(text);
  if (bytes.length % 2) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    padded[bytes.length] = vr === "UI" ? 0 : 0x20;
    bytes = padded;
  }
  return bytes;
}

function writeHeader(
  out: Out,
  tag: number,
  vr: string,
  length: number,
  implicit: boolean,
  le: boolean,
): void {
  out.u16(tag >>> 16, le);
  out.u16(tag & 0xffff, le);
  if (implicit) {
    out.u32(length, le);
    return;
  }
  out.reserve(2);
  out.buf[out.len++] = vr.charCodeAt(0);
  out.buf[out.len++] = vr.charCodeAt(1);
  if (LONG_LENGTH_VRS.has(vr)) {
    out.u16(0, le);
    out.u32(length, le);
  } else {
    if (length > 0xffff) {
      throw new ValueError(`value of ${length} bytes is too long for VR ${vr}`, { tag });
    }
    out.u16(length, le);
  }
}

/** DICOMDIR record offsets (byte offsets of items in the file) to bring up to date. */
interface DirectoryOffsets {
  /** Where each directory record (item) now starts. */
  starts: Map<Dataset, number>;
  /** Offset values written: where, the value as read, and whose (record or root) it is. */
  values: { at: number; old: number; owner: Dataset; tag: number }[];
}

/** The offset-valued elements of a DICOMDIR (PS3.3 F.3.2.1, F.3.2.2). */
const DIRECTORY_OFFSET_TAGS = new Set([0x00041200, 0x00041202, 0x00041400, 0x00041420]);
const DIRECTORY_RECORD_SEQUENCE = 0x00041220;
const MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";

function writeDataset(
  out: Out,
  ds: Dataset,
  implicit: boolean,
  le: boolean,
  meta = false,
  directory?: DirectoryOffsets,
): void {
  const charset = ds.charset;
  for (const el of ds) {
    const tag = el.tag;
    if (!meta && tag >>> 16 === 0x0002 && ds.parent === undefined) continue;
    let vr = el.vr;
    if (!WIRE_VRS.has(vr)) vr = vr.slice(0, 2);
    if (!WIRE_VRS.has(vr)) vr = "UN";
    if (vr === "SQ") {
      writeHeader(out, tag, "SQ", 0xffffffff, implicit, le);
      const records = directory && tag === DIRECTORY_RECORD_SEQUENCE && ds.parent === undefined;
      for (const item of (el.items ?? []) as Dataset[]) {
        if (records) directory.starts.set(item, out.len);
        out.u16(0xfffe, le);
        out.u16(0xe000, le);
        out.u32(0xffffffff, le);
        writeDataset(out, item, implicit, le, false, directory);
        out.u16(0xfffe, le);
        out.u16(0xe00d, le);
        out.u32(0, le);
      }
      out.u16(0xfffe, le);
      out.u16(0xe0dd, le);
      out.u32(0, le);
      continue;
    }
    if (el.encapsulated) {
      // OB by the standard (PS3.5 A.4); an OW read from a file stays OW
      writeHeader(out, tag, vr === "OW" ? "OW" : "OB", 0xffffffff, implicit, le);
      const table = el.encapsulated.basicOffsetTable;
      out.u16(0xfffe, le);
      out.u16(0xe000, le);
      out.u32(table.length * 4, le);
      for (const off of table) out.u32(off, le);
      for (const frag of el.encapsulated.fragments) {
        out.u16(0xfffe, le);
        out.u16(0xe000, le);
        out.u32(frag.length + (frag.length % 2), le);
        out.bytes(frag);
        if (frag.length % 2) out.bytes(new Uint8Array(1));
      }
      out.u16(0xfffe, le);
      out.u16(0xe0dd, le);
      out.u32(0, le);
      continue;
    }
    let value: Uint8Array;
    if (tag === 0x7fe00010 && ds.parent === undefined) {
      value = encodePixelData(el, ds, le);
      // 8-bit samples are a byte stream: OB, which big endian does not swap
      if (!le && pixelUnit(ds) === 1 && vr === "OW") vr = "OB";
    } else value = encodeValue(el, le, charset);
    if (value.length % 2) {
      const padded = new Uint8Array(value.length + 1);
      padded.set(value);
      value = padded;
    }
    if (!implicit && !LONG_LENGTH_VRS.has(vr) && value.length > 0xffff) vr = "UN";
    writeHeader(out, tag, vr, value.length, implicit, le);
    if (directory && DIRECTORY_OFFSET_TAGS.has(tag) && value.length === 4) {
      directory.values.push({ at: out.len, old: Number(el.value), owner: ds, tag });
    }
    out.bytes(value);
  }
}

/**
 * Where a directory record started in the file it was read from: its first element's
 * value offset, less that element's header and the item header.
 */
function readOffset(item: Dataset): number | undefined {
  const first = item.elements()[0];
  const src = first?.source;
  if (!src) return undefined;
  const header = item.encoding.implicitVR || !LONG_LENGTH_VRS.has(first.vr) ? 8 : 12;
  return src.offset - header - 8;
}

/**
 * A DICOMDIR's records point at each other by byte offset. Records read from a file are
 * matched by where they were, and their offsets rewritten to where they are now.
 */
function updateDirectoryOffsets(
  out: Out,
  ds: Dataset,
  directory: DirectoryOffsets,
  le: boolean,
): void {
  const byOldOffset = new Map<number, Dataset>();
  for (const item of (ds.element(DIRECTORY_RECORD_SEQUENCE)?.items ?? []) as Dataset[]) {
    const old = readOffset(item);
    if (old !== undefined) byOldOffset.set(old, item);
  }
  for (const { at, old } of directory.values) {
    const item = old === 0 ? undefined : byOldOffset.get(old);
    const now = item && directory.starts.get(item);
    if (now !== undefined) out.dv.setUint32(at, now, le);
  }
}

function fileMetaFor(ds: Dataset, ts: string, implementationClassUID: string): Dataset {
  const meta = new Dataset();
  // copies, so the caller's elements keep their dataset
  for (const el of ds.fileMeta ?? []) {
    if (el.vr !== "SQ") meta.add(DataElement.fromValue(el.tag, el.vr, el.value));
  }
  meta.set(0x00020001, new Uint8Array([0, 1]), { vr: "OB", validation: "ignore" });
  const sopClass = ds.get(0x00080016) ?? ds.fileMeta?.get(0x00020002);
  const sopInstance = ds.get(0x00080018) ?? ds.fileMeta?.get(0x00020003);
  if (typeof sopClass === "string") {
    meta.set(0x00020002, sopClass, { vr: "UI", validation: "ignore" });
  }
  if (typeof sopInstance === "string") {
    meta.set(0x00020003, sopInstance, { vr: "UI", validation: "ignore" });
  }
  meta.set(0x00020010, ts, { vr: "UI", validation: "ignore" });
  meta.set(0x00020012, implementationClassUID, { vr: "UI", validation: "ignore" });
  meta.set(0x00020013, IMPLEMENTATION_VERSION_NAME, { vr: "SH", validation: "ignore" });
  meta.delete(0x00020000);
  const body = borrow();
  try {
    writeDataset(body, meta, false, true, true);
  } finally {
    release(body);
  }
  meta.set(0x00020000, body.len, { vr: "UL", validation: "ignore" });
  return meta;
}

/**
 * Writes a dataset as a DICOM Part 10 file: 128-byte preamble, `DICM`, file meta
 * (regenerated: group length, version, SOP class and instance from the dataset, the
 * transfer syntax, this toolkit's implementation UID), then the dataset. Sequences and
 * items are written with undefined length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { IMPLEMENTATION_CLASS_UID, read, write } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
 * ds.set("PatientName", "Doe^John");
 * const bytes = write(ds);
 * assert.equal(new TextDecoder().decode(bytes.subarray(128, 132)), "DICM");
 * const again = read(bytes);
 * assert.equal(String(again.PatientName), "Doe^John");
 * assert.equal(again.fileMeta?.TransferSyntaxUID, "1.2.840.10008.1.2.1");
 * assert.equal(again.fileMeta?.ImplementationClassUID, IMPLEMENTATION_CLASS_UID);
 * assert.equal(again.fileMeta?.MediaStorageSOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
 * const implicit = read(write(ds, { transferSyntax: "1.2.840.10008.1.2" }));
 * assert.equal(implicit.transferSyntaxUID, "1.2.840.10008.1.2");
 * assert.equal(implicit.encoding.implicitVR, true);
 * ```
 */
export function write(ds: Dataset, options: WriteOptions = {}): Uint8Array {
  return encodeFile(ds, options).bytes;
}

/**
 * A DICOMDIR's bytes with where each record's item starts and where each offset value
 * (next, lower, first, last) lies, for `writeDicomdir`, which links records made in
 * memory by patching those values (one encoding, no read back). Not exported from
 * `./io`: the public way is `writeDicomdir` in `./fileset`.
 */
export function writeDirectory(
  ds: Dataset,
  transferSyntaxUID: string,
): { bytes: Uint8Array; littleEndian: boolean; meta: Dataset } & DirectoryOffsets {
  const directory: DirectoryOffsets = { starts: new Map(), values: [] };
  const { bytes, meta } = encodeFile(ds, { transferSyntax: transferSyntaxUID }, directory);
  const littleEndian = transferSyntax(transferSyntaxUID)?.littleEndian ?? true;
  return { bytes, littleEndian, meta, ...directory };
}

/**
 * The file's bytes and the file meta written in them; `layout`, for a DICOMDIR, gets
 * where its records and offsets were written (and they are then left as they are).
 */
function encodeFile(
  ds: Dataset,
  options: WriteOptions,
  layout?: DirectoryOffsets,
): { bytes: Uint8Array; meta: Dataset } {
  const original = ds.transferSyntaxUID;
  const encapsulated = ds.element(0x7fe00010)?.encapsulated !== undefined;
  let ts = options.transferSyntax ?? EXPLICIT_VR_LITTLE_ENDIAN;
  if (encapsulated) {
    if (options.transferSyntax && options.transferSyntax !== original) {
      throw new ValueError(
        `cannot write compressed pixel data as ${options.transferSyntax}: decode it first`,
        { tag: 0x7fe00010 },
      );
    }
    ts = original ?? EXPLICIT_VR_LITTLE_ENDIAN;
  }
  const syntax = transferSyntax(ts);
  const implicit = syntax?.implicitVR ?? false;
  const le = syntax?.littleEndian ?? true;
  const deflate = syntax?.deflated ?? false;
  const meta = fileMetaFor(ds, ts, options.implementationClassUID ?? IMPLEMENTATION_CLASS_UID);
  const out = borrow();
  let all: Uint8Array, metaEnd: number;
  try {
    out.bytes(ds.preamble ?? new Uint8Array(128));
    out.bytes(ascii.encode("DICM"));
    writeDataset(out, meta, false, true, true);
    metaEnd = out.len;
    const isDirectory = !deflate && meta.get(0x00020002) === MEDIA_STORAGE_DIRECTORY;
    const directory = isDirectory ? layout ?? { starts: new Map(), values: [] } : undefined;
    writeDataset(out, ds, implicit, le, false, directory);
    if (directory && !layout) updateDirectoryOffsets(out, ds, directory, le);
    all = out.result();
  } finally {
    release(out);
  }
  if (!deflate) return { bytes: all, meta };
  const deflated = new Uint8Array(nodeZlib().deflateRawSync(all.subarray(metaEnd)));
  const result = new Uint8Array(metaEnd + deflated.length + (deflated.length % 2));
  result.set(all.subarray(0, metaEnd));
  result.set(deflated, metaEnd);
  return { bytes: result, meta };
}
