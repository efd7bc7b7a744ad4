/**
 * Code tables read out of the WHATWG decoders of `TextDecoder`, cell by cell.
 *
 * @module
 */

import { DicomError } from "../../core/errors.ts";
export const UNDEFINED = 0xffff;

/** 256 code points of a WHATWG single-byte decoder; undefined bytes are 0xFFFF. */
export function whatwgSingleByte(label: string): Uint16Array {
  const bytes = new Uint8Array(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  const text = new TextDecoder(label).decode(bytes);
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    const c = text.charCodeAt(i);
    table[i] = c === 0xfffd ? UNDEFINED : c;
  }
  return table;
}

/**
 * Decodes `count` fixed-length byte sequences with a WHATWG decoder, one code
 * point each; undecodable sequences become 0 unless the table is `complete` (has
 * a genuine U+FFFD cell).
 */
export function whatwgCells(
  label: string,
  count: number,
  seq: (i: number) => number[],
  complete = false,
): Uint32Array {
  const first = seq(0);
  const width = first.length;
  const bytes = new Uint8Array(count * width);
  for (let i = 0; i < count; i++) bytes.set(seq(i), i * width);
  const text = new TextDecoder(label).decode(bytes);
  const table = new Uint32Array(count);
  let i = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    table[i++] = c === 0xfffd && !complete ? 0 : c;
  }
  if (i !== count) {
    throw new DicomError(`internal: ${label} table has ${i} cells instead of ${count}`);
  }
  return table;
}
