/**
 * Directory records (PS3.3 Annex F): the record types, making the records of an
 * instance (as pydicom's `FileSet.add`), File ID rules (PS3.10 8.5), where each record
 * item starts in a DICOMDIR, and pydicom's `str()` of record values.
 *
 * @module
 */

import { Dataset } from "../dataset/dataset.ts";
import { IMPLICIT_VR_LITTLE_ENDIAN } from "../core/transfer_syntax.ts";
import { DataElement, decodeLatin1, type ElementValue } from "../dataset/element.ts";
import { PersonName } from "../dataset/person_name.ts";
import { LONG_LENGTH_VRS } from "../core/vr.ts";
import { pyReprStr, pyStrFloat } from "../core/repr.ts";
import { tagForKeyword, uidForKeyword } from "../dictionary/mod.ts";

/** (0004,1200) Offset of the First Directory Record of the Root Directory Entity. */
export const FIRST_OFFSET = 0x00041200;
/** (0004,1202) Offset of the Last Directory Record of the Root Directory Entity. */
export const LAST_OFFSET = 0x00041202;
/** (0004,1220) Directory Record Sequence. */
export const RECORD_SEQUENCE = 0x00041220;
/** (0004,1400) Offset of the Next Directory Record. */
export const NEXT_OFFSET = 0x00041400;
/** (0004,1410) Record In-use Flag. */
export const IN_USE = 0x00041410;
/** (0004,1420) Offset of Referenced Lower-Level Directory Entity. */
export const LOWER_OFFSET = 0x00041420;
/** (0004,1430) Directory Record Type. */
export const RECORD_TYPE = 0x00041430;
/** (0004,1500) Referenced File ID. */
export const FILE_ID = 0x00041500;
/** (0004,1510) Referenced SOP Class UID in File. */
export const REF_SOP_CLASS = 0x00041510;
/** (0004,1511) Referenced SOP Instance UID in File. */
export const REF_SOP_INSTANCE = 0x00041511;
/** (0004,1512) Referenced Transfer Syntax UID in File. */
export const REF_TRANSFER_SYNTAX = 0x00041512;

/** The SOP Class UID of a DICOMDIR (Media Storage Directory Storage). */
export const MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";

/**
 * The top-level tags of an instance that a directory record names differently: SOP
 * Instance UID, SOP Class UID and Transfer Syntax UID are looked up as the record's
 * Referenced ... in File (as pydicom's `FileInstance[...]`).
 */
export const REFERENCED_ALIASES: ReadonlyMap<number, number> = new Map([
  [0x00080018, REF_SOP_INSTANCE],
  [0x00080016, REF_SOP_CLASS],
  [0x00020010, REF_TRANSFER_SYNTAX],
]);

/** File ID component prefixes by record type, as pydicom's layout uses them. */
export const PREFIXES: Readonly<Record<string, string>> = {
  "PATIENT": "PT",
  "STUDY": "ST",
  "SERIES": "SE",
  "IMAGE": "IM",
  "RT DOSE": "RD",
  "RT STRUCTURE SET": "RS",
  "RT PLAN": "RP",
  "RT TREAT RECORD": "RX",
  "PRESENTATION": "PR",
  "WAVEFORM": "WV",
  "SR DOCUMENT": "SR",
  "KEY OBJECT DOC": "KY",
  "SPECTROSCOPY": "SP",
  "RAW DATA": "RW",
  "REGISTRATION": "RG",
  "FIDUCIAL": "FD",
  "HANGING PROTOCOL": "HG",
  "ENCAP DOC": "ED",
  "VALUE MAP": "VM",
  "STEREOMETRIC": "SX",
  "PALETTE": "PA",
  "IMPLANT": "IP",
  "IMPLANT ASSY": "IA",
  "IMPLANT GROUP": "IG",
  "PLAN": "PL",
  "MEASUREMENT": "MX",
  "SURFACE": "SF",
  "SURFACE SCAN": "SS",
  "TRACT": "TR",
  "ASSESSMENT": "AS",
  "RADIOTHERAPY": "RT",
  "PRIVATE": "P",
};

