/**
 * Unit tests of `fileSet` and `writeDicomdir` on small phantom CT file-sets made here:
 * a folder without DICOMDIR, the DICOMDIR round trip in three encodings, find and
 * findValues, missing files, broken offsets, orphans, missing PATIENT records and an
 * empty file-set. The expected summaries were checked once against pydicom 2.3.1's
 * `str(FileSet(dcmread(...)))` on the same DICOMDIRs.
 */
import assert from "node:assert/strict";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { write } from "../lib/io/write.ts";
import { read } from "../lib/io/read.ts";
import { DicomError, InvalidFileError, MalformedError, ValueError } from "../lib/core/errors.ts";
import type { Dataset } from "../lib/dataset/dataset.ts";
import { DataElement } from "../lib/dataset/element.ts";
import { PersonName } from "../lib/dataset/person_name.ts";
import { type FileInstance, type FileSet, fileSet } from "../lib/fileset/mod.ts";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";

const SERIES2 = "2.25.101909012409412419281029458721049813";

/** Two CT series of three 8x8 slices: `SE2/IM00000n` and `SE3/IM00000n`. */
function makeFolder(): string {
  const dir = Deno.makeTempDirSync({ prefix: "fileset_test_" });
  for (const series of [2, 3]) {
    Deno.mkdirSync(`${dir}/SE${series}`);
    for (let i = 0; i < 3; i++) {
      const ds = makeCtSlice(i, { size: 8, slices: 3 });
      if (series === 3) {
        ds.set("SeriesInstanceUID", "2.25.7");
        ds.set("SOPInstanceUID", `2.25.7.${i + 1}`);
        ds.set("SeriesNumber", 3);
        ds.set("Modality", "MR");
      }
      Deno.writeFileSync(`${dir}/SE${series}/IM00000${i + 1}`, write(ds));
    }
  }
  return dir;
}

