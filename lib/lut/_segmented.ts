/**
 * Expansion of Segmented Palette Color LUT Data (PS3.3 C.7.9.2): discrete, linear and
 * indirect segments.
 *
 * @module
 */

import { ValueError } from "../core/errors.ts";

/** numpy's `around`: round half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const MAX_DEPTH = 16;
/** A LUT has at most 65536 entries (its descriptor's first value, 0 meaning 65536). */
const MAX_ENTRIES = 65536;
/** Segments read in all, indirect copies included: bounds the work of looping copies. */
const MAX_SEGMENTS = 1 << 20;

/**
 * Expands segmented LUT data into its entries. `data` holds one segment value per
 * element: bytes for 8-bit entries, 16-bit words for 16-bit entries.
 *
 * - Discrete segment (0): its values are copied.
 * - Linear segment (1): `length` values from the previous entry `y0` (excluded) to `y1`
 *   (included), as pydicom: `around(linspace(y0 + (y1 - y0) / length, y1, length))`
 *   with numpy's float64 arithmetic and half-to-even rounding.
 * - Indirect segment (2): copies `count` segments found at a 32-bit offset (least
 *   significant 16 bits first). The standard makes it a byte offset from the start of
 *   the data; pydicom 2.3 takes it as an entry index, which differs for 16-bit data:
 *   here it is a byte offset, as the standard and GDCM.
 *
 * Throws `ValueError` for a linear or indirect first segment, an unknown segment type,
 * indirect segments that loop, and data that expands past 65536 entries (the most a
 * descriptor can announce) or takes more than 2^20 segments to expand: indirect segments
 * copying each other could otherwise ask for billions of entries from a few bytes.
 */
export function expandSegmentedLut(
  data: Uint8Array | Uint16Array,
  options: { tag?: number } = {},
): number[] {
  const out: number[] = [];
  const wide = data instanceof Uint16Array;
  const where = { tag: options.tag };
  let steps = 0;
  function grow(n: number): void {
    if (out.length + n > MAX_ENTRIES) {
      throw new ValueError(
        `segmented palette: expands past ${MAX_ENTRIES} entries`,
        where,
      );
    }
  }
  function run(start: number, maxSegments: number, depth: number): void {
    if (depth > MAX_DEPTH) {
      throw new ValueError("segmented palette: indirect segments nest too deep", where);
    }
    let pos = start;
    let segments = 0;
    // `pos + 1` leaves room for a trailing padding value
    while (pos + 1 < data.length) {
      const opcode = data[pos];
      const length = data[pos + 1];
      pos += 2;
      if (++steps > MAX_SEGMENTS) {
        throw new ValueError(`segmented palette: more than ${MAX_SEGMENTS} segments`, where);
      }
      if (opcode === 0) {
        const end = Math.min(pos + length, data.length);
        grow(end - pos);
        for (let i = pos; i < end; i++) out.push(data[i]);
        pos += length;
      } else if (opcode === 1) {
        if (!out.length) {
          throw new ValueError(
            "segmented palette: the first segment cannot be a linear segment",
            where,
          );
        }
        const y0 = out[out.length - 1];
        const y1 = data[pos];
        pos += 1;
        grow(length);
        if (y0 === y1) {
          for (let i = 0; i < length; i++) out.push(y1);
        } else {
          const begin = y0 + (y1 - y0) / length;
          const delta = y1 - begin;
          const div = length - 1;
          const step = div > 0 ? delta / div : NaN;
          for (let i = 0; i < length; i++) {
            let v: number;
            if (i === div && div > 0) v = y1;
            else if (div <= 0) v = i * delta + begin;
            else if (step === 0) v = (i / div) * delta + begin;
            else v = i * step + begin;
            out.push(roundHalfEven(v));
          }
        }
      } else if (opcode === 2) {
        if (!out.length) {
          throw new ValueError(
            "segmented palette: the first segment cannot be an indirect segment",
            where,
          );
        }
        let offset: number;
        if (wide) {
          offset = ((data[pos + 1] << 16) | data[pos]) >>> 0;
          pos += 2;
          offset = Math.floor(offset / 2);
        } else {
          offset = (((data[pos + 3] << 8) | data[pos + 2]) << 16 |
            ((data[pos + 1] << 8) | data[pos])) >>> 0;
          pos += 4;
        }
        run(offset, length, depth + 1);
      } else {
        throw new ValueError(`segmented palette: unknown segment type ${opcode}`, where);
      }
      segments++;
      if (segments === maxSegments) return;
    }
  }
  run(0, Infinity, 0);
  return out;
}
