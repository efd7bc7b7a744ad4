/**
 * Tags: a tag is a plain number, `(group << 16 | element) >>> 0`.
 *
 * @module
 */

/** A DICOM tag as one unsigned 32-bit number: group in the high half, element in the low. */
export type Tag = number;

/**
 * Makes a tag from its group and element numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tag } from "./mod.ts";
 * assert.equal(tag(0x0010, 0x0010), 0x00100010);
 * ```
 */
export function tag(group: number, element: number): Tag {
  return ((group << 16) | (element & 0xffff)) >>> 0;
}

/**
 * The group number of a tag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tagGroup } from "./mod.ts";
 * assert.equal(tagGroup(0x00100020), 0x0010);
 * ```
 */
export function tagGroup(t: Tag): number {
  return t >>> 16;
}

/**
 * The element number of a tag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tagElement } from "./mod.ts";
 * assert.equal(tagElement(0x00100020), 0x0020);
 * ```
 */
export function tagElement(t: Tag): number {
  return t & 0xffff;
}

/**
 * True for tags in odd groups (private), like pydicom's `Tag.is_private`: groups 1, 3, 5, 7
 * and 0xFFFF, which the standard does not allow, count as private too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPrivateTag } from "./mod.ts";
 * assert.equal(isPrivateTag(0x00091001), true);
 * assert.equal(isPrivateTag(0x00100010), false);
 * assert.equal(isPrivateTag(0x00030010), true);
 * ```
 */
export function isPrivateTag(t: Tag): boolean {
  return ((t >>> 16) & 1) === 1;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

/**
 * Formats a tag as pydicom prints it: `(0010, 0010)`, lowercase hex.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTag } from "./mod.ts";
 * assert.equal(formatTag(0x0008103e), "(0008, 103e)");
 * ```
 */
export function formatTag(t: Tag): string {
  return `(${hex4(t >>> 16)}, ${hex4(t & 0xffff)})`;
}