/** SOP classes whose instances get a single top-level record. */
const SINGLE_LEVEL: Record<string, string> = {
  HangingProtocolStorage: "HANGING PROTOCOL",
  ColorPaletteStorage: "PALETTE",
  GenericImplantTemplateStorage: "IMPLANT",
  ImplantAssemblyTemplateStorage: "IMPLANT ASSY",
  ImplantTemplateGroupStorage: "IMPLANT GROUP",
};

/** SOP classes whose leaf record (under PATIENT/STUDY/SERIES) is not IMAGE. */
const FOUR_LEVEL: Record<string, string> = {
  RTDoseStorage: "RT DOSE",
  RTStructureSetStorage: "RT STRUCTURE SET",
  RTBeamsTreatmentRecordStorage: "RT TREAT RECORD",
  RTBrachyTreatmentRecordStorage: "RT TREAT RECORD",
  RTTreatmentSummaryRecordStorage: "RT TREAT RECORD",
  RTIonBeamsTreatmentRecordStorage: "RT TREAT RECORD",
  GrayscaleSoftcopyPresentationStateStorage: "PRESENTATION",
  ColorSoftcopyPresentationStateStorage: "PRESENTATION",
  PseudoColorSoftcopyPresentationStateStorage: "PRESENTATION",
  BlendingSoftcopyPresentationStateStorage: "PRESENTATION",
  XAXRFGrayscaleSoftcopyPresentationStateStorage: "PRESENTATION",
  BasicStructuredDisplayStorage: "PRESENTATION",
  BasicVoiceAudioWaveformStorage: "WAVEFORM",
  TwelveLeadECGWaveformStorage: "WAVEFORM",
  GeneralECGWaveformStorage: "WAVEFORM",
  AmbulatoryECGWaveformStorage: "WAVEFORM",
  HemodynamicWaveformStorage: "WAVEFORM",
  CardiacElectrophysiologyWaveformStorage: "WAVEFORM",
  ArterialPulseWaveformStorage: "WAVEFORM",
  RespiratoryWaveformStorage: "WAVEFORM",
  GeneralAudioWaveformStorage: "WAVEFORM",
  RoutineScalpElectroencephalogramWaveformStorage: "WAVEFORM",
  ElectromyogramWaveformStorage: "WAVEFORM",
  ElectrooculogramWaveformStorage: "WAVEFORM",
  SleepElectroencephalogramWaveformStorage: "WAVEFORM",
  MultichannelRespiratoryWaveformStorage: "WAVEFORM",
  BodyPositionWaveformStorage: "WAVEFORM",
  BasicTextSRStorage: "SR DOCUMENT",
  EnhancedSRStorage: "SR DOCUMENT",
  ComprehensiveSRStorage: "SR DOCUMENT",
  MammographyCADSRStorage: "SR DOCUMENT",
  ChestCADSRStorage: "SR DOCUMENT",
  ProcedureLogStorage: "SR DOCUMENT",
  XRayRadiationDoseSRStorage: "SR DOCUMENT",
  SpectaclePrescriptionReportStorage: "SR DOCUMENT",
  ColonCADSRStorage: "SR DOCUMENT",
  MacularGridThicknessAndVolumeReportStorage: "SR DOCUMENT",
  ImplantationPlanSRStorage: "SR DOCUMENT",
  Comprehensive3DSRStorage: "SR DOCUMENT",
  RadiopharmaceuticalRadiationDoseSRStorage: "SR DOCUMENT",
  ExtensibleSRStorage: "SR DOCUMENT",
  AcquisitionContextSRStorage: "SR DOCUMENT",
  SimplifiedAdultEchoSRStorage: "SR DOCUMENT",
  PatientRadiationDoseSRStorage: "SR DOCUMENT",
  PlannedImagingAgentAdministrationSRStorage: "SR DOCUMENT",
  PerformedImagingAgentAdministrationSRStorage: "SR DOCUMENT",
  KeyObjectSelectionDocumentStorage: "KEY OBJECT DOC",
  MRSpectroscopyStorage: "SPECTROSCOPY",
  RawDataStorage: "RAW DATA",
  SpatialRegistrationStorage: "REGISTRATION",
  DeformableSpatialRegistrationStorage: "REGISTRATION",
  SpatialFiducialsStorage: "FIDUCIAL",
  RealWorldValueMappingStorage: "VALUE MAP",
  StereometricRelationshipStorage: "STEREOMETRIC",
  LensometryMeasurementsStorage: "MEASUREMENT",
  AutorefractionMeasurementsStorage: "MEASUREMENT",
  KeratometryMeasurementsStorage: "MEASUREMENT",
  SubjectiveRefractionMeasurementsStorage: "MEASUREMENT",
  VisualAcuityMeasurementsStorage: "MEASUREMENT",
  OphthalmicAxialMeasurementsStorage: "MEASUREMENT",
  OphthalmicVisualFieldStaticPerimetryMeasurementsStorage: "MEASUREMENT",
  SurfaceSegmentationStorage: "SURFACE",
  SurfaceScanMeshStorage: "SURFACE SCAN",
  SurfaceScanPointCloudStorage: "SURFACE SCAN",
  TractographyResultsStorage: "TRACT",
  ContentAssessmentResultsStorage: "ASSESSMENT",
};

