/**
 * `read`: bytes of a DICOM file (Part 10, or a bare dataset) into a `Dataset`.
 *
 * The parser follows PS3.5 and PS3.10, and where files break the rules it does what
 * pydicom 2.3 does (switching to implicit VR when an explicit VR is not a VR, taking VRs
 * of UN elements from the dictionary, reading sequence items in implicit VR when their
 * first element says so). Values stay as views of the input until asked for.
 *
 * @module
 */

import { nodeZlib } from "./_zlib.ts";
import { Dataset } from "../dataset/dataset.ts";
import { DataElement, type ElementSource, type EncapsulatedPixelData } from "../dataset/element.ts";
import { formatTag, isPrivateTag } from "../core/tag.ts";
import { LONG_LENGTH_VRS, WIRE_VRS } from "../core/vr.ts";
import { lookupPrivate, lookupTag } from "../dictionary/mod.ts";
import { DicomError, InvalidFileError, MalformedError, TruncatedError } from "../core/errors.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntax } from "../core/transfer_syntax.ts";
// loaded with read, so `ds.saveAs(path)` works on every dataset read from a file
import "./save.ts";

/** Options for {@linkcode read}. */
export interface ReadOptions {
  /**
   * Stop before (7FE0,0010) Pixel Data (and Float/Double Float Pixel Data) at the top
   * level. With a file path, only as much of the file as needed is read from disk.
   *
   * @default {false}
   */
  stopBeforePixels?: boolean;
  /**
   * With a file path: values longer than this many bytes (of defined length, not
   * sequences) are not read from disk until their `value` or `bytes` is asked for, so a
   * scan of a big series reads only the headers. Encapsulated pixel data longer than
   * this is read as item headers only, each fragment when asked for. `pixelArray` with
   * `{ frame }` then reads just that frame's bytes (or fragments), and keeps none of them
   * after: scrolling through the frames of a large file holds one frame at a time. No
   * effect on bytes already in memory.
   *
   * @default {Infinity} every value is read at once
   */
  deferSize?: number;
  /**
   * Throw a `DicomError` on every structural problem (truncation, a missing or misplaced
   * delimiter, a wrong item tag, an invalid VR, a dataset in the other VR encoding than
   * its transfer syntax says) instead of reading what can be read and noting it in
   * `ds.warnings`: the first warning lenient mode would give is the error thrown.
   * Lenient by default, as pydicom. Sequences nested deeper than 64 levels always throw.
   *
   * @default {false}
   */
  strict?: boolean;
  /**
   * Read input that has neither the `DICM` prefix nor a plausible first element. Without
   * it, such input is refused with an `InvalidFileError`.
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * The most bytes a Deflated Explicit VR Little Endian dataset may inflate to: by default
   * 256 MiB or 128 times the deflated input, whichever is larger (deflate reaches about
   * 1000:1 on zeros, so a file of a few MB could otherwise ask for gigabytes). Larger
   * output throws a `MalformedError`.
   *
   * @default {Math.max(256 * 2 ** 20, 128 * input.length)}
   */
  maxInflatedBytes?: number;
}

const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQ_END = 0xfffee0dd;
const DELIMITER_NAMES = new Map([
  [ITEM, "item tag"],
  [ITEM_END, "item delimiter"],
  [SEQ_END, "sequence delimiter"],
]);
const PIXEL_TAGS = new Set([0x7fe00010, 0x7fe00009, 0x7fe00008]);
const MAX_DEPTH = 64;
/** VRs that may have an undefined length other than SQ (PS3.5 7.1.2, A.4). */
const UNDEFINED_LENGTH_VRS = new Set(["OB", "OW", "UN", "OB or OW", "US or OW", "US or SS or OW"]);

/** US or SS tags resolved by Pixel Representation (pydicom's `_us_ss_tags`). */
const US_SS_TAGS = new Set([
  0x00189810,
  0x00221452,
  0x00280104,
  0x00280105,
  0x00280106,
  0x00280107,
  0x00280108,
  0x00280109,
  0x00280110,
  0x00280111,
  0x00280120,
  0x00280121,
  0x00281101,
  0x00281102,
  0x00281103,
  0x00283002,
  0x00409211,
  0x00409216,
  0x00603004,
  0x00603006,
]);
const OB_OW_TAGS = new Set([0x54000110, 0x54000112, 0x5400100a, 0x54001010]);

class Parser {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  readonly strict: boolean;
  readonly warnings: string[] = [];
  /** Set when reading ran into the end of the input. */
  hitEnd = false;
  /** Loads `[start, end)` of a file read on demand; absent when all bytes are in memory. */
  readonly file?: LazyFile;
  /** Values longer than this are left on disk until asked for (with a `file`). */
  readonly deferSize: number;

