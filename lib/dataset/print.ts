/**
 * Printing a dataset exactly as pydicom 2.3's `str(ds)` does: the file meta block,
 * one line per element (`(gggg, eeee) Name(35 wide) VR: value`), sequences with their
 * item count and indented items, and Python's `repr` of each value.
 *
 * @module
 */

import type { DataElement, DatasetLike } from "./element.ts";
import { formatTag } from "../core/tag.ts";
import { PersonName } from "./person_name.ts";
import { LONG_VALUE_VRS } from "../core/vr.ts";
import { uidName } from "../dictionary/mod.ts";
import { pyReprBytes, pyReprFloat, pyReprStr } from "../core/repr.ts";
import { decodeLatin1 } from "./element.ts";

/** What the printer needs of a dataset. */
export interface PrintableDataset extends DatasetLike, Iterable<DataElement> {
  /** The file meta information, printed first in its own block. */
  readonly fileMeta?: PrintableDataset;
  /** Number of elements. */
  readonly size: number;
}

const MAX_SHOWN = 16;

function listRepr(parts: string[]): string {
  return `[${parts.join(", ")}]`;
}

/** The text of DS/IS values as stored, split on backslash, as pydicom keeps `original_string`. */
function numberStrings(el: DataElement): string[] | undefined {
  const bytes = el.bytes;
  if (!bytes) return undefined;
  let text = decodeLatin1(bytes);
  if (el.vr === "DS") text = text.trim();
  text = text.replace(/[ \0]+$/, "");
  return text.split("\\").map((s) => s.trim());
}

function numberRepr(x: number, vr: string): string {
  if (vr === "FL" || vr === "FD") return pyReprFloat(x);
  return String(x);
}

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * pydicom's `DataElement.repval`: the value as printed after `VR: `.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataElement, formatValue } from "./mod.ts";
 * assert.equal(formatValue(DataElement.fromValue(0x00280030, "DS", [0.5, 0.5])), "[0.5, 0.5]");
 * assert.equal(formatValue(DataElement.fromValue(0x00100010, "PN", "Doe^John")), "'Doe^John'");
 * ```
 */
export function formatValue(el: DataElement): string {
  const vr = el.vr;
  const v = el.value;
  // pydicom gives an empty value read from zero bytes its VR's empty value (None for
  // DS and IS), but runs stored bytes through the VR's converter: blanks become '' for
  // DS and IS, and a UID('') for UI, which prints as its (empty) name
  const stored = (el.bytes?.length ?? 0) > 0;
  if (v === null || v === undefined) return stored && (vr === "DS" || vr === "IS") ? "''" : "None";
  if (vr === "UI" && v === "" && stored) return "";
  // Bytes-like and long text values: summarised past 16 elements
  if (ArrayBuffer.isView(v)) {
    const raw = el.bytes ?? bytesOf(v);
    if (raw.length > MAX_SHOWN) return `Array of ${raw.length} elements`;
    return pyReprBytes(raw);
  }
  if (LONG_VALUE_VRS.has(vr) && typeof v === "string") {
    const n = [...v].length;
    if (n > MAX_SHOWN) return `Array of ${n} elements`;
  }
  const isList = Array.isArray(v);
  if (isList && v.length > MAX_SHOWN) return `Array of ${v.length} elements`;
  if (vr === "DS" || vr === "IS") {
    if (!isList) {
      if (typeof v === "number") {
        if (vr === "IS") return `'${v}'`;
        return `'${pyReprFloat(v)}'`;
      }
      return pyReprStr(String(v));
    }
    const strings = numberStrings(el);
    const items = v as (number | string | null)[];
    return listRepr(items.map((x, i) => {
      if (x === null || typeof x === "string") return pyReprStr(x ?? "");
      return strings?.[i] ?? (vr === "IS" ? String(x) : pyReprFloat(x));
    }));
  }
  if (vr === "AT") {
    return isList ? listRepr((v as number[]).map((t) => formatTag(t))) : formatTag(v as number);
  }
  if (typeof v === "number") return numberRepr(v, vr);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof PersonName) return pyReprStr(v.toString());
  if (typeof v === "string") {
    if (vr === "UI" && v !== "") return uidName(v) ?? v;
    return pyReprStr(v);
  }
  if (isList) {
    return listRepr((v as unknown[]).map((x) => {
      if (typeof x === "string") return pyReprStr(x);
      if (x instanceof PersonName) return x.toString();
      if (typeof x === "number") return numberRepr(x, vr);
      return String(x);
    }));
  }
  return String(v);
}

/**
 * One element's line as pydicom prints it (without indentation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataElement, formatElement } from "./mod.ts";
 * assert.equal(
 *   formatElement(DataElement.fromValue(0x00100010, "PN", "Doe^John")),
 *   "(0010, 0010) Patient's Name                      PN: 'Doe^John'",
 * );
 * ```
 */
export function formatElement(el: DataElement): string {
  const name = [...el.name].slice(0, 35).join("").padEnd(35);
  return `${formatTag(el.tag)} ${name} ${el.vr}: ${formatValue(el)}`;
}

function pretty(ds: PrintableDataset, indent: number, out: string[]): void {
  const pad = "   ".repeat(indent);
  const nextPad = "   ".repeat(indent + 1);
  for (const el of ds) {
    if (el.vr === "SQ") {
      const items = (el.items ?? []) as unknown as PrintableDataset[];
      out.push(`${pad}${formatTag(el.tag)}  ${el.name}  ${items.length} item(s) ---- `);
      for (const item of items) {
        const sub: string[] = [];
        pretty(item, indent + 1, sub);
        out.push(sub.join("\n"));
        out.push(`${nextPad}---------`);
      }
    } else {
      out.push(pad + formatElement(el));
    }
  }
}

/**
 * pydicom 2.3's `str(ds)`: the file meta block when there is one, then every element,
 * sequences indented by three spaces per level.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset, formatDataset } from "./mod.ts";
 * const ds = new Dataset();
 * ds.set("Rows", 512);
 * assert.equal(formatDataset(ds), "(0028, 0010) Rows                                US: 512");
 * ```
 */
export function formatDataset(ds: PrintableDataset): string {
  const out: string[] = [];
  if (ds.fileMeta && ds.fileMeta.size > 0) {
    out.push("Dataset.file_meta ".padEnd(49, "-"));
    for (const el of ds.fileMeta) out.push(formatElement(el));
    out.push("".padEnd(49, "-"));
  }
  pretty(ds, 0, out);
  return out.join("\n");
}
