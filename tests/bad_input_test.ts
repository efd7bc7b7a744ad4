/**
 * Broken and hostile input: what `read` does with each broken corpus file, and with
 * hand-made bad streams. It reads what can be read and lists the problems in
 * `ds.warnings`, or throws a `DicomError` naming the byte offset and the tag; with
 * `{ strict: true }` every problem throws. Never a RangeError or TypeError, never a hang,
 * never an allocation sized by a corrupt length.
 */
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import {
  type Dataset,
  DicomError,
  InvalidFileError,
  MalformedError,
  read,
  TruncatedError,
} from "../mod.ts";
import { write } from "../lib/io/write.ts";
import { CORPUS_FILES, corpusMissing, manifest } from "./_corpus.ts";
import {
  concat,
  element,
  encapsulatedPixelData,
  type Encoding,
  fileMeta,
  header,
  item,
  latin1,
  part10,
  seededRandom,
  sequence,
  sequenceDelimiter,
  tagBytes,
  u16,
  u32,
  UNDEFINED,
} from "./_make.ts";

/** Asserts that `fn` throws `type` with exactly this message, offset and tag. */
function throwsExactly(
  fn: () => unknown,
  type: typeof DicomError,
  message: string,
  offset: number | undefined,
  tag?: number,
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `${(e as Error).name}: ${(e as Error).message}`);
    assert.equal(e.message, message);
    assert.equal(e.offset, offset);
    assert.equal(e.tag, tag);
    return true;
  });
}

/** Reads leniently and strictly: warnings when lenient, the first one thrown when strict. */
function lenientAndStrict(
  bytes: Uint8Array,
  warnings: string[],
  strictError: typeof DicomError,
  offset: number,
  tag?: number,
): Dataset {
  const ds = read(bytes);
  assert.deepEqual(ds.warnings, warnings);
  throwsExactly(() => read(bytes, { strict: true }), strictError, warnings[0], offset, tag);
  return ds;
}

// --- the broken files of the corpus ---------------------------------------------------------

const corpus = (name: string) => `${CORPUS_FILES}/${name}`;

Deno.test({
  name: "corpus: every file reads without warnings, except these (the same throw when strict)",
  ignore: corpusMissing(),
  fn() {
    const warned: Record<string, string[]> = {};
    const strictErrors: Record<string, string> = {};
    for (const row of manifest()) {
      const name = row.path.slice("files/dev/".length);
      if (name === "fileset_tiny_alpha/README") continue;
      const ds = read(corpus(name));
      if (ds.warnings.length) warned[name] = ds.warnings;
      try {
        read(corpus(name), { strict: true });
      } catch (e) {
        assert.ok(e instanceof DicomError);
        strictErrors[name] = `${e.name}: ${e.message}`;
      }
    }
    assert.deepEqual(warned, {
      "MR_truncated.dcm": [
        "value of 8192 bytes runs past the end of the input (8130 bytes left) in (7fe0, 0010) at byte 1488",
      ],
      "SC_rgb_jpeg.dcm": [
        "expected explicit VR, but found implicit VR: using implicit VR for reading at byte 356",
      ],
      "fileset_dicomdirtests/DICOMDIR-nooffset": [
        "item of 248 bytes runs past the end of its sequence in (0004, 1220) at byte 10860",
      ],
    });
    assert.deepEqual(strictErrors, {
      "MR_truncated.dcm": `TruncatedError: ${warned["MR_truncated.dcm"][0]}`,
      "SC_rgb_jpeg.dcm": `MalformedError: ${warned["SC_rgb_jpeg.dcm"][0]}`,
      "fileset_dicomdirtests/DICOMDIR-nooffset": `TruncatedError: ${
        warned["fileset_dicomdirtests/DICOMDIR-nooffset"][0]
      }`,
    });
  },
});