  constructor(bytes: Uint8Array, strict: boolean, file?: LazyFile, deferSize = Infinity) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.strict = strict;
    this.file = file;
    this.deferSize = file ? deferSize : Infinity;
  }

  /** Makes sure `[start, end)` is loaded when reading a file on demand. */
  need(start: number, end: number): void {
    this.file?.ensure(start, end);
  }

  u16(pos: number, le: boolean): number {
    return this.dv.getUint16(pos, le);
  }
  u32(pos: number, le: boolean): number {
    return this.dv.getUint32(pos, le);
  }
  tagAt(pos: number, le: boolean): number {
    return ((this.u16(pos, le) << 16) | this.u16(pos + 2, le)) >>> 0;
  }

  /** Records a problem, or throws it in strict mode. */
  problem(error: DicomError): void {
    if (this.strict) throw error;
    this.warnings.push(error.message);
  }

  truncated(message: string, offset: number, tag?: number): void {
    this.hitEnd = true;
    this.problem(new TruncatedError(message, { offset, tag }));
  }

  /**
   * Reads elements from `pos` up to `end`, or up to an item delimiter when `end` is
   * undefined. Returns the position after the last byte consumed. `sequence` is the tag
   * of the sequence an item belongs to, for messages.
   */
  readDataset(
    ds: Dataset,
    pos: number,
    end: number | undefined,
    implicit: boolean,
    le: boolean,
    depth: number,
    stopAtPixels: boolean,
    sequence?: number,
  ): number {
    const limit = end ?? this.bytes.length;
    const bytes = this.bytes;
    while (pos < limit) {
      if (limit - pos < 8) {
        if (end === undefined) {
          this.truncated(`item without delimiter: input ends`, pos, sequence);
        } else if (limit === this.bytes.length) {
          this.truncated(`${limit - pos} trailing bytes too short for an element header`, pos);
        } else {
          this.problem(
            new MalformedError(`${limit - pos} bytes left in item, too short for an element`, {
              offset: pos,
              tag: sequence,
            }),
          );
        }
        return limit;
      }
      const start = pos;
      this.need(pos, pos + 12);
      const tag = this.tagAt(pos, le);
      if (tag >>> 16 === 0xfffe) {
        if (tag === ITEM_END && sequence !== undefined) return pos + 8;
        if (sequence !== undefined && end === undefined && (tag === ITEM || tag === SEQ_END)) {
          // the item's delimiter is missing: the sequence goes on (or ends) here
          this.problem(
            new MalformedError(`item without delimiter: ${formatTag(tag)} found`, {
              offset: pos,
              tag: sequence,
            }),
          );
          return pos;
        }
        const what = DELIMITER_NAMES.get(tag) ?? "tag";
        this.problem(
          new MalformedError(`misplaced ${what} ${formatTag(tag)}: skipped`, {
            offset: pos,
            tag: sequence,
          }),
        );
        pos += 8;
        continue;
      }
      let vr: string | null = null;
      let length: number;
      let headerLength = 8;
      let invalidVr = false;
      if (implicit) {
        length = this.u32(pos + 4, le);
      } else {
        const b0 = bytes[pos + 4], b1 = bytes[pos + 5];
        // pydicom: b'AA' <= vr <= b'ZZ' compared as byte strings
        const explicitVr = (b0 > 0x41 && b0 < 0x5a) || (b0 === 0x41 && b1 >= 0x41) ||
          (b0 === 0x5a && b1 <= 0x5a);
        if (!explicitVr) {
          length = this.u32(pos + 4, le);
        } else {
          vr = String.fromCharCode(b0, b1);
          if (!WIRE_VRS.has(vr)) {
            this.problem(
              new MalformedError(`invalid VR "${vr}": read as UN`, { offset: pos, tag }),
            );
            invalidVr = true;
          }
          if (LONG_LENGTH_VRS.has(vr)) {
            if (limit - pos < 12) {
              this.truncated(`element header cut short`, pos, tag);
              return limit;
            }
            length = this.u32(pos + 8, le);
            headerLength = 12;
          } else {
            length = this.u16(pos + 6, le);
          }
        }
      }
      if (stopAtPixels && PIXEL_TAGS.has(tag)) return start;
      pos += headerLength;
      const valueStart = pos;
      if (length !== 0xffffffff) {
        let valueEnd = valueStart + length;
        if (valueEnd > limit) {
          const msg = `value of ${length} bytes runs past the end of the ${
            end === undefined || limit === this.bytes.length ? "input" : "item"
          } (${limit - valueStart} bytes left)`;
          if (limit === this.bytes.length) this.truncated(msg, start, tag);
          else this.problem(new MalformedError(msg, { offset: start, tag }));
          valueEnd = limit;
        }
        if (vr === null) vr = this.implicitVr(tag, ds);
        else if (invalidVr) vr = "UN";
        else if (vr === "UN") vr = this.knownVrForUn(tag, ds, length);
        const view = bytes.subarray(valueStart, valueEnd);
        const file = this.file;
        let source: ElementSource;
        if (file && vr !== "SQ" && valueEnd - valueStart > this.deferSize) {
          // left on disk: loaded the first time the value is asked for
          source = {
            get bytes() {
              file.ensure(valueStart, valueEnd, tag);
              return view;
            },
            littleEndian: le,
            offset: valueStart,
            length: view.length,
            range(a: number, b: number) {
              const part = view.subarray(a, b);
              const from = valueStart + part.byteOffset - view.byteOffset;
              return file.read(from, from + part.length, tag);
            },
          };
        } else {
          this.need(valueStart, valueEnd);
          source = { bytes: view, littleEndian: le, offset: valueStart };
        }
        const el = new DataElement(tag, vr, source);
        if (vr === "SQ") {
          el.items = [];
          ds.add(el);
          this.readSequence(el, valueStart, valueEnd, implicit, le, ds, depth);
        } else ds.add(el);
        pos = valueEnd;
      } else {
        if (vr === "UN" || invalidVr) vr = "SQ";
        if (vr === null) {
          this.need(pos, pos + 4);
          vr = this.dictionaryVr(tag) ??
            (pos + 4 <= this.bytes.length && this.tagAt(pos, le) === ITEM ? "SQ" : "UN");
        }
        if (vr === "SQ") {
          const el = new DataElement(tag, "SQ", {
            bytes: bytes.subarray(valueStart, valueStart),
            littleEndian: le,
            offset: valueStart,
            undefinedLength: true,
          });
          el.items = [];
          ds.add(el);
          pos = this.readSequence(el, valueStart, undefined, implicit, le, ds, depth);
        } else {
          pos = this.readUndefinedValue(ds, tag, vr as string, valueStart, le);
        }
      }
    }
    if (end === undefined) this.truncated(`item without delimiter: input ends`, pos, sequence);
    return pos;
  }

  /** Reads the items of a sequence; returns the position after it. */
  readSequence(
    el: DataElement,
    pos: number,
    end: number | undefined,
    implicit: boolean,
    le: boolean,
    parent: Dataset,
    depth: number,
  ): number {
    const limit = end ?? this.bytes.length;
    const items = el.items as Dataset[];
    if (depth >= MAX_DEPTH && pos < limit) {
      // always an error: the structure is hostile, and recursion must stay bounded
      throw new MalformedError(`sequences nested deeper than ${MAX_DEPTH} levels`, {
        offset: pos,
        tag: el.tag,
      });
    }
    while (pos < limit) {
      if (limit - pos < 8) {
        this.truncated(`sequence item header cut short`, pos, el.tag);
        return limit;
      }
      this.need(pos, pos + 14);
      const tag = this.tagAt(pos, le);
      const length = this.u32(pos + 4, le);
      if (tag === SEQ_END) return pos + 8;
      if (tag !== ITEM) {
        this.problem(
          new MalformedError(
            `expected an item tag (fffe, e000), found ${formatTag(tag)}`,
            { offset: pos, tag: el.tag },
          ),
        );
      }
      pos += 8;
      const item = new Dataset();
      item.parent = parent;
      let itemImplicit = implicit;
      if (!implicit && pos + 6 <= limit) {
        const b0 = this.bytes[pos + 4], b1 = this.bytes[pos + 5];
        if (!(b0 > 64 && b0 < 91 && b1 > 64 && b1 < 91)) itemImplicit = true;
      }
      item.encoding = { implicitVR: itemImplicit, littleEndian: le };
      items.push(item);
      if (length === 0xffffffff) {
        pos = this.readDataset(item, pos, undefined, itemImplicit, le, depth + 1, false, el.tag);
      } else {
        let itemEnd = pos + length;
        if (itemEnd > limit) {
          const msg = `item of ${length} bytes runs past the end of its sequence`;
          if (limit === this.bytes.length) this.truncated(msg, pos - 8, el.tag);
          else this.problem(new MalformedError(msg, { offset: pos - 8, tag: el.tag }));
          itemEnd = limit;
        }
        pos = this.readDataset(item, pos, itemEnd, itemImplicit, le, depth + 1, false, el.tag);
      }
    }
    if (end === undefined) {
      this.truncated(`sequence without delimiter: input ends`, pos, el.tag);
    }
    return pos;
  }

  /** An undefined-length value that is not a sequence: encapsulated pixel data, or raw. */
  readUndefinedValue(ds: Dataset, tag: number, vr: string, pos: number, le: boolean): number {
    const bytes = this.bytes;
    const start = pos;
    this.need(pos, pos + 8);
    if (pos + 4 <= bytes.length && this.tagAt(pos, le) === ITEM) {
      // With a deferSize, fragments stay on disk until the whole is known to be small
      const file = this.deferSize < Infinity ? this.file : undefined;
      const fragments: Uint8Array[] = [];
      const starts: number[] = [];
      const positions: number[] = [];
      let table = new Uint32Array(0);
      let first = true;
      let firstFragment = -1;
      let ended = false;
      while (pos + 8 <= bytes.length) {
        this.need(pos, pos + 8);
        const t = this.tagAt(pos, le);
        const len = this.u32(pos + 4, le);
        if (t === SEQ_END) {
          ended = true;
          break;
        }
        if (t !== ITEM) {
          this.problem(
            new MalformedError(
              `expected a fragment item tag (fffe, e000), found ${formatTag(t)}`,
              { offset: pos, tag },
            ),
          );
          break;
        }
        let fragEnd = pos + 8 + len;
        if (len === 0xffffffff || fragEnd > bytes.length) {
          this.truncated(`fragment of ${len} bytes runs past the end of the input`, pos, tag);
          fragEnd = bytes.length;
        }
        if (first || !file) this.need(pos + 8, fragEnd);
        const data = bytes.subarray(pos + 8, fragEnd);
        if (first) {
          const n = Math.floor(data.length / 4);
          table = new Uint32Array(n);
          for (let i = 0; i < n; i++) table[i] = this.u32(pos + 8 + i * 4, le);
          first = false;
        } else {
          if (firstFragment < 0) firstFragment = pos;
          positions.push(pos - firstFragment);
          starts.push(pos + 8);
          fragments.push(data);
        }
        pos = fragEnd;
      }
      if (!ended) this.truncated(`encapsulated data without sequence delimiter`, pos, tag);
      const stop = Math.min(pos, bytes.length);
      const whole = bytes.subarray(start, stop);
      const deferred = file !== undefined && stop - start > this.deferSize;
      if (file && !deferred) this.need(start, stop);
      const el = new DataElement(
        tag,
        vr === "OB or OW" ? "OB" : vr,
        deferred
          ? {
            get bytes() {
              file.ensure(start, stop, tag);
              return whole;
            },
            littleEndian: le,
            offset: start,
            undefinedLength: true,
          }
          : { bytes: whole, littleEndian: le, offset: start, undefinedLength: true },
      );
      el.encapsulated = deferred
        ? deferredFragments(file, table, fragments, starts, positions, tag)
        : { basicOffsetTable: table, fragments, fragmentPositions: positions };
      ds.add(el);
      return ended ? pos + 8 : bytes.length;
    }
    if (!UNDEFINED_LENGTH_VRS.has(vr)) {
      this.problem(
        new MalformedError(`undefined length is not allowed for VR ${vr}`, { offset: pos, tag }),
      );
    }
    // Raw bytes up to a sequence delimiter, as pydicom's read_undefined_length_value
    this.need(pos, bytes.length);
    let i = pos;
    const [d0, d1, d2, d3] = le ? [0xfe, 0xff, 0xdd, 0xe0] : [0xff, 0xfe, 0xe0, 0xdd];
    while (i + 4 <= bytes.length) {
      if (bytes[i] === d0 && bytes[i + 1] === d1 && bytes[i + 2] === d2 && bytes[i + 3] === d3) {
        break;
      }
      i++;
    }
    const found = i + 4 <= bytes.length;
    if (!found) {
      this.truncated(`undefined-length value without delimiter`, start, tag);
      i = bytes.length;
    }
    ds.add(
      new DataElement(tag, vr, {
        bytes: bytes.subarray(start, i),
        littleEndian: le,
        offset: start,
        undefinedLength: true,
      }),
    );
    return found ? i + 8 : i;
  }

  dictionaryVr(tag: number): string | undefined {
    if (isPrivateTag(tag)) return undefined;
    return lookupTag(tag)?.vr;
  }

  privateVr(tag: number, ds: Dataset): string {
    const el = tag & 0xffff;
    if (el >= 0x10 && el <= 0xff) return "LO";
    if (el & 0xff00) {
      const creatorTag = ((tag & 0xffff0000) | (el >>> 8)) >>> 0;
      const v = ds.element(creatorTag)?.value;
      const creator = typeof v === "string" ? v : Array.isArray(v) ? String(v[0]) : "";
      if (creator) {
        const entry = lookupPrivate(creator, tag);
        if (entry) return entry.vr;
      }
    }
    return "UN";
  }

  /** The VR of an implicit VR element, as pydicom's `DataElement_from_raw`. */
  implicitVr(tag: number, ds: Dataset): string {
    const vr = this.dictionaryVr(tag);
    if (vr !== undefined) return vr;
    if (isPrivateTag(tag)) return this.privateVr(tag, ds);
    if ((tag & 0xffff) === 0) return "UL";
    return "UN";
  }

  /** An explicit UN replaced by the known VR, as pydicom's `replace_un_with_known_vr`. */
  knownVrForUn(tag: number, ds: Dataset, length: number): string {
    if (isPrivateTag(tag)) return this.privateVr(tag, ds);
    if (length < 0xffff) return this.dictionaryVr(tag) ?? "UN";
    return "UN";
  }
}

