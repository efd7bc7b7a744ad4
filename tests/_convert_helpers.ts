/**
 * Test-local helpers for the convert tests: file-sets built from the phantom in temp
 * folders (encapsulated frames of any transfer syntax), the CLI run as a subprocess, output trees listed and read, and the
 * tutorial's pipeline on the phantom computed independently of the toolkit (from the
 * phantom's HU values, with pydicom's window formula and the tutorial's scaling).
 */
import { PNG } from "pngjs";
import { Buffer } from "node:buffer";
import { Dataset } from "../lib/dataset/dataset.ts";
import { DataElement } from "../lib/dataset/element.ts";
import { makeCtSlice, phantomHU } from "../lib/sample/phantom.ts";
import { write } from "../lib/io/write.ts";
import { encodeJpeg } from "../lib/image/jpeg.ts";
import { JPEG_BASELINE } from "../lib/core/transfer_syntax.ts";

/** The CLI. */
export const SCRIPT = new URL("../scripts/convert.ts", import.meta.url).pathname;

/** What a CLI run gave. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/convert.ts` with `args`, output piped. */
export async function runConvert(args: string[]): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "convert_test_" });
}

/** Options of {@linkcode slice}. */
export interface SliceOptions {
  /** Rows and columns (default 32). */
  size?: number;
  /** Slices in the phantom series (default 12). */
  slices?: number;
  /** Patient ID; `null` removes it. */
  patientId?: string | null;
  /** Series Number (default 2) and its own Series Instance UID when not 2. */
  series?: number;
}

let made = 0;

/** Phantom slice `index` (Instance Number index + 1) as a dataset, with a new SOP Instance UID. */
export function slice(index: number, options: SliceOptions = {}): Dataset {
  const ds = makeCtSlice(index, { size: options.size ?? 32, slices: options.slices });
  ds.set("SOPInstanceUID", `2.25.99${++made}`);
  if (options.patientId === null) ds.delete("PatientID");
  // hostile IDs ("../../etc", "\0", 300 characters) on purpose: stored unchecked
  else if (options.patientId !== undefined) {
    ds.set("PatientID", options.patientId, { validation: "ignore" });
  }
  if (options.series !== undefined && options.series !== 2) {
    ds.set("SeriesNumber", options.series);
    ds.set("SeriesInstanceUID", `2.25.7777${options.series}`);
  }
  return ds;
}

/** A multi-frame CT instance: the phantom's slices `0..frames-1` as frames. */
export function multiFrame(frames: number, size: number, instance: number): Dataset {
  const ds = makeCtSlice(0, { size, slices: frames });
  const all = new Uint16Array(frames * size * size);
  for (let f = 0; f < frames; f++) {
    const hu = phantomHU(f, { size, slices: frames });
    for (let i = 0; i < hu.length; i++) all[f * size * size + i] = hu[i] + 1024;
  }
  ds.set("NumberOfFrames", frames);
  ds.set("InstanceNumber", instance);
  ds.set("SOPInstanceUID", `2.25.8888.${instance}`);
  ds.set("PixelData", all, { vr: "OW" });
  return ds;
}

/**
 * `ds` with its Pixel Data replaced by encapsulated `fragments` (one per frame, an empty
 * Basic Offset Table) and a new file meta saying `transferSyntax`.
 */
export function encapsulate(ds: Dataset, fragments: Uint8Array[], transferSyntax: string): Dataset {
  const positions: number[] = [];
  let at = 0;
  for (const frag of fragments) {
    positions.push(at);
    at += 8 + frag.length;
  }
  ds.delete("PixelData");
  const el = new DataElement(0x7fe00010, "OB");
  el.encapsulated = {
    basicOffsetTable: new Uint32Array(0),
    fragments,
    fragmentPositions: positions,
  };
  ds.add(el);
  const meta = new Dataset();
  meta.set(0x00020010, transferSyntax, { vr: "UI" });
  ds.fileMeta = meta;
  return ds;
}

/** A slice whose pixel data is "compressed" as MPEG2 (a syntax the toolkit cannot decode). */
export function mpeg2Slice(index: number): Dataset {
  const mpeg2 = new Uint8Array([0, 0, 1, 0xb3, 1, 2, 3, 4]);
  return encapsulate(slice(index), [mpeg2], "1.2.840.10008.1.2.4.100");
}

/** Writes each dataset as `IM000001`, `IM000002`... in `dir`; returns the paths. */
export function writeFiles(dir: string, datasets: Dataset[]): string[] {
  Deno.mkdirSync(dir, { recursive: true });
  return datasets.map((ds, i) => {
    const path = `${dir}/IM${String(i + 1).padStart(6, "0")}`;
    Deno.writeFileSync(path, write(ds));
    return path;
  });
}

