import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  allKeywords,
  dictionarySize,
  type KeywordVM,
  type KeywordVR,
  lookupPrivate,
  lookupTag,
  lookupUid,
  privateCreators,
  tagForKeyword,
  uidForKeyword,
  uidName,
} from "../lib/dictionary/mod.ts";
import { DEFAULT_SOURCE, renderDictionary, writeDictionary } from "../tools/gen_dictionary.ts";
import { corpusMissing, ORACLE } from "./_corpus.ts";

const DICTIONARY_DIR = fileURLToPath(new URL("../lib/dictionary/", import.meta.url));

let tablesWarned = false;

/** True when ../shared/dictionary is absent (a failure in CI). */
function tablesMissing(): boolean {
  try {
    Deno.statSync(`${DEFAULT_SOURCE}/standard.tsv`);
    return false;
  } catch {
    if (Deno.env.get("CI") === "true") {
      throw new Error(`dictionary tables not found at ${DEFAULT_SOURCE}: CI needs ../shared`);
    }
    if (!tablesWarned) {
      tablesWarned = true;
      console.warn(`\n!!! ${DEFAULT_SOURCE} not found: SKIPPING dictionary table tests !!!\n`);
    }
    return true;
  }
}

function tsv(name: string): string[][] {
  const lines = Deno.readTextFileSync(`${DEFAULT_SOURCE}/${name}.tsv`).split("\n");
  return lines.slice(1).filter((line) => line !== "").map((line) => line.split("\t"));
}

Deno.test("lookupTag: standard elements", () => {
  assert.deepEqual(lookupTag(0x00100010), {
    vr: "PN",
    vm: "1",
    name: "Patient's Name",
    keyword: "PatientName",
    retired: false,
  });
  assert.deepEqual(lookupTag(0x7fe00010), {
    vr: "OB or OW",
    vm: "1",
    name: "Pixel Data",
    keyword: "PixelData",
    retired: false,
  });
  assert.equal(lookupTag(0x00280106)?.vr, "US or SS");
  assert.equal(lookupTag(0x00280106)?.keyword, "SmallestImagePixelValue");
  assert.deepEqual(lookupTag(0xfffee000), {
    vr: "NONE",
    vm: "1",
    name: "Item",
    keyword: "Item",
    retired: false,
  });
  assert.equal(lookupTag(0x00000001)?.retired, true);
  assert.equal(lookupTag(0x00020000)?.name, "File Meta Information Group Length");
  // negative numbers from signed shifts are the same tag
  assert.equal(lookupTag((0xfffe << 16) | 0xe0dd)?.keyword, "SequenceDelimitationItem");
  assert.equal(lookupTag(0x00100000), undefined);
  assert.equal(lookupTag(0x00091001), undefined);
  assert.equal(lookupTag(0x12345678), undefined);
});

Deno.test("lookupTag: VRs with choices keep the dictionary's spelling", () => {
  const vrs = new Set<string>();
  for (const keyword of allKeywords()) {
    const vr = lookupTag(tagForKeyword(keyword)!)!.vr;
    if (vr.includes(" or ")) vrs.add(vr);
  }
  assert.deepEqual([...vrs].sort(), ["OB or OW", "US or OW", "US or SS", "US or SS or OW"]);
});

Deno.test("lookupTag: repeating groups", () => {
  const overlay = {
    vr: "OB or OW",
    vm: "1",
    name: "Overlay Data",
    keyword: "OverlayData",
    retired: false,
  };
  assert.deepEqual(lookupTag(0x60003000), overlay);
  assert.deepEqual(lookupTag(0x60023000), overlay);
  assert.deepEqual(lookupTag(0x60fe3000), overlay);
  assert.equal(lookupTag(0x601e0010)?.keyword, "OverlayRows");
  assert.deepEqual(lookupTag(0x50023000), {
    vr: "OB or OW",
    vm: "1",
    name: "Curve Data",
    keyword: "CurveData",
    retired: true,
  });
  assert.equal(lookupTag(0x50000005)?.name, "Curve Dimensions");
  assert.deepEqual(lookupTag(0x7f000010), {
    vr: "OB or OW",
    vm: "1",
    name: "Variable Pixel Data",
    keyword: "VariablePixelData",
    retired: true,
  });
  // Pixel Data itself is standard, not the 7Fxx mask
  assert.equal(lookupTag(0x7fe00010)?.keyword, "PixelData");
  assert.equal(lookupTag(0x00203105)?.keyword, "SourceImageIDs");
  assert.equal(lookupTag(0x002804a2)?.keyword, "CoefficientCoding");
  assert.equal(lookupTag(0x10000120)?.keyword, "EscapeTriplet");
  assert.equal(lookupTag(0x10000125)?.keyword, "ShiftTableTriplet");
  assert.equal(lookupTag(0x1000012a), undefined);
  assert.equal(lookupTag(0x1010abcd)?.keyword, "ZonalMap");
  // odd (private) groups never match a mask, as in pydicom's get_entry
  assert.equal(lookupTag(0x60013000), undefined);
  assert.equal(lookupTag(0x50010005), undefined);
});