function findUp(ds: Dataset, t: number): Dataset | undefined {
  for (let d: Dataset | undefined = ds; d; d = d.parent) if (d.has(t)) return d;
  return undefined;
}

/** Resolves dictionary VRs such as `US or SS` from the dataset, as pydicom does on access. */
function resolveAmbiguous(ds: Dataset): void {
  for (const el of ds) {
    if (el.items) { for (const item of el.items) resolveAmbiguous(item as Dataset); }
    if (!el.vr.includes(" or ")) continue;
    const t = el.tag;
    if (t === 0x7fe00010) {
      if (el.source?.undefinedLength) el.vr = "OB";
      else if (ds.encoding.implicitVR) el.vr = "OW";
      else el.vr = Number(ds.get(0x00280100) ?? 0) > 8 ? "OW" : "OB";
    } else if (US_SS_TAGS.has(t)) {
      const holder = findUp(ds, 0x00280103);
      const rep = holder ? Number(holder.get(0x00280103)) : 0;
      el.vr = rep === 0 ? "US" : "SS";
    } else if (OB_OW_TAGS.has(t)) {
      el.vr = ds.encoding.implicitVR || Number(ds.get(0x003a021a) ?? 0) > 8 ? "OW" : "OB";
    } else if (t === 0x00283006) {
      const desc = ds.get(0x00283002);
      const first = Array.isArray(desc) ? desc[0] : desc;
      el.vr = first === 1 ? "US" : "OW";
    } else if ((t & 0xff00ffff) === 0x60003000) {
      el.vr = "OW";
    } else {
      el.vr = el.vr.slice(0, 2);
    }
  }
}