Deno.test({
  name: "corpus: MR_truncated.dcm, pixel data cut short, keeps what is there",
  ignore: corpusMissing(),
  fn() {
    const ds = read(corpus("MR_truncated.dcm"));
    assert.equal(ds.size, 72);
    const px = ds.element("PixelData")!;
    assert.equal(px.bytes!.length, 8130);
    assert.equal(ds.Rows, 64);
    throwsExactly(
      () => read(corpus("MR_truncated.dcm"), { strict: true }),
      TruncatedError,
      "value of 8192 bytes runs past the end of the input (8130 bytes left) in (7fe0, 0010) at byte 1488",
      1488,
      0x7fe00010,
    );
  },
});

Deno.test({
  name: "corpus: badVR.dcm, an IS that is not a number, is kept as text",
  ignore: corpusMissing(),
  fn() {
    const ds = read(corpus("badVR.dcm"), { strict: true });
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.element("NumberOfFrames")!.vr, "IS");
    assert.equal(ds.NumberOfFrames, "1A");
    assert.equal(ds.InstanceNumber, null);
    assert.equal(ds.SliceThickness, null);
  },
});

Deno.test({
  name: "corpus: bad_sequence.dcm, explicit UN holding implicit VR items, reads as SQ",
  ignore: corpusMissing(),
  fn() {
    const ds = read(corpus("bad_sequence.dcm"), { strict: true });
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.size, 79);
    const el = ds.element("CTDIPhantomTypeCodeSequence")!;
    assert.equal(el.vr, "SQ");
    assert.equal(el.source!.offset, 1312);
    const [code] = ds.CTDIPhantomTypeCodeSequence!;
    assert.deepEqual(code.encoding, { implicitVR: true, littleEndian: true });
    assert.equal(code.CodeValue, "113691");
    assert.equal(code.CodeMeaning, "IEC Body Dosimetry Phantom");
    // another explicit UN: the dictionary's FL
    assert.equal(ds.element("CalciumScoringMassFactorDevice")!.vr, "FL");
    assert.deepEqual(ds.CalciumScoringMassFactorDevice, [
      Math.fround(0.79),
      Math.fround(0.833),
      Math.fround(0.872),
    ]);
  },
});

Deno.test({
  name: "corpus: meta_missing_tsyntax.dcm, no transfer syntax, inferred implicit VR",
  ignore: corpusMissing(),
  fn() {
    const ds = read(corpus("meta_missing_tsyntax.dcm"), { strict: true });
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.transferSyntaxUID, undefined);
    assert.deepEqual([...ds.fileMeta!].map((e) => e.tag), [
      0x00020000,
      0x00020001,
      0x00020002,
      0x00020003,
      0x00020012,
    ]);
    assert.deepEqual(ds.encoding, { implicitVR: true, littleEndian: true });
    assert.deepEqual([...ds].map((e) => `${e.tag.toString(16)} ${e.vr}`), [
      "10001 SQ",
      "7fe00010 OW",
    ]);
    const outer = (ds.get(0x00010001) as Dataset[])[0];
    const inner = (outer.get(0x00010001) as Dataset[])[0];
    assert.equal(String.fromCharCode(...inner.element(0x00010001)!.bytes!), "Double Nested SQ");
  },
});

Deno.test({
  name: "corpus: no_meta_group_length.dcm, file meta without (0002,0000)",
  ignore: corpusMissing(),
  fn() {
    const ds = read(corpus("no_meta_group_length.dcm"), { strict: true });
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.fileMeta!.has(0x00020000), false);
    assert.equal(ds.fileMeta!.size, 7);
    assert.equal(ds.transferSyntaxUID, "1.2.840.10008.1.2");
    assert.equal(ds.size, 3);
  },
});

