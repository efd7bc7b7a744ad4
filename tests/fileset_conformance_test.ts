/**
 * Conformance of `fileSet` with pydicom 2.3.1's `FileSet` over the corpus' DICOMDIRs
 * (manifest `is_dicomdir` = yes): the same instances in the same order, with the same
 * record values, and the same `str(FileSet)` summary (the oracle's
 * `fileset_str_normalized`, root as `<ROOT>`, without pydicom's "Changes staged for
 * write()" line).
 */
import assert from "node:assert/strict";
import { CORPUS, CORPUS_FILES, corpusMissing, manifest, oracleJson } from "./_corpus.ts";
import { fileSet } from "../lib/fileset/file_set.ts";

interface OracleInstance {
  path: string;
  SOPInstanceUID: string;
  SOPClassUID: string;
  TransferSyntaxUID: string;
  PatientID: string;
  StudyDate: string;
  SeriesNumber: string;
  InstanceNumber: string;
  Modality: string;
}

function dicomdirs(): string[] {
  return manifest().filter((r) => r.is_dicomdir === "yes").map((r) =>
    r.path.slice("files/dev/".length)
  );
}

function expectedSummary(json: Record<string, unknown>): string {
  return String(json.fileset_str_normalized).split("\n")
    .filter((line) => !line.startsWith("  Changes staged for write()"))
    .join("\n");
}

const skip = corpusMissing();

Deno.test({
  name: "corpus: the manifest lists the five DICOMDIRs",
  ignore: skip,
  fn() {
    assert.deepEqual(dicomdirs().sort(), [
      "fileset_dicomdirtests/DICOMDIR",
      "fileset_dicomdirtests/DICOMDIR-empty.dcm",
      "fileset_dicomdirtests/DICOMDIR-nooffset",
      "fileset_dicomdirtests/DICOMDIR-reordered",
      "fileset_tiny_alpha/DICOMDIR",
    ]);
  },
});

for (const name of skip ? [] : dicomdirs()) {
  Deno.test(`corpus: fileSet(${name}) equals pydicom's FileSet`, () => {
    const json = oracleJson(name);
    const fs = fileSet(`${CORPUS_FILES}/${name}`);
    assert.equal(fs.root, `${CORPUS}/${json.fileset_root_relative}`);
    assert.equal(String(fs).replace(fs.root, "<ROOT>"), expectedSummary(json));
    const expected = json.fileset_instances as OracleInstance[];
    assert.equal(fs.length, expected.length);
    assert.equal(fs.length, json.fileset_num_instances);
    const got: OracleInstance[] = [...fs].map((inst) => ({
      path: inst.fileId.join("/"),
      SOPInstanceUID: inst.SOPInstanceUID ?? "",
      SOPClassUID: inst.SOPClassUID ?? "",
      TransferSyntaxUID: inst.TransferSyntaxUID ?? "",
      PatientID: inst.PatientID ?? "",
      StudyDate: inst.StudyDate ?? "",
      SeriesNumber: String(inst.SeriesNumber),
      InstanceNumber: String(inst.InstanceNumber),
      Modality: inst.Modality ?? "",
    }));
    assert.deepEqual(got, expected);
    for (const inst of fs) {
      assert.equal(inst.path, `${fs.root}/${inst.fileId.join("/")}`);
      assert.equal(inst.load({ stopBeforePixels: true }).SOPInstanceUID, inst.SOPInstanceUID);
    }
    // Every file referenced exists, so nothing was repaired; the only note is the reader's
    // about DICOMDIR-nooffset's last item, whose length still counts removed elements
    const repairs = fs.warnings.filter((w) => !w.startsWith("DICOMDIR: item of 248 bytes"));
    assert.deepEqual(repairs, []);
  });
}

Deno.test({
  name: "corpus: fileSet of the folder reads the folder's DICOMDIR",
  ignore: skip,
  fn() {
    const fs = fileSet(`${CORPUS_FILES}/fileset_tiny_alpha`);
    assert.equal(fs.dicomdirPath, `${CORPUS_FILES}/fileset_tiny_alpha/DICOMDIR`);
    assert.equal(fs.length, 50);
    assert.equal(fs.id, "TINY ALPHA");
    assert.deepEqual(fs.descriptorFileId, ["README"]);
  },
});

Deno.test({
  name: "corpus: the reordered DICOMDIR has its records out of order but the same tree",
  ignore: skip,
  fn() {
    const plain = fileSet(`${CORPUS_FILES}/fileset_dicomdirtests/DICOMDIR`);
    const reordered = fileSet(`${CORPUS_FILES}/fileset_dicomdirtests/DICOMDIR-reordered`);
    const offsets = (fs: typeof plain) => [...fs.records()].map((n) => n.offset);
    assert.notDeepEqual(offsets(plain), offsets(reordered));
    // The first root record is a PATIENT at byte 976, after its IMAGE, SERIES and STUDY
    assert.equal(reordered.children[0].offset, 976);
    assert.equal(reordered.children[0].recordType, "PATIENT");
    assert.deepEqual(
      [...reordered.records()].map((n) => String(n)),
      [...plain.records()].map((n) => String(n)),
    );
  },
});

Deno.test({
  name: "corpus: a folder scanned without its DICOMDIR has the same instances",
  ignore: skip,
  fn() {
    // Scanning copies of the files (the DICOMDIR left out) groups them the same way
    const tmp = Deno.makeTempDirSync();
    try {
      const src = `${CORPUS_FILES}/fileset_tiny_alpha`;
      const withDir = fileSet(src);
      for (const inst of withDir) {
        const dest = `${tmp}/${inst.fileId.join("/")}`;
        Deno.mkdirSync(dest.slice(0, dest.lastIndexOf("/")), { recursive: true });
        Deno.copyFileSync(inst.path, dest);
      }
      const scanned = fileSet(tmp);
      assert.equal(scanned.dicomdir, undefined);
      assert.deepEqual(
        [...scanned].map((i) => [i.SOPInstanceUID, i.PatientID, i.SeriesNumber]).sort(),
        [...withDir].map((i) => [i.SOPInstanceUID, i.PatientID, i.SeriesNumber]).sort(),
      );
      assert.equal(
        String(scanned).split("\n").slice(6).join("\n"),
        String(withDir).split("\n").slice(6).join("\n"),
      );
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});
