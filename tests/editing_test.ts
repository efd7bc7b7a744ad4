/**
 * Editing datasets as pydicom users do (issue 12): the tutorial's redaction lines, verbatim,
 * on the phantom and on every corpus file, read back by us and by pydicom; the table
 * of bad values; `delete`, `walk`, `copy`, `privateBlock`, `saveAs`, validation modes and
 * the character-set checks.
 */
import assert from "node:assert/strict";
import { Dataset, dir, InvalidValueError, read, ValueError, write } from "../mod.ts";
import { datasetHtml } from "../lib/display/html.ts";
import { isPrivateTag } from "../lib/core/tag.ts";
import { lookupPrivate } from "../lib/dictionary/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { CORPUS_FILES, corpusMissing, manifest } from "./_corpus.ts";
import { pydicomMissing, pydicomRead } from "./_pydicom.ts";

/** The tutorial's commented block before `print(ds)`, in TypeScript, word for word. */
function redact(ds: Dataset): void {
  ds.removePrivateTags();
  ds.PatientName = "ROSSI^MARIO";
  ds.PatientID = "99999999";
  ds.PatientBirthDate = "19330101";
  ds.PatientAge = "090Y";
  ds.PatientAddress = ds.InstitutionName = ds.InstitutionAddress = "XXXXXXXXXX";
}

const REDACTED: Record<string, string> = {
  PatientName: "ROSSI^MARIO",
  PatientID: "99999999",
  PatientBirthDate: "19330101",
  PatientAge: "090Y",
  PatientAddress: "XXXXXXXXXX",
  InstitutionName: "XXXXXXXXXX",
  InstitutionAddress: "XXXXXXXXXX",
};

function privateTags(ds: Dataset): number[] {
  const out: number[] = [];
  ds.walk((el) => {
    if (isPrivateTag(el.tag)) out.push(el.tag);
  });
  return out;
}

function assertRedacted(ds: Dataset, where: string): void {
  for (const [k, v] of Object.entries(REDACTED)) {
    assert.equal(String(ds.get(k)), v, `${where}: ${k}`);
  }
  assert.deepEqual(privateTags(ds), [], `${where}: private tags left`);
}

function corpusNames(): string[] {
  return manifest().map((r) => r.path.slice("files/dev/".length))
    .filter((n) => n !== "fileset_tiny_alpha/README");
}