Deno.test("tagForKeyword: standard and repeater keywords", () => {
  assert.equal(tagForKeyword("PatientName"), 0x00100010);
  assert.equal(tagForKeyword("PixelData"), 0x7fe00010);
  assert.equal(tagForKeyword("Item"), 0xfffee000);
  assert.equal(tagForKeyword("OverlayData"), 0x60003000);
  assert.equal(tagForKeyword("CurveData"), 0x50003000);
  assert.equal(tagForKeyword("VariablePixelData"), 0x7f000010);
  assert.equal(tagForKeyword("EscapeTriplet"), 0x10000000);
  assert.equal(tagForKeyword("SourceImageIDs"), 0x00203100);
  assert.equal(tagForKeyword("CommandLengthToEnd"), 0x00000001);
  // 00280400 is the standard Transform Label, so 002804x0 counts x up
  assert.equal(lookupTag(0x00280400)?.keyword, "TransformLabel");
  assert.equal(tagForKeyword("RowsForNthOrderCoefficients"), 0x00280410);
  assert.equal(tagForKeyword("CoefficientCodingPointers"), 0x00280413);
  assert.equal(tagForKeyword("CodeLabel"), 0x00280800);
  assert.equal(tagForKeyword("patientname"), undefined);
  assert.equal(tagForKeyword(""), undefined);
});

Deno.test("keywords round trip through tags", () => {
  const keywords = allKeywords();
  assert.equal(new Set(keywords).size, keywords.length);
  for (const keyword of keywords) {
    const tag = tagForKeyword(keyword);
    assert.notEqual(tag, undefined, keyword);
    assert.equal(lookupTag(tag!)?.keyword, keyword);
  }
  assert.equal(keywords[0], "CommandGroupLength");
  assert.equal(keywords.at(-1), "VariableCoefficientsSDDN");
});

Deno.test("KeywordVR and KeywordVM types", () => {
  const pn: KeywordVR["PatientName"] = "PN";
  const pixel: KeywordVR["PixelData"][] = ["OB", "OW"];
  const smallest: KeywordVR["SmallestImagePixelValue"][] = ["US", "SS"];
  const overlay: KeywordVR["OverlayData"][] = ["OB", "OW"];
  const vm: KeywordVM["ImagePositionPatient"] = "3";
  const types: KeywordVM["ImageType"] = "2-n";
  assert.deepEqual([pn, pixel, smallest, overlay, vm, types], [
    "PN",
    ["OB", "OW"],
    ["US", "SS"],
    ["OB", "OW"],
    "3",
    "2-n",
  ]);
  for (const keyword of ["PatientName", "ImagePositionPatient", "ImageType"] as const) {
    const entry = lookupTag(tagForKeyword(keyword)!)!;
    assert.deepEqual(
      [entry.vr, entry.vm],
      {
        PatientName: ["PN", "1"],
        ImagePositionPatient: ["DS", "3"],
        ImageType: ["CS", "2-n"],
      }[keyword],
    );
  }
});

Deno.test("lookupPrivate: block byte agnostic", () => {
  assert.deepEqual(lookupPrivate("ELSCINT1", 0x07a11040), {
    vr: "CS",
    vm: "1",
    name: "Tamar Study Body Part",
    retired: false,
  });
  assert.deepEqual(lookupPrivate("ELSCINT1", 0x00e11040), {
    vr: "SH",
    vm: "1",
    name: "Image Label",
    retired: false,
  });
  // any block: (00e1,xx40)
  assert.equal(lookupPrivate("ELSCINT1", 0x00e12040)?.name, "Image Label");
  assert.equal(lookupPrivate("GEMS_IDEN_01", 0x00091001)?.name, "Full fidelity");
  assert.equal(lookupPrivate("GEMS_PATI_01", 0x00111010)?.name, "Patient Status");
  assert.equal(
    lookupPrivate("GEMS_IDEN_01", 0x000910e2)?.name,
    "Image Type (ORIGINAL\\PROSPECTIVE ...)",
  );
  // creators compare exactly
  assert.equal(lookupPrivate("elscint1", 0x00e11040), undefined);
  assert.equal(lookupPrivate("ELSCINT1 ", 0x00e11040), undefined);
  assert.equal(lookupPrivate("ELSCINT1", 0x00e110ff), undefined);
  assert.equal(lookupPrivate("NO SUCH CREATOR", 0x00091010), undefined);
  assert.equal(privateCreators().includes("SIEMENS CM VA0  ACQU"), true);
});

