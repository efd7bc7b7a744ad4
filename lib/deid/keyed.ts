/**
 * Keyed, deterministic replacements: UIDs into `2.25.` UIDs, patient pseudonyms and the
 * per-patient date offset, all from HMAC-SHA-256 under a secret key. The same key and
 * input give the same output in every file and every run; without the key the originals
 * cannot be recomputed or guessed from a list of candidates.
 *
 * @module
 */

import { HmacSha256 } from "./_hmac.ts";

const utf8 = new TextEncoder();

/** A secret key: bytes, or text (its UTF-8 bytes). */
export type DeidKey = Uint8Array | string;

/**
 * The key of a de-identification job and what it made: keyed UIDs, hex digests and
 * numbers, each remembered (the key itself is copied and never shown).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Keyed } from "./mod.ts";
 * const keyed = new Keyed("secret");
 * assert.equal(keyed.uid("1.2.3"), keyed.uid("1.2.3"));
 * assert.match(keyed.hex("patient", "MRN1", 12), /^[0-9A-F]{12}$/);
 * assert.equal(keyed.u32("days", "MRN1"), new Keyed("secret").u32("days", "MRN1"));
 * ```
 */
export class Keyed {
  #hmac: HmacSha256;
  #uids = new Map<string, string>();

  /** A keyed mapper; the key is not kept, only the HMAC states it gives. */
  constructor(key: DeidKey) {
    const bytes = typeof key === "string" ? new TextEncoder().encode(key) : key;
    if (bytes.length === 0) throw new TypeError("the de-identification key is empty");
    this.#hmac = new HmacSha256(bytes);
  }

  #digests = new Map<string, Uint8Array>();

  /** HMAC-SHA-256 of `purpose` and `text` under the key (remembered: a copy is returned). */
  digest(purpose: string, text: string): Uint8Array {
    const id = `${purpose}\u0000${text}`;
    let d = this.#digests.get(id);
    if (!d) {
      d = this.#hmac.digest(utf8.encode(id));
      if (this.#digests.size > 100_000) this.#digests.clear();
      this.#digests.set(id, d);
    }
    return d.slice();
  }

  /** The replacement of a UID: a `2.25.` UID from a version 8 UUID of its HMAC. */
  uid(uid: string): string {
    let out = this.#uids.get(uid);
    if (out === undefined) {
      if (this.#uids.size > 1_000_000) this.#uids.clear();
      const h = this.digest("uid", uid).subarray(0, 16);
      h[6] = (h[6] & 0x0f) | 0x80; // UUID version 8 (custom)
      h[8] = (h[8] & 0x3f) | 0x80; // RFC 9562 variant
      let n = 0n;
      for (const b of h) n = (n << 8n) | BigInt(b);
      out = `2.25.${n}`;
      this.#uids.set(uid, out);
    }
    return out;
  }

  /** Uppercase hex of the HMAC, `length` characters. */
  hex(purpose: string, text: string, length: number): string {
    let s = "";
    for (const b of this.digest(purpose, text)) s += b.toString(16).padStart(2, "0");
    return s.slice(0, length).toUpperCase();
  }

  /** An unsigned 32-bit number from the HMAC. */
  u32(purpose: string, text: string): number {
    const h = this.digest(purpose, text);
    return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
  }
}

/**
 * The keyed replacement of a UID: `2.25.` and the decimal of a UUID (version 8) made
 * from HMAC-SHA-256 of the UID under the key. Deterministic: the same UID and key give
 * the same new UID, so references between files still resolve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyedUid } from "./mod.ts";
 * const a = keyedUid("1.2.3.4", "secret");
 * assert.equal(a, keyedUid("1.2.3.4", "secret"));
 * assert.notEqual(a, keyedUid("1.2.3.4", "another key"));
 * assert.match(a, /^2\.25\.\d{1,39}$/);
 * ```
 */
export function keyedUid(uid: string, key: DeidKey): string {
  return new Keyed(key).uid(uid);
}

/**
 * A new random key (32 bytes): outputs made with it cannot be linked to later runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomKey } from "./mod.ts";
 * assert.equal(randomKey().length, 32);
 * ```
 */
export function randomKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}