/** Fixes LUT descriptors' first value read as SS (pydicom adds 65536 to a negative). */
function isDicmAt(bytes: Uint8Array, pos: number): boolean {
  return bytes.length >= pos + 4 && bytes[pos] === 0x44 && bytes[pos + 1] === 0x49 &&
    bytes[pos + 2] === 0x43 && bytes[pos + 3] === 0x4d;
}

/** A quick plausibility check of a bare dataset's first element. */
function looksLikeDataset(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  // a zero preamble without DICM after it, or zero padding: not a dataset
  if (bytes.subarray(0, 8).every((b) => b === 0)) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vr = String.fromCharCode(bytes[4], bytes[5]);
  for (const le of [true, false]) {
    const group = dv.getUint16(0, le);
    if (group > 0x7fe0) continue;
    if (WIRE_VRS.has(vr)) return true;
    const len = dv.getUint32(4, le);
    if (len === 0xffffffff || len <= bytes.length - 8) return true;
  }
  return false;
}

/**
 * Parses bytes into a Dataset. Used by {@linkcode read}; exported for tests and tools.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./mod.ts";
 * // (0010,0010) PN, length 4, "Doe ": a bare explicit VR little endian dataset
 * const ds = parse(new Uint8Array([0x10, 0, 0x10, 0, 0x50, 0x4e, 4, 0, 0x44, 0x6f, 0x65, 0x20]));
 * assert.equal(String(ds.PatientName), "Doe");
 * assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: true });
 * ```
 */
