/**
 * `PrivateBlock`: the private elements one creator owns in one group, as pydicom's
 * `Dataset.private_block`. A private creator element `(gggg,00bb)` holding the creator's
 * name reserves the elements `(gggg,bb00)` to `(gggg,bbFF)`; a block addresses them by
 * the low byte, so code works whichever block number `bb` the creator got in a file.
 *
 * @module
 */

import { formatTag, type Tag } from "../core/tag.ts";
import { ValueError } from "../core/errors.ts";
import type { DataElement } from "./element.ts";
import type { AssignableValue, ValidationMode } from "./validate.ts";

/** The parts of a dataset a private block uses (the `Dataset` class has them). */
export interface PrivateBlockHost {
  /** The element with this tag, if present. */
  element(tag: Tag): DataElement | undefined;
  /** Sets an element, checking the value. */
  set(
    tag: Tag,
    value: AssignableValue,
    options?: { vr?: string; validation?: ValidationMode },
  ): DataElement;
  /** Removes an element. */
  delete(tag: Tag): boolean;
}

/** Options of `Dataset.privateBlock`. */
export interface PrivateBlockOptions {
  /**
   * Reserve a new block (the first free `(gggg,00bb)`, from `0x10`) when the creator has
   * none in the group; otherwise a missing creator is a `ValueError`.
   * @default {false}
   */
  create?: boolean;
}

/** Options of {@linkcode PrivateBlock.set}. */
export interface PrivateSetOptions {
  /**
   * The VR; needed unless the private dictionary knows the element.
   *
   * @default {undefined} (the private dictionary's)
   */
  vr?: string;
  /**
   * How the value is checked.
   *
   * @default {ds.validation}
   */
  validation?: ValidationMode;
}

/**
 * The elements of one private creator's block in one group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset } from "./dataset.ts";
 * const ds = new Dataset();
 * const block = ds.privateBlock(0x0009, "ACME 1.0", { create: true });
 * block.set(0x01, "hello", { vr: "LO" });
 * assert.equal(block.tag(0x01), 0x00091001);
 * assert.equal(ds.get(0x00090010), "ACME 1.0");
 * assert.equal(block.get(0x01), "hello");
 * ```
 */
export class PrivateBlock {
  /** The (odd) group. */
  readonly group: number;
  /** The private creator's name. */
  readonly creator: string;
  /** The block number `bb`: the creator element is `(gggg,00bb)`. */
  readonly blockNumber: number;
  #ds: PrivateBlockHost;

  /** Made by `Dataset.privateBlock`. */
  constructor(ds: PrivateBlockHost, group: number, creator: string, blockNumber: number) {
    this.#ds = ds;
    this.group = group;
    this.creator = creator;
    this.blockNumber = blockNumber;
  }

  /** The full tag of the element at `offset` (0x00 to 0xFF) in this block. */
  tag(offset: number): Tag {
    if (!Number.isInteger(offset) || offset < 0 || offset > 0xff) {
      throw new ValueError(`private element offset ${offset} is not from 0x00 to 0xff`);
    }
    return ((this.group << 16) | (this.blockNumber << 8) | offset) >>> 0;
  }

  /** The element at `offset`, if present. */
  element(offset: number): DataElement | undefined {
    return this.#ds.element(this.tag(offset));
  }

  /** The value at `offset`, or `undefined`. */
  get(offset: number): DataElement["value"] | undefined {
    return this.element(offset)?.value;
  }

  /** True when the element at `offset` is present. */
  has(offset: number): boolean {
    return this.element(offset) !== undefined;
  }

  /**
   * Adds or replaces the element at `offset`, checked like any assignment (pydicom's
   * `add_new`).
   */
  set(offset: number, value: AssignableValue, options: PrivateSetOptions = {}): DataElement {
    return this.#ds.set(this.tag(offset), value, options);
  }

  /** Removes the element at `offset`; true if it was there. */
  delete(offset: number): boolean {
    return this.#ds.delete(this.tag(offset));
  }
}

/** Finds (or with `create`, reserves) a creator's block in a group. */
export function findPrivateBlock(
  ds: PrivateBlockHost,
  group: number,
  creator: string,
  options: PrivateBlockOptions = {},
): PrivateBlock {
  if (!Number.isInteger(group) || group % 2 === 0 || group < 0x0009 || group > 0xfffe) {
    throw new ValueError(
      `group ${group.toString(16).padStart(4, "0")} is not private: use an odd group from 0009`,
    );
  }
  if (creator === "") throw new ValueError("a private creator needs a name");
  let free: number | undefined;
  for (let bb = 0x10; bb <= 0xff; bb++) {
    const t = ((group << 16) | bb) >>> 0;
    const el = ds.element(t);
    if (!el) {
      free ??= bb;
      continue;
    }
    const v = el.value;
    const name = Array.isArray(v) ? v[0] : v;
    if (typeof name === "string" && name.trimEnd() === creator) {
      return new PrivateBlock(ds, group, creator, bb);
    }
  }
  if (!options.create) {
    throw new ValueError(
      `private creator "${creator}" not found in group ${
        formatTag(group << 16).slice(1, 5)
      }: pass { create: true } to add it`,
    );
  }
  if (free === undefined) {
    throw new ValueError(`no free private block left in group ${formatTag(group << 16)}`);
  }
  ds.set(((group << 16) | free) >>> 0, creator, { vr: "LO" });
  return new PrivateBlock(ds, group, creator, free);
}
