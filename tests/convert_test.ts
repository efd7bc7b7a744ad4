/**
 * `scripts/convert.ts`, the tutorial's whole job, run as the user runs it (a subprocess)
 * on file-sets built here from the phantom: the output tree and formats, progress,
 * names from hostile tag values, failures of every kind (broken, missing, unsupported
 * files; read-only folders; a full disk), an interrupted run and its resumption.
 */
import assert from "node:assert/strict";
import jpeg from "jpeg-js";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";
import { fileSet } from "../lib/fileset/file_set.ts";
import {
  convertOne,
  type ConvertReport,
  type ConvertSettings,
  errorKind,
  MAX_COMPONENT_BYTES,
  MISSING,
  OutputError,
  planNames,
  progressText,
  safeComponent,
} from "../lib/convert/mod.ts";
import { writeAtomic } from "../lib/io/files.ts";
import { to16Bit } from "../lib/image/mod.ts";
import { Dataset } from "../lib/dataset/dataset.ts";
import { PixelArray } from "../lib/pixels/pixel_array.ts";
import { CodecError, InvalidFileError } from "../lib/core/errors.ts";
import {
  jpegFrames,
  listFiles,
  makeReadOnly,
  mpeg2Slice,
  multiFrame,
  phantomWindow,
  pngGray,
  readTree,
  runConvert,
  runInTerminal,
  slice,
  tempDir,
  tutorial,
  writeFiles,
} from "./_convert_helpers.ts";

const SERIES = "PHANTOM01/20240115/2";

function report(stdout: string): ConvertReport {
  return JSON.parse(stdout) as ConvertReport;
}

/** A file-set of `n` phantom slices (size 32 of a 3-slice phantom) with a DICOMDIR. */
function smallFileSet(n = 3): string {
  const dir = tempDir();
  writeFiles(`${dir}/in`, Array.from({ length: n }, (_, i) => slice(i, { slices: n })));
  writeDicomdir(`${dir}/in`);
  return dir;
}

Deno.test("safeComponent: separators, dots, NUL, control characters, empty, long values", () => {
  const cases: [unknown, string][] = [
    ["PHANTOM01", "PHANTOM01"],
    [2, "2"],
    ["../../etc", ".._.._etc"],
    ["a/b", "a_b"],
    ["a\\b", "a_b"],
    [["a", "b"], "a_b"],
    ["/etc/passwd", "_etc_passwd"],
    ["C:\\Windows", "C__Windows"],
    ["\0", "_"],
    ["a\0b", "a_b"],
    ["\x1b[31mred\x7f\x85", "_[31mred__"],
    ["tab\there", "tab_here"],
    ["", MISSING],
    ["   ", MISSING],
    [undefined, MISSING],
    [null, MISSING],
    [".", "_"],
    ["..", "__"],
    ["...", "___"],
    ["1.2.", "1.2._"],
    ["  spaced  ", "spaced"],
    ["con", "_con"],
    ["NUL.txt", "_NUL.txt"],
    ["console", "console"],
    ['a:b*c?d"e<f>g|h', "a_b_c_d_e_f_g_h"],
    ["\ud800x", "\ufffdx"],
    ["Ärzte Zürich", "Ärzte Zürich"],
  ];
  for (const [input, expected] of cases) {
    assert.equal(safeComponent(input), expected, JSON.stringify(input));
  }
  // Long values: cut at 80 UTF-8 bytes on a code point boundary, plus a hash of the whole.
  const long = safeComponent("x".repeat(300));
  assert.match(long, /^x{80}~[0-9a-f]{8}$/);
  assert.notEqual(safeComponent("x".repeat(300)), safeComponent("x".repeat(301)));
  assert.equal(safeComponent("x".repeat(300)), long, "deterministic");
  const accents = safeComponent("é".repeat(60)); // 120 bytes
  assert.match(accents, /^é{40}~[0-9a-f]{8}$/);
  assert.ok(new TextEncoder().encode(accents).length <= MAX_COMPONENT_BYTES);
  assert.equal(safeComponent("é".repeat(50)), "é".repeat(50), "100 bytes is kept");
  const emoji = safeComponent("😀".repeat(30)); // 4 bytes each: 20 fit in 80
  assert.match(emoji, /^(😀){20}~[0-9a-f]{8}$/u);
});