Deno.test("editing: the tutorial's redaction on the phantom, printed and read back", () => {
  const ds = makeCtSlice(0, { size: 16, slices: 2 });
  assert.deepEqual(privateTags(ds), [0x00090010, 0x00091001, 0x00091002, 0x00290010, 0x00291010]);
  const before = String(ds);
  assert.match(before, /\(0009, 0010\) Private Creator {21}LO: 'DICOM-DENO PHANTOM'/);
  redact(ds);
  assertRedacted(ds, "phantom");
  // String(ds), dir(ds) and the notebook tree show the edits at once
  const after = String(ds);
  assert.match(after, /\(0010, 0010\) Patient's Name {22}PN: 'ROSSI\^MARIO'/);
  assert.match(after, /\(0010, 1040\) Patient's Address {19}LO: 'XXXXXXXXXX'/);
  assert.doesNotMatch(after, /Private|\(0009,|\(0029,/);
  assert.ok(dir(ds, "address").includes("InstitutionAddress"));
  assert.ok(dir(ds, "address").includes("PatientAddress"));
  assert.match(datasetHtml(ds), /ROSSI\^MARIO/);
  assert.doesNotMatch(datasetHtml(ds), /Phantom\^Head/);
  const again = read(write(ds));
  assertRedacted(again, "phantom read back");
  // the same lines (a DS built from numbers prints as Python floats, read back as written)
  const lines = (text: string) => text.split("\n").filter((l) => !/DS: \[/.test(l));
  assert.deepEqual(lines(String(again)).slice(-lines(after).length), lines(after));
});

Deno.test({
  name: "editing: the tutorial's redaction on every corpus file, read back by us and pydicom",
  ignore: corpusMissing(),
  fn() {
    const dirPath = Deno.makeTempDirSync({ prefix: "editing_" });
    try {
      const saved: string[] = [];
      let n = 0;
      for (const name of corpusNames()) {
        const ds = read(`${CORPUS_FILES}/${name}`);
        if (ds.get("SOPClassUID") === "1.2.840.10008.1.3.10") continue; // a DICOMDIR
        redact(ds);
        assertRedacted(ds, name);
        const path = `${dirPath}/${n++}.dcm`;
        ds.saveAs(path);
        assertRedacted(read(path), `${name} read back`);
        saved.push(path);
      }
      assert.ok(saved.length >= 190, `${saved.length} files redacted`);
      if (pydicomMissing()) return;
      const views = pydicomRead(saved, Object.keys(REDACTED));
      for (const path of saved) {
        assert.deepEqual(views[path].values, REDACTED, path);
        assert.deepEqual(views[path].privateTags, [], path);
      }
    } finally {
      Deno.removeSync(dirPath, { recursive: true });
    }
  },
});

/** Each row of the table: refused, naming keyword, VR and value; dataset unchanged. */
const TABLE: [string, unknown, RegExp[]][] = [
  ["Rows", "abc", [/Rows/, /\bUS\b/, /"abc"/]],
  ["PatientAge", 90, [/PatientAge/, /\bAS\b/, /\b90\b/, /nnnD, nnnW, nnnM or nnnY/]],
  ["PatientBirthDate", "1933-01-01", [/PatientBirthDate/, /\bDA\b/, /"1933-01-01"/, /YYYYMMDD/]],
  ["ImagePositionPatient", [1, 2, "x"], [/ImagePositionPatient/, /\bDS\b/, /"x"/]],
  ["InstitutionName", "Ünïcode 日本", [
    /InstitutionName/,
    /\bLO\b/,
    /"Ünïcode 日本"/,
    /"日"/,
    /ISO_IR 100/,
    /SpecificCharacterSet = "ISO_IR 192"/,
  ]],
];

function checkTable(ds: Dataset, where: string): void {
  for (const [keyword, value, patterns] of TABLE) {
    const before = write(ds);
    let error: unknown;
    try {
      ds.set(keyword, value as never);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof InvalidValueError, `${where}: ${keyword} refused`);
    assert.ok(error instanceof ValueError);
    for (const p of patterns) assert.match(error.message, p, `${where} ${keyword}`);
    assert.equal(error.keyword, keyword);
    assert.deepEqual(write(ds), before, `${where}: ${keyword} left the dataset unchanged`);
  }
}

Deno.test("editing: every row of the issue's table is refused on the phantom", () => {
  const ds = makeCtSlice(0, { size: 16, slices: 2 });
  assert.deepEqual(ds.SpecificCharacterSet, "ISO_IR 100");
  checkTable(ds, "phantom");
  // and the way out the message gives works: UTF-8 stores any character
  ds.SpecificCharacterSet = "ISO_IR 192";
  ds.InstitutionName = "Ünïcode 日本";
  assert.equal(read(write(ds)).InstitutionName, "Ünïcode 日本");
});

Deno.test({
  name: "editing: every row of the issue's table is refused on CT_small.dcm; pydicom agrees",
  ignore: corpusMissing(),
  fn() {
    const ds = read(`${CORPUS_FILES}/CT_small.dcm`);
    assert.equal(ds.SpecificCharacterSet, "ISO_IR 100");
    checkTable(ds, "CT_small");
    ds.SpecificCharacterSet = "ISO_IR 192";
    ds.InstitutionName = "Ünïcode 日本";
    ds.Rows = 128;
    const path = Deno.makeTempFileSync({ suffix: ".dcm" });
    try {
      ds.saveAs(path);
      assert.equal(read(path).InstitutionName, "Ünïcode 日本");
      if (pydicomMissing()) return;
      const view = pydicomRead([path], ["InstitutionName", "SpecificCharacterSet", "Rows"]);
      assert.deepEqual(view[path].values, {
        InstitutionName: "Ünïcode 日本",
        SpecificCharacterSet: "ISO_IR 192",
        Rows: "128",
      });
    } finally {
      Deno.removeSync(path);
    }
  },
});

Deno.test("editing: delete ds.PatientName does nothing; undefined and ds.delete remove", () => {
  const ds = new Dataset();
  ds.PatientName = "Doe^John";
  // the keyword property lives on the prototype: `delete` on the instance cannot reach it
  assert.equal(delete ds.PatientName, true);
  assert.equal(String(ds.PatientName), "Doe^John");
  assert.equal(ds.has("PatientName"), true);
  ds.PatientName = undefined;
  assert.equal(ds.has("PatientName"), false);
  assert.equal(ds.PatientName, undefined);
  ds.PatientID = "1";
  assert.equal(ds.delete("PatientID"), true);
  assert.equal(ds.delete("PatientID"), false);
  assert.equal(ds.size, 0);
});

Deno.test("editing: setters take the wider types and normalise as documented", () => {
  const ds = new Dataset();
  ds.SliceThickness = "2.50";
  assert.equal(ds.SliceThickness, 2.5);
  ds.ImagePositionPatient = ["1.5", 2, "-3e1"];
  assert.deepEqual(ds.ImagePositionPatient, [1.5, 2, -30]);
  ds.InstanceNumber = "12";
  assert.equal(ds.InstanceNumber, 12);
  ds.PixelSpacing = [0.1 + 0.2, 1 / 3];
  assert.deepEqual(ds.PixelSpacing, [0.3, 0.33333333333333]); // 16 characters, as written
  ds.ImageType = "ORIGINAL\\PRIMARY";
  assert.deepEqual(ds.ImageType, ["ORIGINAL", "PRIMARY"]);
  ds.ExtendedOffsetTable = new BigUint64Array([0n]);
  ds.SelectorSVValue = [1n, -2n];
  assert.deepEqual(ds.SelectorSVValue, [1n, -2n]);
  ds.SelectorFLValue = 0.1;
  assert.equal(ds.SelectorFLValue, Math.fround(0.1));
  const item = new Dataset();
  item.ReferencedSOPInstanceUID = "1.2.3";
  ds.ReferencedImageSequence = [item];
  assert.equal(ds.ReferencedImageSequence?.[0].ReferencedSOPInstanceUID, "1.2.3");
  // an ambiguous dictionary VR is chosen by the value
  assert.equal(ds.set("PixelPaddingValue", -5).vr, "SS");
  assert.equal(ds.set("PixelPaddingValue", 5).vr, "SS"); // an element keeps its VR
  ds.delete("PixelPaddingValue");
  assert.equal(ds.set("PixelPaddingValue", 5).vr, "US");
  assert.equal(ds.set("PixelData", new Uint8Array(4)).vr, "OB");
  assert.equal(ds.set("PixelData", new Uint16Array(2)).vr, "OW");
  // the setters' types refuse what the checks refuse, before the code runs
  // @ts-expect-error: Rows (US) takes a number
  assert.throws(() => ds.Rows = "abc", InvalidValueError);
  // @ts-expect-error: PatientAge (AS) takes text
  assert.throws(() => ds.PatientAge = 90, InvalidValueError);
  // @ts-expect-error: a sequence takes datasets
  assert.throws(() => ds.ReferencedImageSequence = ["x"], InvalidValueError);
  const again = read(write(ds));
  assert.equal(again.SliceThickness, 2.5);
  assert.deepEqual(again.ImagePositionPatient, [1.5, 2, -30]);
  assert.deepEqual(again.PixelSpacing, [0.3, 0.33333333333333]);
  assert.equal(again.SelectorFLValue, Math.fround(0.1));
  assert.deepEqual(again.SelectorSVValue, [1n, -2n]);
});

Deno.test("editing: nested items are edited in place (the DICOMDIR record of notebook 04)", () => {
  const record = new Dataset();
  record.DirectoryRecordType = "PATIENT";
  record.PatientName = "Phantom^Head";
  const ds = new Dataset();
  ds.DirectoryRecordSequence = [record];
  ds.DirectoryRecordSequence![0].PatientName = "ROSSI^MARIO";
  assert.match(String(ds), /\(0010, 0010\) Patient's Name {22}PN: 'ROSSI\^MARIO'/);
  // an item follows its parent's character set and validation mode
  ds.SpecificCharacterSet = "ISO_IR 100";
  ds.DirectoryRecordSequence![0].PatientName = "Müller^Jürgen";
  assert.throws(() => ds.DirectoryRecordSequence![0].PatientName = "山田^太郎", /ISO_IR 100/);
  assert.equal(String(read(write(ds)).DirectoryRecordSequence![0].PatientName), "Müller^Jürgen");
});

Deno.test("editing: assigning Specific Character Set re-checks the text it governs", () => {
  const ds = new Dataset();
  ds.SpecificCharacterSet = "ISO_IR 192";
  ds.PatientName = "Yamada^Tarou=山田^太郎";
  ds.ConceptNameCodeSequence = [new Dataset()];
  // an item takes the character set of its parent once in the sequence
  ds.ConceptNameCodeSequence![0].CodeMeaning = "Ünïcode";
  const before = write(ds);
  assert.throws(
    () => ds.SpecificCharacterSet = "ISO_IR 100",
    (e: unknown) => e instanceof ValueError && /PatientName holds "山"/.test(e.message),
  );
  assert.deepEqual(write(ds), before);
  ds.PatientName = "Yamada^Tarou";
  assert.throws(() => ds.SpecificCharacterSet = undefined, ValueError); // back to ASCII: Ü
  assert.throws(() => ds.SpecificCharacterSet = "ISO_IR 6", /CodeMeaning holds "Ü"/);
  ds.SpecificCharacterSet = "ISO_IR 100";
  assert.equal(read(write(ds)).ConceptNameCodeSequence![0].CodeMeaning, "Ünïcode");
  // without a character set, text is ASCII (ISO-IR 6)
  const plain = new Dataset();
  assert.throws(() => plain.PatientName = "Müller", /ISO_IR 6/);
  // items moved into it must fit too
  const before2 = write(plain);
  assert.throws(
    () => plain.ConceptNameCodeSequence = ds.ConceptNameCodeSequence!,
    /item 0 holds "Ü" in CodeMeaning/,
  );
  assert.deepEqual(write(plain), before2);
  plain.SpecificCharacterSet = "ISO_IR 100";
  plain.ConceptNameCodeSequence = ds.ConceptNameCodeSequence!;
  assert.equal(plain.ConceptNameCodeSequence![0].CodeMeaning, "Ünïcode");
});

Deno.test("editing: validation modes store a bad value on purpose", () => {
  const ds = new Dataset();
  assert.equal(ds.validation, "raise");
  ds.set("PatientAge", 90, { validation: "ignore" });
  assert.equal(ds.PatientAge, 90 as unknown as string);
  ds.validation = "warn";
  ds.PatientBirthDate = "1933-01-01";
  assert.equal(ds.PatientBirthDate, "1933-01-01");
  assert.equal(ds.warnings.length, 1);
  assert.match(ds.warnings[0], /PatientBirthDate/);
  const item = new Dataset();
  ds.ReferencedImageSequence = [item];
  assert.equal(item.validation, "warn");
  ds.validation = "raise";
  assert.throws(() => ds.set("Rows", -1), /from 0 to 65535/);
  assert.throws(() => (ds.validation = "loud" as "raise"), ValueError);
});

Deno.test("editing: walk visits every element with its path; removePrivateTags at every depth", () => {
  const inner = new Dataset();
  inner.CodeValue = "T-A0100";
  inner.privateBlock(0x0011, "ACME", { create: true }).set(0x01, "deep secret", { vr: "LO" });
  const item = new Dataset();
  item.ReferencedSOPInstanceUID = "1.2.3";
  item.AnatomicRegionSequence = [inner];
  const ds = new Dataset();
  ds.PatientID = "7";
  ds.ReferencedImageSequence = [item, new Dataset()];
  ds.privateBlock(0x0009, "ACME", { create: true }).set(0x01, "secret", { vr: "LO" });
  const seen: string[] = [];
  ds.walk((_el, { path, tags, items }) => seen.push(`${path} ${tags.length} ${items.join(",")}`));
  assert.deepEqual(seen, [
    "ReferencedImageSequence 1 ",
    "ReferencedImageSequence[0].ReferencedSOPInstanceUID 2 0",
    "ReferencedImageSequence[0].AnatomicRegionSequence 2 0",
    "ReferencedImageSequence[0].AnatomicRegionSequence[0].CodeValue 3 0,0",
    "ReferencedImageSequence[0].AnatomicRegionSequence[0].(0011,0010) 3 0,0",
    "ReferencedImageSequence[0].AnatomicRegionSequence[0].(0011,1001) 3 0,0",
    "(0009,0010) 1 ",
    "(0009,1001) 1 ",
    "PatientID 1 ",
  ]);
  const flat: string[] = [];
  ds.walk((_el, { path }) => flat.push(path), { recursive: false });
  assert.deepEqual(flat, ["ReferencedImageSequence", "(0009,0010)", "(0009,1001)", "PatientID"]);
  ds.removePrivateTags();
  assert.deepEqual(privateTags(ds), []);
  assert.equal(inner.CodeValue, "T-A0100");
  assert.equal(inner.size, 1);
  assert.deepEqual(ds.elements().map((e) => e.keyword), ["ReferencedImageSequence", "PatientID"]);
});

Deno.test("editing: copy is deep", () => {
  const ds = makeCtSlice(0, { size: 16, slices: 2 });
  const bytes = write(ds);
  const copy = ds.copy();
  assert.deepEqual(write(copy), bytes);
  copy.PatientName = "ROSSI^MARIO";
  (copy.PixelData as Uint16Array)[0] = 4095;
  copy.removePrivateTags();
  assert.deepEqual(write(ds), bytes);
  // from a file: source bytes, decoded values and items are all copied
  const read1 = read(bytes);
  const read2 = read1.copy();
  (read2.PixelData as Uint16Array)[0] ^= 1;
  read2.ImageType = ["DERIVED", "SECONDARY"];
  assert.deepEqual(write(read1), bytes);
  assert.equal(read2.fileMeta?.get(0x00020010), read1.fileMeta?.get(0x00020010));
  const seq = new Dataset();
  seq.ReferencedImageSequence = [new Dataset()];
  const seqCopy = seq.copy();
  seqCopy.ReferencedImageSequence![0].ReferencedSOPInstanceUID = "1.2";
  assert.equal(seq.ReferencedImageSequence![0].size, 0);
  assert.equal(seqCopy.ReferencedImageSequence![0].parent, seqCopy);
});

Deno.test("editing: privateBlock finds, creates and refuses as pydicom's private_block", () => {
  const ds = makeCtSlice(0, { size: 16, slices: 2 });
  const block = ds.privateBlock(0x0009, "DICOM-DENO PHANTOM");
  assert.equal(block.blockNumber, 0x10);
  assert.equal(block.get(0x01), "PHANTOM SCANNER 1");
  assert.equal(block.get(0x02), 7);
  assert.equal(block.has(0x03), false);
  assert.throws(() => ds.privateBlock(0x0009, "OTHER"), /private creator "OTHER" not found/);
  const other = ds.privateBlock(0x0009, "OTHER", { create: true });
  assert.equal(other.blockNumber, 0x11);
  other.set(0x05, "x", { vr: "SH" });
  assert.equal(ds.get(0x00091105), "x");
  assert.equal(ds.element(0x00091105)?.name, "Private tag data");
  assert.throws(() => other.set(0x06, "x".repeat(17), { vr: "SH" }), InvalidValueError);
  assert.throws(() => other.set(0x06, "x"), /no VR known for \(0009, 1106\)/);
  assert.throws(() => other.tag(0x100), ValueError);
  assert.throws(() => ds.privateBlock(0x0010, "X", { create: true }), /not private/);
  assert.equal(other.delete(0x05), true);
  // the private dictionary gives the VR of known creators' elements
  const ge = new Dataset();
  ge.privateBlock(0x0043, "GEMS_PARM_01", { create: true }).set(0x06, -1);
  assert.equal(lookupPrivate("GEMS_PARM_01", 0x00431006)?.vr, "SS");
  assert.equal(ge.element(0x00431006)?.vr, "SS");
  assert.equal(ge.element(0x00431006)?.name, "[Number of EPI shots]");
});

Deno.test("editing: saveAs is atomic", () => {
  const dirPath = Deno.makeTempDirSync({ prefix: "saveas_" });
  try {
    const ds = makeCtSlice(0, { size: 16, slices: 2 });
    const path = `${dirPath}/out.dcm`;
    ds.saveAs(path);
    assert.deepEqual(Deno.readFileSync(path), write(ds));
    ds.PatientID = "2";
    ds.saveAs(new URL(`file://${path}`), { transferSyntax: "1.2.840.10008.1.2" });
    assert.equal(read(path).PatientID, "2");
    assert.equal(read(path).transferSyntaxUID, "1.2.840.10008.1.2");
    // a dataset that cannot be written leaves the old file and no temporary one
    const broken = read(path);
    broken.element("PixelData")!.encapsulated = {
      basicOffsetTable: new Uint32Array(0),
      fragments: [new Uint8Array(2)],
      fragmentPositions: [0],
    };
    assert.throws(() => broken.saveAs(path, { transferSyntax: "1.2.840.10008.1.2.2" }));
    assert.equal(read(path).PatientID, "2");
    assert.throws(() => ds.saveAs(`${dirPath}/no/such/dir/out.dcm`));
    assert.deepEqual([...Deno.readDirSync(dirPath)].map((e) => e.name), ["out.dcm"]);
  } finally {
    Deno.removeSync(dirPath, { recursive: true });
  }
});
