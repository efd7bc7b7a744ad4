/**
 * Canary tests of scripts/deidentify.ts (issue 14's acceptance): a file-set whose every
 * attribute of Table E.1-1 carries a unique marker (per VR, at least 12 characters where
 * the VR allows), at the top level and inside sequence items (two levels deep), in private
 * attributes with and without a known creator, the overlay comments, a curve, the icon
 * image, the file meta and preamble, the DICOMDIR records and File-set ID, and the file and
 * folder names. After the script, no marker of an attribute whose action is not K appears
 * in any output byte or path, for the Basic Profile and for each option; K attributes and
 * pixel data are byte-identical; every output reads back here and in pydicom; references
 * resolve; the same key gives byte-identical files, another key other UIDs.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { DataElement, Dataset, PersonName } from "../lib/dataset/mod.ts";
import { read, write } from "../lib/io/mod.ts";
import { fileSet, writeDicomdir } from "../lib/fileset/mod.ts";
import {
  PROFILE_OPTIONS,
  type ProfileOption,
  type ProfileRow,
  profileRows,
} from "../lib/deid/mod.ts";
import { EXPLICIT_VR_LITTLE_ENDIAN } from "../lib/core/mod.ts";
import { put, pydicomMissing } from "./_deid.ts";

const SCRIPT = new URL("../scripts/deidentify.ts", import.meta.url).pathname;
const CT = "1.2.840.10008.5.1.4.1.1.2";
const SC = "1.2.840.10008.5.1.4.1.1.7";

/** A marker and what governs it: a row of the table, or nothing (it must always go). */
interface Marker {
  text: string;
  row?: ProfileRow;
}