function withFolder(fn: (dir: string) => void): () => void {
  return () => {
    const dir = makeFolder();
    try {
      fn(dir);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

function summary(fs: FileSet): string {
  return String(fs).replace(fs.root, "<ROOT>");
}

const HEAD = [
  "DICOM File-set",
  "  Root directory: <ROOT>",
  "  File-set ID: TEST",
  "  File-set UID: 2.25.1",
  "  Descriptor file ID: (no value available)",
  "  Descriptor file character set: (no value available)",
];

const TREE = [
  "",
  "  Managed instances:",
  "    PATIENT: PatientID='PHANTOM01', PatientName='Phantom^Head'",
  "      STUDY: StudyDate=20240115, StudyTime=093000, StudyDescription='CT HEAD PHANTOM'",
  "        SERIES: Modality=CT, SeriesNumber=2",
  "          IMAGE: 3 SOP Instances",
  "        SERIES: Modality=MR, SeriesNumber=3",
  "          IMAGE: 3 SOP Instances",
];

const FILE_IDS = [
  "SE2/IM000001",
  "SE2/IM000002",
  "SE2/IM000003",
  "SE3/IM000001",
  "SE3/IM000002",
  "SE3/IM000003",
];

function fileIds(instances: Iterable<FileInstance>): string[] {
  return [...instances].map((i) => i.fileId.join("/"));
}

/** Overwrites a UL value of the DICOMDIR (record -1: the top level) in place. */
function patchUL(path: string, record: number, tag: number, value: number): void {
  const bytes = Deno.readFileSync(path);
  const ds = read(bytes);
  const holder = record < 0 ? ds : (ds.DirectoryRecordSequence as Dataset[])[record];
  const el = holder.element(tag)!;
  new DataView(bytes.buffer).setUint32(el.source!.offset, value, true);
  Deno.writeFileSync(path, bytes);
}

/** The message `read` throws for a file (the reader's own wording). */
function readError(path: string): string {
  try {
    read(path, { stopBeforePixels: true });
  } catch (e) {
    assert.ok(e instanceof InvalidFileError);
    return e.message;
  }
  throw new Error(`${path} was read`);
}

function records(path: string): Dataset[] {
  return read(path).DirectoryRecordSequence as Dataset[];
}

Deno.test(
  "fileSet: a folder without DICOMDIR is scanned, non-DICOM files skipped with a note",
  withFolder((dir) => {
    Deno.writeTextFileSync(`${dir}/README.txt`, "not dicom\n");
    const fs = fileSet(dir);
    assert.equal(fs.dicomdir, undefined);
    assert.equal(fs.root, dir);
    assert.equal(fs.length, 6);
    assert.deepEqual(fileIds(fs), FILE_IDS);
    assert.deepEqual(fs.warnings, [
      `skipped README.txt: ${readError(`${dir}/README.txt`)}`,
    ]);
    assert.match(fs.uid, /^2\.25\.\d+$/);
    const lines = summary(fs).split("\n");
    assert.deepEqual(lines.slice(0, 3), [
      "DICOM File-set",
      "  Root directory: <ROOT>",
      "  File-set ID: (no value available)",
    ]);
    assert.equal(lines[3], `  File-set UID: ${fs.uid}`);
    assert.deepEqual(lines.slice(4), [...HEAD.slice(4), ...TREE]);
    const first = [...fs][0];
    assert.equal(first.path, `${dir}/SE2/IM000001`);
    assert.equal(first.SOPInstanceUID, `${SERIES2}.1`);
    assert.equal(first.TransferSyntaxUID, "1.2.840.10008.1.2.1");
    assert.equal(first.load().Rows, 8);
  }),
);

Deno.test(
  "writeDicomdir: round trip in explicit LE, implicit LE and explicit BE",
  withFolder((dir) => {
    for (
      const [ts, implicitVR, littleEndian] of [
        ["1.2.840.10008.1.2.1", false, true],
        ["1.2.840.10008.1.2", true, true],
        ["1.2.840.10008.1.2.2", false, false],
      ] as const
    ) {
      const written = writeDicomdir(dir, {
        fileSetId: "TEST",
        fileSetUid: "2.25.1",
        transferSyntax: ts,
      });
      assert.deepEqual(written.warnings, []);
      const fs = fileSet(`${dir}/DICOMDIR`);
      assert.equal(fs.dicomdir!.transferSyntaxUID, ts);
      assert.deepEqual(fs.dicomdir!.encoding, { implicitVR, littleEndian });
      assert.equal(summary(fs), [...HEAD, ...TREE].join("\n"));
      assert.equal(summary(written), summary(fs));
      // what writeDicomdir returns (made in memory) is what reading the DICOMDIR gives
      assert.equal(written.dicomdirPath, fs.dicomdirPath);
      assert.equal(written.dicomdir!.transferSyntaxUID, ts);
      assert.deepEqual(written.dicomdir!.encoding, { implicitVR, littleEndian });
      assert.equal(String(written.dicomdir), String(fs.dicomdir));
      assert.deepEqual(
        [...written.records()].map((n) => [n.offset, n.depth, String(n.record)]),
        [...fs.records()].map((n) => [n.offset, n.depth, String(n.record)]),
      );
      assert.deepEqual(
        written.instances.map((i) => [i.path, i.fileId, i.added, i.node.offset]),
        fs.instances.map((i) => [i.path, i.fileId, i.added, i.node.offset]),
      );
      assert.deepEqual(fileIds(fs), FILE_IDS);
      assert.deepEqual(fs.warnings, []);
      // The offsets chain the records: root first/last, next and lower-level
      const ds = fs.dicomdir!;
      const patient = fs.children[0];
      assert.equal(
        ds.get("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity"),
        patient.offset,
      );
      assert.equal(
        ds.get("OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity"),
        patient.offset,
      );
      for (const node of fs.records()) {
        const siblings = node.parent ? node.parent.children : fs.children;
        const next = siblings[siblings.indexOf(node) + 1];
        assert.equal(node.record.get("OffsetOfTheNextDirectoryRecord"), next?.offset ?? 0);
        assert.equal(
          node.record.get("OffsetOfReferencedLowerLevelDirectoryEntity"),
          node.children[0]?.offset ?? 0,
        );
      }
      assert.deepEqual(
        [...fs.records()].map((n) => `${n.depth} ${n.recordType} ${n.key}`),
        [
          "0 PATIENT PHANTOM01",
          "1 STUDY 2.25.101909012409412419281029458721049812",
          `2 SERIES ${SERIES2}`,
          `3 IMAGE ${SERIES2}.1`,
          `3 IMAGE ${SERIES2}.2`,
          `3 IMAGE ${SERIES2}.3`,
          "2 SERIES 2.25.7",
          "3 IMAGE 2.25.7.1",
          "3 IMAGE 2.25.7.2",
          "3 IMAGE 2.25.7.3",
        ],
      );
    }
  }),
);

Deno.test(
  "writeDicomdir: the records hold pydicom's keys and the file ID as components",
  withFolder((dir) => {
    writeDicomdir(dir);
    const [patient, study, series, image] = records(`${dir}/DICOMDIR`);
    const keywords = (ds: Dataset) => [...ds].map((el) => el.keyword);
    const offsets = [
      "OffsetOfTheNextDirectoryRecord",
      "RecordInUseFlag",
      "OffsetOfReferencedLowerLevelDirectoryEntity",
      "DirectoryRecordType",
    ];
    assert.deepEqual(keywords(patient), [
      ...offsets,
      "SpecificCharacterSet",
      "PatientName",
      "PatientID",
    ]);
    assert.deepEqual(keywords(study), [
      ...offsets,
      "SpecificCharacterSet",
      "StudyDate",
      "StudyTime",
      "AccessionNumber",
      "StudyDescription",
      "StudyInstanceUID",
      "StudyID",
    ]);
    assert.deepEqual(keywords(series), [
      ...offsets,
      "SpecificCharacterSet",
      "Modality",
      "SeriesInstanceUID",
      "SeriesNumber",
    ]);
    assert.deepEqual(keywords(image), [
      ...offsets,
      "ReferencedFileID",
      "ReferencedSOPClassUIDInFile",
      "ReferencedSOPInstanceUIDInFile",
      "ReferencedTransferSyntaxUIDInFile",
      "SpecificCharacterSet",
      "InstanceNumber",
    ]);
    assert.deepEqual(image.ReferencedFileID, ["SE2", "IM000001"]);
    assert.equal(image.RecordInUseFlag, 0xffff);
    const dicomdir = read(`${dir}/DICOMDIR`);
    assert.equal(dicomdir.fileMeta!.get("MediaStorageSOPClassUID"), "1.2.840.10008.1.3.10");
    assert.equal(dicomdir.FileSetID, "");
    assert.equal(dicomdir.FileSetConsistencyFlag, 0);
  }),
);

Deno.test(
  "writeDicomdir: non-conformant file names are refused; layout standard renames",
  withFolder((dir) => {
    Deno.renameSync(`${dir}/SE2/IM000001`, `${dir}/SE2/im1.dcm`);
    Deno.renameSync(`${dir}/SE3`, `${dir}/series_three`);
    assert.throws(() => writeDicomdir(dir), (e: Error) => {
      assert.ok(e instanceof ValueError);
      assert.equal(
        e.message,
        `4 file names in ${dir} are not conformant File IDs (PS3.10 8.5: up to 8 components ` +
          "of 1-8 characters A-Z, 0-9 and _): SE2/im1.dcm, series_three/IM000001, " +
          'series_three/IM000002, series_three/IM000003; rename them or pass { layout: "standard" }',
      );
      return true;
    });
    assert.throws(() => Deno.statSync(`${dir}/DICOMDIR`), Deno.errors.NotFound);
    const fs = writeDicomdir(dir, { layout: "standard", fileSetId: "TEST", fileSetUid: "2.25.1" });
    assert.deepEqual(fileIds(fs), [
      "PT000000/ST000000/SE000000/IM000000",
      "PT000000/ST000000/SE000000/IM000001",
      "PT000000/ST000000/SE000000/IM000002",
      "PT000000/ST000000/SE000001/IM000000",
      "PT000000/ST000000/SE000001/IM000001",
      "PT000000/ST000000/SE000001/IM000002",
    ]);
    // SE2/im1.dcm sorts after IM000002 and IM000003, so it is the third of its series
    assert.deepEqual([...fs].map((i) => i.InstanceNumber), [2, 3, 1, 1, 2, 3]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "DICOMDIR",
      "PT000000",
    ]);
    assert.equal(summary(fs), [...HEAD, ...TREE].join("\n"));
    assert.equal(fs.instances[2].load().InstanceNumber, 1);
    const again = fileSet(`${dir}/DICOMDIR`);
    assert.deepEqual(
      fs.instances.map((i) => [i.path, i.fileId, i.node.offset, String(i.record)]),
      again.instances.map((i) => [i.path, i.fileId, i.node.offset, String(i.record)]),
    );
  }),
);

Deno.test(
  "writeDicomdir: bad options are refused",
  withFolder((dir) => {
    assert.throws(
      () => writeDicomdir(dir, { fileSetId: "lower case" }),
      new ValueError(
        'invalid File-set ID "lower case": up to 16 characters A-Z, 0-9, _ and space',
      ),
    );
    assert.throws(
      () => writeDicomdir(dir, { transferSyntax: "1.2.840.10008.1.2.1.99" }),
      new ValueError(
        "a DICOMDIR cannot be written as 1.2.840.10008.1.2.1.99: use explicit or implicit VR",
      ),
    );
  }),
);

Deno.test(
  "FileSet: find and findValues match the records' values",
  withFolder((dir) => {
    writeDicomdir(dir);
    const fs = fileSet(dir);
    assert.equal(fs.find({}).length, 6);
    assert.equal(fs.find({ PatientID: "PHANTOM01" }).length, 6);
    assert.equal(fs.find({ PatientID: "NOBODY" }).length, 0);
    assert.deepEqual(fileIds(fs.find({ SeriesNumber: 3 })), [
      "SE3/IM000001",
      "SE3/IM000002",
      "SE3/IM000003",
    ]);
    assert.deepEqual(
      fs.find({ Modality: "CT", InstanceNumber: 2 }).map((i) => i.SOPInstanceUID),
      [`${SERIES2}.2`],
    );
    // Person names compare as text; SOPInstanceUID is the record's Referenced SOP Instance UID
    assert.equal(fs.find({ PatientName: "Phantom^Head" }).length, 6);
    assert.equal(fs.find({ SOPInstanceUID: "2.25.7.3" })[0].fileId.join("/"), "SE3/IM000003");
    // Rows is not in the records, only in the files
    assert.equal(fs.find({ Rows: 8 }).length, 0);
    assert.equal(fs.find({ Rows: 8 }, { load: true }).length, 6);
    assert.deepEqual(fs.findValues("StudyDate"), ["20240115"]);
    assert.deepEqual(fs.findValues("SeriesNumber"), [2, 3]);
    assert.deepEqual(fs.findValues("Modality"), ["CT", "MR"]);
    assert.deepEqual(fs.findValues("Rows"), []);
    assert.deepEqual(fs.findValues("Rows", { load: true }), [8]);
    assert.deepEqual(fs.findValues(["PatientID", "InstanceNumber"]), {
      PatientID: ["PHANTOM01"],
      InstanceNumber: [1, 2, 3],
    });
    assert.deepEqual(
      fs.findValues("InstanceNumber", { instances: fs.find({ SeriesNumber: 3 }).slice(1) }),
      [2, 3],
    );
    const names = fs.findValues("PatientName");
    assert.ok(names[0] instanceof PersonName);
    assert.equal(String(names[0]), "Phantom^Head");
  }),
);

Deno.test(
  "FileInstance: values come from the leaf record, then its ancestors",
  withFolder((dir) => {
    writeDicomdir(dir);
    const inst = [...fileSet(dir)][4];
    assert.equal(inst.PatientID, "PHANTOM01");
    assert.equal(inst.StudyDate, "20240115");
    assert.equal(inst.Modality, "MR");
    assert.equal(inst.SeriesNumber, 3);
    assert.equal(inst.InstanceNumber, 2);
    assert.equal(inst.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
    assert.equal(inst.get("StudyDescription"), "CT HEAD PHANTOM");
    assert.equal(inst.element("SOPInstanceUID")!.tag, 0x00041511);
    assert.equal(inst.get("Rows"), undefined);
    assert.equal(inst.has("AccessionNumber"), true);
    assert.equal(inst.record.DirectoryRecordType, "IMAGE");
    assert.equal(inst.node.depth, 3);
    assert.deepEqual(inst.node.ancestors.map((n) => n.recordType), ["SERIES", "STUDY", "PATIENT"]);
    assert.equal(String(inst.node), "IMAGE: InstanceNumber=2");
    assert.equal(String(inst.node.parent), "SERIES: Modality=MR, SeriesNumber=3");
    assert.equal(inst.added, false);
  }),
);

Deno.test(
  "fileSet: a record pointing to a missing or broken file is still an instance; load() names the path",
  withFolder((dir) => {
    writeDicomdir(dir, { fileSetId: "TEST", fileSetUid: "2.25.1" });
    Deno.removeSync(`${dir}/SE3/IM000002`);
    const fs = fileSet(dir);
    assert.equal(fs.length, 6);
    assert.deepEqual(fileIds(fs), FILE_IDS);
    const missing = fs.instances[4];
    const offset = missing.node.offset;
    assert.deepEqual(fs.warnings, [`missing file ${dir}/SE3/IM000002 (record at byte ${offset})`]);
    assert.equal(summary(fs), [...HEAD, ...TREE].join("\n"));
    assert.throws(() => missing.load(), (e: Error) => {
      assert.ok(e instanceof InvalidFileError && e instanceof DicomError);
      assert.equal(
        e.message,
        `missing file ${dir}/SE3/IM000002 referenced by the IMAGE record at byte ${offset}`,
      );
      return true;
    });
    assert.equal(fs.instances[5].load().InstanceNumber, 3);
    // A file that is not DICOM: the reader's error, with the path in front
    Deno.writeTextFileSync(`${dir}/SE3/IM000003`, "garbage");
    assert.throws(() => fs.instances[5].load(), (e: Error) => {
      assert.ok(e instanceof InvalidFileError);
      const cause = e.cause as InvalidFileError;
      assert.ok(cause instanceof InvalidFileError);
      assert.equal(e.message, `${dir}/SE3/IM000003: ${cause.message}`);
      assert.equal(e.offset, cause.offset);
      return true;
    });
  }),
);

Deno.test(
  "fileSet: a file ID in another case is found (media written elsewhere)",
  withFolder((dir) => {
    writeDicomdir(dir);
    Deno.renameSync(`${dir}/SE2/IM000003`, `${dir}/SE2/im000003`);
    const fs = fileSet(dir);
    assert.deepEqual(fs.warnings, []);
    assert.equal(fs.instances[2].path, `${dir}/SE2/im000003`);
    assert.equal(fs.instances[2].load().InstanceNumber, 3);
  }),
);

Deno.test(
  "fileSet: broken offsets rebuild the tree from record order, or throw when strict",
  withFolder((dir) => {
    const path = `${dir}/DICOMDIR`;
    const cases: [string, () => void, string][] = [
      [
        "an offset to no record",
        () => patchUL(path, 3, 0x00041400, 12345),
        "the next-record offset of the record at byte {3} points to byte 12345, where no record starts",
      ],
      [
        "a loop",
        () => patchUL(path, 5, 0x00041400, Number(read(path).get(0x00041200))),
        "the next-record offset of the record at byte {5} points back to the record at byte {0}",
      ],
      [
        "no first offset",
        () => patchUL(path, -1, 0x00041200, 0),
        "the offset of the first root record (0004,1200) is missing or zero",
      ],
      [
        "a lower-level offset to no record",
        () => patchUL(path, 2, 0x00041420, 7),
        "the lower-level offset of the record at byte {2} points to byte 7, where no record starts",
      ],
    ];
    for (const [what, damage, message] of cases) {
      writeDicomdir(dir, { fileSetId: "TEST", fileSetUid: "2.25.1" });
      const at = [...fileSet(path).records()].map((n) => n.offset);
      damage();
      const expected = message.replace(/\{(\d)\}/g, (_, i) => String(at[Number(i)]));
      const fs = fileSet(path);
      assert.deepEqual(
        fs.warnings,
        [`broken record offsets: ${expected}; records placed by their order instead`],
        what,
      );
      assert.equal(summary(fs), [...HEAD, ...TREE].join("\n"), what);
      assert.deepEqual(fileIds(fs), FILE_IDS, what);
      assert.throws(
        () => fileSet(path, { strict: true }),
        new MalformedError(`broken DICOMDIR ${path}: ${expected}`),
        what,
      );
    }
  }),
);

Deno.test(
  "fileSet: records without a PATIENT level (root chain starts at a STUDY)",
  withFolder((dir) => {
    const path = `${dir}/DICOMDIR`;
    writeDicomdir(dir, { fileSetId: "TEST", fileSetUid: "2.25.1" });
    const study = records(path)[0].get("OffsetOfReferencedLowerLevelDirectoryEntity") as number;
    patchUL(path, -1, 0x00041200, study);
    const fs = fileSet(path);
    assert.deepEqual(fs.warnings, []);
    assert.deepEqual(fileIds(fs), FILE_IDS);
    assert.equal(fs.children[0].recordType, "STUDY");
    assert.equal(fs.instances[0].PatientID, undefined);
    // pydicom 2.3.1 prints the same
    assert.equal(
      summary(fs),
      [
        ...HEAD,
        "",
        "  Managed instances:",
        "    STUDY: StudyDate=20240115, StudyTime=093000, StudyDescription='CT HEAD PHANTOM'",
        "      SERIES: Modality=CT, SeriesNumber=2",
        "        IMAGE: 3 SOP Instances",
        "      SERIES: Modality=MR, SeriesNumber=3",
        "        IMAGE: 3 SOP Instances",
      ].join("\n"),
    );
  }),
);

Deno.test(
  "fileSet: orphaned records with files are placed by reading the files, as pydicom",
  withFolder((dir) => {
    const path = `${dir}/DICOMDIR`;
    writeDicomdir(dir, { fileSetId: "TEST", fileSetUid: "2.25.1" });
    // Cut the chain after the first IMAGE of series 2: its two siblings become orphans
    patchUL(path, 3, 0x00041400, 0);
    const fs = fileSet(path);
    assert.equal(records(path).length, 10);
    assert.deepEqual(fileIds(fs), [
      "SE2/IM000001",
      "SE3/IM000001",
      "SE3/IM000002",
      "SE3/IM000003",
      "SE2/IM000002",
      "SE2/IM000003",
    ]);
    assert.deepEqual([...fs].map((i) => i.added), [false, false, false, false, true, true]);
    assert.equal(fs.warnings.length, 2);
    assert.match(
      fs.warnings[0],
      /^orphaned IMAGE record at byte \d+: placed by reading .*\/SE2\/IM000002$/,
    );
    // pydicom 2.3.1 prints the same (and lists the two orphans in its hash-set order)
    const tree = [...TREE];
    tree[5] = "          IMAGE: 3 SOP Instances (1 initial, 2 additions)";
    assert.equal(summary(fs), [...HEAD, ...tree].join("\n"));
    assert.equal(fs.instances[4].SeriesNumber, 2);
  }),
);

Deno.test(
  "fileSet: a deflated DICOMDIR, offsets from the file start or from the inflated dataset",
  withFolder((dir) => {
    const path = `${dir}/DICOMDIR`;
    writeDicomdir(dir, { fileSetId: "TEST", fileSetUid: "2.25.1" });
    const plain = read(path);
    const first = Number(plain.get(0x00041200));
    const metaEnd = 132 + 12 + Number(plain.fileMeta!.get(0x00020000));
    // Offsets counted from the file start (deflating adds 2 bytes to the file meta: the
    // longer transfer syntax UID), then from the start of the inflated dataset
    for (const shift of [2, -metaEnd]) {
      const ds = read(path);
      const move = (d: Dataset, t: number) => {
        const v = Number(d.get(t) ?? 0);
        if (v) d.add(DataElement.fromValue(t, "UL", v + shift));
      };
      move(ds, 0x00041200);
      move(ds, 0x00041202);
      for (const r of ds.DirectoryRecordSequence as Dataset[]) {
        move(r, 0x00041400);
        move(r, 0x00041420);
      }
      const deflatedPath = `${dir}/DEFLATED`;
      Deno.writeFileSync(deflatedPath, write(ds, { transferSyntax: "1.2.840.10008.1.2.1.99" }));
      const fs = fileSet(deflatedPath);
      assert.equal(fs.dicomdir!.transferSyntaxUID, "1.2.840.10008.1.2.1.99");
      assert.deepEqual(fs.warnings, []);
      assert.equal(fs.children[0].offset, first + shift);
      assert.deepEqual(fileIds(fs), FILE_IDS);
      Deno.removeSync(deflatedPath);
    }
  }),
);

Deno.test("fileSet: an empty file-set", () => {
  const dir = Deno.makeTempDirSync({ prefix: "fileset_test_" });
  try {
    const fs = writeDicomdir(dir, { fileSetId: "EMPTY", fileSetUid: "2.25.2" });
    assert.equal(fs.length, 0);
    assert.deepEqual([...fs], []);
    assert.deepEqual(fs.children, []);
    assert.equal(
      summary(fileSet(dir)),
      [
        "DICOM File-set",
        "  Root directory: <ROOT>",
        "  File-set ID: EMPTY",
        "  File-set UID: 2.25.2",
        "  Descriptor file ID: (no value available)",
        "  Descriptor file character set: (no value available)",
      ].join("\n"),
    );
    assert.equal(read(`${dir}/DICOMDIR`).get(0x00041200), 0);
    assert.deepEqual(fileSet(dir).findValues("PatientID"), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("fileSet: errors name the path", () => {
  const dir = Deno.makeTempDirSync({ prefix: "fileset_test_" });
  try {
    assert.throws(() => fileSet(`${dir}/nothing`), (e: Error) => {
      assert.ok(e instanceof InvalidFileError);
      assert.match(e.message, new RegExp(`^cannot open file-set ${dir}/nothing: `));
      return true;
    });
    const ct = `${dir}/CT1`;
    Deno.writeFileSync(ct, write(makeCtSlice(0, { size: 8, slices: 1 })));
    assert.throws(
      () => fileSet(ct),
      new InvalidFileError(
        `not a DICOMDIR: ${ct} has SOP class 1.2.840.10008.5.1.4.1.1.2 and no Directory Record Sequence`,
      ),
    );
    Deno.writeTextFileSync(`${dir}/TEXT`, "hello");
    assert.throws(() => fileSet(`${dir}/TEXT`), (e: Error) => {
      assert.ok(e instanceof InvalidFileError);
      assert.ok(e.message.startsWith(`${dir}/TEXT: not DICOM`), e.message);
      return true;
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test(
  "fileSet: a URL works as a path",
  withFolder((dir) => {
    writeDicomdir(dir);
    const fs = fileSet(new URL(`file://${dir}/DICOMDIR`));
    assert.equal(fs.dicomdirPath, `${dir}/DICOMDIR`);
    assert.equal(fs.length, 6);
  }),
);
