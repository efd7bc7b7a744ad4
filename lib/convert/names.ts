/**
 * The output names of the convert job: `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/
 * {InstanceNumber}`, each part made safe from hostile tag values, duplicates numbered.
 *
 * @module
 */

import type { FileInstance } from "../fileset/mod.ts";
import { fnv1a } from "./shard.ts";

/** Placeholder used for an empty or missing attribute in an output path. */
export const MISSING = "_missing_";

/** Longest path component made from a tag value, in UTF-8 bytes. */
export const MAX_COMPONENT_BYTES = 100;

const encoder = new TextEncoder();

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
 * import { safeComponent } from "./mod.ts";
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
 * The text of an attribute for a file name, from the instance's directory records: the
 * value as stored for IS and DS (pydicom's `str()` keeps `0005`), else the decoded value.
 */
function attribute(inst: FileInstance, keyword: string): unknown {
  const el = inst.element(keyword);
  if (!el) return undefined;
  if ((el.vr === "IS" || el.vr === "DS") && el.bytes) {
    let text = "";
    for (const b of el.bytes) text += String.fromCharCode(b);
    return text.replace(/[\0 ]+$/, "").trim();
  }
  const v = el.value;
  return ArrayBuffer.isView(v) ? undefined : v;
}

/**
 * The output path (without extension) of each instance, in the order given:
 * `{out}/{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}`, each part made safe
 * by {@linkcode safeComponent}; a path already taken (compared case-insensitively, for
 * macOS and Windows) gets `_dup1`, `_dup2`... in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSet, writeDicomdir } from "../fileset/mod.ts";
 * import { write } from "../io/mod.ts";
 * import { makeCtSlice } from "../sample/phantom.ts";
 * import { planNames } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * for (const i of [0, 1]) {
 *   Deno.writeFileSync(`${dir}/IM${i}`, write(makeCtSlice(i, { size: 8, slices: 2 })));
 * }
 * writeDicomdir(dir);
 * const names = planNames([...fileSet(dir)], "out");
 * assert.deepEqual(names, ["out/PHANTOM01/20240115/2/1", "out/PHANTOM01/20240115/2/2"]);
 * ```
 */
export function planNames(instances: Iterable<FileInstance>, out: string): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  const root = out.endsWith("/") ? out.slice(0, -1) : out;
  for (const inst of instances) {
    const parts = ["PatientID", "StudyDate", "SeriesNumber", "InstanceNumber"].map((k) =>
      safeComponent(attribute(inst, k))
    );
    let rel = parts.join("/");
    if (taken.has(rel.toLowerCase())) {
      let n = 1;
      while (taken.has(`${rel}_dup${n}`.toLowerCase())) n++;
      rel = `${rel}_dup${n}`;
    }
    taken.add(rel.toLowerCase());
    names.push(`${root}/${rel}`);
  }
  return names;
}
