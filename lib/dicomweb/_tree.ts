/**
 * The tutorial's folder tree for pulled instances,
 * `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.dcm`, with each part made
 * safe for a file name by the rules of `lib/convert/names.ts` (`safeComponent`).
 * Private to `lib/dicomweb`.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";

const encoder = new TextEncoder();
const MISSING = "_missing_";

function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(s)) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

function prefixBytes(s: string, bytes: number): string {
  let used = 0, end = 0;
  for (const ch of s) {
    const n = encoder.encode(ch).length;
    if (used + n > bytes) break;
    used += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

/** One path component from a value (the same rules as `scripts/convert.ts`). */
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
  if (encoder.encode(s).length > 100) s = `${prefixBytes(s, 80)}~${fingerprint(s)}`;
  return s;
}

/** The text of an attribute for a file name: IS and DS as stored when read from bytes. */
function attribute(ds: Dataset, keyword: string): unknown {
  const el = ds.element(keyword);
  if (!el) return undefined;
  if ((el.vr === "IS" || el.vr === "DS") && el.bytes) {
    let text = "";
    for (const b of el.bytes) text += String.fromCharCode(b);
    return text.replace(/[\0 ]+$/, "").trim();
  }
  const v = el.value;
  return ArrayBuffer.isView(v) ? undefined : v;
}

/** `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}` of an instance. */
export function treePath(ds: Dataset): string {
  return ["PatientID", "StudyDate", "SeriesNumber", "InstanceNumber"]
    .map((k) => safeComponent(attribute(ds, k)))
    .join("/");
}
