/**
 * The DICOM JSON model (PS3.18 Annex F): every corpus file's header goes to JSON text
 * and back with the same elements (tags, VRs, values; sequences recursively), and the
 * model's corner cases come out as the standard writes them.
 */
import assert from "node:assert/strict";
import { Dataset, PersonName, read } from "../mod.ts";
import {
  BulkDataElement,
  type DicomJsonObject,
  fromDicomJson,
  toDicomJson,
} from "../lib/dicomweb/mod.ts";
import { CORPUS_FILES, corpusMissing, manifest } from "./_corpus.ts";

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof PersonName || b instanceof PersonName) return String(a) === String(b);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
    if (a.constructor !== b.constructor) return false;
    const x = bytesOf(a), y = bytesOf(b);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a)) return Number.isNaN(b);
  return a === b;
}

/** Differences between two datasets, as `path: why`. */
function differences(a: Dataset, b: Dataset, path = ""): string[] {
  const out: string[] = [];
  const ta = [...a].map((e) => e.tag).join(), tb = [...b].map((e) => e.tag).join();
  if (ta !== tb) return [`${path}: tags differ`];
  for (const ea of a) {
    const eb = b.element(ea.tag)!;
    const p = `${path}/${ea.tag.toString(16).padStart(8, "0")}`;
    if (ea.vr !== eb.vr) out.push(`${p}: VR ${ea.vr} / ${eb.vr}`);
    else if (ea.vr === "SQ") {
      const ia = ea.value as Dataset[], ib = eb.value as Dataset[];
      if (ia.length !== ib.length) out.push(`${p}: ${ia.length} / ${ib.length} items`);
      else ia.forEach((d, i) => out.push(...differences(d, ib[i], `${p}[${i}]`)));
    } else if (!sameValue(ea.value, eb.value)) {
      out.push(`${p}: ${String(ea.value).slice(0, 40)} / ${String(eb.value).slice(0, 40)}`);
    }
  }
  return out;
}

Deno.test("every corpus header goes through DICOM JSON text and back unchanged", () => {
  if (corpusMissing()) return;
  let compared = 0;
  const failures: string[] = [];
  for (const row of manifest()) {
    const name = row.path.slice("files/dev/".length);
    if (name === "fileset_tiny_alpha/README") continue; // not DICOM
    const ds = read(`${CORPUS_FILES}/${name}`, { stopBeforePixels: true });
    const text = JSON.stringify(toDicomJson(ds));
    const again = fromDicomJson(JSON.parse(text));
    for (const d of differences(ds, again)) failures.push(`${name}${d}`);
    compared++;
  }
  assert.ok(compared >= 100, `only ${compared} files`);
  assert.deepEqual(failures, []);
});

Deno.test("DICOM JSON: person names, empty values, numbers, AT, 64-bit and binary", () => {
  const ds = new Dataset();
  // what JSON carries and a file may not (UTF-8 without a character set, a NaN DS): unchecked
  ds.validation = "ignore";
  ds.set("PatientName", "Yamada^Tarou=山田^太郎=やまだ^たろう");
  ds.set("ReferringPhysicianName", "=Ideo");
  ds.set("OtherPatientNames", ["A^B", "", "C^D"]);
  ds.set("PatientID", "");
  ds.set("ImageType", ["ORIGINAL", "", "AXIAL"]);
  ds.set("WindowCenter", [40, null]);
  ds.set("SliceThickness", NaN);
  ds.set("FrameIncrementPointer", 0x00181063);
  ds.set(0x00720082, [-(2n ** 62n), 5n], { vr: "SV" });
  ds.set("RedPaletteColorLookupTableData", new Uint16Array([1, 256, 65535]), { vr: "OW" });
  ds.set("Rows", null);
  const json = toDicomJson(ds);
  assert.deepEqual(json, {
    "00080008": { vr: "CS", Value: ["ORIGINAL", null, "AXIAL"] },
    "00080090": { vr: "PN", Value: [{ Alphabetic: "", Ideographic: "Ideo" }] },
    "00100010": {
      vr: "PN",
      Value: [{ Alphabetic: "Yamada^Tarou", Ideographic: "山田^太郎", Phonetic: "やまだ^たろう" }],
    },
    "00100020": { vr: "LO" },
    "00101001": { vr: "PN", Value: [{ Alphabetic: "A^B" }, null, { Alphabetic: "C^D" }] },
    "00180050": { vr: "DS", Value: ["NaN"] },
    "00280009": { vr: "AT", Value: ["00181063"] },
    "00281050": { vr: "DS", Value: [40, null] },
    "00280010": { vr: "US" },
    "00281201": { vr: "OW", InlineBinary: "AQAAAf//" },
    "00720082": { vr: "SV", Value: ["-4611686018427387904", 5] },
  });
  const again = fromDicomJson(JSON.parse(JSON.stringify(json)));
  assert.deepEqual(differences(ds, again), []);
  assert.equal(again.PatientID, "");
  assert.equal(again.Rows, null);
});

Deno.test("DICOM JSON: BulkDataURI is a lazy reference loaded once through the loader", async () => {
  const asked: string[] = [];
  const obj: DicomJsonObject = {
    "00080018": { vr: "UI", Value: ["1.2.3"] },
    "7FE00010": { vr: "OW", BulkDataURI: "http://127.0.0.1/bulk/7fe00010" },
  };
  const ds = fromDicomJson(obj, {
    loader: (uri) => {
      asked.push(uri);
      return Promise.resolve(new Uint8Array([1, 0, 2, 0]));
    },
  });
  const el = ds.element(0x7fe00010);
  assert.ok(el instanceof BulkDataElement);
  assert.equal(el.loaded, false);
  assert.deepEqual(toDicomJson(ds)["7FE00010"], obj["7FE00010"]);
  assert.deepEqual([...await el.load()], [1, 0, 2, 0]);
  assert.deepEqual([...await el.load()], [1, 0, 2, 0]);
  assert.deepEqual(asked, ["http://127.0.0.1/bulk/7fe00010"]);
  assert.deepEqual(el.value, new Uint16Array([1, 2]));
  assert.deepEqual(toDicomJson(ds)["7FE00010"], { vr: "OW", InlineBinary: "AQACAA==" });
});

Deno.test("DICOM JSON: a binary value sent as a Value list of numbers (as Orthanc does)", () => {
  const ds = fromDicomJson({
    "7FE00008": { vr: "OF", Value: [1.5, -2] },
    "00420011": { vr: "OB", Value: [1, 255] },
  });
  assert.deepEqual(ds.get(0x7fe00008), new Float32Array([1.5, -2]));
  assert.deepEqual(ds.get(0x00420011), new Uint8Array([1, 255]));
});

Deno.test("DICOM JSON: malformed input is a MalformedError saying where", () => {
  assert.throws(() => fromDicomJson({ "0010001": { vr: "PN" } }), /invalid tag "0010001"/);
  assert.throws(
    () => fromDicomJson({ "7FE00008": { vr: "OF", Value: ["a"] } }),
    /binary 7FE00008 has a Value list that is not numbers/,
  );
  assert.throws(() => fromDicomJson({ "00100010": { vr: "XX" } }), /invalid VR "XX" for 00100010/);
  assert.throws(
    () => fromDicomJson({ "00100010": {} } as unknown as DicomJsonObject),
    /attribute 00100010 has no vr/,
  );
});
