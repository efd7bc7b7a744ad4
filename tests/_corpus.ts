/**
 * Test helpers for the shared corpus in `../shared/corpus`: where it is, whether to skip,
 * and readers for pydicom's oracle files.
 *
 * In CI (`CI=true`) a missing corpus is a failure; elsewhere the tests that need it are
 * skipped with a loud notice.
 */
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { exists } from "../lib/io/files.ts";

/** Absolute path of `../shared/corpus`, beside the repository. */
export const CORPUS = fileURLToPath(new URL("../../shared/corpus", import.meta.url));
/** `files/dev` inside the corpus. */
export const CORPUS_FILES = `${CORPUS}/files/dev`;
/** `oracle/dev` inside the corpus. */
export const ORACLE = `${CORPUS}/oracle/dev`;

let warned = false;

/**
 * True when the corpus tests must be skipped. Throws in CI when the corpus is absent;
 * prints a loud notice once elsewhere.
 */
export function corpusMissing(): boolean {
  if (exists(CORPUS_FILES)) return false;
  if (Deno.env.get("CI") === "true") {
    throw new Error(`corpus not found at ${CORPUS}: CI needs ../shared/corpus beside the repo`);
  }
  if (!warned) {
    warned = true;
    console.warn(
      `\n!!! ../shared/corpus not found at ${CORPUS}: SKIPPING corpus conformance tests !!!\n`,
    );
  }
  return true;
}

/** One row of `manifest.tsv`, keyed by its header. */
export type ManifestRow = Record<string, string>;

/** Reads `manifest.tsv` into rows keyed by column name. */
export function manifest(): ManifestRow[] {
  const lines = Deno.readTextFileSync(`${CORPUS}/manifest.tsv`).split("\n").filter((l) => l);
  const head = lines[0].split("\t");
  return lines.slice(1).map((line) => {
    const cells = line.split("\t");
    const row: ManifestRow = {};
    head.forEach((h, i) => row[h] = cells[i] ?? "");
    return row;
  });
}

/** An oracle array: numpy's dtype string, its shape, and the values. */
export interface NpyArray {
  dtype: string;
  shape: number[];
  data:
    | Uint8Array
    | Int8Array
    | Uint16Array
    | Int16Array
    | Uint32Array
    | Int32Array
    | Float32Array
    | Float64Array
    | BigInt64Array
    | BigUint64Array;
}

/** Parses a little-endian C-order `.npy` (optionally gzipped) into a typed array. */
export function readNpy(path: string): NpyArray {
  let bytes = Deno.readFileSync(path);
  if (path.endsWith(".gz")) bytes = new Uint8Array(gunzipSync(bytes));
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const fortran = /'fortran_order':\s*True/.test(header);
  if (fortran) throw new Error(`${path}: fortran order not supported`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)![1];
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s).map(Number);
  const body = bytes.slice(start + headerLen);
  const buf = body.buffer;
  const dtype = descr.replace(/^[<|=]/, "");
  if (descr.startsWith(">")) throw new Error(`${path}: big-endian npy not supported`);
  switch (dtype) {
    case "u1":
    case "b1":
      return { dtype, shape, data: new Uint8Array(buf) };
    case "i1":
      return { dtype, shape, data: new Int8Array(buf) };
    case "u2":
      return { dtype, shape, data: new Uint16Array(buf) };
    case "i2":
      return { dtype, shape, data: new Int16Array(buf) };
    case "u4":
      return { dtype, shape, data: new Uint32Array(buf) };
    case "i4":
      return { dtype, shape, data: new Int32Array(buf) };
    case "f4":
      return { dtype, shape, data: new Float32Array(buf) };
    case "f8":
      return { dtype, shape, data: new Float64Array(buf) };
    case "i8":
      return { dtype, shape, data: new BigInt64Array(buf) };
    case "u8":
      return { dtype, shape, data: new BigUint64Array(buf) };
  }
  throw new Error(`${path}: unsupported npy dtype ${descr}`);
}

/** The oracle JSON summary of corpus file `name` (path relative to `files/dev`). */
export function oracleJson(name: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(`${ORACLE}/${name}.json`));
}
