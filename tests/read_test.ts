/**
 * `read` on hand-made byte streams: every framing (Part 10, no preamble, bare datasets in
 * each encoding, deflated), sequences, encapsulated pixel data, private elements, pydicom's
 * lenient VR switches, `stopBeforePixels`, and values typed by VR.
 */
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { Dataset, InvalidFileError, MalformedError, PersonName, read } from "../mod.ts";
import {
  concat,
  element,
  encapsulatedPixelData,
  type Encoding,
  f32,
  f64,
  header,
  item,
  latin1,
  part10,
  sequence,
  sequenceDelimiter,
  u16,
  u32,
  UNDEFINED,
} from "./_make.ts";

const CT = "1.2.840.10008.5.1.4.1.1.2";
const IMPLICIT_LE = "1.2.840.10008.1.2";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const EXPLICIT_BE = "1.2.840.10008.1.2.2";
const DEFLATED = "1.2.840.10008.1.2.1.99";

/** A small dataset in the given encoding, elements in tag order. */
function sample(enc: Encoding = {}): Uint8Array {
  return concat(
    element(0x00080008, "CS", "ORIGINAL\\PRIMARY\\AXIAL", enc),
    element(0x00080016, "UI", CT, enc),
    element(0x00080020, "DA", "", enc),
    element(0x00080060, "CS", "CT", enc),
    element(0x00100010, "PN", "Doe^John^^Dr=Ideo^Graphic", enc),
    element(0x00100020, "LO", "ID-1", enc),
    element(0x00180050, "DS", "2.5", enc),
    element(0x00200013, "IS", " 7", enc),
    element(0x00200032, "DS", "-1.5\\2\\3e2", enc),
    element(0x00201041, "DS", "", enc),
    element(0x00280009, "AT", u16([0x0018, 0x1063], enc), enc),
    element(0x00280010, "US", u16([4], enc), enc),
    element(0x00280011, "US", u16([2], enc), enc),
    element(0x00280030, "DS", "0.5\\0.25", enc),
    element(0x00280100, "US", u16([16], enc), enc),
    element(0x00280103, "US", u16([0], enc), enc),
    element(0x00281050, "DS", "40\\400", enc),
    element(0x00281052, "DS", "-1024", enc),
    element(0x7fe00010, "OW", u16([1, 0x1234, 0xfffe, 0x8000, 0, 0, 7, 8], enc), enc),
  );
}

/** The values of {@linkcode sample}, whatever the encoding. */
function checkSample(ds: Dataset): void {
  assert.deepEqual(ds.ImageType, ["ORIGINAL", "PRIMARY", "AXIAL"]);
  assert.equal(ds.SOPClassUID, CT);
  assert.equal(ds.StudyDate, "");
  assert.equal(ds.Modality, "CT");
  assert.ok(ds.PatientName instanceof PersonName);
  assert.equal(String(ds.PatientName), "Doe^John^^Dr=Ideo^Graphic");
  assert.equal(ds.PatientID, "ID-1");
  assert.equal(ds.SliceThickness, 2.5);
  assert.equal(ds.InstanceNumber, 7);
  assert.deepEqual(ds.ImagePositionPatient, [-1.5, 2, 300]);
  assert.equal(ds.SpacingBetweenSlices, undefined);
  assert.equal(ds.get(0x00201041), null);
  assert.equal(ds.FrameIncrementPointer, 0x00181063);
  assert.equal(ds.Rows, 4);
  assert.equal(ds.Columns, 2);
  assert.deepEqual(ds.PixelSpacing, [0.5, 0.25]);
  assert.deepEqual(ds.WindowCenter, [40, 400]);
  assert.equal(ds.RescaleIntercept, -1024);
  const px = ds.PixelData;
  assert.ok(px instanceof Uint16Array);
  assert.deepEqual([...px], [1, 0x1234, 0xfffe, 0x8000, 0, 0, 7, 8]);
  assert.equal(ds.element("PixelData")?.vr, "OW");
}

