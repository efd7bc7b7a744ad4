/**
 * Synchronous start-up of an Emscripten-built WebAssembly codec, so that `Codec.decode`
 * can stay synchronous: the `.wasm` file is read and compiled with the synchronous
 * WebAssembly API and handed to the Emscripten factory through its `instantiateWasm`
 * hook, which makes the factory finish its start-up before it returns.
 *
 * Shared by the WebAssembly decoders (`lib/pixels/codecs`) and the JPEG encoder
 * (`lib/image/jpeg.ts`); not part of the public API.
 *
 * @module
 */

import { UnsupportedError } from "../core/errors.ts";

/** What an Emscripten module prints, one line per call. */
export type PrintSink = (line: string) => void;

/** The options of an Emscripten `MODULARIZE` factory that this helper uses. */
interface EmscriptenModuleArg {
  print: PrintSink;
  printErr: PrintSink;
  instantiateWasm: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => unknown,
  ) => WebAssembly.Exports;
  calledRun?: boolean;
}

/** An Emscripten `MODULARIZE` factory, as the npm packages export it. */
export type EmscriptenFactory = (moduleArg: object) => Promise<unknown>;

const compiled = new Map<string, WebAssembly.Module>();

/**
 * Instantiates `factory` with the WebAssembly binary at `wasmUrl` (a `file:` URL, as
 * `import.meta.resolve` gives for an `npm:` specifier), synchronously. Everything the
 * module prints goes to `print` instead of the console. The compiled module is cached, so
 * a second instance (after a WebAssembly trap) is cheap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type EmscriptenFactory, instantiateSync } from "./emscripten.ts";
 * import factory from "npm:@cornerstonejs/codec-charls@1.2.7/decodewasmjs";
 * const wasmUrl = import.meta.resolve("npm:@cornerstonejs/codec-charls@1.2.7/decodewasm");
 * const charls = instantiateSync<{ JpegLSDecoder: unknown }>(
 *   factory as EmscriptenFactory,
 *   wasmUrl,
 *   () => {},
 * );
 * assert.equal(typeof charls.JpegLSDecoder, "function"); // ready at once, no await
 * ```
 */
export function instantiateSync<T>(
  factory: EmscriptenFactory,
  wasmUrl: string,
  print: PrintSink,
): T {
  let wasm = compiled.get(wasmUrl);
  if (!wasm) {
    wasm = new WebAssembly.Module(Deno.readFileSync(new URL(wasmUrl)));
    compiled.set(wasmUrl, wasm);
  }
  const module = wasm;
  const moduleArg: EmscriptenModuleArg = {
    print,
    printErr: print,
    instantiateWasm(imports, receive) {
      const instance = new WebAssembly.Instance(module, imports);
      receive(instance, module);
      return instance.exports;
    },
  };
  let failure: unknown;
  factory(moduleArg).catch((e) => failure = e);
  if (!moduleArg.calledRun) {
    throw new UnsupportedError(
      `webassembly module ${wasmUrl} did not start synchronously`,
      {},
      { cause: failure },
    );
  }
  return moduleArg as unknown as T;
}