Deno.test({
  name: "corpus: files without preamble or file meta are read as bare datasets",
  ignore: corpusMissing(),
  fn() {
    const bare = read(corpus("ExplVR_LitEndNoMeta.dcm"), { strict: true });
    assert.deepEqual(bare.warnings, []);
    assert.equal(bare.fileMeta, undefined);
    assert.equal(bare.preamble, undefined);
    assert.deepEqual(bare.encoding, { implicitVR: false, littleEndian: true });
    assert.equal(bare.size, 24);
    const implicit = read(corpus("tc_MR_small_nometa_implicit.dcm"), { strict: true });
    assert.deepEqual(implicit.encoding, { implicitVR: true, littleEndian: true });
    assert.equal(implicit.size, 73);
    // file meta, but neither preamble nor DICM
    const jls = read(corpus("JLSL_RGB_ILV0.dcm"), { strict: true });
    assert.deepEqual(jls.warnings, []);
    assert.equal(jls.preamble, undefined);
    assert.equal(jls.transferSyntaxUID, "1.2.840.10008.1.2.4.80");
    assert.equal(jls.element("PixelData")!.encapsulated!.fragments.length, 1);
  },
});

Deno.test({
  name: "corpus: the file-set README is not DICOM",
  ignore: corpusMissing(),
  fn() {
    const path = corpus("fileset_tiny_alpha/README");
    throwsExactly(
      () => read(path),
      InvalidFileError,
      "not DICOM: no DICM prefix after a 128-byte preamble, nor a data element at byte 0",
      0,
    );
    // forced, its text is one element of an impossible length
    const forced = read(path, { force: true });
    assert.deepEqual(forced.warnings, [
      "value of 544829033 bytes runs past the end of the input (1198 bytes left) in (2222, 5422) at byte 0",
    ]);
    throwsExactly(
      () => read(path, { force: true, strict: true }),
      TruncatedError,
      forced.warnings[0],
      0,
      0x22225422,
    );
  },
});

Deno.test({
  name: "corpus: a missing file is an InvalidFileError",
  fn() {
    assert.throws(
      () => read("/nonexistent/x.dcm"),
      (e: unknown) =>
        e instanceof InvalidFileError && e.message.startsWith("cannot read /nonexistent/x.dcm: "),
    );
  },
});

// --- hand-made hostile input ----------------------------------------------------------------

Deno.test("bad input: empty, 3 bytes, a wrong preamble, a misplaced DICM", () => {
  throwsExactly(() => read(new Uint8Array(0)), InvalidFileError, "empty input at byte 0", 0);
  const notDicom =
    "not DICOM: no DICM prefix after a 128-byte preamble, nor a data element at byte 0";
  throwsExactly(() => read(new Uint8Array([1, 2, 3])), InvalidFileError, notDicom, 0);
  const rest = concat(fileMeta(), element(0x00080060, "CS", "CT"));
  // DICN for DICM; a 127-byte preamble; a 129-byte one; no DICM at all
  for (
    const bad of [
      concat(new Uint8Array(128), latin1("DICN"), rest),
      concat(new Uint8Array(127), latin1("DICM"), rest),
      concat(new Uint8Array(129), latin1("DICM"), rest),
      concat(new Uint8Array(128), rest),
    ]
  ) {
    throwsExactly(() => read(bad), InvalidFileError, notDicom, 0);
    throwsExactly(() => read(bad, { strict: true }), InvalidFileError, notDicom, 0);
  }
  // the preamble's content is free (TIFF headers live there): only DICM matters
  const junk = Uint8Array.from({ length: 128 }, (_, i) => (i * 37 + 11) & 0xff);
  assert.equal(read(concat(junk, latin1("DICM"), rest), { strict: true }).Modality, "CT");
});

Deno.test("bad input: random bytes are refused, and forced they read or throw a DicomError", () => {
  const rand = seededRandom(7);
  const counts = { refused: 0, forcedRead: 0, forcedError: 0 };
  for (let k = 0; k < 300; k++) {
    const bytes = Uint8Array.from({ length: 1 + Math.floor(rand() * 3000) }, () => rand() * 256);
    assert.throws(() => read(bytes), InvalidFileError);
    counts.refused++;
    for (const strict of [false, true]) {
      try {
        const ds = read(bytes, { force: true, strict });
        String(ds);
        counts.forcedRead++;
      } catch (e) {
        assert.ok(e instanceof DicomError, String(e));
        counts.forcedError++;
      }
    }
  }
  // forced, random bytes always make some element of an impossible length: lenient mode
  // reads with warnings, strict mode throws
  assert.deepEqual(counts, { refused: 300, forcedRead: 300, forcedError: 300 });
});