let singleByUid: Map<string, string> | undefined;
let fourByUid: Map<string, string> | undefined;

function byUid(table: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [keyword, type] of Object.entries(table)) {
    const uid = uidForKeyword(keyword);
    if (uid) out.set(uid, type);
  }
  return out;
}

/**
 * What pydicom writes in each record type beside the offsets and references:
 * `[keyword, type]`. Type 1 is required (written empty and noted when missing), type 2
 * is always written (empty when missing), type 3 only when present (1C/3 attributes).
 */
const RECORD_KEYS: Record<string, [string, 1 | 2 | 3][]> = {
  "PATIENT": [["PatientName", 2], ["PatientID", 1]],
  "STUDY": [
    ["StudyDate", 1],
    ["StudyTime", 1],
    ["StudyDescription", 2],
    ["StudyInstanceUID", 3],
    ["StudyID", 1],
    ["AccessionNumber", 2],
  ],
  "SERIES": [["Modality", 1], ["SeriesInstanceUID", 1], ["SeriesNumber", 1]],
  "IMAGE": [["InstanceNumber", 1]],
  "RT DOSE": [["InstanceNumber", 1], ["DoseSummationType", 1]],
  "RT STRUCTURE SET": [
    ["InstanceNumber", 1],
    ["StructureSetLabel", 1],
    ["StructureSetDate", 2],
    ["StructureSetTime", 2],
  ],
  "RT PLAN": [["InstanceNumber", 1], ["RTPlanLabel", 1], ["RTPlanDate", 2], ["RTPlanTime", 2]],
  "RT TREAT RECORD": [["InstanceNumber", 1], ["TreatmentDate", 2], ["TreatmentTime", 2]],
  "PRESENTATION": [
    ["PresentationCreationDate", 1],
    ["PresentationCreationTime", 1],
    ["InstanceNumber", 1],
    ["ContentLabel", 1],
    ["ContentDescription", 2],
    ["ContentCreatorName", 2],
    ["ReferencedSeriesSequence", 3],
    ["BlendingSequence", 3],
  ],
  "SR DOCUMENT": [
    ["InstanceNumber", 1],
    ["CompletionFlag", 1],
    ["VerificationFlag", 1],
    ["ContentDate", 1],
    ["ContentTime", 1],
    ["VerificationDateTime", 3],
    ["ConceptNameCodeSequence", 1],
    ["ContentSequence", 3],
  ],
  "KEY OBJECT DOC": [
    ["ContentDate", 1],
    ["ContentTime", 1],
    ["InstanceNumber", 1],
    ["ConceptNameCodeSequence", 1],
    ["ContentSequence", 3],
  ],
  "SPECTROSCOPY": [
    ["ImageType", 1],
    ["ContentDate", 1],
    ["ContentTime", 1],
    ["InstanceNumber", 1],
    ["ReferencedImageEvidenceSequence", 3],
    ["NumberOfFrames", 1],
    ["Rows", 1],
    ["Columns", 1],
    ["DataPointRows", 1],
    ["DataPointColumns", 1],
  ],
  "WAVEFORM": [["InstanceNumber", 1], ["ContentDate", 1], ["ContentTime", 1]],
  "RAW DATA": [["InstanceNumber", 1], ["ContentDate", 1], ["ContentTime", 1]],
  "ENCAP DOC": [
    ["ContentDate", 2],
    ["ContentTime", 2],
    ["InstanceNumber", 1],
    ["DocumentTitle", 2],
    ["HL7InstanceIdentifier", 3],
    ["ConceptNameCodeSequence", 2],
    ["MIMETypeOfEncapsulatedDocument", 1],
  ],
  "PALETTE": [["ContentLabel", 1], ["ContentDescription", 2]],
  "IMPLANT": [["Manufacturer", 1], ["ImplantName", 1], ["ImplantSize", 3], [
    "ImplantPartNumber",
    1,
  ]],
  "IMPLANT ASSY": [
    ["ImplantAssemblyTemplateName", 1],
    ["Manufacturer", 1],
    ["ProcedureTypeCodeSequence", 1],
  ],
  "IMPLANT GROUP": [["ImplantTemplateGroupName", 1], ["ImplantTemplateGroupIssuer", 1]],
  "HANGING PROTOCOL": [
    ["HangingProtocolCreator", 1],
    ["HangingProtocolCreationDateTime", 1],
    ["HangingProtocolDefinitionSequence", 1],
    ["NumberOfPriorsReferenced", 1],
    ["HangingProtocolUserIdentificationCodeSequence", 2],
  ],
  "SURFACE SCAN": [["ContentDate", 1], ["ContentTime", 1]],
  "ASSESSMENT": [["InstanceNumber", 1], ["InstanceCreationDate", 1], ["InstanceCreationTime", 2]],
  "RADIOTHERAPY": [
    ["InstanceNumber", 1],
    ["UserContentLabel", 3],
    ["UserContentLongLabel", 3],
    ["ContentDescription", 2],
    ["ContentCreatorName", 2],
  ],
};
const CONTENT_ID: [string, 1 | 2 | 3][] = [
  ["InstanceNumber", 1],
  ["ContentDate", 1],
  ["ContentTime", 1],
  ["ContentLabel", 1],
  ["ContentDescription", 2],
  ["ContentCreatorName", 2],
];
for (const t of ["REGISTRATION", "FIDUCIAL", "VALUE MAP", "MEASUREMENT", "SURFACE", "TRACT"]) {
  RECORD_KEYS[t] = CONTENT_ID;
}

