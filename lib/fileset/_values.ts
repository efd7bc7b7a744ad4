/**
 * Element values as text or a number, and keywords to tags, for the file-set records.
 *
 * @module
 */

import type { TagOrKeyword } from "../dataset/dataset.ts";
import type { ElementValue } from "../dataset/element.ts";
import { tagForKeyword } from "../dictionary/mod.ts";

export function text(v: ElementValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return "";
  if (Array.isArray(v)) return v.map((x) => String(x ?? "")).join("\\");
  return String(v);
}

export function resolveTag(key: TagOrKeyword): number | undefined {
  return typeof key === "number" ? key >>> 0 : tagForKeyword(key);
}