Deno.test("read: Part 10 file with preamble and file meta", () => {
  const bytes = part10(sample(), { transferSyntax: EXPLICIT_LE, sopInstance: "1.2.3.4" });
  bytes[0] = 0x49; // a preamble need not be zeros (TIFF headers live there)
  const ds = read(bytes);
  assert.deepEqual(ds.warnings, []);
  assert.equal(ds.preamble?.length, 128);
  assert.equal(ds.preamble?.[0], 0x49);
  assert.equal(ds.transferSyntaxUID, EXPLICIT_LE);
  assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: true });
  const meta = ds.fileMeta!;
  assert.deepEqual([...meta].map((e) => e.tag), [
    0x00020000,
    0x00020001,
    0x00020002,
    0x00020003,
    0x00020010,
    0x00020012,
  ]);
  assert.equal(meta.get("MediaStorageSOPClassUID"), CT);
  assert.equal(meta.get("MediaStorageSOPInstanceUID"), "1.2.3.4");
  assert.deepEqual([...(meta.get("FileMetaInformationVersion") as Uint8Array)], [0, 1]);
  assert.equal(ds.has(0x00020010), false, "the meta is not in the dataset");
  assert.equal(ds.size, 19);
  checkSample(ds);
});

Deno.test("read: DICM prefix without the preamble", () => {
  const ds = read(part10(sample(), { preamble: false }));
  assert.deepEqual(ds.warnings, ["no 128-byte preamble: the file starts with DICM"]);
  assert.equal(ds.preamble, undefined);
  assert.equal(ds.transferSyntaxUID, EXPLICIT_LE);
  checkSample(ds);
});

Deno.test("read: bare dataset, implicit VR little endian (VRs from the dictionary)", () => {
  const ds = read(sample({ implicit: true }));
  assert.deepEqual(ds.warnings, []);
  assert.equal(ds.fileMeta, undefined);
  assert.equal(ds.preamble, undefined);
  assert.equal(ds.transferSyntaxUID, undefined);
  assert.deepEqual(ds.encoding, { implicitVR: true, littleEndian: true });
  checkSample(ds);
  assert.equal(ds.element("PatientName")?.vr, "PN");
  assert.equal(ds.element("FrameIncrementPointer")?.vr, "AT");
});

Deno.test("read: bare dataset, explicit VR little endian", () => {
  const ds = read(sample());
  assert.deepEqual(ds.warnings, []);
  assert.equal(ds.fileMeta, undefined);
  assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: true });
  checkSample(ds);
});

Deno.test("read: bare dataset, explicit VR big endian (first group read as LE is >= 1024)", () => {
  const bytes = sample({ bigEndian: true });
  assert.deepEqual([...bytes.subarray(0, 6)], [0x00, 0x08, 0x00, 0x08, 0x43, 0x53]);
  const ds = read(bytes);
  assert.deepEqual(ds.warnings, []);
  assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: false });
  checkSample(ds);
});

Deno.test("read: Part 10 explicit VR big endian, binary VRs in machine order", () => {
  const be: Encoding = { bigEndian: true };
  const ds = read(part10(
    concat(
      element(0x00181063, "DS", "33.3", be),
      element(0x00280106, "US", u16([0xfffe], be), be), // US or SS: US with PixelRepresentation 0
      element(0x00283002, "US", u16([256, 0, 16], be), be), // US or SS
      element(0x00640009, "OF", f32([1.5, -2, 1e-3], be), be),
      element(0x00660022, "OD", f64([Math.PI, -0.5], be), be),
      element(0x00660040, "OL", u32([1, 0x01020304], be), be),
      element(0x00720076, "FL", f32([0.25, 8], be), be),
      element(0x00720074, "FD", f64([1e300], be), be),
      element(0x00720078, "UL", u32([0xdeadbeef], be), be),
      element(0x0072007c, "SL", u32([0xfffffffe], be), be),
      element(0x7fe00010, "OW", u16([1, 0x1234, 0xfffe], be), be),
    ),
    { transferSyntax: EXPLICIT_BE },
  ));
  assert.deepEqual(ds.warnings, []);
  assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: false });
  assert.equal(ds.FrameTime, 33.3);
  assert.equal(ds.SmallestImagePixelValue, 0xfffe);
  assert.deepEqual(ds.LUTDescriptor, [256, 0, 16]);
  const of = ds.VectorGridData;
  assert.ok(of instanceof Float32Array);
  assert.deepEqual([...of], [1.5, -2, Math.fround(1e-3)]);
  const od = ds.DoublePointCoordinatesData;
  assert.ok(od instanceof Float64Array);
  assert.deepEqual([...od], [Math.PI, -0.5]);
  const ol = ds.LongPrimitivePointIndexList;
  assert.ok(ol instanceof Uint32Array);
  assert.deepEqual([...ol], [1, 0x01020304]);
  assert.deepEqual(ds.get(0x00720076), [0.25, 8]);
  assert.equal(ds.get(0x00720074), 1e300);
  assert.equal(ds.get(0x00720078), 0xdeadbeef);
  assert.equal(ds.get(0x0072007c), -2);
  const px = ds.PixelData;
  assert.ok(px instanceof Uint16Array);
  assert.deepEqual([...px], [1, 0x1234, 0xfffe]);
  // the element keeps the stored bytes, big endian
  assert.deepEqual([...ds.element("PixelData")!.bytes!], [0, 1, 0x12, 0x34, 0xff, 0xfe]);
});

