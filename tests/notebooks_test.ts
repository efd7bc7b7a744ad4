/**
 * The notebooks reproduce the tutorial with their outputs: these tests check that each
 * committed notebook has run cleanly and shows what it should (the dataset tree, images
 * after each pipeline stage, the file-set tree). In CI, `.ci/run` executes every
 * notebook with the Deno kernel first and points `NOTEBOOK_OUTPUT_DIR` at the results,
 * which are checked the same way.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks", import.meta.url));

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}

interface Notebook {
  metadata: { kernelspec?: { name?: string } };
  cells: { cell_type: string; outputs?: Output[]; source: string | string[] }[];
}

function load(dir: string, name: string): Notebook {
  return JSON.parse(Deno.readTextFileSync(`${dir}/${name}`));
}

function outputs(nb: Notebook): Output[] {
  return nb.cells.flatMap((c) => c.outputs ?? []);
}

function text(o: Output): string {
  const t = o.text ?? (o.data?.["text/plain"] as string | string[] | undefined) ?? "";
  return Array.isArray(t) ? t.join("") : t;
}

function mimeCount(nb: Notebook, mime: string): number {
  return outputs(nb).filter((o) => o.data && mime in o.data).length;
}

function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value ?? "");
}

function htmlImages(nb: Notebook): number {
  let n = 0;
  for (const o of outputs(nb)) {
    const html = o.data?.["text/html"];
    const s = Array.isArray(html) ? html.join("") : String(html ?? "");
    n += (s.match(/data:image\/png;base64,/g) ?? []).length;
  }
  return n;
}

const EXPECTED: Record<string, (nb: Notebook) => void> = {
  "01_read_and_inspect.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /Dataset\.file_meta -{31}/);
    assert.match(all, /\(0010, 0010\) Patient's Name {22}PN: 'Phantom\^Head'/);
    assert.match(all, /PatientBirthDate/);
    const tree = outputs(nb).find((o) => o.data && "text/html" in o.data);
    assert.ok(tree, "the dataset tree is shown");
    assert.match(String(tree!.data!["text/html"]), /<details/);
    // the tutorial's redaction: private elements listed, then gone; the edits printed
    assert.match(all, /\(0009,0010\) +Private Creator +DICOM-DENO PHANTOM/);
    const redacted = outputs(nb).map(text).find((t) => t.includes("PN: 'ROSSI^MARIO'"));
    assert.ok(redacted, "the redacted dataset is printed");
    assert.match(redacted, /\(0010, 1010\) Patient's Age {23}AS: '090Y'/);
    assert.match(redacted, /\(0010, 1040\) Patient's Address {19}LO: 'XXXXXXXXXX'/);
    assert.match(redacted, /\(0008, 0081\) Institution Address {17}ST: 'XXXXXXXXXX'/);
    assert.doesNotMatch(redacted, /Private|\(0009, |\(0029, /);
    // bad values refused with their keyword, VR and value
    assert.match(all, /invalid US value "abc" for Rows \(0028, 0010\)/);
    assert.match(all, /invalid AS value 90 for PatientAge/);
    assert.match(all, /character "日" \(U\+65E5\) is not in the character set ISO_IR 100/);
    assert.match(all, /ROSSI\^MARIO 99999999 090Y \[ "InstitutionAddress", "PatientAddress" \]/);
  },
  "02_pixels_and_luts.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /No suitable Palette Color Lookup Table Module found/);
    assert.match(all, /HU: +-\d+ \d+/);
    assert.ok(mimeCount(nb, "image/png") >= 2, "inline images");
    assert.ok(
      outputs(nb).some((o) => /class="dcm-hist".*>HU</s.test(joined(o.data?.["text/html"]))),
      "a histogram: HTML around a PNG",
    );
    assert.equal(mimeCount(nb, "image/svg+xml"), 0, "no SVG: nbconvert --to html strips it");
    assert.ok(htmlImages(nb) >= 7, "a grid of the stages and of colormaps");
  },
  "03_export.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /identical: true/);
    assert.match(all, /dicom\.jpg \d+ bytes/);
    assert.ok(mimeCount(nb, "image/png") >= 2, "the images read back are shown");
  },
  "04_fileset_and_convert.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /Directory Record Type {15}CS: 'PATIENT'/);
    assert.match(all, /PATIENT: PatientID='PHANTOM01'/);
    // the tutorial's redaction of the first record, in memory
    assert.match(all, /Patient's Name {22}PN: 'ROSSI\^MARIO'/);
    assert.match(all, /Patient's Birth Date {16}DA: '19330101'/);
    assert.match(all, /IMAGE: 12 SOP Instances/);
    assert.match(all, /12 image\(s\) from 12 instance\(s\)/);
    assert.ok(htmlImages(nb) >= 4, "converted images are shown");
  },
  "06_deidentify.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /\d+ identifying attributes survive the redaction by hand/);
    assert.match(all, /ReferringPhysicianName +House\^Gregory/);
    assert.match(all, /identifying attributes left after the profile: 0/);
    assert.match(all, /PatientIdentityRemoved +- +-> YES/);
    assert.match(all, /retainLongitudinalFullDates +20240115/);
    assert.match(all, /12 of 12 written, 0 refused/);
    assert.match(all, /identifying values of the input, found in the output: 0/);
    const trees = outputs(nb).filter((o) => o.data && "text/html" in o.data);
    assert.ok(trees.length >= 1, "the before and after trees are shown");
    assert.match(String(trees[0].data!["text/html"]), /<b>before<\/b>[^]*<b>after<\/b>/);
  },
  "05_series_to_volume.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /Series 3 "Head 3D" CT 56x128x128/);
    assert.match(all, /"first files in slice order": \[ "IM000001", "IM000002", "IM000003" \]/);
    assert.match(all, /missing slice at \(-101\.6, -101\.6, -22\.5\): gap of 6 mm/);
    assert.match(all, /affine RAS\n-1\.6\t0\t0\t101\.6\n/);
    assert.match(all, /head3d\.nii\.gz \d+ bytes\nhead3d\.npy 1835136 bytes/);
    assert.ok(htmlImages(nb) >= 6, "two figures of three planes");
  },
  "07_pacs.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /stored 12 of 12 instances, 0 failed/);
    assert.match(
      all,
      /PHANTOM01 {2}Phantom\^Head {2}20240115 {2}CT {2}CT HEAD PHANTOM {2}12 instances/,
    );
    assert.match(all, /series 2 CT "Axial 5mm": 12 instances/);
    assert.match(all, /pulled 12 instances, 6\.3 MB, 0 failures/);
    assert.match(all, /PHANTOM01\/20240115\/2\/1\.dcm/);
    assert.match(all, /second pull: 0 fetched, 12 already there/);
    assert.match(all, /"00100010":\{"vr":"PN","Value":\[\{"Alphabetic":"Phantom\^Head"\}\]\}/);
    assert.match(
      all,
      /DicomWebError: not found: GET http:\/\/127\.0\.0\.1:PORT\/dicom-web\/studies\/1\.2\.3\.4\/.* gave 404/,
    );
    // its volume, shown
    assert.match(
      all,
      /\{"series":1,"shape":\[12,512,512\],"spacing \(column, row, slice\) mm":\[0\.48828125,0\.48828125,5\],"warnings":0\}/,
    );
    assert.match(all, /Volume\(uint16, 12x512x512, spacing 0\.488 x 0\.488 x 5 mm\)/);
    // de-identified, pushed to a second archive, searched back there
    assert.match(all, /de-identified 12 of 12 instances, 0 refused/);
    assert.match(
      all,
      /second archive: stored 12 of 12, 0 failed\n(ANON[0-9A-F]+) {2}ANON\^[0-9A-F]+ {2}/,
    );
    assert.match(all, /original PatientName or StudyInstanceUID in the second archive: none/);
    const arrived = /second archive: [^\n]*\n([^\n]*)/.exec(all)![1];
    assert.ok(!arrived.includes("PHANTOM01") && !arrived.includes("Phantom"), arrived);
    assert.match(all, /archives stopped/);
    assert.ok(htmlImages(nb) >= 4, "the pulled slices are shown");
    assert.ok(mimeCount(nb, "image/png") >= 2, "the rendered image and the volume are shown");
    // one print per cell (the kernel can drop the tail of a cell's prints)
    const code = nb.cells.filter((c) => c.cell_type === "code");
    for (const c of code) {
      const streams = (c.outputs ?? []).filter((o) => o.output_type === "stream");
      assert.ok(
        streams.length <= 1,
        `one printed output per cell: ${joined(c.source).slice(0, 60)}`,
      );
    }
  },
};

function check(dir: string): void {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
    .sort();
  assert.deepEqual(names, Object.keys(EXPECTED).sort());
  for (const name of names) {
    const nb = load(dir, name);
    assert.equal(nb.metadata.kernelspec?.name, "deno", `${name} uses the Deno kernel`);
    const errors = outputs(nb).filter((o) => o.output_type === "error");
    assert.deepEqual(errors.map((e) => `${e.ename}: ${e.evalue}`), [], `${name} has no errors`);
    const code = nb.cells.filter((c) => c.cell_type === "code");
    assert.ok(code.every((c) => c.outputs && c.outputs.length > 0), `${name}: every cell ran`);
    EXPECTED[name](nb);
  }
}

Deno.test("notebooks: committed with their outputs, no errors, the expected pictures", () => {
  check(NOTEBOOKS);
});

const executed = Deno.env.get("NOTEBOOK_OUTPUT_DIR");
Deno.test({
  name: "notebooks: freshly executed by CI with the Deno kernel",
  ignore: !executed && Deno.env.get("CI") !== "true",
  fn() {
    assert.ok(executed, "CI must execute the notebooks (.ci/run sets NOTEBOOK_OUTPUT_DIR)");
    check(executed!);
  },
});
