/**
 * The package's entry points, read from the "exports" of `deno.json`: one path per line
 * when run (`deno run --allow-read tools/entry_points.ts`), so that `.ci/run` and
 * `deno task doc` follow the exports as areas are added.
 *
 * @module
 */

/** What `deno.json` says about the package's exports. */
export interface PackageConfig {
  /** A single entry point, or subpaths (`"."`, `"./pixels"`, ...) to module paths. */
  exports?: string | Record<string, string>;
}

/**
 * The module paths of every export in `config`, in the order given, without `./`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entryPoints } from "./entry_points.ts";
 * assert.deepEqual(
 *   entryPoints({ exports: { ".": "./mod.ts", "./core": "./lib/core/mod.ts" } }),
 *   ["mod.ts", "lib/core/mod.ts"],
 * );
 * assert.deepEqual(entryPoints({ exports: "./mod.ts" }), ["mod.ts"]);
 * ```
 */
export function entryPoints(config: PackageConfig): string[] {
  const exports = config.exports;
  if (exports === undefined) throw new Error("deno.json has no exports");
  const paths = typeof exports === "string" ? [exports] : Object.values(exports);
  return paths.map((p) => p.replace(/^\.\//, ""));
}

/** Reads `deno.json` at `url` (the repository's by default) and gives its entry points. */
export function readEntryPoints(url: URL = new URL("../deno.json", import.meta.url)): string[] {
  return entryPoints(JSON.parse(Deno.readTextFileSync(url)) as PackageConfig);
}

if (import.meta.main) {
  const paths = readEntryPoints();
  if (paths.length === 0) throw new Error("deno.json exports no entry point");
  console.log(paths.join("\n"));
}
