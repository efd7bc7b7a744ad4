/**
 * One instance's work, shared by the main thread and the workers of
 * `deidentifyFileSet`: read, de-identify, encode, write under a temporary name, rename,
 * and the attributes the new DICOMDIR's records take.
 *
 * @module
 */

import { join } from "node:path";
import { read } from "../io/read.ts";
import { write } from "../io/write.ts";
import { DicomError, InvalidFileError, RefusedError } from "../core/errors.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntax } from "../core/transfer_syntax.ts";
import { recordAttributes } from "../fileset/record_attributes.ts";
import type { Dataset } from "../dataset/dataset.ts";
import { deidentify, type DeidentifyOptions } from "./deidentify.ts";

/**
 * The bytes of a de-identified dataset as parts to write one after the other: when the
 * native pixel data is the last element and kept as read, the writer encodes the rest
 * and the pixel bytes go out as they are (no copy of the largest value); the result is
 * byte for byte what `write` gives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { read, write } from "../io/mod.ts";
 * import { deidentify } from "./mod.ts";
 * import { encodeParts } from "./file_set.ts";
 * const ds = deidentify(read("fixtures/ct_small.dcm"), { key: "secret" });
 * const parts = encodeParts(ds);
 * assert.equal(parts.length, 3); // the dataset, the pixel data header, the pixels as read
 * const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
 * parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
 * assert.deepEqual(joined, write(ds, { transferSyntax: ds.transferSyntaxUID }));
 * ```
 */
export function encodeParts(ds: Dataset): Uint8Array[] {
  const ts = ds.transferSyntaxUID;
  const px = ds.element(0x7fe00010);
  const syntax = ts ? transferSyntax(ts) : undefined;
  const elements = ds.elements();
  const src = px?.source;
  if (
    px && src && elements[elements.length - 1] === px && !px.encapsulated && syntax &&
    !syntax.deflated && syntax.littleEndian && src.littleEndian &&
    (px.vr === "OB" || px.vr === "OW") && ArrayBuffer.isView(px.value) &&
    (px.value as Uint8Array).buffer === src.bytes.buffer &&
    (px.value as Uint8Array).byteOffset === src.bytes.byteOffset &&
    (px.value as Uint8Array).byteLength ===
      src.bytes.byteLength - (src.bytes.byteLength % (px.vr === "OW" ? 2 : 1))
  ) {
    ds.delete(0x7fe00010);
    let head: Uint8Array;
    try {
      head = write(ds, { transferSyntax: ts });
    } finally {
      ds.add(px);
    }
    const value = src.bytes;
    const length = value.length + (value.length % 2);
    const header = new Uint8Array(syntax.implicitVR ? 8 : 12);
    const dv = new DataView(header.buffer);
    dv.setUint16(0, 0x7fe0, true);
    dv.setUint16(2, 0x0010, true);
    if (syntax.implicitVR) dv.setUint32(4, length, true);
    else {
      header[4] = px.vr.charCodeAt(0);
      header[5] = px.vr.charCodeAt(1);
      dv.setUint32(8, length, true);
    }
    return value.length % 2 ? [head, header, value, new Uint8Array(1)] : [head, header, value];
  }
  return [write(ds, { transferSyntax: ts })];
}

function writeParts(path: string, parts: Uint8Array[]): void {
  const file = Deno.openSync(path, { write: true, create: true, truncate: true });
  try {
    for (const part of parts) {
      let done = 0;
      while (done < part.length) done += file.writeSync(part.subarray(done));
    }
  } finally {
    file.close();
  }
}

/** The thread's read buffer, reused from file to file (see `readWhole`). */
let buffer = new Uint8Array(0);
/** Files larger than this get a buffer of their own, not kept. */
const KEEP_BUFFER = 64 * 2 ** 20;

/**
 * The bytes of a file, in this thread's buffer: valid until the next call. A new buffer
 * of each file's size (what `Deno.readFileSync` gives) costs more than the read itself,
 * since the kernel maps and zeroes its pages each time (1-7 ms for 512 KB here).
 */
function readWhole(path: string): Uint8Array {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path);
  } catch (e) {
    throw new InvalidFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const size = file.statSync().size;
    let target = buffer;
    if (size > KEEP_BUFFER) target = new Uint8Array(size);
    else if (buffer.length < size) {
      target = buffer = new Uint8Array(Math.min(KEEP_BUFFER, Math.max(size, 2 * buffer.length)));
    }
    let got = 0;
    while (got < size) {
      const n = file.readSync(target.subarray(got, size));
      if (n === null || n === 0) break;
      got += n;
    }
    return target.subarray(0, got);
  } catch (e) {
    throw new InvalidFileError(`cannot read ${path}: ${(e as Error).message}`);
  } finally {
    file.close();
  }
}

/** The stages of one instance's work, as `JobResult.times` lists them. */
export const STAGES = ["read", "parse", "deidentify", "encode", "write", "records"] as const;

/** What became of one instance. */
export interface JobResult {
  /** Its position in the input's record order. */
  index: number;
  /** `written`, `refused`, or the error's class name. */
  kind: string;
  /** Why, when not written. */
  message?: string;
  /**
   * When written by a worker: the attributes its directory records take
   * (`recordAttributes`), encoded in Explicit VR Little Endian (a few hundred bytes,
   * cheap to pass between threads).
   */
  attributes?: Uint8Array;
  /** When written by the main thread: the attributes, not encoded. */
  dataset?: Dataset;
  /** When written: the file's transfer syntax. */
  transferSyntax?: string;
  /** Milliseconds spent in each of {@linkcode STAGES}. */
  times: number[];
  /** The thread that did it: 0 the main thread, 1... the workers. */
  thread?: number;
}

/** De-identifies the instance at `path` into `root/name...`; never throws. */
export function runJob(
  index: number,
  path: string,
  name: readonly string[],
  root: string,
  options: DeidentifyOptions,
  made: Set<string>,
  encode = true,
): JobResult {
  const times = [0, 0, 0, 0, 0, 0];
  let t = performance.now();
  const lap = (stage: number) => {
    const now = performance.now();
    times[stage] += now - t;
    t = now;
  };
  try {
    const bytes = readWhole(path);
    lap(0);
    const ds = read(bytes);
    lap(1);
    const clean = deidentify(ds, options);
    lap(2);
    const parts = encodeParts(clean);
    lap(3);
    const dir = join(root, ...name.slice(0, -1));
    if (!made.has(dir)) {
      Deno.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const target = join(dir, name[name.length - 1]);
    writeParts(`${target}.partial`, parts);
    Deno.renameSync(`${target}.partial`, target);
    lap(4);
    // the records' attributes, copied now (`clean` points into the read buffer), and
    // encoded to be posted by a worker
    const dataset = recordAttributes(clean);
    const attributes = encode
      ? write(dataset, { transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN })
      : undefined;
    lap(5);
    return {
      index,
      kind: "written",
      ...(encode ? { attributes } : { dataset }),
      transferSyntax: clean.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN,
      times,
    };
  } catch (e) {
    const err = e as Error;
    const kind = e instanceof RefusedError
      ? "refused"
      : e instanceof DicomError || e instanceof Error
      ? err.name
      : "Error";
    return { index, kind, message: err?.message ?? String(e), times };
  }
}
