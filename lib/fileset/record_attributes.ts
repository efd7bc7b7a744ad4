/**
 * `recordAttributes`: the few attributes of an instance its DICOMDIR records take, to
 * make the records of files just written without reading them again.
 *
 * @module
 */

import { Dataset } from "../dataset/dataset.ts";
import { DataElement } from "../dataset/element.ts";
import { recordSourceTags } from "./_records.ts";

const ENCAPSULATED_DOCUMENT = 0x00420011;

/**
 * The attributes of an instance that its directory records take (and that
 * `writeDicomdir` checks), copied into a new dataset with the file meta's SOP
 * class and instance and transfer syntax: small enough to pass between threads, to give
 * as a `DicomdirInstance`'s dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { read } from "../io/mod.ts";
 * import { recordAttributes } from "./mod.ts";
 * const ds = read("fixtures/ct_phantom/IM000001");
 * const attrs = recordAttributes(ds);
 * assert.equal(attrs.PatientID, ds.PatientID);
 * assert.equal(attrs.InstanceNumber, 1);
 * assert.equal(attrs.transferSyntaxUID, ds.transferSyntaxUID);
 * assert.equal(attrs.has("PixelData"), false);
 * ```
 */
export function recordAttributes(ds: Dataset): Dataset {
  const out = new Dataset();
  out.encoding = { ...ds.encoding };
  const tags = recordSourceTags();
  for (const el of ds) {
    if (!tags.has(el.tag)) continue;
    if (el.tag === ENCAPSULATED_DOCUMENT) {
      // only its presence counts (the record type): not a copy of the document
      out.add(DataElement.fromValue(el.tag, el.vr, new Uint8Array(0)));
      continue;
    }
    const items = el.vr === "SQ" || el.items
      ? ((el.items ?? []) as Dataset[]).map((item) => item.copy())
      : undefined;
    out.add(el.clone(items));
  }
  if (ds.fileMeta) {
    const meta = new Dataset();
    for (const t of [0x00020002, 0x00020003, 0x00020010]) {
      const el = ds.fileMeta.element(t);
      if (el) meta.add(el.clone());
    }
    out.fileMeta = meta;
  }
  return out;
}