Deno.test("planNames: hostile Patient IDs stay inside out; collisions get _dup in record order", () => {
  const dir = tempDir();
  try {
    const ids: (string | null)[] = [
      "../../etc", // 1
      "a/b", // 2
      "\0", // 3
      "", // 4
      null, // 5
      "..", // 6
      "/abs/path", // 7
      "a\\b", // 8: two values
      "x".repeat(300), // 9
      "Abc", // 10
      "abc", // 11: same name as 10 on a case-insensitive disk
      "a_b", // 12
    ];
    const datasets = ids.map((id, i) => slice(i, { patientId: id }));
    datasets[11].set("InstanceNumber", 2); // a_b/.../2 is taken by "a/b"
    datasets[10].set("InstanceNumber", 10); // abc/.../10 ~ Abc/.../10
    writeFiles(`${dir}/in`, datasets);
    const fs = writeDicomdir(`${dir}/in`);
    const names = planNames(fs, "out").sort();
    const long = safeComponent("x".repeat(300));
    assert.deepEqual(
      names,
      [
        "out/.._.._etc/20240115/2/1",
        "out/Abc/20240115/2/10",
        "out/_abs_path/20240115/2/7",
        "out/__/20240115/2/6",
        "out/_missing_/20240115/2/3",
        "out/_missing_/20240115/2/4",
        "out/_missing_/20240115/2/5",
        "out/a_b/20240115/2/2",
        "out/a_b/20240115/2/2_dup1",
        "out/a_b/20240115/2/8",
        "out/abc/20240115/2/10_dup1",
        `out/${long}/20240115/2/9`,
      ].sort(),
    );
    // Record order decides which one gets _dup1, and it is the same on every call.
    assert.deepEqual(planNames(fileSet(`${dir}/in`), "out"), planNames(fs, "out"));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("planNames: IS values as stored, hostile Study Date and Series Number", () => {
  const dir = tempDir();
  try {
    const a = slice(0);
    a.set("StudyDate", "../..", { validation: "ignore" });
    a.set("SeriesNumber", "../3", { validation: "ignore" });
    const b = slice(1);
    b.set("StudyDate", "");
    b.set("StudyInstanceUID", "2.25.123");
    b.set("SeriesInstanceUID", "2.25.1234");
    b.delete("SeriesNumber");
    b.delete("InstanceNumber");
    writeFiles(`${dir}/in`, [a, b]);
    // A folder without DICOMDIR: records made from the files themselves
    assert.deepEqual(planNames(fileSet(`${dir}/in`), "/o"), [
      "/o/PHANTOM01/.._.._/.._3/1",
      "/o/PHANTOM01/_missing_/_missing_/_missing_",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: hostile names end up inside out, the same on every run whatever --jobs", async () => {
  const dir = tempDir();
  try {
    const ids: (string | null)[] = ["../../etc", "a/b", "\0", "", null, "..", "/etc", "a_b"];
    const datasets = ids.map((id, i) => slice(i, { patientId: id }));
    datasets[7].set("InstanceNumber", 2);
    writeFiles(`${dir}/in`, datasets);
    writeDicomdir(`${dir}/in`);
    const a = await runConvert([`${dir}/in`, `${dir}/deep/out1`, "--jobs", "1", "--quiet"]);
    const b = await runConvert([`${dir}/in`, `${dir}/deep/out2`, "--jobs", "4", "--quiet"]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const expected = [
      ".._.._etc/20240115/2/1.jpg",
      "_etc/20240115/2/7.jpg",
      "__/20240115/2/6.jpg",
      "_missing_/20240115/2/3.jpg",
      "_missing_/20240115/2/4.jpg",
      "_missing_/20240115/2/5.jpg",
      "a_b/20240115/2/2.jpg",
      "a_b/20240115/2/2_dup1.jpg",
    ].sort();
    assert.deepEqual(listFiles(`${dir}/deep/out1`), expected);
    const one = readTree(`${dir}/deep/out1`);
    const two = readTree(`${dir}/deep/out2`);
    assert.deepEqual([...two.keys()], expected);
    for (const [k, v] of one) assert.deepEqual(two.get(k), v, k);
    // Nothing was written anywhere else: the temp folder holds in/ and deep/ only,
    // deep/ only the two outputs.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["deep", "in"]);
    assert.deepEqual([...Deno.readDirSync(`${dir}/deep`)].map((e) => e.name).sort(), [
      "out1",
      "out2",
    ]);
    const root = Deno.realPathSync(`${dir}/deep/out1`);
    for (const f of expected) {
      assert.ok(Deno.realPathSync(`${dir}/deep/out1/${f}`).startsWith(`${root}/`), f);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: JPEG tree {PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.jpg, --json, --quality", async () => {
  const dir = smallFileSet(3);
  try {
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "--jobs", "2"]);
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r.stdout);
    assert.deepEqual(
      { ...rep, seconds: 0, imagesPerSecond: 0 },
      {
        input: `${dir}/in`,
        out: `${dir}/out`,
        instances: 3,
        converted: 3,
        skipped: 0,
        images: 3,
        failed: [],
        warnings: [],
        jobs: 2,
        interrupted: false,
        notDone: 0,
        seconds: 0,
        imagesPerSecond: 0,
      },
    );
    assert.deepEqual(listFiles(`${dir}/out`), [1, 2, 3].map((n) => `${SERIES}/${n}.jpg`));
    // Baseline JPEG of the tutorial's 8-bit image, within JPEG's loss
    for (let i = 0; i < 3; i++) {
      const bytes = Deno.readFileSync(`${dir}/out/${SERIES}/${i + 1}.jpg`);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
      assert.equal(img.width, 32);
      const ref = tutorial(phantomWindow(i, { size: 32, slices: 3, center: 40, width: 80 }));
      let diff = 0;
      for (let p = 0; p < ref.length; p++) diff += Math.abs(img.data[p * 3] - ref[p]);
      assert.ok(diff / ref.length < 8, `mean error ${diff / ref.length}`);
    }
    const hi = await runConvert([`${dir}/in`, `${dir}/q95`, "--quality", "95", "--quiet"]);
    const lo = await runConvert([`${dir}/in`, `${dir}/q20`, "--quality", "20", "--quiet"]);
    assert.equal(hi.code + lo.code, 0);
    const size = (d: string) => Deno.statSync(`${dir}/${d}/${SERIES}/1.jpg`).size;
    assert.ok(size("q95") > size("out") && size("out") > size("q20"));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: --format png is the tutorial recipe after the VOI step, exactly; --window and --center/--width", async () => {
  const dir = smallFileSet(3);
  try {
    const cases: [string, string[], number, number][] = [
      ["w0", [], 40, 80],
      ["w1", ["--window", "1"], 700, 3200],
      ["cw", ["--center", "300", "--width", "1000"], 300, 1000],
    ];
    for (const [name, flags, center, width] of cases) {
      const r = await runConvert([`${dir}/in`, `${dir}/${name}`, "--format", "png", ...flags]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(listFiles(`${dir}/${name}`), [1, 2, 3].map((n) => `${SERIES}/${n}.png`));
      for (let i = 0; i < 3; i++) {
        const png = pngGray(Deno.readFileSync(`${dir}/${name}/${SERIES}/${i + 1}.png`));
        const ref = tutorial(phantomWindow(i, { size: 32, slices: 3, center, width }));
        assert.deepEqual(png.data, ref, `${name} slice ${i}`);
      }
    }
    // The user's window of the dataset's values gives the dataset's window's image
    const same = await runConvert([
      `${dir}/in`,
      `${dir}/same`,
      "--format=png",
      "--center=40",
      "--width=80",
    ]);
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(readTree(`${dir}/same`), readTree(`${dir}/w0`));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: --bit-depth 16 keeps the VOI output, rounded and shifted by the range's -1024", async () => {
  const dir = smallFileSet(3);
  try {
    for (const [flags, center, width] of [[[], 40, 80], [["--window", "1"], 700, 3200]] as const) {
      const out = `${dir}/out${center}`;
      const r = await runConvert([
        `${dir}/in`,
        out,
        "--format",
        "png",
        "--bit-depth",
        "16",
        ...flags,
      ]);
      assert.equal(r.code, 0, r.stderr);
      for (let i = 0; i < 3; i++) {
        const bytes = Deno.readFileSync(`${out}/${SERIES}/${i + 1}.png`);
        assert.equal(bytes[24], 16, "bit depth in IHDR");
        const png = pngGray(bytes);
        const voi = phantomWindow(i, { size: 32, slices: 3, center, width });
        assert.deepEqual(png.data, Array.from(voi, (v) => Math.floor(v + 1024 + 0.5)));
      }
    }
    const bad = await runConvert([`${dir}/in`, `${dir}/x`, "--bit-depth", "16"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /16 bits per sample need format "png"/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: a multi-frame instance gives {InstanceNumber}_{frame} images, each the tutorial's of its frame", async () => {
  const dir = tempDir();
  try {
    writeFiles(`${dir}/in`, [slice(0, { slices: 3 }), multiFrame(3, 32, 7)]);
    writeDicomdir(`${dir}/in`);
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--format", "png", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(report(r.stdout).images, 4);
    assert.deepEqual(listFiles(`${dir}/out`), [
      `${SERIES}/1.png`,
      `${SERIES}/7_0.png`,
      `${SERIES}/7_1.png`,
      `${SERIES}/7_2.png`,
    ]);
    for (let f = 0; f < 3; f++) {
      const png = pngGray(Deno.readFileSync(`${dir}/out/${SERIES}/7_${f}.png`));
      const ref = tutorial(phantomWindow(f, { size: 32, slices: 3, center: 40, width: 80 }));
      assert.deepEqual(png.data, ref, `frame ${f}`);
    }
    // Resuming inside a multi-frame instance: frame 1 lost, a stale .partial left
    const tree = readTree(`${dir}/out`);
    Deno.removeSync(`${dir}/out/${SERIES}/7_1.png`);
    Deno.writeFileSync(`${dir}/out/${SERIES}/7_1.png.partial`, new Uint8Array([1, 2, 3]));
    const again = await runConvert([
      `${dir}/in`,
      `${dir}/out`,
      "--format",
      "png",
      "--skip-existing",
      "--json",
    ]);
    assert.equal(again.code, 0, again.stderr);
    const rep = report(again.stdout);
    assert.deepEqual([rep.images, rep.skipped, rep.converted], [1, 1, 1]);
    assert.deepEqual(readTree(`${dir}/out`), tree);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: a DICOMDIR, a folder with one and a folder without one give the same images", async () => {
  const dir = smallFileSet(3);
  try {
    writeFiles(`${dir}/plain`, [0, 1, 2].map((i) => slice(i, { slices: 3 })));
    Deno.writeTextFileSync(`${dir}/plain/README.txt`, "not DICOM");
    const runs = [
      [`${dir}/in/DICOMDIR`, `${dir}/a`],
      [`${dir}/in`, `${dir}/b`],
      [`${dir}/plain`, `${dir}/c`],
    ];
    for (const [input, out] of runs) {
      const r = await runConvert([input, out, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      if (input.endsWith("plain")) {
        // A file that is not DICOM in a plain folder is a warning, not a failure
        assert.deepEqual(report(r.stdout).warnings.length, 1);
        assert.match(report(r.stdout).warnings[0], /^skipped README\.txt: /);
        assert.match(r.stderr, /warning: skipped README\.txt: /);
      }
    }
    const a = readTree(`${dir}/a`);
    assert.equal(a.size, 3);
    assert.deepEqual(readTree(`${dir}/b`), a);
    assert.deepEqual(readTree(`${dir}/c`), a);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: progress lines on a pipe, a bar on a terminal, nothing with --quiet", async () => {
  const dir = smallFileSet(3);
  try {
    const r = await runConvert([`${dir}/in`, `${dir}/a`, "--jobs", "1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^progress: 3\/3 100% \d+\.\d\/s ETA 0s, 3 image\(s\)$/m);
    assert.ok(!r.stderr.includes("\r") && !r.stderr.includes("\x1b"), "no terminal codes");
    assert.match(
      r.stderr,
      /^3 image\(s\) from 3 instance\(s\) in [\d.]+ s \([\d.]+ images\/s\) to /m,
    );
    const q = await runConvert([`${dir}/in`, `${dir}/b`, "--quiet"]);
    assert.equal(q.code, 0);
    assert.equal(q.stderr, "");
    assert.equal(q.stdout, "");
    const tty = await runInTerminal([`${dir}/in`, `${dir}/c`, "--jobs", "1"]);
    if (tty === undefined) {
      console.log("`script` is not installed: the terminal bar is not checked");
      return;
    }
    // deno-lint-ignore no-control-regex -- the bar's escape sequence is what is checked
    assert.match(tty, /\r\[#{10,40}\] 3\/3 100% \d+\.\d\/s ETA 0s, 3 image\(s\)\x1b\[K\r?\n/);
    assert.doesNotMatch(tty, /^progress:/m);
    assert.equal(listFiles(`${dir}/c`).length, 3);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("progressText: plain line and bar with count, rate and ETA", () => {
  assert.equal(progressText(12, 60, 0, 1.2), "progress: 12/60 20% 10.0/s ETA 5s");
  assert.equal(progressText(60, 60, 2, 6), "progress: 60/60 100% 10.0/s ETA 0s (2 failed)");
  assert.equal(progressText(0, 60, 0, 0), "progress: 0/60 0% 0.0/s ETA ?");
  assert.equal(progressText(1, 1000, 0, 1), "progress: 1/1000 0% 1.0/s ETA 16m39s");
  assert.equal(progressText(1, 100000, 0, 1), "progress: 1/100000 0% 1.0/s ETA 27h46m");
  assert.equal(
    progressText(30, 60, 0, 3, 80),
    "[####################....................] 30/60 50% 10.0/s ETA 3s",
  );
  assert.equal(progressText(6, 60, 0, 1, 40), "[##.............] 6/60 10% 6.0/s ETA 9s");
});

Deno.test("convert: broken, garbage, missing and unsupported files are reported; every good image is written; exit 1", async () => {
  const dir = tempDir();
  try {
    const paths = writeFiles(`${dir}/in`, [
      slice(0),
      slice(1),
      slice(2),
      slice(3), // truncated pixel data
      slice(4), // garbage bytes
      slice(5), // missing
      mpeg2Slice(6), // unsupported transfer syntax
      slice(7),
    ]);
    writeDicomdir(`${dir}/in`);
    const full = Deno.readFileSync(paths[3]);
    Deno.writeFileSync(paths[3], full.subarray(0, full.length - 500));
    // fixed garbage: random bytes now and then parse as a bare dataset (issue 11)
    Deno.writeFileSync(
      paths[4],
      Uint8Array.from({ length: 3000 }, (_, i) => (i * 151 + 89) & 0xff),
    );
    Deno.removeSync(paths[5]);
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "--jobs", "3"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(listFiles(`${dir}/out`), [1, 2, 3, 8].map((n) => `${SERIES}/${n}.jpg`));
    const rep = report(r.stdout);
    assert.deepEqual([rep.instances, rep.converted, rep.images], [8, 4, 4]);
    assert.deepEqual(
      rep.failed.map((f) => [f.path, f.kind, f.output]),
      [
        [paths[3], "PixelDataError", `${dir}/out/${SERIES}/4`],
        [paths[4], "InvalidFileError", `${dir}/out/${SERIES}/5`],
        [paths[5], "NotFound", `${dir}/out/${SERIES}/6`],
        [paths[6], "UnsupportedError", `${dir}/out/${SERIES}/7`],
      ],
    );
    assert.match(rep.failed[0].message, /pixel data has \d+ bytes, 2048 expected/);
    assert.match(rep.failed[1].message, /not DICOM/);
    assert.equal(rep.failed[2].message, `missing file ${paths[5]}`);
    assert.match(rep.failed[3].message, /^no decoder for transfer syntax MPEG2/);
    // The summary on stderr lists each failure: path, kind, message
    assert.match(r.stderr, /^4 failed:$/m);
    for (const f of rep.failed) {
      assert.ok(r.stderr.includes(`  ${f.path}: ${f.kind}: ${f.message}\n`), f.path);
    }
    // The missing file is also in the file-set's warnings
    assert.ok(rep.warnings.some((w) => w.includes(paths[5])), rep.warnings.join("\n"));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: a read-only series folder: its images are reported, the others written, no partial files", async () => {
  const dir = tempDir();
  let undo: (() => void) | undefined;
  try {
    writeFiles(`${dir}/in`, [slice(0), slice(1), slice(0, { series: 3 }), slice(1, { series: 3 })]);
    writeDicomdir(`${dir}/in`);
    Deno.mkdirSync(`${dir}/out/PHANTOM01/20240115/3`, { recursive: true });
    undo = makeReadOnly(`${dir}/out/PHANTOM01/20240115/3`);
    if (!undo) {
      // root on a file system without `chattr +i`: only the file-in-the-way test below
      console.log("cannot make a folder read-only for root here: checked with a file instead");
      return;
    }
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "--jobs", "2"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(listFiles(`${dir}/out`), [`${SERIES}/1.jpg`, `${SERIES}/2.jpg`]);
    const rep = report(r.stdout);
    assert.deepEqual(
      rep.failed.map((f) => [f.kind, f.output]),
      [1, 2].map((n) => ["PermissionDenied", `${dir}/out/PHANTOM01/20240115/3/${n}`]),
    );
    for (const f of rep.failed) {
      assert.ok(f.message.startsWith(`cannot write ${f.output}.jpg: `), f.message);
    }
  } finally {
    undo?.();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: a file where an output folder should be: every image of it is reported", async () => {
  const dir = tempDir();
  try {
    writeFiles(`${dir}/in`, [slice(0), slice(1), slice(0, { patientId: "OTHER" })]);
    writeDicomdir(`${dir}/in`);
    Deno.mkdirSync(`${dir}/out`);
    Deno.writeTextFileSync(`${dir}/out/PHANTOM01`, "a file, not a folder");
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(listFiles(`${dir}/out`), ["OTHER/20240115/2/1.jpg", "PHANTOM01"]);
    const rep = report(r.stdout);
    assert.deepEqual(
      rep.failed.map((f) => f.output),
      [1, 2].map((n) => `${dir}/out/${SERIES}/${n}`),
    );
    for (const f of rep.failed) {
      assert.ok(["NotADirectory", "AlreadyExists"].includes(f.kind), f.kind);
      assert.ok(f.message.startsWith(`cannot write ${f.output}.jpg: `), f.message);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "convert: a full disk (ENOSPC from /dev/full) fails that image only and leaves no partial file",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = smallFileSet(3);
    try {
      // The temporary name of image 2 leads to /dev/full, where every write fails with
      // ENOSPC, as on a full disk.
      Deno.mkdirSync(`${dir}/out/${SERIES}`, { recursive: true });
      Deno.symlinkSync("/dev/full", `${dir}/out/${SERIES}/2.jpg.partial`);
      const r = await runConvert([`${dir}/in`, `${dir}/out`, "--json"]);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(listFiles(`${dir}/out`), [`${SERIES}/1.jpg`, `${SERIES}/3.jpg`]);
      const [f] = report(r.stdout).failed;
      assert.equal(f.kind, "ENOSPC");
      assert.match(f.message, new RegExp(`^cannot write ${dir}/out/${SERIES}/2\\.jpg: No space`));
      assert.equal(report(r.stdout).failed.length, 1);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("convert: existing images: a failure by default, --skip-existing keeps them, --overwrite redoes them", async () => {
  const dir = smallFileSet(2);
  try {
    assert.equal((await runConvert([`${dir}/in`, `${dir}/out`, "-q"])).code, 0);
    const ino = Deno.statSync(`${dir}/out/${SERIES}/1.jpg`).ino;
    const again = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "-q"]);
    assert.equal(again.code, 1);
    assert.deepEqual(
      report(again.stdout).failed.map((f) => [f.kind, f.message]),
      [1, 2].map((n) => [
        "Exists",
        `${dir}/out/${SERIES}/${n}.jpg is already there (use --skip-existing or --overwrite)`,
      ]),
    );
    const skip = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "--skip-existing"]);
    assert.equal(skip.code, 0);
    assert.deepEqual([report(skip.stdout).skipped, report(skip.stdout).images], [2, 0]);
    assert.equal(Deno.statSync(`${dir}/out/${SERIES}/1.jpg`).ino, ino);
    const redo = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "--overwrite"]);
    assert.equal(redo.code, 0);
    assert.equal(report(redo.stdout).images, 2);
    assert.notEqual(Deno.statSync(`${dir}/out/${SERIES}/1.jpg`).ino, ino, "a new file, renamed");
    const both = await runConvert([`${dir}/in`, `${dir}/out`, "--overwrite", "--skip-existing"]);
    assert.equal(both.code, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: bad arguments and an unreadable input exit with 2", async () => {
  const dir = smallFileSet(1);
  try {
    const cases: [string[], RegExp][] = [
      [[`${dir}/in`], /expected an input and an output folder/],
      [
        [`${dir}/in`, `${dir}/o`, "--quality", "0"],
        /quality 0 is not a whole number from 1 to 100/,
      ],
      [[`${dir}/in`, `${dir}/o`, "--jobs", "two"], /--jobs must be a number, not "two"/],
      [[`${dir}/in`, `${dir}/o`, "--window=-1"], /window -1 is not an index/],
      [[`${dir}/in`, `${dir}/o`, "--format", "gif"], /unknown format "gif"/],
      [[`${dir}/in`, `${dir}/o`, "--center", "40"], /--center and --width go together/],
      [
        [`${dir}/in`, `${dir}/o`, "--center", "40", "--width", "0"],
        /window width 0 is not a number of at least 1/,
      ],
      [[`${dir}/in`, `${dir}/o`, "--frobnicate"], /Unknown option '--frobnicate'/],
      [[`${dir}/nothing`, `${dir}/o`], /cannot open file-set/],
    ];
    for (const [args, message] of cases) {
      const r = await runConvert(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, message);
    }
    assert.deepEqual(listFiles(dir).filter((p) => p.startsWith("o")), []);
    const help = await runConvert(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: /);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: --jobs defaults to the number of cores", async () => {
  const dir = smallFileSet(Math.max(2, navigator.hardwareConcurrency));
  try {
    const r = await runConvert([`${dir}/in`, `${dir}/out`, "--json", "-q"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(report(r.stdout).jobs, navigator.hardwareConcurrency);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convert: an interrupted run leaves no partial file, exits 130; --skip-existing completes it", async () => {
  const dir = tempDir();
  try {
    const n = 150; // enough that the run is still going when the interrupt lands
    writeFiles(
      `${dir}/in`,
      Array.from({ length: n }, (_, i) => slice(i, { size: 512, slices: n })),
    );
    writeDicomdir(`${dir}/in`);
    const ref = await runConvert([`${dir}/in`, `${dir}/ref`, "--jobs", "2", "-q"]);
    assert.equal(ref.code, 0, ref.stderr);
    const expected = readTree(`${dir}/ref`);
    assert.equal(expected.size, n);

    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../scripts/convert.ts", import.meta.url).pathname,
        `${dir}/in`,
        `${dir}/out`,
        "--jobs",
        "2",
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const output = child.output();
    // Interrupt as soon as the first image is there
    const deadline = Date.now() + 60_000;
    while (listFiles(`${dir}/out`).filter((p) => p.endsWith(".jpg")).length < 1) {
      assert.ok(Date.now() < deadline, "no image after 60 s");
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGINT");
    const result = await output;
    const stderr = new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 130, stderr);
    const rep = report(new TextDecoder().decode(result.stdout));
    assert.equal(rep.interrupted, true);
    assert.match(stderr, /interrupted: \d+ instance\(s\) not done; run again with --skip-existing/);
    const partial = listFiles(`${dir}/out`);
    assert.ok(partial.length < n, `the run ended before the interrupt (${partial.length})`);
    assert.equal(rep.images, partial.length);
    assert.equal(rep.notDone, n - partial.length);
    for (const p of partial) {
      assert.ok(p.endsWith(".jpg"), `left behind: ${p}`);
      assert.deepEqual(Deno.readFileSync(`${dir}/out/${p}`), expected.get(p), `${p} is whole`);
    }

    const resume = await runConvert([
      `${dir}/in`,
      `${dir}/out`,
      "--jobs",
      "2",
      "--skip-existing",
      "--json",
    ]);
    assert.equal(resume.code, 0, resume.stderr);
    assert.deepEqual(
      [report(resume.stdout).skipped, report(resume.stdout).images],
      [partial.length, n - partial.length],
    );
    assert.deepEqual(readTree(`${dir}/out`), expected);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

const PNG8: ConvertSettings = { format: "png", quality: 75, bitDepth: 8, window: 0 };

Deno.test("to16Bit: unsigned output kept, window output shifted by the range, fallbacks", () => {
  const ct = slice(0); // 12 bits stored, unsigned, intercept -1024
  const u16 = new PixelArray(new Uint16Array([0, 4095, 65535]), [1, 3]);
  assert.equal(to16Bit(u16, ct), u16, "a VOI LUT's or unsigned output is kept as is");
  const f = new PixelArray(new Float64Array([-1024, -1024.4, 0.49, 3071, NaN, 70000]), [1, 6]);
  assert.deepEqual(Array.from(to16Bit(f, ct).data), [0, 0, 1024, 4095, 0, 65535]);
  // Signed data without rescale: the range of 16 bits stored starts at -32768
  const mr = new Dataset();
  mr.set("PhotometricInterpretation", "MONOCHROME2");
  mr.set("BitsStored", 16);
  mr.set("PixelRepresentation", 1);
  const s16 = new PixelArray(new Int16Array([-32768, -1, 0, 32767]), [1, 4]);
  assert.deepEqual(Array.from(to16Bit(s16, mr).data), [0, 32767, 32768, 65535]);
  // An unsigned range (intercept 0) shifts nothing
  const pos = new Dataset();
  pos.set("PhotometricInterpretation", "MONOCHROME2");
  pos.set("BitsStored", 12);
  pos.set("PixelRepresentation", 0);
  pos.set("RescaleSlope", 0.5);
  pos.set("RescaleIntercept", 0);
  const half = new PixelArray(new Float64Array([0, 0.5, 2047.5]), [1, 3]);
  assert.deepEqual(Array.from(to16Bit(half, pos).data), [0, 1, 2048]);
  // No range known (no Bits Stored): int16 by its type, float only rounded and clamped
  const none = new Dataset();
  assert.deepEqual(Array.from(to16Bit(s16, none).data), [0, 32767, 32768, 65535]);
  const fl = new PixelArray(new Float32Array([-5, 1.5, 2.4]), [1, 3]);
  assert.deepEqual(Array.from(to16Bit(fl, none).data), [0, 2, 2]);
});

Deno.test("errorKind and OutputError: DICOM error classes, Deno error classes, OS codes", () => {
  assert.equal(errorKind(new CodecError("bad")), "CodecError");
  assert.equal(errorKind(new InvalidFileError("bad")), "InvalidFileError");
  assert.equal(errorKind(new Deno.errors.PermissionDenied("no")), "PermissionDenied");
  const enospc = Object.assign(new Error("No space left on device (os error 28)"), {
    code: "ENOSPC",
  });
  assert.equal(errorKind(enospc), "ENOSPC");
  assert.equal(errorKind(new RangeError("x")), "RangeError");
  assert.equal(errorKind("a string"), "Error");
  const out = new OutputError("o/1.jpg", enospc);
  assert.equal(out.kind, "ENOSPC");
  assert.equal(out.message, "cannot write o/1.jpg: No space left on device (os error 28)");
  assert.equal(errorKind(out), "ENOSPC");
});

Deno.test("writeAtomic: a failed write leaves neither the image nor its temporary file", async () => {
  const dir = tempDir();
  try {
    Deno.writeTextFileSync(`${dir}/file`, "in the way");
    // the OS error itself (convertOne wraps it in an OutputError naming the image)
    await assert.rejects(
      () => writeAtomic(`${dir}/file/1.jpg`, new Uint8Array([1])),
      (e: unknown) => e instanceof Error && errorKind(e) !== "Error",
    );
    await writeAtomic(`${dir}/a/1.jpg`, new Uint8Array([1, 2]));
    await writeAtomic(`${dir}/a/1.jpg`, new Uint8Array([3])); // replaces
    assert.deepEqual(listFiles(dir), ["a/1.jpg", "file"]);
    assert.deepEqual(Deno.readFileSync(`${dir}/a/1.jpg`), new Uint8Array([3]));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convertOne: a broken frame of a multi-frame instance fails alone; the others are written", async () => {
  const dir = tempDir();
  try {
    const [path] = writeFiles(`${dir}/in`, [jpegFrames(4, 16, [1, 2])]);
    const r = await convertOne({ id: 3, path, outBase: `${dir}/o/1`, existing: "fail" }, PNG8);
    assert.deepEqual(r.written, [`${dir}/o/1_0.png`, `${dir}/o/1_3.png`]);
    assert.deepEqual(r.errors.map((e) => [e.kind, e.frame]), [["CodecError", 1], [
      "CodecError",
      2,
    ]]);
    assert.deepEqual([r.id, r.skipped, r.interrupted], [3, 0, false]);
    assert.deepEqual(listFiles(`${dir}/o`), ["1_0.png", "1_3.png"]);
    // The CLI lists each frame's failure
    writeDicomdir(`${dir}/in`);
    const cli = await runConvert([`${dir}/in`, `${dir}/cli`, "--json"]);
    assert.equal(cli.code, 1);
    const rep = report(cli.stdout);
    assert.deepEqual(rep.failed.map((f) => [f.kind, f.frame]), [["CodecError", 1], [
      "CodecError",
      2,
    ]]);
    assert.deepEqual([rep.images, rep.converted], [2, 0]);
    assert.match(cli.stderr, /IM000001 \(frame 1\): CodecError: /);
    assert.deepEqual(listFiles(`${dir}/cli`), [
      "JPEG/20240101/1/1_0.jpg",
      "JPEG/20240101/1/1_3.jpg",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("convertOne: an interrupt stops before the next frame; nothing half-written", async () => {
  const dir = tempDir();
  try {
    const [path] = writeFiles(`${dir}/in`, [multiFrame(4, 16, 1)]);
    let polls = 0;
    const r = await convertOne(
      { id: 0, path, outBase: `${dir}/o/1`, existing: "fail" },
      PNG8,
      { aborted: () => ++polls > 3 }, // the start, frames 0 and 1, then stop
    );
    assert.deepEqual(r.written, [`${dir}/o/1_0.png`, `${dir}/o/1_1.png`]);
    assert.equal(r.interrupted, true);
    assert.deepEqual(listFiles(`${dir}/o`), ["1_0.png", "1_1.png"]);
    const before = await convertOne(
      { id: 0, path, outBase: `${dir}/p/1`, existing: "fail" },
      PNG8,
      { aborted: () => true },
    );
    assert.deepEqual([before.written, before.errors, before.interrupted], [[], [], true]);
    assert.deepEqual(listFiles(`${dir}/p`), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