export function parse(input: Uint8Array, options: ReadOptions = {}): Dataset {
  return parseBytes(input, options);
}

/** Parses `input`; with `file`, `input` is the file's buffer, loaded as the parse goes. */
function parseBytes(input: Uint8Array, options: ReadOptions, file?: LazyFile): Dataset {
  if (input.length === 0) throw new InvalidFileError("empty input", { offset: 0 });
  let bytes = input;
  let parser = new Parser(bytes, options.strict ?? false, file, options.deferSize);
  parser.need(0, 256);
  let pos = 0;
  let preamble: Uint8Array | undefined;
  if (isDicmAt(bytes, 128)) {
    preamble = bytes.subarray(0, 128);
    pos = 132;
  } else if (isDicmAt(bytes, 0)) {
    pos = 4;
    parser.warnings.push("no 128-byte preamble: the file starts with DICM");
  } else if (!options.force && !looksLikeDataset(bytes)) {
    throw new InvalidFileError(
      "not DICOM: no DICM prefix after a 128-byte preamble, nor a data element",
      { offset: 0 },
    );
  }
  if (pos > 0 && pos >= bytes.length) parser.truncated("input ends after the DICM prefix", pos);
  // File meta information: group 0002, explicit VR little endian
  const meta = new Dataset();
  parser.need(pos, pos + 12);
  if (pos + 8 <= bytes.length && parser.u16(pos, true) === 0x0002) {
    const metaStart = pos;
    const metaImplicit = !(bytes[pos + 4] > 64 && bytes[pos + 4] < 91 && bytes[pos + 5] > 64 &&
      bytes[pos + 5] < 91);
    pos = readGroup2(parser, meta, pos, metaImplicit);
    const groupLength = meta.get(0x00020000);
    const announcedEnd = metaStart + 12 + Number(groupLength);
    if (typeof groupLength === "number" && announcedEnd > bytes.length && !parser.hitEnd) {
      parser.truncated(
        `file meta of ${groupLength} bytes (its group length) runs past the end of the input`,
        metaStart,
        0x00020000,
      );
    }
    // the input ended inside the file meta: there is no dataset to read
    if (parser.hitEnd) pos = bytes.length;
  }
  const tsEl = meta.element(0x00020010);
  const ts = typeof tsEl?.value === "string" ? tsEl.value : undefined;
  let implicit = true, le = true;
  parser.need(pos, pos + 12);
  if (pos >= bytes.length) {
    // nothing after the meta
  } else if (ts === undefined) {
    if (pos + 6 <= bytes.length) {
      const vr = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
      if (WIRE_VRS.has(vr)) {
        implicit = false;
        if (parser.u16(pos, true) >= 1024) le = false;
      }
    }
  } else if (transferSyntax(ts)?.implicitVR) {
    // defaults
  } else if (transferSyntax(ts)?.littleEndian === false) {
    implicit = false;
    le = false;
  } else if (transferSyntax(ts)?.deflated) {
    parser.need(pos, bytes.length);
    const start = pos;
    let inflated: Uint8Array;
    let cutShort = false;
    const deflated = bytes.subarray(pos);
    const maxOutputLength = options.maxInflatedBytes ??
      Math.max(256 * 2 ** 20, 128 * deflated.length);
    const tooLarge = (e: unknown) => {
      if ((e as { code?: string }).code !== "ERR_BUFFER_TOO_LARGE") return e;
      return new MalformedError(
        `deflated dataset of ${deflated.length} bytes inflates past ${maxOutputLength} bytes ` +
          "(the maxInflatedBytes option)",
        { offset: start },
      );
    };
    try {
      inflated = new Uint8Array(nodeZlib().inflateRawSync(deflated, { maxOutputLength }));
    } catch (e) {
      const limit = tooLarge(e);
      if (limit !== e) throw limit;
      try {
        // a stream cut short still inflates up to where it ends
        const flush = { finishFlush: nodeZlib().constants.Z_SYNC_FLUSH, maxOutputLength };
        inflated = new Uint8Array(nodeZlib().inflateRawSync(deflated, flush));
        cutShort = true;
      } catch (e2) {
        const limit2 = tooLarge(e2);
        if (limit2 !== e2) throw limit2;
        throw new MalformedError(`deflated dataset cannot be inflated: ${(e as Error).message}`, {
          offset: pos,
        });
      }
    }
    const { warnings, hitEnd } = parser;
    bytes = inflated;
    parser = new Parser(bytes, options.strict ?? false);
    parser.warnings.push(...warnings);
    parser.hitEnd = hitEnd;
    if (cutShort) {
      parser.truncated(
        `deflated dataset ends before its last block (${inflated.length} bytes inflated)`,
        start,
      );
    }
    pos = 0;
    implicit = false;
  } else {
    implicit = false;
  }
  if (ts === EXPLICIT_VR_LITTLE_ENDIAN) implicit = false;
  // pydicom checks the first element's VR and follows what it finds
  if (pos + 6 <= bytes.length) {
    const b0 = bytes[pos + 4], b1 = bytes[pos + 5];
    const foundImplicit = !(b0 > 64 && b0 < 91 && b1 > 64 && b1 < 91);
    const isPixel = PIXEL_TAGS.has(parser.tagAt(pos, le)) && options.stopBeforePixels;
    if (foundImplicit !== implicit && !isPixel) {
      const found = foundImplicit ? "implicit" : "explicit";
      parser.problem(
        new MalformedError(
          `expected ${implicit ? "implicit" : "explicit"} VR, but found ${found} VR: ` +
            `using ${found} VR for reading`,
          { offset: pos },
        ),
      );
      implicit = foundImplicit;
    }
  }
  const ds = new Dataset();
  ds.encoding = { implicitVR: implicit, littleEndian: le };
  if (meta.size) ds.fileMeta = meta;
  ds.preamble = preamble;
  parser.readDataset(ds, pos, bytes.length, implicit, le, 0, options.stopBeforePixels ?? false);
  resolveAmbiguous(ds);
  ds.warnings = parser.warnings;
  return ds;
}

