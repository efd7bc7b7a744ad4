/**
 * The large multi-frame file of `deferred_frame_bench.ts`: 300 frames of 1024x1024,
 * 16-bit, uncompressed (629 MB of pixel data), written once into the temp folder.
 *
 * @module
 */
import { Dataset } from "../lib/dataset/dataset.ts";
import { write } from "../lib/io/write.ts";

/** Frames, rows and columns of the file. */
export const FRAMES = 300, ROWS = 1024, COLUMNS = 1024;

/** Where the file is kept between runs (never in the repository). */
export const BIG_FILE = `${
  Deno.env.get("TMPDIR") ?? "/tmp"
}/dicom-deno-bench/deferred_${FRAMES}x${ROWS}x${COLUMNS}.dcm`;

/** Pixel `i` of frame `f`. */
export function pixelValue(f: number, i: number): number {
  return (f * 211 + i) & 0xffff;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Writes the file unless it is there; returns its path. */
export function bigFile(): string {
  if (exists(BIG_FILE)) return BIG_FILE;
  Deno.mkdirSync(BIG_FILE.slice(0, BIG_FILE.lastIndexOf("/")), { recursive: true });
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.13.1.3"); // Breast Tomosynthesis
  ds.set("SOPInstanceUID", "1.2.826.0.1.3680043.8.498.1");
  ds.set("SamplesPerPixel", 1);
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("NumberOfFrames", FRAMES);
  ds.set("Rows", ROWS);
  ds.set("Columns", COLUMNS);
  ds.set("BitsAllocated", 16);
  ds.set("BitsStored", 16);
  ds.set("HighBit", 15);
  ds.set("PixelRepresentation", 0);
  const head = write(ds);
  const perFrame = ROWS * COLUMNS;
  const length = FRAMES * perFrame * 2;
  // (7FE0,0010) OW, explicit VR little endian: tag, VR, 2 reserved bytes, 4-byte length
  const el = new Uint8Array(12);
  const dv = new DataView(el.buffer);
  dv.setUint16(0, 0x7fe0, true);
  dv.setUint16(2, 0x0010, true);
  el.set([0x4f, 0x57], 4);
  dv.setUint32(8, length, true);
  const tmp = `${BIG_FILE}.${Deno.pid}.tmp`;
  const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    writeAll(file, head);
    writeAll(file, el);
    const frame = new Uint16Array(perFrame);
    for (let f = 0; f < FRAMES; f++) {
      for (let i = 0; i < perFrame; i++) frame[i] = pixelValue(f, i);
      writeAll(file, new Uint8Array(frame.buffer));
    }
  } finally {
    file.close();
  }
  Deno.renameSync(tmp, BIG_FILE);
  return BIG_FILE;
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
}
