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
  },
  "02_pixels_and_luts.ipynb": (nb) => {
    const all = outputs(nb).map(text).join("\n");
    assert.match(all, /No suitable Palette Color Lookup Table Module found/);
    assert.match(all, /HU: +-\d+ \d+/);
    assert.ok(mimeCount(nb, "image/png") >= 2, "inline images");
    assert.ok(mimeCount(nb, "image/svg+xml") >= 1, "a histogram");
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
    assert.match(all, /IMAGE: 12 SOP Instances/);
    assert.match(all, /12 image\(s\) from 12 instance\(s\)/);
    assert.ok(htmlImages(nb) >= 4, "converted images are shown");
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
    assert.match(all, /archive stopped/);
    assert.ok(htmlImages(nb) >= 4, "the pulled slices are shown");
    assert.ok(mimeCount(nb, "image/png") >= 1, "the archive's rendered image is shown");
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