function readGroup2(parser: Parser, meta: Dataset, pos: number, implicit: boolean): number {
  const bytes = parser.bytes;
  // read element by element while the group is 0002
  const sub = new Parser(bytes, parser.strict, parser.file);
  while (parser.need(pos, pos + 12), pos + 8 <= bytes.length && parser.u16(pos, true) === 0x0002) {
    const tmp = new Dataset();
    const vrLong = !implicit &&
      LONG_LENGTH_VRS.has(String.fromCharCode(bytes[pos + 4], bytes[pos + 5]));
    const headerEnd = pos + (vrLong ? 12 : 8);
    if (headerEnd > bytes.length) break;
    const length = implicit
      ? parser.u32(pos + 4, true)
      : vrLong
      ? parser.u32(pos + 8, true)
      : parser.u16(pos + 6, true);
    const end = length === 0xffffffff ? undefined : Math.min(headerEnd + length, bytes.length);
    if (end === undefined) break;
    sub.readDataset(tmp, pos, end, implicit, true, 0, false);
    for (const el of tmp) meta.add(el);
    pos = end;
  }
  parser.warnings.push(...sub.warnings);
  parser.hitEnd ||= sub.hitEnd;
  return pos;
}

/**
 * Reads a DICOM file or bytes into a {@linkcode Dataset}: Part 10 files with or without
 * the preamble, and bare datasets (the transfer syntax is then inferred: implicit or
 * explicit VR, little or big endian). Implicit VR LE, Explicit VR LE/BE and Deflated
 * Explicit VR LE are read; compressed transfer syntaxes are explicit VR LE with
 * encapsulated pixel data kept as fragments.
 *
 * Problems that still let the rest be read (a truncated last value, a missing delimiter)
 * are listed in `ds.warnings`; `{ strict: true }` makes them errors. Input that is not
 * DICOM throws an `InvalidFileError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "../dataset/mod.ts";
 * import { read, write } from "./mod.ts";
 * const original = new Dataset();
 * original.set("Modality", "CT");
 * original.set("Rows", 512);
 * original.set("Columns", 512);
 * original.set("PixelData", new Uint8Array(8), { vr: "OB" });
 * const path = await Deno.makeTempFile({ suffix: ".dcm" });
 * await Deno.writeFile(path, write(original));
 *
 * const ds = read(path);
 * assert.equal(ds.Modality, "CT");
 * assert.equal(ds.Rows, 512);
 * assert.equal(ds.Columns, 512);
 * assert.deepEqual(ds.warnings, []);
 * assert.equal(read(path, { stopBeforePixels: true }).PixelData, undefined);
 * assert.throws(() => read(new Uint8Array([1, 2, 3])), { name: "InvalidFileError" });
 * await Deno.remove(path);
 * ```
 */