function str(ds: Dataset, keyword: string): string | undefined {
  const v = ds.get(keyword);
  if (typeof v === "string") return v;
  if (Array.isArray(v) && typeof v[0] === "string") return v[0];
  return undefined;
}

/** The single-level record type of an instance, or undefined for the four-level model. */
export function singleLevelType(ds: Dataset): string | undefined {
  singleByUid ??= byUid(SINGLE_LEVEL);
  const sop = str(ds, "SOPClassUID");
  return sop ? singleByUid.get(sop) : undefined;
}

/** The leaf record type of a four-level (PATIENT/STUDY/SERIES/leaf) instance. */
export function leafType(ds: Dataset): string {
  const modality = str(ds, "Modality");
  if (modality === "RTINTENT" || modality === "RTSEGANN" || modality === "RTRAD") {
    return "RADIOTHERAPY";
  }
  if (modality === "PLAN") return "PLAN";
  if (ds.has("EncapsulatedDocument")) return "ENCAP DOC";
  if (ds.has("RTPlanLabel")) return "RT PLAN";
  fourByUid ??= byUid(FOUR_LEVEL);
  const sop = str(ds, "SOPClassUID");
  return (sop && fourByUid.get(sop)) || "IMAGE";
}

function copyElement(from: Dataset, to: Dataset, keyword: string): boolean {
  const el = from.element(keyword);
  if (!el) return false;
  if (el.vr !== "SQ" && el.source) {
    // keep the value as stored (an IS "0005" stays "0005", text keeps its encoding)
    to.add(new DataElement(el.tag, el.vr, el.source));
    return true;
  }
  let value: ElementValue = el.value;
  if (el.vr === "SQ") value = (el.items ?? []) as Dataset[];
  to.add(DataElement.fromValue(el.tag, el.vr, value));
  return true;
}

let recordTags: Set<number> | undefined;

