/**
 * `node:zlib` for the Deflated Explicit VR Little Endian transfer syntax, loaded at its
 * first use: importing it starts Deno's Node layer (about 25 ms), which every process that
 * reads or writes DICOM would otherwise pay for a transfer syntax few files use.
 *
 * @module
 */

import { UnsupportedError } from "../core/errors.ts";

type Zlib = typeof import("node:zlib");

/** The part of Node's `process` this module uses (`getBuiltinModule`, Node 22.3+, Deno 2). */
interface ProcessWithBuiltins {
  getBuiltinModule(id: "node:zlib"): Zlib;
}

let zlib: Zlib | undefined;

/**
 * `node:zlib`, synchronously, loaded on the first call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeZlib } from "./_zlib.ts";
 * const { deflateRawSync, inflateRawSync } = nodeZlib();
 * const text = new TextEncoder().encode("DICOM DICOM DICOM");
 * assert.deepEqual(new Uint8Array(inflateRawSync(deflateRawSync(text))), text);
 * ```
 */
export function nodeZlib(): Zlib {
  if (zlib) return zlib;
  const process = (globalThis as unknown as { process?: Partial<ProcessWithBuiltins> }).process;
  if (typeof process?.getBuiltinModule !== "function") {
    throw new UnsupportedError(
      "the deflated transfer syntax needs node:zlib through process.getBuiltinModule, " +
        "which this runtime lacks: use a current Deno 2",
    );
  }
  zlib = process.getBuiltinModule("node:zlib");
  return zlib;
}