export function read(source: string | URL | Uint8Array, options: ReadOptions = {}): Dataset {
  if (source instanceof Uint8Array) return parse(source, options);
  if (!options.stopBeforePixels && options.deferSize === undefined) {
    return parse(readFileBytes(source), options);
  }
  // Read the file on demand: only the blocks the parse touches come from disk
  const file = LazyFile.open(source);
  try {
    return parseBytes(file.bytes, options, file);
  } finally {
    file.close();
  }
}

/**
 * Encapsulated pixel data left on disk: the item headers are read, each fragment is read
 * when `fragment(index)` asks for it (and not kept), all of them (kept) when `fragments`
 * is used.
 */
function deferredFragments(
  file: LazyFile,
  table: Uint32Array,
  views: Uint8Array[],
  starts: number[],
  positions: number[],
  tag: number,
): EncapsulatedPixelData {
  let fragments = views;
  let replaced = false;
  return {
    basicOffsetTable: table,
    fragmentPositions: positions,
    get fragments() {
      if (!replaced && starts.length) {
        const last = starts.length - 1;
        file.ensure(starts[0], starts[last] + views[last].length, tag);
      }
      return fragments;
    },
    set fragments(value: Uint8Array[]) {
      fragments = value;
      replaced = true;
    },
    fragment(index: number): Uint8Array {
      if (replaced || index < 0 || index >= starts.length) return fragments[index];
      return file.read(starts[index], starts[index] + views[index].length, tag);
    },
  };
}

