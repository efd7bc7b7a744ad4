/**
 * Absolute paths without starting Node's `process` (kept apart from `files.ts`, which the
 * DICOMweb client loads and which needs no Node module).
 *
 * @module
 */

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The absolute path of a path (relative to the working folder) or `file:` URL. Node's
 * `resolve` of a relative path asks `process.cwd()`, whose first call starts Node's
 * `process` (about 12 ms of every script's start-up); the working folder comes from Deno.
 * Internal: not exported from `./io`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { absolutePath } from "./absolute_path.ts";
 * assert.equal(absolutePath("a/../b"), `${Deno.cwd()}/b`);
 * assert.equal(absolutePath(new URL("file:///tmp/x%20y")), "/tmp/x y");
 * ```
 */
export function absolutePath(path: string | URL): string {
  return resolve(Deno.cwd(), path instanceof URL ? fileURLToPath(path) : path);
}
