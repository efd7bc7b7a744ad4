/**
 * `pixelArray(ds, { out })`: pixels decoded into the caller's array when it has the
 * right type and length (native and compressed data), a new array otherwise.
 */
import assert from "node:assert/strict";
import { read } from "../lib/io/read.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { CORPUS_FILES, corpusMissing } from "./_corpus.ts";

Deno.test("pixelArray out: native pixels land in the given array", () => {
  const ds = makeCtSlice(3, { size: 64 });
  const want = pixelArray(ds);
  const out = new Uint16Array(64 * 64).fill(0xffff);
  const got = pixelArray(ds, { out });
  assert.equal(got.data, out);
  assert.deepEqual(got.data, want.data);
  assert.deepEqual(got.shape, want.shape);
  // a second slice into the same array: its own values
  const other = makeCtSlice(7, { size: 64 });
  assert.deepEqual(pixelArray(other, { out }).data, pixelArray(other).data);
  // wrong length or type: a new array, out untouched
  const short = new Uint16Array(10).fill(7);
  assert.notEqual(pixelArray(ds, { out: short }).data, short);
  assert.deepEqual(short, new Uint16Array(10).fill(7));
  const signed = new Int16Array(64 * 64);
  assert.notEqual(pixelArray(ds, { out: signed }).data, signed);
  assert.deepEqual(signed, new Int16Array(64 * 64));
});

Deno.test("pixelArray out: a compressed frame is copied into the given array", () => {
  if (corpusMissing()) return;
  const ds = read(`${CORPUS_FILES}/MR_small_RLE.dcm`);
  const want = pixelArray(ds);
  const out = new (want.data.constructor as Int16ArrayConstructor)(want.data.length);
  const got = pixelArray(ds, { out });
  assert.equal(got.data, out);
  assert.deepEqual(got.data, want.data);
});