/** A small valid file: meta, a sequence, private elements, encapsulated pixel data. */
function smallFile(enc: Encoding, ts: string): Uint8Array {
  const body = concat(
    element(0x00080060, "CS", "CT", enc),
    sequence(0x00081115, [item(element(0x00081155, "UI", "1.2.5", enc), {}, enc)], {}, enc),
    sequence(
      0x00081140,
      [
        item(element(0x00081155, "UI", "1.2.3", enc), { undefinedLength: true }, enc),
        item(element(0x00081155, "UI", "1.2.4", enc), {}, enc),
      ],
      { undefinedLength: true },
      enc,
    ),
    element(0x00090010, "LO", "GEMS_IDEN_01", enc),
    element(0x00091002, "SH", "SUITE", enc),
    element(0x00100010, "PN", "Doe^John", enc),
    element(0x00280010, "US", u16([2], enc), enc),
    ts === "1.2.840.10008.1.2.4.50"
      ? encapsulatedPixelData([new Uint8Array([1, 2, 3, 4]), new Uint8Array([5, 6])], [0], enc)
      : element(0x7fe00010, "OW", u16([1, 2, 3, 4], enc), enc),
  );
  const deflated = ts === "1.2.840.10008.1.2.1.99";
  return part10(deflated ? new Uint8Array(deflateRawSync(body)) : body, { transferSyntax: ts });
}

Deno.test("bad input: truncated at every byte, in each transfer syntax", () => {
  const cases: [string, Encoding][] = [
    ["1.2.840.10008.1.2.4.50", {}],
    ["1.2.840.10008.1.2", { implicit: true }],
    ["1.2.840.10008.1.2.2", { bigEndian: true }],
    ["1.2.840.10008.1.2.1.99", {}],
  ];
  for (const [ts, enc] of cases) {
    const file = smallFile(enc, ts);
    const full = read(file, { strict: true });
    const fullTags = [...full].map((e) => e.tag);
    let silent = 0;
    for (let n = 0; n < file.length; n++) {
      const cut = file.slice(0, n);
      if (n < 132) {
        // inside the zero preamble or DICM: not DICOM
        assert.throws(() => read(cut), InvalidFileError, `${ts} at ${n}`);
        assert.throws(() => read(cut, { strict: true }), InvalidFileError, `${ts} at ${n}`);
        continue;
      }
      let ds: Dataset;
      try {
        ds = read(cut);
        String(ds);
        for (const el of ds) void el.value;
      } catch (e) {
        throw new Error(`${ts} cut at ${n}: lenient threw ${e}`);
      }
      let strictError: unknown;
      try {
        read(cut, { strict: true });
      } catch (e) {
        strictError = e;
      }
      if (ds.warnings.length) {
        // strict mode throws the first problem lenient mode noted
        assert.ok(strictError instanceof DicomError, `${ts} at ${n}: ${strictError}`);
        assert.equal(strictError.message, ds.warnings[0]);
        assert.ok(strictError.offset! >= 0, `${ts} at ${n}: ${strictError.message}`);
      } else {
        // cut between two top-level elements: what was there, nothing more
        assert.equal(strictError, undefined, `${ts} at ${n}`);
        const tags = [...ds].map((e) => e.tag);
        assert.deepEqual(tags, fullTags.slice(0, tags.length), `${ts} at ${n}`);
        silent++;
      }
    }
    // the only silent cuts are at the start of each top-level element (the first one right
    // after the meta: an empty dataset); a deflated stream cut anywhere is noticed
    assert.equal(silent, ts === "1.2.840.10008.1.2.1.99" ? 1 : fullTags.length, ts);
  }
});

