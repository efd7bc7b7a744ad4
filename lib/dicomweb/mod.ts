/**
 * DICOMweb (PS3.18): the DICOM JSON model both ways, and a client for QIDO-RS search,
 * WADO-RS retrieval and STOW-RS storage built on `fetch` and streams.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromDicomJson, toDicomJson } from "./mod.ts";
 * const ds = fromDicomJson({ "00100020": { vr: "LO", Value: ["PAT1"] } });
 * assert.equal(ds.PatientID, "PAT1");
 * assert.deepEqual(toDicomJson(ds), { "00100020": { vr: "LO", Value: ["PAT1"] } });
 * ```
 *
 * @module
 */

export {
  BulkDataElement,
  type BulkDataLoader,
  type DicomJsonAttribute,
  type DicomJsonObject,
  type DicomJsonPersonName,
  type DicomJsonValue,
  fromDicomJson,
  type FromDicomJsonOptions,
  toDicomJson,
  type ToDicomJsonOptions,
} from "./json.ts";
export {
  dicomweb,
  type DicomWebAuth,
  DicomWebClient,
  type DicomWebOptions,
  type DicomWebProgress,
  type DicomWebTarget,
  type PullFailure,
  type PullOptions,
  type PullReport,
  type QueryValue,
  type RenderedOptions,
  type RetrievedInstance,
  type RetrieveOptions,
  type SearchOptions,
  type SearchQuery,
  type StoredInstance,
  type StoreOptions,
  type StoreReport,
} from "./client.ts";
export {
  boundaryOf,
  encodeMultipart,
  type MultipartPart,
  type OutgoingPart,
  readMultipart,
  type ReadMultipartOptions,
} from "./multipart.ts";
export { DicomWebError, type HttpErrorDetails } from "../core/errors.ts";