/**
 * A file read on demand, in 64 KiB blocks, into one buffer of the file's size (pages
 * never written cost no memory). Reopened when a deferred value is asked for later.
 */
class LazyFile {
  static readonly BLOCK = 1 << 16;
  readonly path: string | URL;
  readonly bytes: Uint8Array;
  #loaded: Uint8Array;
  #file?: Deno.FsFile;

  private constructor(path: string | URL, file: Deno.FsFile, size: number) {
    this.path = path;
    this.#file = file;
    this.bytes = new Uint8Array(size);
    this.#loaded = new Uint8Array(Math.ceil(size / LazyFile.BLOCK));
  }

  static open(path: string | URL): LazyFile {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path);
    } catch (e) {
      throw new InvalidFileError(`cannot open ${String(path)}: ${(e as Error).message}`);
    }
    return new LazyFile(path, file, file.statSync().size);
  }

  /**
   * Bytes `[start, end)` of the file: a view of the loaded blocks when they are all
   * loaded, else read from disk into a new array that is not kept (so reading the frames
   * of a large file one by one holds one frame at a time, not the file).
   */
  read(start: number, end: number, tag?: number): Uint8Array {
    const last = Math.min(end, this.bytes.length);
    if (last <= start) return new Uint8Array(0);
    const B = LazyFile.BLOCK;
    let loaded = true;
    for (let b = Math.floor(start / B); loaded && b * B < last; b++) loaded = !!this.#loaded[b];
    if (loaded) return this.bytes.subarray(start, last);
    const out = new Uint8Array(last - start);
    const reopened = this.#file === undefined;
    let got = 0;
    try {
      this.#file ??= Deno.openSync(this.path);
      this.#file.seekSync(start, Deno.SeekMode.Start);
      while (got < out.length) {
        const n = this.#file.readSync(out.subarray(got));
        if (n === null || n === 0) break;
        got += n;
      }
    } catch (e) {
      throw new InvalidFileError(
        `cannot read ${String(this.path)}: ${(e as Error).message}`,
        { offset: start + got, tag },
      );
    } finally {
      if (reopened) this.close();
    }
    if (got < out.length) {
      throw new TruncatedError(`${String(this.path)} is shorter than when it was opened`, {
        offset: start + got,
        tag,
      });
    }
    return out;
  }

  /** Loads the blocks covering `[start, end)`; `tag` names a deferred value in errors. */
  ensure(start: number, end: number, tag?: number): void {
    const last = Math.min(end, this.bytes.length);
    if (last <= start) return;
    const B = LazyFile.BLOCK;
    const endBlock = Math.ceil(last / B);
    let b = Math.floor(start / B);
    const reopened = this.#file === undefined;
    try {
      while (b < endBlock) {
        if (this.#loaded[b]) {
          b++;
          continue;
        }
        // one read for each run of blocks not loaded yet
        let e = b + 1;
        while (e < endBlock && !this.#loaded[e]) e++;
        this.#file ??= Deno.openSync(this.path);
        const target = this.bytes.subarray(b * B, Math.min(e * B, this.bytes.length));
        this.#file.seekSync(b * B, Deno.SeekMode.Start);
        let got = 0;
        while (got < target.length) {
          const n = this.#file.readSync(target.subarray(got));
          if (n === null || n === 0) break;
          got += n;
        }
        if (got < target.length) {
          throw new TruncatedError(`${String(this.path)} is shorter than when it was opened`, {
            offset: b * B + got,
            tag,
          });
        }
        this.#loaded.fill(1, b, e);
        b = e;
      }
    } catch (e) {
      if (e instanceof DicomError) throw e;
      throw new InvalidFileError(
        `cannot read ${String(this.path)}: ${(e as Error).message}`,
        { offset: b * B, tag },
      );
    } finally {
      if (reopened) this.close();
    }
  }

  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}

function readFileBytes(source: string | URL): Uint8Array {
  try {
    return Deno.readFileSync(source);
  } catch (e) {
    throw new InvalidFileError(`cannot read ${String(source)}: ${(e as Error).message}`);
  }
}