/** Every file and symlink below `dir`, relative, sorted. */
export function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...listFiles(`${dir}/${e.name}`, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Every file below `dir`, relative path → bytes. */
export function readTree(dir: string): Map<string, Uint8Array> {
  return new Map(listFiles(dir).map((p) => [p, Deno.readFileSync(`${dir}/${p}`)]));
}

/** The gray samples of an 8- or 16-bit grayscale PNG, decoded by pngjs. */
export function pngGray(bytes: Uint8Array): { width: number; height: number; data: number[] } {
  const png = PNG.sync.read(Buffer.from(bytes), { skipRescale: true });
  const data: number[] = [];
  for (let i = 0; i < png.data.length; i += 4) data.push(png.data[i]);
  return { width: png.width, height: png.height, data };
}

/**
 * pydicom 2.3's `apply_windowing` (LINEAR) on the phantom's HU values, with the output
 * range of the phantom's dataset (12 bits stored, unsigned, intercept -1024: -1024..3071).
 */
export function phantomWindow(
  index: number,
  options: { size: number; slices?: number; center: number; width: number },
): Float64Array {
  const hu = phantomHU(index, { size: options.size, slices: options.slices });
  const c = options.center - 0.5, w = options.width - 1;
  const yMin = -1024, yMax = 3071;
  const out = new Float64Array(hu.length);
  for (let i = 0; i < hu.length; i++) {
    const x = hu[i];
    out[i] = x <= c - w / 2 ? yMin : x > c + w / 2 ? yMax : ((x - c) / w + 0.5) * (yMax - yMin) +
      yMin;
  }
  return out;
}

/** The tutorial's `np.uint8(np.maximum(x, 0) / x.max() * 255.0)`. */
export function tutorial(x: Float64Array): number[] {
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  return Array.from(x, (v) => (v > 0 ? Math.trunc(v / m * 255.0) : 0));
}

/** Runs `cmd` under a pseudo-terminal with `script`, when it is installed. */
export async function runInTerminal(args: string[]): Promise<string | undefined> {
  const quoted = [Deno.execPath(), "run", "-A", SCRIPT, ...args]
    .map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  try {
    const out = await new Deno.Command("script", {
      args: ["-qefc", quoted, "/dev/null"],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    return new TextDecoder().decode(out.stdout);
  } catch {
    return undefined;
  }
}

/** True when the process runs as root (which ignores file permissions). */
export function isRoot(): boolean {
  return Deno.build.os !== "windows" && Deno.uid() === 0;
}

/**
 * Makes `dir` read-only even for root where possible: `chattr +i` as root (ext2/3/4,
 * xfs, btrfs), `chmod 555` otherwise. Returns the undo, or undefined when it could not.
 */
export function makeReadOnly(dir: string): (() => void) | undefined {
  if (!isRoot()) {
    Deno.chmodSync(dir, 0o555);
    return () => Deno.chmodSync(dir, 0o755);
  }
  try {
    const r = new Deno.Command("chattr", { args: ["+i", dir], stderr: "null" }).outputSync();
    if (!r.success) return undefined;
  } catch {
    return undefined;
  }
  return () => {
    new Deno.Command("chattr", { args: ["-i", dir] }).outputSync();
  };
}

/**
 * An 8-bit MONOCHROME2 multi-frame instance in JPEG Baseline, one fragment per frame;
 * the frames listed in `broken` hold garbage instead of a JPEG stream.
 */
export function jpegFrames(frames: number, size: number, broken: number[]): Dataset {
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7.2");
  ds.set("SOPInstanceUID", `2.25.5555${frames}${broken.join("")}`);
  ds.set("PatientID", "JPEG");
  ds.set("StudyDate", "20240101");
  ds.set("Modality", "OT");
  ds.set("StudyInstanceUID", "2.25.5556");
  ds.set("SeriesInstanceUID", "2.25.5557");
  ds.set("SeriesNumber", 1);
  ds.set("InstanceNumber", 1);
  ds.set("SamplesPerPixel", 1);
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("NumberOfFrames", frames);
  ds.set("Rows", size);
  ds.set("Columns", size);
  ds.set("BitsAllocated", 8);
  ds.set("BitsStored", 8);
  ds.set("HighBit", 7);
  ds.set("PixelRepresentation", 0);
  const fragments: Uint8Array[] = [];
  for (let f = 0; f < frames; f++) {
    const pixels = Uint8Array.from({ length: size * size }, (_, i) => (i * (f + 1)) & 0xff);
    let bytes = broken.includes(f)
      ? new Uint8Array(64).fill(0x5a)
      : encodeJpeg(pixels, { width: size, height: size, quality: 90 });
    if (bytes.length % 2) bytes = Uint8Array.from([...bytes, 0]);
    fragments.push(bytes);
  }
  return encapsulate(ds, fragments, JPEG_BASELINE);
}