Deno.test("read: Part 10 implicit VR little endian", () => {
  const ds = read(part10(sample({ implicit: true }), { transferSyntax: IMPLICIT_LE }));
  assert.deepEqual(ds.warnings, []);
  assert.deepEqual(ds.encoding, { implicitVR: true, littleEndian: true });
  assert.equal(ds.transferSyntaxUID, IMPLICIT_LE);
  checkSample(ds);
});

Deno.test("read: deflated explicit VR little endian", () => {
  const body = new Uint8Array(deflateRawSync(sample()));
  const bytes = part10(body, { transferSyntax: DEFLATED });
  const ds = read(bytes);
  assert.deepEqual(ds.warnings, []);
  assert.equal(ds.transferSyntaxUID, DEFLATED);
  assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: true });
  checkSample(ds);
  // offsets are in the inflated stream
  const plain = sample();
  const at = plain.findIndex((_, i) => String.fromCharCode(...plain.subarray(i, i + 4)) === "Doe^");
  assert.equal(ds.element("PatientName")!.source!.offset, at);
});

Deno.test("read: sequences of defined and undefined length, nested 3 deep", () => {
  for (const implicit of [false, true]) {
    const enc: Encoding = { implicit };
    const level3 = item(element(0x00100020, "LO", "deep", enc), {}, enc);
    const level2 = item(
      concat(
        element(0x00081150, "UI", CT, enc),
        sequence(0x00082112, [level3], { undefinedLength: true }, enc),
      ),
      { undefinedLength: true },
      enc,
    );
    const bytes = concat(
      element(0x00080060, "CS", "CT", enc),
      sequence(
        0x00081140,
        [
          item(sequence(0x00081115, [level2], {}, enc), {}, enc),
          item(element(0x00081155, "UI", "1.2.3", enc), { undefinedLength: true }, enc),
          item(new Uint8Array(0), {}, enc), // an empty item
        ],
        { undefinedLength: true },
        enc,
      ),
      sequence(0x00400275, [], {}, enc), // an empty sequence
      element(0x00200013, "IS", "3", enc),
    );
    const ds = read(bytes);
    assert.deepEqual(ds.warnings, [], `implicit ${implicit}`);
    assert.deepEqual([...ds].map((e) => e.keyword), [
      "Modality",
      "ReferencedImageSequence",
      "InstanceNumber",
      "RequestAttributesSequence",
    ]);
    const seq = ds.ReferencedImageSequence!;
    assert.equal(seq.length, 3);
    assert.ok(seq.every((d) => d instanceof Dataset));
    assert.equal(ds.element("ReferencedImageSequence")!.vr, "SQ");
    assert.equal(ds.element("ReferencedImageSequence")!.vm, 3);
    const l2 = seq[0].ReferencedSeriesSequence![0];
    assert.equal(l2.ReferencedSOPClassUID, CT);
    const l3 = l2.SourceImageSequence![0];
    assert.equal(l3.PatientID, "deep");
    assert.equal(l3.parent, l2);
    assert.equal(l2.parent, seq[0]);
    assert.equal(seq[0].parent, ds);
    assert.equal(seq[1].ReferencedSOPInstanceUID, "1.2.3");
    assert.equal(seq[2].size, 0);
    assert.deepEqual(ds.RequestAttributesSequence, []);
    assert.equal(ds.InstanceNumber, 3);
  }
});