Deno.test("bad input: a deflated stream cut short inflates as far as it goes", () => {
  const file = smallFile({}, "1.2.840.10008.1.2.1.99");
  const cut = file.subarray(0, file.length - 10);
  const ds = read(cut);
  assert.match(
    ds.warnings[0],
    /^deflated dataset ends before its last block \(\d+ bytes inflated\)/,
  );
  assert.equal(ds.Modality, "CT");
  assert.throws(() => read(cut, { strict: true }), TruncatedError);
  throwsExactly(
    () =>
      read(part10(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), {
        transferSyntax: "1.2.840.10008.1.2.1.99",
      })),
    MalformedError,
    "deflated dataset cannot be inflated: invalid stored block lengths at byte 256",
    256,
  );
});

Deno.test("bad input: a length of 0xFFFFFFFE on a short file allocates nothing", () => {
  for (const implicit of [false, true]) {
    const enc = { implicit };
    const input = concat(
      element(0x00080060, "CS", "CT", enc),
      header(0x00091010, "OB", 0xfffffffe, enc),
      new Uint8Array(10),
    );
    const ds = lenientAndStrict(
      input,
      [
        "value of 4294967294 bytes runs past the end of the input (10 bytes left) in (0009, 1010) at byte 10",
      ],
      TruncatedError,
      10,
      0x00091010,
    );
    const el = ds.element(0x00091010)!;
    assert.equal(el.bytes!.buffer, input.buffer, "a view of the input, not a copy");
    assert.equal(el.bytes!.length, 10);
  }
  // the same length on an item, a sequence and a fragment
  lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT"),
      header(0x00081140, "SQ", UNDEFINED),
      tagBytes(0xfffee000),
      u32([0xfffffffe]),
      element(0x00081155, "UI", "1.2.3"),
    ),
    [
      "item of 4294967294 bytes runs past the end of its sequence in (0008, 1140) at byte 22",
      "sequence without delimiter: input ends in (0008, 1140) at byte 44",
    ],
    TruncatedError,
    22,
    0x00081140,
  );
  lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT"),
      header(0x00081140, "SQ", 0xfffffffe),
      item(element(0x00081155, "UI", "1.2.3")),
    ),
    [
      "value of 4294967294 bytes runs past the end of the input (22 bytes left) in (0008, 1140) at byte 10",
    ],
    TruncatedError,
    10,
    0x00081140,
  );
  lenientAndStrict(
    concat(
      element(0x00280010, "US", u16([1])),
      header(0x7fe00010, "OB", UNDEFINED),
      item(new Uint8Array(0)),
      tagBytes(0xfffee000),
      u32([0xfffffffe]),
      new Uint8Array(12),
    ),
    [
      "fragment of 4294967294 bytes runs past the end of the input in (7fe0, 0010) at byte 30",
      "encapsulated data without sequence delimiter in (7fe0, 0010) at byte 50",
    ],
    TruncatedError,
    30,
    0x7fe00010,
  );
});

Deno.test("bad input: an undefined length where the VR does not allow one", () => {
  const imp = { implicit: true };
  const ds = lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT", imp),
      header(0x00100010, "PN", UNDEFINED, imp),
      latin1("Doe^John"),
      sequenceDelimiter(),
      element(0x00100020, "LO", "ID", imp),
    ),
    ["undefined length is not allowed for VR PN in (0010, 0010) at byte 18"],
    MalformedError,
    18,
    0x00100010,
  );
  // read up to the delimiter, as pydicom does
  assert.equal(String(ds.PatientName), "Doe^John");
  assert.equal(ds.PatientID, "ID");
  lenientAndStrict(
    concat(element(0x00080060, "CS", "CT"), header(0x00104000, "UT", UNDEFINED), latin1("text")),
    [
      "undefined length is not allowed for VR UT in (0010, 4000) at byte 22",
      "undefined-length value without delimiter in (0010, 4000) at byte 22",
    ],
    MalformedError,
    22,
    0x00104000,
  );
});