class Markers {
  list: Marker[] = [];
  #n = 0;
  #byVr = new Map<string, number>();
  next(): number {
    return ++this.#n;
  }
  /** A count of its own for a VR whose markers must stay in a narrow range (dates). */
  nextOf(vr: string): number {
    const n = (this.#byVr.get(vr) ?? 0) + 1;
    this.#byVr.set(vr, n);
    return n;
  }
  add(text: string, row?: ProfileRow): string {
    assert.ok(!this.list.some((m) => m.text === text), `marker ${text} made twice`);
    this.list.push({ text, row });
    return text;
  }
  /** Forgets the markers of a value about to be overwritten. */
  drop(value: unknown): void {
    const text = String(value);
    this.list = this.list.filter((mk) => !text.includes(mk.text));
  }
  /** A text marker of at least 12 characters: QZX, 5 digits, MARK. */
  word(row?: ProfileRow): string {
    return this.add(`QZX${String(this.next()).padStart(5, "0")}MARK`, row);
  }
}

const ROWS = profileRows();
const NOT_IN_TABLE_SQ = 0x00081115; // Referenced Series Sequence
const SRC_UID_ROOT = "1.3.6.1.4.1.99999.5.";

/** The value of a marker for a row's VR (and the marker text to look for, if any). */
function markerFor(row: ProfileRow, m: Markers): { value: DataElement["value"]; vr: string } {
  const n = m.next();
  const id = String(n).padStart(5, "0");
  switch (row.vr) {
    case "AE":
    case "CS":
    case "SH":
    case "LO":
    case "LT":
    case "ST":
    case "UT":
    case "UC":
      return { value: m.add(`QZX${id}MARK`, row), vr: row.vr };
    case "PN":
      return { value: new PersonName(`${m.add(`QZX${id}MARK`, row)}^GIVEN`), vr: "PN" };
    case "UR":
      return { value: `http://${m.add(`QZX${id}MARK`, row)}.example/`, vr: "UR" };
    case "AS":
      return { value: m.add(`${String(m.nextOf("AS")).padStart(3, "0")}W`, row), vr: "AS" };
    case "DA": {
      // all in 1987, so a shift of a year or more never lands on another marker
      const d = new Date(Date.UTC(1987, 0, 1) + (m.nextOf("DA") - 1) * 86400_000);
      assert.ok(d.getUTCFullYear() === 1987, "too many DA markers");
      const text = d.toISOString().slice(0, 10).replaceAll("-", "");
      return { value: m.add(text, row), vr: "DA" };
    }
    case "DT": {
      const d = new Date(Date.UTC(1986, 0, 1) + (m.nextOf("DT") - 1) * 86400_000);
      assert.ok(d.getUTCFullYear() === 1986, "too many DT markers");
      const day = d.toISOString().slice(0, 10).replaceAll("-", "");
      return { value: m.add(`${day}121212.3${id}`, row), vr: "DT" };
    }
    case "TM":
      return { value: m.add(`111111.7${id}`, row), vr: "TM" };
    case "DS":
      return { value: Number(m.add(`98765${id}4321`, row)), vr: "DS" };
    case "IS":
      return { value: Number(m.add(`20987${id}`, row)), vr: "IS" };
    case "UI":
      return { value: m.add(`${SRC_UID_ROOT}${100000 + n}`, row), vr: "UI" };
    case "US":
      return { value: 7, vr: "US" };
    case "OB":
    case "UN":
      return {
        value: new TextEncoder().encode(m.add(`QZX${id}MARK`, row)),
        vr: row.vr,
      };
    default:
      throw new Error(`no marker for VR ${row.vr}`);
  }
}

/** An item of a sequence row: a UID to map (reference sequences) or a text value. */
function sequenceRowItem(row: ProfileRow, m: Markers): Dataset {
  const item = new Dataset();
  if (row.basic === "X/Z/U*") {
    put(item, 0x00081150, "UI", CT);
    put(item, 0x00081155, "UI", m.add(`${SRC_UID_ROOT}${100000 + m.next()}`, row));
  } else {
    put(item, 0x0040a160, "UT", m.word(row));
  }
  if (row.keyword === "IconImageSequence") {
    item.set("SamplesPerPixel", 1);
    item.set("PhotometricInterpretation", "MONOCHROME2");
    item.set("Rows", 4);
    item.set("Columns", 4);
    item.set("BitsAllocated", 8);
    item.set("BitsStored", 8);
    item.set("HighBit", 7);
    item.set("PixelRepresentation", 0);
    put(item, 0x7fe00010, "OB", new TextEncoder().encode(m.word(row) + "ICON"));
  }
  return item;
}

/** Every attribute of the table, each with a new marker; `depth` more levels inside. */
function fillTable(ds: Dataset, m: Markers, depth: number): void {
  for (const row of ROWS) {
    if (!row.vr || /x/.test(row.tag) || row.tag.startsWith("0002")) continue;
    const tag = parseInt(row.tag.replace(",", ""), 16) >>> 0;
    if (row.vr === "SQ") put(ds, tag, "SQ", [sequenceRowItem(row, m)]);
    else {
      const { value, vr } = markerFor(row, m);
      ds.add(DataElement.fromValue(tag, vr, value));
    }
  }
  if (depth > 0) {
    const item = new Dataset();
    fillTable(item, m, depth - 1);
    put(ds, NOT_IN_TABLE_SQ, "SQ", [item]);
  }
}

interface Built {
  ds: Dataset;
  sop: string;
}

function buildInstance(m: Markers, number: number, shared?: Built): Built {
  const ds = new Dataset();
  ds.validation = "ignore"; // canary values are odd on purpose (UIDs with leading zeros)
  fillTable(ds, m, 2);
  ds.set("SpecificCharacterSet", "ISO_IR 100");
  ds.set("SOPClassUID", CT);
  ds.set("Modality", "CT");
  ds.set("InstanceNumber", number);
  ds.set("SeriesNumber", 2);
  ds.set("BurnedInAnnotation", "NO");
  if (shared) {
    for (const k of ["PatientID", "PatientName", "StudyInstanceUID", "SeriesInstanceUID"]) {
      m.drop(ds.get(k));
      ds.add(DataElement.fromValue(ds.element(k)!.tag, ds.element(k)!.vr, shared.ds.get(k)!));
    }
    m.drop(ds.get("FrameOfReferenceUID"));
    ds.set("FrameOfReferenceUID", shared.ds.get("FrameOfReferenceUID")!);
    m.drop(
      JSON.stringify(
        (ds.get("ReferencedImageSequence") as Dataset[])[0].elements().map((e) => String(e.value)),
      ),
    );
    const ref = new Dataset();
    ref.validation = "ignore";
    ref.set("ReferencedSOPClassUID", CT);
    ref.set("ReferencedSOPInstanceUID", shared.sop);
    ds.set("ReferencedImageSequence", [ref]);
  }
  // private attributes: a known creator, no creator at all, and a safe one
  put(ds, 0x00090010, "LO", m.word());
  put(ds, 0x00091001, "LO", m.word());
  put(ds, 0x00111001, "LO", m.word());
  put(ds, 0x00e10010, "LO", "ELSCINT1");
  put(ds, 0x00e11021, "DS", 12.5);
  // a curve and an overlay with comments
  put(ds, 0x50000022, "LO", m.word(ROWS.find((r) => r.tag === "50xx,xxxx")));
  put(ds, 0x60000010, "US", 16);
  put(ds, 0x60000011, "US", 16);
  put(ds, 0x60000040, "CS", "G");
  put(ds, 0x60000050, "SS", [1, 1]);
  put(ds, 0x60000100, "US", 1);
  put(ds, 0x60000102, "US", 0);
  put(ds, 0x60003000, "OW", new Uint8Array(32));
  put(ds, 0x60004000, "LT", m.word(ROWS.find((r) => r.tag === "60xx,4000")));
  // pixels: a 16x16 ramp
  ds.set("SamplesPerPixel", 1);
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("Rows", 16);
  ds.set("Columns", 16);
  ds.set("BitsAllocated", 16);
  ds.set("BitsStored", 12);
  ds.set("HighBit", 11);
  ds.set("PixelRepresentation", 0);
  put(ds, 0x7fe00010, "OW", new Uint16Array(256).map((_, i) => i * 3));
  const meta = new Dataset();
  put(meta, 0x00020016, "AE", m.word()); // Source Application Entity Title
  put(meta, 0x00020003, "UI", ds.get("SOPInstanceUID")!);
  ds.fileMeta = meta;
  ds.preamble = new Uint8Array(128);
  ds.preamble.set(new TextEncoder().encode(m.word()));
  return { ds, sop: ds.get("SOPInstanceUID") as string };
}

interface Input {
  root: string;
  markers: Markers;
  a: Built;
  b: Built;
}

/** A file-set with a DICOMDIR: QZXD0001/QZXF0001 and QZXF0002 (names are markers too). */
function makeInput(): Input {
  const m = new Markers();
  const root = Deno.makeTempDirSync({ prefix: "deid_canary_in_" });
  const a = buildInstance(m, 1);
  const b = buildInstance(m, 2, a);
  const dir = m.add("QZXD0001");
  Deno.mkdirSync(join(root, dir));
  Deno.writeFileSync(
    join(root, dir, m.add("QZXF0001")),
    write(a.ds, { transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN }),
  );
  Deno.writeFileSync(
    join(root, dir, m.add("QZXF0002")),
    write(b.ds, { transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN }),
  );
  writeDicomdir(root, { fileSetId: m.add("QZXFILESET0001") });
  return { root, markers: m, a, b };
}

/** The code of a row under one option (or the Basic Profile), from the table's cells. */
function codeOf(row: ProfileRow, option?: ProfileOption): string {
  return (option && row.options[option]) || row.basic;
}

function mustGo(input: Input, option?: ProfileOption): string[] {
  return input.markers.list.filter((mk) => !mk.row || codeOf(mk.row, option) !== "K").map((
    mk,
  ) => mk.text);
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) listFiles(p, out);
    else out.push(p);
  }
  return out.sort();
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function keyFile(text: string): string {
  const path = Deno.makeTempFileSync({ prefix: "deid_key_" });
  Deno.writeTextFileSync(path, text);
  return path;
}