Deno.test("read: encapsulated pixel data, empty and filled basic offset table", () => {
  const a = new Uint8Array([0xff, 0xd8, 1, 2, 3, 4]);
  const b = new Uint8Array([5, 6]);
  const c = new Uint8Array([0xff, 0xd8, 7, 8, 0xff, 0xd9]);
  const pre = concat(element(0x00280008, "IS", "2"), element(0x00280010, "US", u16([8])));
  for (const offsets of [[], [0, 24]]) {
    const ds = read(part10(
      concat(pre, encapsulatedPixelData([a, b, c], offsets)),
      { transferSyntax: "1.2.840.10008.1.2.4.50" },
    ));
    assert.deepEqual(ds.warnings, []);
    const el = ds.element("PixelData")!;
    assert.equal(el.vr, "OB");
    assert.equal(el.source?.undefinedLength, true);
    const enc = el.encapsulated!;
    assert.ok(enc.basicOffsetTable instanceof Uint32Array);
    assert.deepEqual([...enc.basicOffsetTable], offsets);
    assert.deepEqual(enc.fragments.map((f) => [...f]), [[...a], [...b], [...c]]);
    // each fragment's item tag, relative to the first fragment's: 8 + 6, then 8 + 2
    assert.deepEqual(enc.fragmentPositions, [0, 14, 24]);
    assert.equal(ds.NumberOfFrames, 2);
  }
});

Deno.test("read: encapsulated pixel data in big endian and with no fragments", () => {
  const be: Encoding = { bigEndian: true };
  const ds = read(concat(
    element(0x00280010, "US", u16([8], be), be),
    encapsulatedPixelData([new Uint8Array([9, 8, 7, 6])], [0], be),
  ));
  assert.deepEqual([...ds.element("PixelData")!.encapsulated!.basicOffsetTable], [0]);
  assert.deepEqual([...ds.element("PixelData")!.encapsulated!.fragments[0]], [9, 8, 7, 6]);
  const empty = read(concat(element(0x00280010, "US", u16([8])), encapsulatedPixelData([])));
  assert.deepEqual(empty.element("PixelData")!.encapsulated!.fragments, []);
  assert.deepEqual(empty.warnings, []);
});

Deno.test("read: private blocks, names from the private dictionary, VRs in implicit VR", () => {
  for (const implicit of [false, true]) {
    const enc: Encoding = { implicit };
    const ds = read(concat(
      element(0x00080060, "CS", "MR", enc),
      element(0x00090010, "LO", "GEMS_IDEN_01", enc),
      element(0x00090011, "LO", "UNKNOWN CREATOR", enc),
      element(0x00091002, "SH", "SUITE", enc),
      element(0x00091117, "LT", "free text", enc),
      element(0x00191001, "LO", "no creator", enc),
    ));
    assert.deepEqual(ds.warnings, []);
    const creator = ds.element(0x0009, 0x0010)!;
    assert.equal(creator.name, "Private Creator");
    assert.equal(creator.keyword, "");
    assert.equal(creator.vr, "LO");
    const known = ds.element(0x0009, 0x1002)!;
    assert.equal(known.name, "[Suite id]");
    assert.equal(known.vr, "SH");
    assert.equal(known.value, "SUITE");
    assert.equal(known.privateCreator, "GEMS_IDEN_01");
    const unknown = ds.element(0x0009, 0x1117)!;
    assert.equal(unknown.name, "Private tag data");
    assert.equal(unknown.privateCreator, "UNKNOWN CREATOR");
    const orphan = ds.element(0x0019, 0x1001)!;
    assert.equal(orphan.name, "Private tag data");
    if (implicit) {
      // no dictionary entry: the bytes, as pydicom reads an unknown private element
      assert.equal(unknown.vr, "UN");
      assert.deepEqual(unknown.value, latin1("free text "));
      assert.equal(orphan.vr, "UN");
    } else {
      assert.equal(unknown.vr, "LT");
      assert.equal(unknown.value, "free text");
      assert.equal(orphan.value, "no creator");
    }
    assert.deepEqual(ds.dir(), ["Modality"], "dir() lists no private elements");
  }
});