Deno.test("bad input: sequences nested 200 deep are refused without a stack overflow", () => {
  function nest(depth: number, undefinedLength: boolean): Uint8Array {
    let inner = element(0x00100020, "LO", "deep");
    for (let i = 0; i < depth; i++) {
      inner = sequence(0x00081140, [item(inner, { undefinedLength })], { undefinedLength });
    }
    return inner;
  }
  // 64 levels read
  let ds = read(nest(64, true), { strict: true });
  for (let i = 0; i < 64; i++) ds = ds.ReferencedImageSequence![0];
  assert.equal(ds.PatientID, "deep");
  for (const undefinedLength of [true, false]) {
    for (const depth of [65, 200]) {
      for (const strict of [false, true]) {
        throwsExactly(
          () => read(nest(depth, undefinedLength), { strict }),
          MalformedError,
          "sequences nested deeper than 64 levels in (0008, 1140) at byte 1292",
          1292,
          0x00081140,
        );
      }
    }
  }
});

Deno.test("bad input: an item tag that is not (FFFE,E000)", () => {
  const ds = lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT"),
      header(0x00081140, "SQ", UNDEFINED),
      element(0x00081155, "UI", "1.2.3"),
      sequenceDelimiter(),
      element(0x00100020, "LO", "ID"),
    ),
    [
      "expected an item tag (fffe, e000), found (0008, 1155) in (0008, 1140) at byte 22",
      "item of 411989 bytes runs past the end of its sequence in (0008, 1140) at byte 22",
      "value of 4294836275 bytes runs past the end of the input (16 bytes left) in (2e31, 2e32) at byte 30",
      "sequence without delimiter: input ends in (0008, 1140) at byte 54",
    ],
    MalformedError,
    22,
    0x00081140,
  );
  assert.equal(ds.element("ReferencedImageSequence")!.vr, "SQ");
  lenientAndStrict(
    concat(
      element(0x00280010, "US", u16([1])),
      header(0x7fe00010, "OB", UNDEFINED),
      item(new Uint8Array(0)),
      element(0x00081155, "UI", "1.2.3"),
      sequenceDelimiter(),
    ),
    [
      "expected a fragment item tag (fffe, e000), found (0008, 1155) in (7fe0, 0010) at byte 30",
      "encapsulated data without sequence delimiter in (7fe0, 0010) at byte 30",
    ],
    MalformedError,
    30,
    0x7fe00010,
  );
});

Deno.test("bad input: an invalid VR, lengths past an item, missing delimiters", () => {
  const ds = lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT"),
      element(0x00100010, "ZZ", "Doe"),
      element(0x00100020, "LO", "ID"),
    ),
    ['invalid VR "ZZ": read as UN in (0010, 0010) at byte 10'],
    MalformedError,
    10,
    0x00100010,
  );
  assert.equal(ds.element("PatientName")!.vr, "UN");
  assert.deepEqual([...ds.element("PatientName")!.value as Uint8Array], [...latin1("Doe ")]);
  assert.equal(ds.PatientID, "ID");
  // an item longer than its (defined-length) sequence
  lenientAndStrict(
    concat(
      sequence(0x00081140, [
        concat(tagBytes(0xfffee000), u32([100]), element(0x00081155, "UI", "1.2.3")),
      ]),
      element(0x00100020, "LO", "ID-1234567890"),
    ),
    ["item of 100 bytes runs past the end of its sequence in (0008, 1140) at byte 12"],
    MalformedError,
    12,
    0x00081140,
  );
  // a value longer than its item
  const past = lenientAndStrict(
    concat(
      sequence(0x00081140, [item(concat(header(0x00081155, "UI", 40), latin1("1.2.3.4")))]),
      element(0x00100020, "LO", "ID-1234567890"),
    ),
    ["value of 40 bytes runs past the end of the item (7 bytes left) in (0008, 1155) at byte 20"],
    MalformedError,
    20,
    0x00081155,
  );
  assert.equal(past.PatientID, "ID-1234567890", "the next element is read where it is");
  // no sequence delimiter; no item delimiter
  lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT"),
      header(0x00081140, "SQ", UNDEFINED),
      item(element(0x00081155, "UI", "1.2.3")),
    ),
    ["sequence without delimiter: input ends in (0008, 1140) at byte 44"],
    TruncatedError,
    44,
    0x00081140,
  );
  lenientAndStrict(
    concat(
      element(0x00080060, "CS", "CT"),
      header(0x00081140, "SQ", UNDEFINED),
      tagBytes(0xfffee000),
      u32([UNDEFINED]),
      element(0x00081155, "UI", "1.2.3"),
    ),
    [
      "item without delimiter: input ends in (0008, 1140) at byte 44",
      "sequence without delimiter: input ends in (0008, 1140) at byte 44",
    ],
    TruncatedError,
    44,
    0x00081140,
  );
});