Deno.test("uids", () => {
  assert.equal(uidName("1.2.840.10008.5.1.4.1.1.2"), "CT Image Storage");
  assert.equal(uidName("1.2.840.10008.1.2.1"), "Explicit VR Little Endian");
  assert.equal(uidName("1.2.840.10008.1.2.1 "), undefined);
  assert.equal(uidName("1.2.3.4"), undefined);
  assert.deepEqual(lookupUid("1.2.840.10008.1.2"), {
    uid: "1.2.840.10008.1.2",
    name: "Implicit VR Little Endian",
    type: "Transfer Syntax",
    info: "Default Transfer Syntax for DICOM",
    retired: false,
    keyword: "ImplicitVRLittleEndian",
  });
  assert.equal(uidForKeyword("CTImageStorage"), "1.2.840.10008.5.1.4.1.1.2");
  assert.equal(uidForKeyword("NoSuchThing"), undefined);
});

Deno.test("tables: counts equal the TSV rows", { ignore: tablesMissing() }, () => {
  const privates = tsv("private");
  assert.deepEqual(dictionarySize(), {
    standard: tsv("standard").length,
    repeaters: tsv("repeaters").length,
    private: privates.length,
    creators: new Set(privates.map((row) => row[0])).size,
    uids: tsv("uids").length,
  });
  assert.deepEqual(dictionarySize(), {
    standard: 4904,
    repeaters: 88,
    private: 9420,
    creators: 435,
    uids: 454,
  });
  const keywords = [...tsv("standard"), ...tsv("repeaters")].filter((row) => row[5] !== "");
  assert.equal(allKeywords().length, keywords.length);
});

Deno.test("tables: every row looks up as in the TSV", { ignore: tablesMissing() }, () => {
  for (const [tag, vr, vm, name, retired, keyword] of tsv("standard")) {
    assert.deepEqual(lookupTag(parseInt(tag, 16)), {
      vr,
      vm,
      name,
      keyword,
      retired: retired === "Retired",
    }, tag);
  }
  const standard = new Set(tsv("standard").map(([tag]) => parseInt(tag, 16)));
  for (const [mask, vr, vm, name, retired, keyword] of tsv("repeaters")) {
    for (const digit of ["0", "2", "e"]) {
      const tag = parseInt(mask.replaceAll("x", digit), 16);
      if (standard.has(tag)) continue; // 00280400 is Transform Label, not 002804x0
      assert.deepEqual(lookupTag(tag), {
        vr,
        vm,
        name,
        keyword,
        retired: retired === "Retired",
      }, mask);
    }
  }
  for (const [uid, name, type, info, retired, keyword] of tsv("uids")) {
    assert.deepEqual(lookupUid(uid), {
      uid,
      name,
      type,
      info,
      retired: retired.toLowerCase() === "retired",
      keyword,
    });
  }
});

Deno.test("tables: private lookups follow pydicom's key order", { ignore: tablesMissing() }, () => {
  // An independent model of get_private_entry: the creator's dict keyed by the TSV
  // strings, keys tried in the order ggggeeee, ggggxxee, ggxxxxee (lowercase hex).
  const dicts = new Map<string, Map<string, string[]>>();
  for (const row of tsv("private")) {
    if (!dicts.has(row[0])) dicts.set(row[0], new Map());
    dicts.get(row[0])!.set(row[1], row);
  }
  let checked = 0;
  for (const [creator, dict] of dicts) {
    for (const key of dict.keys()) {
      for (const digits of ["10", "2f", "ab"]) {
        const tag = parseInt(key.replace("xxxx", "09" + digits).replace("xx", digits), 16);
        if (Number.isNaN(tag) || !/^[0-9a-f]{8}$/.test(tag.toString(16).padStart(8, "0"))) {
          continue;
        }
        const hex = tag.toString(16).padStart(8, "0");
        const keys = [
          hex,
          `${hex.slice(0, 4)}xx${hex.slice(6)}`,
          `${hex.slice(0, 2)}xxxx${hex.slice(6)}`,
        ];
        const found = keys.find((k) => dict.has(k));
        const row = found === undefined ? undefined : dict.get(found)!;
        assert.deepEqual(
          lookupPrivate(creator, tag),
          row && { vr: row[2], vm: row[3], name: row[4], retired: row[5] !== "" },
          `${creator} ${hex}`,
        );
        checked++;
      }
    }
  }
  assert.equal(checked > 28000, true);
  // keys of other shapes are never reached by pydicom: "000910xx" for GEMS_IDEN_01
  const other = tsv("private").filter(([, key]) => /^[0-9a-f]{6}xx$/.test(key));
  assert.equal(other.length > 0, true);
  for (const [creator, key] of other) {
    const hex = key.replace("xx", "00");
    assert.equal(dicts.get(creator)!.has(hex), false);
    assert.equal(
      lookupPrivate(creator, parseInt(hex, 16)),
      undefined,
      `${creator} ${key}`,
    );
  }
});