Deno.test("read: UN of undefined length is a sequence with implicit VR items", () => {
  const imp: Encoding = { implicit: true };
  const ds = read(part10(concat(
    element(0x00080060, "CS", "CT"),
    header(0x00081140, "UN", UNDEFINED),
    item(element(0x00081155, "UI", "1.2.3.4", imp), { undefinedLength: true }, imp),
    item(element(0x00081155, "UI", "1.2.3.5", imp), {}, imp),
    sequenceDelimiter(),
    element(0x00200013, "IS", "1"),
  )));
  assert.deepEqual(ds.warnings, []);
  const el = ds.element("ReferencedImageSequence")!;
  assert.equal(el.vr, "SQ");
  const items = ds.ReferencedImageSequence!;
  assert.deepEqual(items.map((d) => d.ReferencedSOPInstanceUID), ["1.2.3.4", "1.2.3.5"]);
  assert.deepEqual(items[0].encoding, { implicitVR: true, littleEndian: true });
  assert.equal(ds.InstanceNumber, 1);
});

Deno.test("read: explicit VR UN of defined length gets the dictionary VR", () => {
  const ds = read(concat(
    element(0x00080060, "UN", latin1("CT")),
    element(0x00280010, "UN", u16([512])),
    element(0x00091001, "UN", latin1("ab")),
  ));
  assert.equal(ds.element("Modality")!.vr, "CS");
  assert.equal(ds.Modality, "CT");
  assert.equal(ds.element("Rows")!.vr, "US");
  assert.equal(ds.Rows, 512);
  assert.equal(ds.element(0x00091001)!.vr, "UN");
});

Deno.test("read: explicit VR transfer syntax with an implicit VR dataset switches, with a warning", () => {
  const ds = read(part10(sample({ implicit: true }), { transferSyntax: EXPLICIT_LE }));
  assert.deepEqual(ds.warnings, [
    "expected explicit VR, but found implicit VR: using implicit VR for reading at byte 254",
  ]);
  assert.deepEqual(ds.encoding, { implicitVR: true, littleEndian: true });
  checkSample(ds);
  // pydicom raises in its strict mode too
  assert.throws(
    () => read(part10(sample({ implicit: true })), { strict: true }),
    (e: unknown) => e instanceof MalformedError && e.offset === 254 && e.tag === undefined,
  );
});

Deno.test("read: implicit VR transfer syntax with an explicit VR dataset switches, with a warning", () => {
  const ds = read(part10(sample(), { transferSyntax: IMPLICIT_LE }));
  assert.deepEqual(ds.warnings, [
    "expected implicit VR, but found explicit VR: using explicit VR for reading at byte 252",
  ]);
  assert.deepEqual(ds.encoding, { implicitVR: false, littleEndian: true });
  checkSample(ds);
});

Deno.test("read: implicit VR items inside an explicit VR sequence (PS3.5 6.2.2)", () => {
  const imp: Encoding = { implicit: true };
  const ds = read(concat(
    sequence(0x00081140, [
      item(element(0x00081155, "UI", "1.2.3", imp), { undefinedLength: true }, imp),
    ], { undefinedLength: true }),
    element(0x00200013, "IS", "9"),
  ));
  assert.deepEqual(ds.warnings, []);
  assert.equal(ds.ReferencedImageSequence![0].ReferencedSOPInstanceUID, "1.2.3");
  assert.equal(ds.ReferencedImageSequence![0].encoding.implicitVR, true);
  assert.equal(ds.InstanceNumber, 9);
});

Deno.test("read: stopBeforePixels from bytes", () => {
  for (const ts of [EXPLICIT_LE, IMPLICIT_LE]) {
    const body = sample({ implicit: ts === IMPLICIT_LE });
    const ds = read(part10(body, { transferSyntax: ts }), { stopBeforePixels: true });
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.has("PixelData"), false);
    assert.equal(ds.RescaleIntercept, -1024);
    assert.equal(ds.size, 18);
  }
  // pixel data inside a sequence item is not "the" pixel data
  const nested = concat(
    sequence(0x00089121, /* any SQ */ [item(element(0x7fe00010, "OW", u16([1, 2])))]),
    element(0x00280010, "US", u16([1])),
    element(0x7fe00010, "OW", u16([1, 2])),
  );
  const ds = read(nested, { stopBeforePixels: true });
  const items = ds.get(0x00089121) as Dataset[];
  assert.deepEqual([...items[0].PixelData as Uint16Array], [1, 2]);
  assert.equal(ds.Rows, 1);
  assert.equal(ds.has("PixelData"), false);
});