const KEY_TEXT = "canary key: 0123456789abcdef";

function pydicomReads(files: string[]): void {
  const code = `
import sys, pydicom
for f in sys.argv[1:]:
    ds = pydicom.dcmread(f)
    str(ds)
print(len(sys.argv) - 1)
`;
  const out = new Deno.Command("/usr/bin/python3", { args: ["-c", code, ...files] }).outputSync();
  assert.ok(out.success, `pydicom failed: ${new TextDecoder().decode(out.stderr)}`);
  assert.equal(new TextDecoder().decode(out.stdout).trim(), String(files.length));
}

/** The output's instance with this Instance Number. */
function byNumber(files: string[], n: number): { ds: Dataset; path: string } {
  for (const path of files) {
    if (path.endsWith("DICOMDIR") || path.endsWith(".json")) continue;
    const ds = read(path);
    if (ds.get("InstanceNumber") === n) return { ds, path };
  }
  throw new Error(`no output instance ${n}`);
}

function checkOutput(input: Input, out: string, option?: ProfileOption): void {
  const files = listFiles(out);
  const gone = mustGo(input, option);
  const where = option ?? "basic";
  // no marker in any path or byte
  let all = "";
  for (const f of files) {
    const rel = relative(out, f);
    for (const mk of gone) assert.ok(!rel.includes(mk), `${where}: marker ${mk} in path ${rel}`);
    const text = latin1(Deno.readFileSync(f));
    const found = gone.filter((mk) => text.includes(mk));
    assert.deepEqual(found, [], `${where}: markers left in ${rel}`);
    all += text;
  }
  // and the search does find what must stay: every marker of a K attribute is there
  const kept = input.markers.list.filter((mk) => mk.row && codeOf(mk.row, option) === "K");
  assert.deepEqual(kept.filter((mk) => !all.includes(mk.text)).map((mk) => mk.text), []);
  if (option === "retainUids") assert.ok(kept.length > 100);
  // every output reads back; the DICOMDIR's records point at the files
  const dicoms = files.filter((f) => !f.endsWith(".json"));
  assert.equal(dicoms.length, 3);
  for (const f of dicoms) read(f);
  const fs = fileSet(join(out, "DICOMDIR"));
  assert.equal(fs.instances.length, 2);
  for (const inst of fs.instances) {
    const ds = inst.load();
    assert.equal(inst.record.get("ReferencedSOPInstanceUIDInFile"), ds.get("SOPInstanceUID"));
    assert.equal(ds.fileMeta?.get(0x00020003), ds.get("SOPInstanceUID"));
  }
  // references resolve
  const a = byNumber(files, 1).ds, b = byNumber(files, 2).ds;
  const ref = (b.get("ReferencedImageSequence") as Dataset[])[0];
  assert.equal(ref.get("ReferencedSOPInstanceUID"), a.get("SOPInstanceUID"));
  for (const k of ["StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID", "PatientID"]) {
    assert.equal(b.get(k), a.get(k), `${where}: ${k} differs between the two files`);
  }
  if (option !== "retainUids") assert.match(a.get("SOPInstanceUID") as string, /^2\.25\.\d+$/);
  // K attributes (not sequences) and the pixel data are byte-identical
  const original = read(write(input.a.ds, { transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN }));
  for (const row of ROWS) {
    if (!row.vr || row.vr === "SQ" || /x/.test(row.tag) || row.tag.startsWith("0002")) continue;
    if (codeOf(row, option) !== "K") continue;
    const tag = parseInt(row.tag.replace(",", ""), 16) >>> 0;
    if (tag === 0x00100010 || tag === 0x00100020) continue;
    assert.deepEqual(
      a.element(tag)?.bytes,
      original.element(tag)?.bytes,
      `${where}: ${row.keyword}`,
    );
  }
  assert.deepEqual(a.element(0x7fe00010)?.bytes, original.element(0x7fe00010)?.bytes);
  assert.equal(a.get("PatientIdentityRemoved"), "YES");
  const codes = (a.get("DeidentificationMethodCodeSequence") as Dataset[]).map((i) =>
    i.get("CodeValue")
  );
  assert.equal(codes[0], "113100");
  assert.equal(codes.length, option ? 2 : 1);
}

