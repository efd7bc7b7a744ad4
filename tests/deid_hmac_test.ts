import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { HmacSha256, sha256 } from "../lib/deid/_hmac.ts";

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** Deterministic bytes (a linear congruential sequence), so a failure can be replayed. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

Deno.test("sha256 gives node:crypto's digest for every length around the block edges", () => {
  assert.equal(
    hex(sha256(new TextEncoder().encode("abc"))),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  for (let n = 0; n <= 200; n++) {
    const data = bytes(n, n + 1);
    assert.deepEqual(
      sha256(data),
      new Uint8Array(createHash("sha256").update(data).digest()),
      `n=${n}`,
    );
  }
});

Deno.test("HmacSha256 gives node:crypto's HMAC for short, block-long and long keys", () => {
  // RFC 4231 test case 2
  assert.equal(
    hex(
      new HmacSha256(new TextEncoder().encode("Jefe")).digest(
        new TextEncoder().encode("what do ya want for nothing?"),
      ),
    ),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
  for (const keyLength of [1, 16, 32, 63, 64, 65, 100, 200]) {
    const key = bytes(keyLength, keyLength * 7);
    const hmac = new HmacSha256(key);
    for (const n of [0, 1, 30, 55, 56, 63, 64, 65, 119, 120, 150, 300]) {
      const data = bytes(n, n * 13 + keyLength);
      assert.deepEqual(
        hmac.digest(data),
        new Uint8Array(createHmac("sha256", key).update(data).digest()),
        `key ${keyLength}, data ${n}`,
      );
    }
  }
});
