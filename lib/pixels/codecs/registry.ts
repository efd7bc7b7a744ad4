/**
 * The codec registry: which decoder serves which transfer syntax UID. Adding a codec
 * is one module in this folder and one line in `CODECS`.
 *
 * @module
 */

import type { Codec } from "./types.ts";
import { rleLossless } from "./rle.ts";
import { jpegLs } from "./jpeg_ls.ts";
import { jpeg2000 } from "./jpeg_2000.ts";
import { jpegBaseline, jpegExtended, jpegLossless } from "./jpeg.ts";

/** Every registered codec. */
export const CODECS: readonly Codec[] = [
  rleLossless,
  jpegBaseline,
  jpegExtended,
  jpegLossless,
  jpegLs,
  jpeg2000,
];

const BY_UID = new Map<string, Codec>();
for (const codec of CODECS) for (const uid of codec.uids) BY_UID.set(uid, codec);

/**
 * The codec for a transfer syntax UID, or undefined.
 *
 * @example
 * ```ts
 * import { codecFor } from "../../../mod.ts";
 * console.log(codecFor("1.2.840.10008.1.2.5")?.name); // "RLE Lossless"
 * ```
 */
export function codecFor(uid: string): Codec | undefined {
  return BY_UID.get(uid);
}
