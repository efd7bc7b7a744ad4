/**
 * Building the record tree: from the DICOMDIR's offsets, from the records' order, or
 * branch by branch from files; pruning empty records.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import {
  FILE_ID,
  FIRST_OFFSET,
  LOWER_OFFSET,
  NEXT_OFFSET,
  RECORD_TYPE,
  recordKey,
} from "./_records.ts";
import { text } from "./_values.ts";
import { RecordNode } from "./record_node.ts";

export function fileIdOf(record: Dataset): string[] | undefined {
  const el = record.element(FILE_ID);
  if (!el) return undefined;
  const v = el.value;
  if (v === null || v === undefined || v === "") return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x ?? ""));
}

/** Level of a record type in the four-level model, for rebuilding without offsets. */
function level(type: string): number {
  if (type === "PATIENT") return 0;
  if (type === "STUDY") return 1;
  if (type === "SERIES") return 2;
  if (
    type === "HANGING PROTOCOL" || type === "PALETTE" || type === "IMPLANT" ||
    type === "IMPLANT ASSY" || type === "IMPLANT GROUP"
  ) return 0;
  return 3;
}

export function attach(child: RecordNode, parent: RecordNode | undefined, top: RecordNode[]): void {
  child.parent = parent;
  (parent ? parent.children : top).push(child);
}

/** Follows the offsets; returns the broken-offset message, if any. */
export function linkByOffsets(
  ds: Dataset,
  nodes: RecordNode[],
  top: RecordNode[],
): string | undefined {
  const byOffset = new Map<number, RecordNode>();
  for (const n of nodes) if (n.offset !== undefined) byOffset.set(n.offset, n);
  const seen = new Set<RecordNode>();
  const chain = (
    first: number,
    parent: RecordNode | undefined,
    from: string,
  ): string | undefined => {
    let off = first;
    let where = from;
    while (off) {
      const node = byOffset.get(off);
      if (!node) return `${where} points to byte ${off}, where no record starts`;
      if (seen.has(node)) return `${where} points back to the record at byte ${off}`;
      seen.add(node);
      attach(node, parent, top);
      const lower = Number(node.record.get(LOWER_OFFSET) ?? 0);
      if (lower) {
        const err: string | undefined = chain(
          lower,
          node,
          `the lower-level offset of the record at byte ${off}`,
        );
        if (err) return err;
      }
      where = `the next-record offset of the record at byte ${off}`;
      off = Number(node.record.get(NEXT_OFFSET) ?? 0);
    }
    return undefined;
  };
  if (nodes.length === 0) return undefined;
  const first = Number(ds.get(FIRST_OFFSET) ?? 0);
  if (!first) return "the offset of the first root record (0004,1200) is missing or zero";
  return chain(first, undefined, "the offset of the first root record (0004,1200)");
}

/** Places records by their order and types: each under the last record of a higher level. */
export function linkByOrder(nodes: RecordNode[], top: RecordNode[]): void {
  const stack: RecordNode[] = [];
  for (const node of nodes) {
    const l = level(node.recordType);
    while (stack.length && level(stack[stack.length - 1].recordType) >= l) stack.pop();
    attach(node, stack[stack.length - 1], top);
    stack.push(node);
  }
}

/** Drops records with no children that reference no file, then their emptied parents. */
export function prune(top: RecordNode[]): void {
  const visit = (list: RecordNode[]) => {
    for (let i = list.length - 1; i >= 0; i--) {
      const n = list[i];
      visit(n.children);
      if (n.children.length === 0 && !n.record.has(FILE_ID)) list.splice(i, 1);
    }
  };
  visit(top);
}

/** Inserts a branch (highest record first), merging records with the same key. */
export function insertBranch(records: Dataset[], top: RecordNode[]): RecordNode {
  let siblings = top;
  let parent: RecordNode | undefined;
  for (let i = 0; i < records.length; i++) {
    const key = recordKey(records[i]);
    const type = text(records[i].get(RECORD_TYPE));
    const last = i === records.length - 1;
    const existing = last
      ? undefined
      : siblings.find((n) => n.key === key && n.recordType === type && n.children.length);
    if (existing) {
      parent = existing;
      siblings = existing.children;
      continue;
    }
    const node = new RecordNode(records[i]);
    attach(node, parent, top);
    parent = node;
    siblings = node.children;
  }
  return parent!;
}

export function makeUid(): string {
  const hex = crypto.randomUUID().replaceAll("-", "");
  return `2.25.${BigInt("0x" + hex).toString()}`;
}
