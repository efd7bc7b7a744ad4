/**
 * Test-local helpers for the codec tests: the frames of an encapsulated corpus file and
 * its `FrameInfo`, taken straight from the bytes and `manifest.tsv`, so that the codec
 * tests do not depend on the dataset reader.
 */
import type { FrameInfo } from "../lib/pixels/codecs/types.ts";
import { CORPUS, type ManifestRow, type NpyArray, ORACLE, oracleJson, readNpy } from "./_corpus.ts";

const ITEM = 0xe000fffe;
const SEQ_DELIM = 0xe0ddfffe;

interface Item {
  start: number;
  length: number;
}

/** Items (start, length) of the encapsulated value beginning at `at`, up to the delimiter. */
function items(bytes: Uint8Array, at: number): Item[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Item[] = [];
  while (at + 8 <= bytes.length) {
    const tag = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (tag === SEQ_DELIM) return out;
    if (tag !== ITEM || at + 8 + length > bytes.length) return null;
    out.push({ start: at + 8, length });
    at += 8 + length;
  }
  return null;
}

/**
 * The frames of the last encapsulated (7FE0,0010) element in `bytes`: the basic offset
 * table when present, else one fragment per frame when the counts match, else split at
 * codestream starts (`startMarker`), else all fragments as one frame.
 */
export function encapsulatedFrames(
  bytes: Uint8Array,
  nFrames: number,
  startMarker?: number[],
): Uint8Array[] {
  let found: Item[] | null = null;
  for (let i = bytes.length - 12; i >= 0; i--) {
    if (bytes[i] !== 0xe0 || bytes[i + 1] !== 0x7f || bytes[i + 2] !== 0x10 || bytes[i + 3]) {
      continue;
    }
    // Explicit VR (OB/OW, 2 reserved bytes) or implicit VR, then 0xFFFFFFFF.
    const explicit = bytes[i + 4] === 0x4f && (bytes[i + 5] === 0x42 || bytes[i + 5] === 0x57);
    const lenAt = explicit ? i + 8 : i + 4;
    if (
      bytes[lenAt] !== 0xff || bytes[lenAt + 1] !== 0xff || bytes[lenAt + 2] !== 0xff ||
      bytes[lenAt + 3] !== 0xff
    ) continue;
    found = items(bytes, lenAt + 4);
    if (found) break;
  }
  if (!found || found.length === 0) throw new Error("no encapsulated pixel data found");
  const [bot, ...fragments] = found;
  const frag = (f: Item) => bytes.subarray(f.start, f.start + f.length);
  const join = (list: Item[]) => {
    const total = list.reduce((n, f) => n + f.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const f of list) {
      out.set(frag(f), at);
      at += f.length;
    }
    return out;
  };
  if (nFrames === 1) return [join(fragments)];
  if (bot.length >= 4 * nFrames) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + bot.start, bot.length);
    const offsets = Array.from({ length: nFrames }, (_, k) => view.getUint32(4 * k, true));
    // Fragment positions relative to the first fragment's item tag.
    const base = fragments[0].start - 8;
    return offsets.map((off, k) => {
      const end = k + 1 < nFrames ? offsets[k + 1] : Infinity;
      return join(fragments.filter((f) => f.start - 8 - base >= off && f.start - 8 - base < end));
    });
  }
  if (fragments.length === nFrames) return fragments.map(frag);
  if (startMarker) {
    const groups: Item[][] = [];
    for (const f of fragments) {
      const head = frag(f);
      if (!groups.length || startMarker.every((b, k) => head[k] === b)) groups.push([]);
      groups[groups.length - 1].push(f);
    }
    if (groups.length === nFrames) return groups.map(join);
  }
  throw new Error(`cannot split ${fragments.length} fragments into ${nFrames} frames`);
}

/** `FrameInfo` from a manifest row. */
export function frameInfoOf(row: ManifestRow): FrameInfo {
  const [rows, columns] = row.rows_x_cols.split("x").map(Number);
  return {
    rows,
    columns,
    samplesPerPixel: Number(row.samples_per_pixel),
    bitsAllocated: Number(row.bits_allocated),
    bitsStored: Number(row.bits_stored),
    pixelRepresentation: Number(row.pixel_representation),
    planarConfiguration: Number(row.planar_configuration || 0),
    photometricInterpretation: row.photometric,
  };
}

/** Reads the corpus file of a manifest row (path relative to the corpus root). */
export function readCorpusFile(row: ManifestRow): Uint8Array {
  return Deno.readFileSync(`${CORPUS}/${row.path}`);
}

/** Max absolute difference between two equal-length numeric arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) max = d;
  }
  return max;
}

/** The oracle `pixel_array` of a manifest row, as read from `oracle/dev`. */
export function oraclePixels(row: ManifestRow): NpyArray {
  const name = row.path.replace(/^files\/dev\//, "");
  const json = oracleJson(name) as { arrays: Record<string, { file: string }> };
  return readNpy(`${ORACLE}/${json.arrays.pixel_array.file}`);
}

/** Index of the first differing element, or -1 when equal (lengths must match). */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
