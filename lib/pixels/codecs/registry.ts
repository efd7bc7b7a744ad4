/**
 * The codec registry: which decoder serves which codec family of the transfer syntax
 * table (`lib/core/transfer_syntax.ts`). Adding a codec is one module in this folder and
 * one line in `CODECS`.
 *
 * @module
 */

import type { Codec } from "./types.ts";
import { type CodecFamily, transferSyntax } from "../../core/transfer_syntax.ts";
import { rleLossless } from "./rle.ts";
import { jpegLs } from "./jpeg_ls.ts";
import { jpeg2000 } from "./jpeg_2000.ts";
import { jpegBaseline, jpegExtended, jpegLossless } from "./jpeg/mod.ts";

/** Every registered codec. */
export const CODECS: readonly Codec[] = [
  rleLossless,
  jpegBaseline,
  jpegExtended,
  jpegLossless,
  jpegLs,
  jpeg2000,
];

const BY_FAMILY = new Map<CodecFamily, Codec>();
for (const codec of CODECS) for (const family of codec.families) BY_FAMILY.set(family, codec);

/**
 * The codec for a transfer syntax UID, or undefined (native pixel data needs none; some
 * encapsulated syntaxes have no decoder here).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codecFor } from "../mod.ts";
 * assert.equal(codecFor("1.2.840.10008.1.2.5")?.name, "RLE Lossless");
 * assert.equal(codecFor("1.2.840.10008.1.2.1"), undefined);
 * ```
 */
export function codecFor(uid: string): Codec | undefined {
  const family = transferSyntax(uid)?.family;
  return family === undefined ? undefined : BY_FAMILY.get(family);
}