/**
 * The top-level tags `recordsFor` (and a folder scan's checks) read from an instance:
 * every record type's keys, the character set, SOP class and instance, Modality,
 * RT Plan Label and Encapsulated Document.
 */
export function recordSourceTags(): ReadonlySet<number> {
  if (recordTags) return recordTags;
  const keywords = new Set<string>([
    "SpecificCharacterSet",
    "SOPClassUID",
    "SOPInstanceUID",
    "Modality",
    "RTPlanLabel",
    "EncapsulatedDocument",
    ...CONTENT_ID.map(([k]) => k),
  ]);
  for (const keys of Object.values(RECORD_KEYS)) for (const [k] of keys) keywords.add(k);
  const tags = new Set<number>();
  for (const k of keywords) {
    const t = tagForKeyword(k);
    if (t !== undefined) tags.add(t);
  }
  return recordTags = tags;
}

function isEmpty(v: ElementValue | undefined): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "string") return v === "";
  if (v instanceof PersonName) return String(v) === "";
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** A new record with the offsets, in-use flag and type set. */
export function newRecord(type: string, charset?: ElementValue): Dataset {
  const record = new Dataset();
  record.set(NEXT_OFFSET, 0, { vr: "UL", validation: "ignore" });
  record.set(IN_USE, 0xffff, { vr: "US", validation: "ignore" });
  record.set(LOWER_OFFSET, 0, { vr: "UL", validation: "ignore" });
  record.set(RECORD_TYPE, type, { vr: "CS", validation: "ignore" });
  if (charset !== undefined && charset !== null) {
    record.set(0x00080005, charset, { vr: "CS", validation: "ignore" });
  }
  return record;
}

/**
 * The directory records of an instance, highest first: PATIENT, STUDY, SERIES and a
 * leaf (IMAGE, RT DOSE, SR DOCUMENT...) by its SOP class, or one single-level record
 * (PALETTE, HANGING PROTOCOL...). The leaf references the file by `fileId`. Missing
 * Type 1 attributes are written empty and named in `notes`.
 */
export function recordsFor(
  ds: Dataset,
  fileId: string[],
  transferSyntax: string | undefined,
  notes: string[],
): Dataset[] {
  const charset = ds.get("SpecificCharacterSet");
  const single = singleLevelType(ds);
  const types = single ? [single] : ["PATIENT", "STUDY", "SERIES", leafType(ds)];
  const records: Dataset[] = [];
  for (const type of types) {
    const record = newRecord(type, single ? undefined : charset);
    for (const [keyword, level] of RECORD_KEYS[type] ?? []) {
      const present = copyElement(ds, record, keyword);
      if (level === 1 && (!present || isEmpty(ds.get(keyword)))) {
        notes.push(`${type} record: ${keyword} is missing or empty`);
      }
      if (!present && level !== 3) record.set(keyword, keyword.endsWith("Sequence") ? [] : null);
    }
    records.push(record);
  }
  const leaf = records[records.length - 1];
  leaf.set(FILE_ID, fileId.length === 1 ? fileId[0] : fileId, { vr: "CS", validation: "ignore" });
  leaf.set(REF_SOP_CLASS, str(ds, "SOPClassUID") ?? "", { vr: "UI", validation: "ignore" });
  leaf.set(REF_SOP_INSTANCE, str(ds, "SOPInstanceUID") ?? "", { vr: "UI", validation: "ignore" });
  leaf.set(REF_TRANSFER_SYNTAX, transferSyntax ?? IMPLICIT_VR_LITTLE_ENDIAN, {
    vr: "UI",
    validation: "ignore",
  });
  return records;
}

/**
 * The unique key of a record among its siblings, as pydicom's `RecordNode.key`:
 * Patient ID, Study Instance UID, Series Instance UID, Private Record UID, else the
 * Referenced SOP Instance UID in File.
 */
export function recordKey(record: Dataset): string {
  const type = str(record, "DirectoryRecordType") ?? "";
  const pick = (kw: string) => keyText(record.get(kw));
  if (type === "PATIENT") return pick("PatientID");
  if (type === "STUDY") {
    return record.has("StudyInstanceUID")
      ? pick("StudyInstanceUID")
      : pick("ReferencedSOPInstanceUIDInFile");
  }
  if (type === "SERIES") return pick("SeriesInstanceUID");
  if (type === "PRIVATE") return pick("PrivateRecordUID");
  return pick("ReferencedSOPInstanceUIDInFile");
}

