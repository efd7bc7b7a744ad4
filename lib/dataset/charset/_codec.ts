/**
 * The contract of an emulated Python codec.
 *
 * @module
 */

/**
 * A Python codec. `decode` returns null on the first error when `strict`, or
 * replaces bad bytes with U+FFFD as Python's `errors="replace"` does. `encode`
 * takes code points and returns bytes, or, when `strict`, the index of the first
 * code point it cannot encode; otherwise it writes `?` for those.
 */
export interface PyCodec {
  decode(b: Uint8Array, strict: boolean): string | null;
  encode(cps: readonly number[], strict: boolean): number[] | number;
}
