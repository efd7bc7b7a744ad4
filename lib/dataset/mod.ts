/**
 * The dataset layer: tags, VRs, data elements, person names, the `Dataset` with keyword
 * access, editing (read-write keyword properties, every value checked against its VR, VM
 * and character set; `walk`, `copy`, `removePrivateTags`, `privateBlock`), printing like
 * pydicom, text in every DICOM character set. Reading and writing (with their options,
 * and what makes `ds.saveAs` work) are one layer up, in `../io/mod.ts`.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { Dataset, formatTag, PersonName } from "./mod.ts";
 * import { ValueError } from "../core/mod.ts";
 * const ds = new Dataset();
 * ds.PatientName = "Doe^John";
 * assert.ok(ds.PatientName instanceof PersonName);
 * assert.equal(ds.PatientName?.familyName, "Doe");
 * assert.throws(() => ds.set("PatientBirthDate", "1933-01-01"), ValueError);
 * assert.equal(ds.has("PatientBirthDate"), false);
 * assert.equal(formatTag(0x00100010), "(0010, 0010)");
 * ```
 *
 * @module
 */

export { formatTag, isPrivateTag, type Tag, tag, tagElement, tagGroup } from "../core/tag.ts";
export type { VR } from "../core/vr.ts";
export { PersonName } from "./person_name.ts";
export {
  DataElement,
  type DatasetLike,
  type ElementSource,
  type ElementValue,
  type EncapsulatedPixelData,
  type ItemList,
} from "./element.ts";
export {
  type AssignableOfVR,
  type BaseVR,
  Dataset,
  type DatasetEncoding,
  type DatasetKeywords,
  dir,
  type KeywordGetTypes,
  type KeywordSetTypes,
  type Multi,
  type SaveOptions,
  type SetOptions,
  type TagOrKeyword,
  type ValueOfVR,
  type VMOf,
  type WalkContext,
  type WalkOptions,
} from "./dataset.ts";
export {
  PrivateBlock,
  type PrivateBlockHost,
  type PrivateBlockOptions,
  type PrivateSetOptions,
} from "./private_block.ts";
export {
  type AssignableValue,
  type CheckedValue,
  checkValue,
  type CheckValueOptions,
  type ValidationMode,
} from "./validate.ts";
export { formatDataset, formatElement, formatValue, type PrintableDataset } from "./print.ts";
export {
  decodeText,
  type DecodeTextOptions,
  decodeValues,
  encodeText,
  type EncodeTextOptions,
} from "./charset/mod.ts";