function keyText(v: ElementValue | undefined): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map(String).join("\\");
  return String(v);
}

/** PS3.10 8.5: at most 8 components of 1-8 characters from A-Z, 0-9 and _. */
export function isConformantFileId(components: readonly string[]): boolean {
  if (components.length === 0 || components.length > 8) return false;
  return components.every((c) => /^[A-Z0-9_]{1,8}$/.test(c));
}

/** The File ID component of the `index`th sibling: `PT000000`, `IM00001A`... */
export function componentName(type: string, index: number, alphanumeric: boolean): string {
  const prefix = PREFIXES[type] ?? "P";
  const digits = index.toString(alphanumeric ? 36 : 10).toUpperCase();
  return prefix + digits.padStart(8 - prefix.length, "0");
}

function isItemTag(bytes: Uint8Array, pos: number, le: boolean): boolean {
  if (pos < 0 || pos + 4 > bytes.length) return false;
  return le
    ? bytes[pos] === 0xfe && bytes[pos + 1] === 0xff && bytes[pos + 2] === 0x00 &&
      bytes[pos + 3] === 0xe0
    : bytes[pos] === 0xff && bytes[pos + 1] === 0xfe && bytes[pos + 2] === 0xe0 &&
      bytes[pos + 3] === 0x00;
}

/**
 * The byte offset of a record's item tag in the bytes it was read from: its first
 * element's value offset less the element header (8 or 12 bytes) and the item header
 * (8 bytes), checked against the bytes when given. Undefined for an empty item.
 */
export function itemOffset(item: Dataset, bytes?: Uint8Array): number | undefined {
  let first: DataElement | undefined;
  for (const el of item) {
    if (el.source && (!first || el.source.offset < first.source!.offset)) first = el;
  }
  if (!first?.source) return undefined;
  const value = first.source.offset;
  const le = item.encoding.littleEndian;
  const candidates = item.encoding.implicitVR
    ? [value - 16]
    : LONG_LENGTH_VRS.has(first.vr)
    ? [value - 20, value - 16]
    : [value - 16, value - 20];
  if (bytes) {
    for (const c of candidates) if (isItemTag(bytes, c, le)) return c;
  }
  return candidates[0];
}

// ---- pydicom's str() of record values ----

/** The stored text of IS/DS values, trimmed, as pydicom keeps `original_string`. */
function numberTexts(el: DataElement): string[] | undefined {
  if (!el.bytes) return undefined;
  const text = decodeLatin1(el.bytes).replace(/[ \0]+$/, "").trim();
  if (text === "") return [];
  return text.split("\\").map((s) => s.trim());
}

/**
 * An element's value as Python's `str()` of pydicom's value prints it: text as is,
 * IS/DS as stored, a multi-valued element as `['a', 'b']`, an empty number as `None`.
 * A missing element prints as an empty string.
 */
export function pyStr(el: DataElement | undefined): string {
  if (!el) return "";
  const vr = el.vr;
  if (vr === "IS" || vr === "DS") {
    const texts = numberTexts(el);
    if (texts) {
      if (texts.length === 0) return "None";
      if (texts.length === 1) return texts[0];
      return `[${texts.map((t) => t === "" ? "''" : t).join(", ")}]`;
    }
  }
  const v = el.value;
  if (v === null || v === undefined) return vr === "IS" || vr === "DS" ? "None" : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "";
    if (v.length === 1) return atomStr(v[0], vr);
    return `[${
      (v as unknown[]).map((x) => typeof x === "string" ? pyReprStr(x) : atomStr(x, vr)).join(", ")
    }]`;
  }
  return atomStr(v, vr);
}

/** Python's `str()` of one value: `None`, a float as Python prints it, else the text. */
function atomStr(x: unknown, vr: string): string {
  if (x === null || x === undefined) return "None";
  if (typeof x === "number" && (vr === "FL" || vr === "FD")) return pyStrFloat(x);
  return String(x);
}