Deno.test("bad input: seeded mutations of valid files read, print and write, or throw DicomError", () => {
  const rand = seededRandom(2024);
  const bases = [
    smallFile({}, "1.2.840.10008.1.2.4.50"),
    smallFile({ implicit: true }, "1.2.840.10008.1.2"),
    smallFile({ bigEndian: true }, "1.2.840.10008.1.2.2"),
  ];
  const counts: Record<string, number> = {};
  for (const base of bases) {
    for (let k = 0; k < 400; k++) {
      const bytes = base.slice();
      for (let f = 1 + Math.floor(rand() * 6); f > 0; f--) {
        const r = rand();
        bytes[Math.floor(rand() * bytes.length)] = r < 0.3 ? 0xff : r < 0.5 ? 0 : rand() * 256;
      }
      for (const strict of [false, true]) {
        let outcome: string;
        try {
          const ds = read(bytes, { strict, force: true });
          String(ds);
          for (const el of ds) void [el.value, el.name, el.vm];
          write(ds);
          outcome = "read";
        } catch (e) {
          assert.ok(e instanceof DicomError, String((e as Error).stack));
          outcome = e.name;
        }
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
    }
  }
  assert.deepEqual(counts, { MalformedError: 288, TruncatedError: 437, read: 1675 });
});

Deno.test("bad input: delimiters out of place are skipped; a missing item delimiter recovers", () => {
  for (
    const [tag, what] of [
      [0xfffee00d, "item delimiter (fffe, e00d)"],
      [0xfffee0dd, "sequence delimiter (fffe, e0dd)"],
      [0xfffee000, "item tag (fffe, e000)"],
    ] as const
  ) {
    for (const implicit of [false, true]) {
      const enc = { implicit };
      const ds = lenientAndStrict(
        concat(
          element(0x00080060, "CS", "CT", enc),
          tagBytes(tag),
          u32([0]),
          element(0x00100020, "LO", "ID", enc),
        ),
        [`misplaced ${what}: skipped at byte 10`],
        MalformedError,
        10,
      );
      // pydicom stops at a stray item delimiter and fails on the others: we read on
      assert.deepEqual([...ds].map((e) => e.keyword), ["Modality", "PatientID"]);
    }
  }
  // items of undefined length whose delimiters are missing: the next item, or the
  // sequence's end, ends them
  const ds = lenientAndStrict(
    concat(
      header(0x00081140, "SQ", UNDEFINED),
      tagBytes(0xfffee000),
      u32([UNDEFINED]),
      element(0x00081155, "UI", "1.2.3"),
      tagBytes(0xfffee000),
      u32([UNDEFINED]),
      element(0x00081155, "UI", "1.2.4"),
      sequenceDelimiter(),
      element(0x00100020, "LO", "ID"),
    ),
    [
      "item without delimiter: (fffe, e000) found in (0008, 1140) at byte 34",
      "item without delimiter: (fffe, e0dd) found in (0008, 1140) at byte 56",
    ],
    MalformedError,
    34,
    0x00081140,
  );
  assert.deepEqual(ds.ReferencedImageSequence!.map((d) => d.ReferencedSOPInstanceUID), [
    "1.2.3",
    "1.2.4",
  ]);
  assert.equal(ds.PatientID, "ID");
});