Deno.test("canaries: no marker survives the Basic Profile or any option; K is byte-identical; pydicom reads it all", async () => {
  const input = makeInput();
  const key = keyFile(KEY_TEXT);
  const noPydicom = pydicomMissing();
  // the input does hold its markers (the test would prove nothing otherwise)
  const inputText = listFiles(input.root).map((f) => latin1(Deno.readFileSync(f))).join("") +
    listFiles(input.root).join("");
  const absent = input.markers.list.filter((mk) => !inputText.includes(mk.text));
  assert.deepEqual(absent.map((mk) => mk.text), []);
  for (const option of [undefined, ...PROFILE_OPTIONS]) {
    const out = Deno.makeTempDirSync({ prefix: "deid_canary_out_" }) + "/out";
    const args = [input.root, out, "--key-file", key, "--quiet"];
    if (option) args.push(`--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    const r = await run(args);
    assert.equal(r.code, 0, `${option ?? "basic"}: ${r.stderr}`);
    checkOutput(input, out, option);
    if (!noPydicom) pydicomReads(listFiles(out).filter((f) => !f.endsWith(".json")));
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("canaries: long marker names of a plain folder never reach the output", async () => {
  const m = new Markers();
  const root = Deno.makeTempDirSync({ prefix: "deid_canary_folder_" });
  const folder = m.add("QZX_FOLDER_MARKER_0001");
  Deno.mkdirSync(join(root, folder));
  const a = buildInstance(m, 1);
  Deno.writeFileSync(join(root, folder, m.add("QZX_FILE_MARKER_0001") + ".dcm"), write(a.ds));
  const out = Deno.makeTempDirSync() + "/out";
  const r = await run([root, out, "--key-file", keyFile(KEY_TEXT), "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  const files = listFiles(out);
  assert.deepEqual(files.map((f) => relative(out, f)), [
    "DEID_REPORT.json",
    "DICOMDIR",
    "PT000000/ST000000/SE000000/IM000000",
  ]);
  const gone = m.list.filter((mk) => !mk.row || codeOf(mk.row) !== "K").map((mk) => mk.text);
  for (const f of files) {
    const text = latin1(Deno.readFileSync(f));
    assert.deepEqual(gone.filter((mk) => text.includes(mk)), [], relative(out, f));
  }
});

Deno.test("the same key gives byte-identical files and DICOMDIR; another key other UIDs", async () => {
  const input = makeInput();
  const outs: string[] = [];
  const runs: [string, string][] = [
    [KEY_TEXT, "1"],
    [KEY_TEXT, "2"], // a worker thread gives the same bytes
    ["another canary key 0123456789", "1"],
  ];
  for (const [k, jobs] of runs) {
    const out = Deno.makeTempDirSync() + "/out";
    const r = await run([input.root, out, "--key-file", keyFile(k), "--quiet", "--jobs", jobs]);
    assert.equal(r.code, 0, r.stderr);
    outs.push(out);
  }
  const rel = (o: string) => listFiles(o).map((f) => relative(o, f));
  assert.deepEqual(rel(outs[0]), rel(outs[1]));
  for (const f of rel(outs[0])) {
    const x = Deno.readFileSync(join(outs[0], f)), y = Deno.readFileSync(join(outs[1], f));
    if (f === "DEID_REPORT.json") {
      const rx = JSON.parse(new TextDecoder().decode(x)),
        ry = JSON.parse(new TextDecoder().decode(y));
      delete rx.seconds;
      delete ry.seconds;
      assert.deepEqual(rx, ry);
    } else assert.deepEqual(x, y, `${f} differs between two runs with the same key`);
  }
  const uid = (o: string) =>
    read(join(o, "PT000000/ST000000/SE000000/IM000000")).get("SOPInstanceUID");
  assert.notEqual(uid(outs[0]), uid(outs[2]));
  assert.notDeepEqual(
    Deno.readFileSync(join(outs[0], "DICOMDIR")),
    Deno.readFileSync(join(outs[2], "DICOMDIR")),
  );
});

Deno.test("the script refuses a missing key, an output inside or around the input, and burned-in text", async () => {
  const input = makeInput();
  const key = keyFile(KEY_TEXT);
  let r = await run([input.root, Deno.makeTempDirSync() + "/o"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /a key is needed/);
  r = await run([input.root, join(input.root, "inside"), "--key-file", key]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /inside the input/);
  r = await run([join(input.root, "DICOMDIR"), join(input.root, ".."), "--key-file", key]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /contains the input|not empty/);
  // a secondary capture: refused, then blanked with --regions
  const sc = buildInstance(new Markers(), 3);
  sc.ds.set("SOPClassUID", SC);
  const scRoot = Deno.makeTempDirSync();
  Deno.writeFileSync(join(scRoot, "SC1"), write(sc.ds));
  const out1 = Deno.makeTempDirSync() + "/o";
  r = await run([scRoot, out1, "--key-file", key, "--json"]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.written, 0);
  assert.equal(report.refused.length, 1);
  assert.match(report.refused[0].message, /secondary capture/);
  const onDisk = JSON.parse(Deno.readTextFileSync(join(out1, "DEID_REPORT.json")));
  assert.deepEqual(onDisk.refused, [{ index: 0, reason: report.refused[0].message }]);
  const regions = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.writeTextFileSync(regions, JSON.stringify([{ x: 0, y: 0, width: 16, height: 2 }]));
  const out2 = Deno.makeTempDirSync() + "/o";
  r = await run([scRoot, out2, "--key-file", key, "--regions", regions, "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  const ds = read(join(out2, "PT000000/ST000000/SE000000/IM000000"));
  const px = ds.get("PixelData") as Uint16Array;
  assert.deepEqual([...px.subarray(0, 32)], new Array(32).fill(0));
  assert.deepEqual([...px.subarray(32, 40)], [96, 99, 102, 105, 108, 111, 114, 117]);
  assert.equal(ds.get("BurnedInAnnotation"), "NO");
  const codes = (ds.get("DeidentificationMethodCodeSequence") as Dataset[]).map((i) =>
    i.get("CodeValue")
  );
  assert.deepEqual(codes, ["113100", "113101"]);
});

Deno.test("--map gives patients their new identity; --random-key runs and says so", async () => {
  const m = new Markers();
  const root = Deno.makeTempDirSync();
  const a = buildInstance(m, 1);
  Deno.writeFileSync(join(root, "A"), write(a.ds));
  const map = Deno.makeTempFileSync({ suffix: ".csv" });
  Deno.writeTextFileSync(
    map,
    `original_id,new_id,new_name\n${a.ds.get("PatientID")},SUBJ-001,"Subject^One"\n`,
  );
  const out = Deno.makeTempDirSync() + "/out";
  let r = await run([root, out, "--key-file", keyFile(KEY_TEXT), "--map", map, "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  const ds = read(join(out, "PT000000/ST000000/SE000000/IM000000"));
  assert.equal(ds.get("PatientID"), "SUBJ-001");
  assert.equal(String(ds.get("PatientName")), "Subject^One");
  const bad = Deno.makeTempFileSync({ suffix: ".csv" });
  Deno.writeTextFileSync(bad, "id,name\nx,y\n");
  r = await run([
    root,
    Deno.makeTempDirSync() + "/o",
    "--key-file",
    keyFile(KEY_TEXT),
    "--map",
    bad,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /original_id,new_id,new_name/);
  const out2 = Deno.makeTempDirSync() + "/out";
  r = await run([root, out2, "--random-key"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /cannot be linked/);
  const report = JSON.parse(Deno.readTextFileSync(join(out2, "DEID_REPORT.json")));
  assert.match(report.key, /^random/);
  assert.equal(report.written, 1);
});
