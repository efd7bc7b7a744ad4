/**
 * Numbers from element values, whatever the VR: US/SS/UL/FL/FD values as read, IS/DS
 * values as parsed numbers or as text, one value or several. The one place the LUT,
 * pixel and file-set code read a number from an element.
 *
 * @module
 */

import type { ElementValue } from "./element.ts";

/**
 * The number of a value (the first of several), parsing text; undefined for an empty,
 * missing or non-numeric value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberValue } from "./numbers.ts";
 * assert.equal(numberValue(512), 512);
 * assert.equal(numberValue([-1024, 1]), -1024);
 * assert.equal(numberValue(" 2.5 "), 2.5);
 * assert.equal(numberValue(""), undefined);
 * assert.equal(numberValue(null), undefined);
 * ```
 */
export function numberValue(v: ElementValue | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "") return undefined;
    const n = Number(t);
    return Number.isNaN(n) ? undefined : n;
  }
  if (Array.isArray(v)) return v.length ? numberValue(v[0] as ElementValue) : undefined;
  return undefined;
}

/**
 * All the numbers of a value: each of a multi-valued element, text split at `\`, the
 * samples of a typed array; empty values and bad text are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberValues } from "./numbers.ts";
 * assert.deepEqual(numberValues([40, 400]), [40, 400]);
 * assert.deepEqual(numberValues("40\\\\400"), [40, 400]);
 * assert.deepEqual(numberValues(new Uint16Array([4096, 0, 12])), [4096, 0, 12]);
 * assert.deepEqual(numberValues(undefined), []);
 * ```
 */
export function numberValues(v: ElementValue | undefined): number[] {
  if (v === null || v === undefined) return [];
  if (typeof v === "number") return [v];
  if (typeof v === "string") {
    return v.split("\\").map((s) => numberValue(s)).filter((n): n is number => n !== undefined);
  }
  if (Array.isArray(v)) {
    return v.map((x) => numberValue(x as ElementValue)).filter((n): n is number => n !== undefined);
  }
  if (ArrayBuffer.isView(v) && !(v instanceof BigUint64Array)) {
    return Array.from(v as Uint16Array);
  }
  return [];
}
