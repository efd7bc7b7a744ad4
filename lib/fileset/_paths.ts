/**
 * File IDs to paths under the file-set root (case-insensitive match, no escape from the
 * root), and errors that name the file.
 *
 * @module
 */

import { DicomError } from "../core/errors.ts";
import { join, sep } from "node:path";
import { exists } from "../io/files.ts";

export function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** True when a File ID has a `..` component, which would lead outside the file-set root. */
export function leavesRoot(components: readonly string[]): boolean {
  return components.some((c) => c.split(/[\\/]/).includes(".."));
}

/**
 * The path of a File ID under the root; when it does not exist as written, a
 * case-insensitive match of each component (media written on other systems). A File ID
 * with `..` components (never valid, PS3.10 8.5) stays under the root: each `..`
 * becomes `__`, so no file outside the file-set is ever read.
 */
export function locate(root: string, components: readonly string[]): string {
  if (leavesRoot(components)) {
    const inside = components.map((c) =>
      c.split(/[\\/]/).map((part) => part === ".." ? "__" : part).join(sep)
    );
    return join(root, ...inside);
  }
  const direct = join(root, ...components);
  if (exists(direct)) return direct;
  let dir = root;
  for (const c of components) {
    let found: string | undefined;
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.name.toUpperCase() === c.toUpperCase()) {
          found = entry.name;
          break;
        }
      }
    } catch {
      return direct;
    }
    if (found === undefined) return direct;
    dir = join(dir, found);
  }
  return dir;
}

/** The same error class and location, with the file's path in front of the message. */
export function withPath(e: unknown, path: string): unknown {
  if (!(e instanceof DicomError) || e.message.includes(path)) return e;
  const Ctor = e.constructor as new (
    message: string,
    location: object,
    o: ErrorOptions,
  ) => DicomError;
  const err = new Ctor(`${path}: ${e.message}`, {}, { cause: e });
  Object.assign(err, { offset: e.offset, tag: e.tag, frame: e.frame });
  return err;
}

/** The DICOMDIR of a folder (`DICOMDIR` in any case), if it has one. */
export function findDicomdir(folder: string): string | undefined {
  const direct = join(folder, "DICOMDIR");
  if (exists(direct)) return direct;
  for (const e of Deno.readDirSync(folder)) {
    if (e.isFile && e.name.toUpperCase() === "DICOMDIR") return join(folder, e.name);
  }
  return undefined;
}