Deno.test("read: stopBeforePixels from a path reads only the head of a big file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const pixels = new Uint8Array(8 * 1024 * 1024).fill(0x5a);
    const head = concat(
      element(0x00080060, "CS", "MR"),
      element(0x00280010, "US", u16([2048])),
      element(0x00280011, "US", u16([2048])),
    );
    const path = `${dir}/big.dcm`;
    Deno.writeFileSync(
      path,
      part10(concat(head, header(0x7fe00010, "OW", pixels.length), pixels)),
    );
    const ds = read(path, { stopBeforePixels: true });
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.has("PixelData"), false);
    assert.equal(ds.Modality, "MR");
    assert.equal(ds.Rows, 2048);
    // the parse loaded only the first 64 KiB block: the pixel bytes (0x5a in the file)
    // are still zeros in the on-demand buffer
    const buffer = new Uint8Array(ds.element("Modality")!.bytes!.buffer);
    assert.equal(buffer.length, Deno.statSync(path).size);
    assert.ok(buffer.subarray(64 * 1024).every((b) => b === 0), "nothing past the first block");
    // the whole file still reads
    const full = read(path);
    assert.equal((full.PixelData as Uint16Array).length, 4 * 1024 * 1024);
    // a head longer than the first block: the blocks it covers are read, no more
    const long = part10(concat(
      element(0x00080060, "CS", "MR"),
      element(0x00189999, "OB", new Uint8Array(200_000).fill(1)),
      element(0x00280010, "US", u16([7])),
      header(0x7fe00010, "OW", pixels.length),
      pixels,
    ));
    Deno.writeFileSync(path, long);
    const ds2 = read(path, { stopBeforePixels: true });
    assert.equal(ds2.Rows, 7);
    const buffer2 = new Uint8Array(ds2.element("Rows")!.bytes!.buffer);
    assert.ok(buffer2.subarray(256 * 1024).every((b) => b === 0), "four blocks at most");
    assert.equal(ds2.has("PixelData"), false);
    assert.deepEqual(ds2.warnings, []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("read: keyword, tag and (group, element) access; element fields; iteration order", () => {
  // elements out of order on the wire come back in tag order
  const ds = read(concat(
    element(0x00100020, "LO", "ID-9"),
    element(0x00080060, "CS", "CT"),
    element(0x00100010, "PN", "Doe^Jane"),
    element(0x00180015, "CS", "HEAD\\NECK"),
  ));
  assert.deepEqual([...ds].map((e) => e.tag), [0x00080060, 0x00100010, 0x00100020, 0x00180015]);
  assert.equal(String(ds.PatientName), "Doe^Jane");
  assert.equal(String(ds.get("PatientName")), "Doe^Jane");
  assert.equal(String(ds.get(0x00100010)), "Doe^Jane");
  assert.equal(ds.get("PatientBirthDate"), undefined);
  assert.equal(ds.PatientBirthDate, undefined);
  assert.equal(ds.has("PatientID"), true);
  assert.equal(ds.has(0x00100020), true);
  assert.equal(ds.has("PatientAge"), false);
  assert.equal(ds.has("NotAKeyword"), false);
  const el = ds.element(0x10, 0x10)!;
  assert.equal(el.tag, 0x00100010);
  assert.equal(el.vr, "PN");
  assert.equal(el.vm, 1);
  assert.equal(el.keyword, "PatientName");
  assert.equal(el.name, "Patient's Name");
  const pn = el.value as PersonName;
  assert.equal(pn.familyName, "Doe");
  assert.equal(pn.givenName, "Jane");
  assert.equal(ds.element("BodyPartExamined")!.vm, 2);
  assert.equal(ds.element(0x00180015), ds.element("BodyPartExamined"));
  assert.equal(ds.element(0x0018, 0x0016), undefined);
});

Deno.test("read: values typed by VR, empty values", () => {
  const ds = read(concat(
    element(0x00080005, "CS", "ISO_IR 100"),
    element(0x00080008, "CS", "A\\B\\\\D"),
    element(0x00080020, "DA", ""),
    element(0x00080090, "PN", ""),
    element(0x00081030, "LO", "one\\two"),
    element(0x00100010, "PN", "A^B\\C^D"),
    element(0x00104000, "LT", "a\\b stays one value"),
    element(0x00181020, "LO", ""),
    element(0x00200012, "IS", ""),
    element(0x00200032, "DS", "1\\\\3"),
    element(0x00280010, "US", new Uint8Array(0)),
    element(0x00280034, "IS", "4\\3"),
    element(0x00281053, "DS", "1.0E+00"),
    element(0x00540081, "US", new Uint8Array(0)),
    element(0x00720078, "UL", new Uint8Array(0)),
    element(0x00720076, "FL", new Uint8Array(0)),
    element(0x00209165, "AT", u16([0x0020, 0x0032, 0x0028, 0x0030])),
    element(0x7fe00010, "OB", new Uint8Array(0)),
  ));
  assert.deepEqual(ds.ImageType, ["A", "B", "", "D"]);
  assert.equal(ds.StudyDate, "");
  assert.equal(String(ds.ReferringPhysicianName), "");
  assert.ok(ds.ReferringPhysicianName instanceof PersonName);
  assert.deepEqual(ds.StudyDescription, ["one", "two"]);
  const names = ds.PatientName as unknown as PersonName[];
  assert.deepEqual(names.map(String), ["A^B", "C^D"]);
  assert.equal(ds.PatientComments, "a\\b stays one value");
  assert.equal(ds.SoftwareVersions, "");
  assert.equal(ds.AcquisitionNumber, null);
  assert.deepEqual(ds.ImagePositionPatient, [1, null, 3]);
  assert.equal(ds.Rows, null);
  assert.deepEqual(ds.PixelAspectRatio, [4, 3]);
  assert.equal(ds.RescaleSlope, 1);
  assert.equal(ds.NumberOfSlices, null);
  assert.equal(ds.get(0x00720078), null);
  assert.equal(ds.get(0x00720076), null);
  assert.deepEqual(ds.get(0x00209165), [0x00200032, 0x00280030]);
  assert.equal(ds.element(0x00209165)!.vr, "AT");
  assert.equal(ds.element("Rows")!.vm, 0);
  assert.equal(ds.element("StudyDate")!.vm, 0);
  assert.equal(ds.PixelData, null, "an empty binary value is null, as pydicom's None");
  assert.equal(ds.element("PixelData")!.vm, 0);
});

Deno.test("read: deferSize leaves large values on disk until they are asked for", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const blob = new Uint8Array(300_000).map((_, i) => i % 251);
    const path = `${dir}/deferred.dcm`;
    Deno.writeFileSync(
      path,
      part10(concat(
        element(0x00080060, "CS", "CT"),
        element(0x00091010, "OB", blob),
        element(0x00280010, "US", u16([4])),
        element(0x7fe00010, "OB", new Uint8Array(16)),
      )),
    );
    const ds = read(path, { deferSize: 1024 });
    assert.equal(ds.Modality, "CT");
    assert.equal(ds.Rows, 4);
    const el = ds.element(0x00091010)!;
    const offset = el.source!.offset;
    const buffer = new Uint8Array(ds.element("Rows")!.bytes!.buffer);
    // the blocks wholly inside the blob were never read
    const innerStart = Math.ceil(offset / 65536) * 65536;
    assert.ok(buffer.subarray(innerStart, innerStart + 131072).every((b) => b === 0));
    assert.equal(String(ds).includes("Array of 300000 elements"), true);
    // asked for: read from disk now, the file reopened
    assert.deepEqual(el.value, blob);
    // a deferred value whose file is gone is an error naming the file and the tag
    const ds2 = read(path, { deferSize: 1024 });
    Deno.removeSync(path);
    assert.throws(
      () => ds2.element(0x00091010)!.value,
      (e) =>
        e instanceof InvalidFileError && /cannot read .*deferred\.dcm/.test(e.message) &&
        e.tag === 0x00091010,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
