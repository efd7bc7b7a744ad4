/**
 * Test-local helper: pulls the compressed frames out of the encapsulated Pixel Data
 * (7FE0,0010) of a little-endian Part 10 file, without a dataset reader.
 *
 * It scans for the Pixel Data tag with an undefined length (explicit VR `OB` or implicit
 * VR), reads the items that follow (basic offset table, then fragments) and joins the
 * fragments of each frame.
 */

/** The encapsulated Pixel Data of a file: the offset table and the fragments. */
export interface Encapsulated {
  /** Basic Offset Table entries (empty when the table is empty). */
  offsets: number[];
  /** Each fragment's bytes, with its offset from the first fragment item's tag. */
  fragments: { offset: number; bytes: Uint8Array }[];
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24) >>> 0;
}

/** Parses the item list starting at `at`; null when it is not a well-formed sequence. */
function parseItems(bytes: Uint8Array, at: number): Encapsulated | null {
  const items: { offset: number; bytes: Uint8Array }[] = [];
  let pos = at;
  let firstFragment = -1;
  while (pos + 8 <= bytes.length) {
    const group = bytes[pos] | bytes[pos + 1] << 8;
    const element = bytes[pos + 2] | bytes[pos + 3] << 8;
    const length = u32(bytes, pos + 4);
    if (group !== 0xfffe) return null;
    if (element === 0xe0dd) {
      if (items.length === 0) return null;
      const bot = items[0].bytes;
      const offsets: number[] = [];
      for (let i = 0; i + 4 <= bot.length; i += 4) offsets.push(u32(bot, i));
      return { offsets, fragments: items.slice(1) };
    }
    if (element !== 0xe000 || length === 0xffffffff || pos + 8 + length > bytes.length) {
      return null;
    }
    if (items.length === 1) firstFragment = pos;
    const offset = items.length === 0 ? 0 : pos - firstFragment;
    items.push({ offset, bytes: bytes.subarray(pos + 8, pos + 8 + length) });
    pos += 8 + length;
  }
  return null;
}

/** Finds the top-level encapsulated Pixel Data (the last well-formed one in the file). */
export function findEncapsulated(bytes: Uint8Array): Encapsulated {
  let found: Encapsulated | null = null;
  for (let i = 0; i + 12 <= bytes.length; i++) {
    if (bytes[i] !== 0xe0 || bytes[i + 1] !== 0x7f || bytes[i + 2] !== 0x10 || bytes[i + 3]) {
      continue;
    }
    let start = -1;
    if (
      bytes[i + 4] === 0x4f && bytes[i + 5] === 0x42 && !bytes[i + 6] && !bytes[i + 7] &&
      u32(bytes, i + 8) === 0xffffffff
    ) {
      start = i + 12; // explicit VR OB
    } else if (u32(bytes, i + 4) === 0xffffffff) {
      start = i + 8; // implicit VR
    }
    if (start < 0) continue;
    const parsed = parseItems(bytes, start);
    if (parsed) found = parsed;
  }
  if (!found) throw new Error("no encapsulated pixel data (7FE0,0010) found");
  return found;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The compressed frames of a Part 10 file: fragments joined per frame by the offset
 * table when present, one fragment per frame when the counts agree, else all in one.
 */
export function readFrames(path: string, numberOfFrames: number): Uint8Array[] {
  const { offsets, fragments } = findEncapsulated(Deno.readFileSync(path));
  if (offsets.length === numberOfFrames && numberOfFrames > 0) {
    return offsets.map((start, i) => {
      const end = i + 1 < offsets.length ? offsets[i + 1] : Infinity;
      return concat(
        fragments.filter((f) => f.offset >= start && f.offset < end).map((f) => f.bytes),
      );
    });
  }
  if (fragments.length === numberOfFrames) return fragments.map((f) => f.bytes);
  if (numberOfFrames === 1) return [concat(fragments.map((f) => f.bytes))];
  throw new Error(
    `cannot split ${fragments.length} fragments into ${numberOfFrames} frames without an offset table`,
  );
}
