/**
 * File and folder names made from tag values: the rules that keep a hostile value (`../`,
 * NUL, a Windows device name, a 10 KB string) from leaving the output folder or breaking a
 * file system, shared by every job that writes the tutorial's folder tree (convert, the
 * DICOMweb pull), and the FNV-1a hash they and convert's shards use.
 *
 * @module
 */

import type { DataElement } from "../dataset/element.ts";

const encoder = new TextEncoder();

/**
 * FNV-1a (32 bits) of the UTF-8 bytes of `text`: a short, fast, stable hash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fnv1a } from "./safe_name.ts";
 * assert.equal(fnv1a(""), 0x811c9dc5);
 * assert.equal(fnv1a("a"), 0xe40c292c);
 * ```
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(text)) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** Placeholder used for an empty or missing attribute in an output path. */
export const MISSING = "_missing_";

/** Longest path component made from a tag value, in UTF-8 bytes. */
export const MAX_COMPONENT_BYTES = 100;

/** FNV-1a of the UTF-8 bytes, as 8 hex digits: a short deterministic fingerprint. */
function fingerprint(s: string): string {
  return fnv1a(s).toString(16).padStart(8, "0");
}

/** The longest prefix of `s` of at most `bytes` UTF-8 bytes, whole code points only. */
function prefixBytes(s: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const ch of s) {
    const n = encoder.encode(ch).length;
    if (used + n > bytes) break;
    used += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

/**
 * Makes one path component safe from a tag value:
 * - `undefined`, `null`, empty or blank → {@linkcode MISSING};
 * - separators (`/`, `\`), NUL and every control character (C0, DEL, C1), and the
 *   characters Windows forbids (`: * ? " < > |`) → `_`; lone surrogates → U+FFFD;
 *   surrounding spaces trimmed;
 * - names made only of dots (`.`, `..`) → as many `_`; a trailing dot → `._`;
 *   Windows device names (`CON`, `NUL`, `COM1`...) get a leading `_`;
 * - longer than {@linkcode MAX_COMPONENT_BYTES} UTF-8 bytes → its first 80 bytes, `~`
 *   and 8 hex digits of a hash of the whole value, so distinct long values stay distinct.
 *
 * Arrays (multi-valued elements) are joined with `\` first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeComponent } from "./safe_name.ts";
 * assert.equal(safeComponent("../../etc"), ".._.._etc");
 * assert.equal(safeComponent(""), "_missing_");
 * assert.equal(safeComponent(7), "7");
 * ```
 */
export function safeComponent(value: unknown): string {
  let s = value === undefined || value === null
    ? ""
    : Array.isArray(value)
    ? value.map((v) => String(v ?? "")).join("\\")
    : String(value);
  s = s.toWellFormed();
  // deno-lint-ignore no-control-regex -- control characters are what we remove
  s = s.replace(/[\x00-\x1f\x7f-\x9f/\\:*?"<>|]/g, "_").trim();
  if (s === "") return MISSING;
  if (/^\.+$/.test(s)) return "_".repeat(s.length > 8 ? 8 : s.length);
  if (s.endsWith(".")) s += "_";
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i.test(s)) s = `_${s}`;
  if (encoder.encode(s).length > MAX_COMPONENT_BYTES) {
    s = `${prefixBytes(s, 80)}~${fingerprint(s)}`;
  }
  return s;
}

/**
 * The text of an element for a file name: the value as stored for IS and DS (pydicom's
 * `str()` keeps `0005`), else the decoded value; undefined for a missing element or
 * binary data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataElement } from "../dataset/mod.ts";
 * import { nameText } from "./safe_name.ts";
 * assert.equal(nameText(undefined), undefined);
 * assert.equal(nameText(DataElement.fromValue(0x00100020, "LO", "PAT1")), "PAT1");
 * ```
 */
export function nameText(el: DataElement | undefined): unknown {
  if (!el) return undefined;
  if ((el.vr === "IS" || el.vr === "DS") && el.bytes) {
    let text = "";
    for (const b of el.bytes) text += String.fromCharCode(b);
    return text.replace(/[\0 ]+$/, "").trim();
  }
  const v = el.value;
  return ArrayBuffer.isView(v) ? undefined : v;
}