Deno.test("generated modules are up to date", { ignore: tablesMissing() }, () => {
  const dir = Deno.makeTempDirSync({ prefix: "dictionary_" });
  try {
    const written = writeDictionary({ to: dir });
    const names = Object.keys(renderDictionary()).sort();
    assert.deepEqual(names, [
      "_keywords.ts",
      "_private.ts",
      "_repeaters.ts",
      "_standard.ts",
      "_uids.ts",
    ]);
    assert.deepEqual(written.map((path) => path.slice(dir.length + 1)).sort(), names);
    for (const name of names) {
      const fresh = Deno.readTextFileSync(`${dir}/${name}`);
      assert.equal(
        fresh.startsWith(
          "// Generated by tools/gen_dictionary.ts from ../shared/dictionary; do not edit\n",
        ),
        true,
      );
      assert.equal(
        Deno.readTextFileSync(`${DICTIONARY_DIR}${name}`) === fresh,
        true,
        `lib/dictionary/${name} is stale: run \`deno task dictionary\``,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** A Python repr pydicom 2.3.1 treats as false: `if self.private_creator:`. */
function pythonFalsy(repr: string): boolean {
  return ["''", "None", "0", "[]", "b''"].includes(repr);
}

/**
 * Checks every element name pydicom printed in the oracle's `str(ds)` dumps: standard,
 * repeater, "Group Length", "Private Creator", "[private name]" and "Private tag data".
 *
 * pydicom 2.3.1 quirks modelled here: names are cut to 35 characters in element lines;
 * an element's private creator is the value of `(gggg,00bb)` in the same dataset for block
 * `bb`, whatever its VR (`(7005,0010)` with `(7005,0000)` UL 554 beside it prints "Private
 * tag data"); and sequences read from a file never get a creator, so a private sequence
 * always prints "Private tag data".
 */
Deno.test("corpus: element names as pydicom prints them", { ignore: corpusMissing() }, () => {
  const element =
    /^( *)\(([0-9a-f]{4}), ([0-9a-f]{4})\) (.{35}) ([A-Z]{2}(?: or [A-Z]{2})*|NONE): (.*)$/;
  const sequence = /^( *)\(([0-9a-f]{4}), ([0-9a-f]{4})\) {2}(.*) {2}\d+ item\(s\) ---- $/;
  let checked = 0;
  let privateNamed = 0;
  const wrong: string[] = [];
  for (const entry of Deno.readDirSync(ORACLE)) {
    if (!entry.name.endsWith(".txt") || entry.name.endsWith(".fileset.txt")) continue;
    // values[depth]: (group << 8 | element) to value repr for elements (gggg,0000-00ff)
    const values: Map<number, string>[] = [new Map()];
    for (const line of Deno.readTextFileSync(`${ORACLE}/${entry.name}`).split("\n")) {
      const e = element.exec(line);
      const q = e ? null : sequence.exec(line);
      const m = e ?? q;
      if (!m) {
        const separator = /^( *)---------$/.exec(line);
        if (separator) values[separator[1].length / 3] = new Map();
        continue;
      }
      const depth = m[1].length / 3;
      const group = parseInt(m[2], 16);
      const elem = parseInt(m[3], 16);
      const printed = m[4];
      values[depth] ??= new Map();
      if (q) values[depth + 1] = new Map();
      let want: string;
      if (group & 1) {
        const block = elem >> 8;
        const creator = q || elem === block ? undefined : values[depth].get((group << 8) | block);
        if (creator !== undefined && !pythonFalsy(creator)) {
          const text = /^'(.*)'$/.exec(creator)?.[1];
          const name = text === undefined
            ? undefined
            : lookupPrivate(text, ((group << 16) | elem) >>> 0)?.name;
          want = name === undefined ? "Private tag data" : `[${name}]`;
          if (name !== undefined) privateNamed++;
        } else {
          want = block === 0 ? "Private Creator" : "Private tag data";
        }
        if (e && elem <= 0xff) values[depth].set((group << 8) | elem, e[6]);
      } else {
        const tag = ((group << 16) | elem) >>> 0;
        want = lookupTag(tag)?.name ?? (elem === 0 ? "Group Length" : "");
      }
      if (e) want = want.slice(0, 35).padEnd(35);
      checked++;
      if (printed !== want) wrong.push(`${entry.name}: ${line.trim()} (want ${want})`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal(checked > 5000, true);
  assert.equal(privateNamed > 100, true);
});
