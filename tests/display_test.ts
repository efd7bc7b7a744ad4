/**
 * Jupyter rendering: what a notebook cell shows for datasets, pixel arrays, file-sets,
 * `show`, `grid` and `hist`.
 */
import assert from "node:assert/strict";
import { base64, escapeHtml } from "../lib/display/html.ts";
import { Dataset, fileSet, grid, hist, PixelArray, show, write } from "../mod.ts";
import { decodePng } from "../lib/image/mod.ts";
import { histogram, JUPYTER_DISPLAY, type MediaBundle } from "../lib/display/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { writeDicomdir } from "../lib/fileset/mod.ts";

function bundle(x: unknown): MediaBundle {
  const fn = (x as Record<symbol, () => MediaBundle>)[JUPYTER_DISPLAY];
  assert.equal(typeof fn, "function", "has a Jupyter display method");
  return fn.call(x);
}

function pngOf(b: MediaBundle) {
  const bin = atob(b["image/png"]);
  return decodePng(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

Deno.test("display: a dataset is a foldable tree with pydicom's text as fallback", () => {
  const ds = makeCtSlice(0, { size: 16 });
  const item = new Dataset();
  item.set("CodeValue", "T-A0100");
  item.set("CodeMeaning", "Brain <&>");
  ds.set("AnatomicRegionSequence", [item]);
  const b = bundle(ds);
  assert.equal(b["text/plain"], String(ds));
  const html = b["text/html"];
  assert.match(html, /<details open><summary><span class="tag">\(0008, 2218\)<\/span>/);
  assert.match(html, /AnatomicRegionSequence/);
  assert.match(html, /&#39;Brain &lt;&amp;&gt;&#39;/);
  assert.match(html, /PatientName<\/td><td class="vr">PN<\/td><td>&#39;Phantom\^Head&#39;/);
});

Deno.test("display: a pixel array is an inline PNG, min-max scaled; frame 0 of a multi-frame", () => {
  const arr = new PixelArray(new Int16Array([-1000, 0, 1000, 3000]), [2, 2]);
  const png = pngOf(bundle(arr));
  assert.deepEqual([png.width, png.height, png.channels], [2, 2, 1]);
  assert.deepEqual([...png.data], [0, 64, 128, 255]); // (x - min) / (max - min) * 255, rounded
  const multi = new PixelArray(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2], {
    multiFrame: true,
  });
  const b = bundle(multi);
  assert.match(b["text/plain"], /frame 0 of 2/);
  assert.deepEqual([...pngOf(b).data], [1, 2, 3, 4]);
});

Deno.test("display: show takes a colormap, a window, a title and a display width", () => {
  const arr = new PixelArray(new Int16Array([-1000, 0, 40, 80]), [2, 2]);
  const fig = show(arr, {
    cmap: "hot",
    window: { center: 40, width: 80 },
    title: "a <b>",
    displayWidth: 64,
  });
  const b = bundle(fig);
  const png = pngOf(b);
  assert.equal(png.channels, 3);
  assert.match(b["text/html"], /<figcaption[^>]*>a &lt;b&gt;<\/figcaption>/);
  assert.match(b["text/html"], / width="64"/);
  assert.match(b["text/html"], new RegExp(`data:image/png;base64,${base64(fig.png).slice(0, 40)}`));
});

Deno.test("display: grid puts images side by side with their titles", () => {
  const a = new PixelArray(new Uint16Array([0, 1, 2, 3]), [2, 2]);
  const g = grid([a, a, a], { titles: ["raw", "modality", "voi"], columns: 2 });
  const html = bundle(g)["text/html"];
  assert.equal((html.match(/<tr>/g) ?? []).length, 2);
  assert.equal((html.match(/data:image\/png/g) ?? []).length, 3);
  for (const t of ["raw", "modality", "voi"]) assert.match(html, new RegExp(`>${t}<`));
});

/** The PNG embedded in a histogram's HTML, base64 and decoded. */
function histogramPng(html: string) {
  const b64 = /<img src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1];
  assert.ok(b64, "an embedded PNG");
  return { b64, png: decodePng(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))) };
}

/** Pixels of the bar colour in column `x` of an RGB picture. */
function barPixels(png: ReturnType<typeof decodePng>, x: number): number {
  let n = 0;
  for (let y = 0; y < png.height; y++) {
    const o = (y * png.width + x) * 3;
    if (png.data[o] === 0x48 && png.data[o + 1] === 0x78 && png.data[o + 2] === 0xa8) n++;
  }
  return n;
}

const HU = new PixelArray(new Float64Array([-1000, -1000, 0, 40, 40, 40]), [2, 3]);

Deno.test("display: hist counts like numpy and draws the bars as a PNG in HTML, no SVG", () => {
  const h = histogram(HU, { bins: 4 });
  assert.deepEqual([...h.counts], [2, 0, 0, 4]);
  assert.deepEqual([...h.edges], [-1000, -740, -480, -220, 40]);
  const b = bundle(hist(HU, { bins: 4, xLabel: "HU", title: "values" }));
  assert.deepEqual(Object.keys(b).sort(), ["text/html", "text/plain"]);
  const html = b["text/html"];
  assert.doesNotMatch(html, /<svg/);
  // the labels are text: title, largest count and 0, the value range, the x label
  for (const label of ["values", "4", "0", "-1000", "40", "HU"]) {
    assert.match(html, new RegExp(`>${label}<`), label);
  }
  // 480x240 with a title: a 420x176 plot; 4 bins of 104.75 pixels after the axis column
  const { png } = histogramPng(html);
  assert.deepEqual([png.width, png.height, png.channels], [420, 176, 3]);
  const middle = (bin: number) => 1 + Math.floor((bin + 0.5) * 419 / 4);
  assert.deepEqual([0, 1, 2, 3].map((bin) => barPixels(png, middle(bin))), [87, 0, 0, 174]);
  // the axes: the first column and the last row are black
  assert.deepEqual([...png.data.subarray(0, 3)], [0, 0, 0]);
  assert.deepEqual([...png.data.subarray(png.data.length - 3)], [0, 0, 0]);
});

Deno.test("display: hist's count label stays whole however long (log counts too)", () => {
  const many = new PixelArray(new Uint16Array(123456).fill(7), [1, 123456]);
  const html = bundle(hist(many, { bins: 3, log: true }))["text/html"];
  assert.match(html, /white-space:nowrap[^>]*>.*log scale<br>123456</);
});

function nbconvertMissing(): boolean {
  let ok = false;
  try {
    ok = new Deno.Command("/usr/bin/python3", {
      args: ["-m", "nbconvert", "--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    ok = false;
  }
  if (ok) return false;
  if (Deno.env.get("CI") === "true") {
    throw new Error(
      "nbconvert not found (/usr/bin/python3 -m nbconvert): CI needs jupyter-nbconvert",
    );
  }
  console.warn(
    "\n!!! nbconvert not found (/usr/bin/python3 -m nbconvert): SKIPPING its test !!!\n",
  );
  return true;
}

Deno.test({
  name: "display: a notebook exported with nbconvert --to html shows the histogram and its labels",
  ignore: nbconvertMissing(),
  fn() {
    const dir = Deno.makeTempDirSync({ prefix: "hist_nbconvert_" });
    try {
      const plot = hist(HU, { bins: 4, xLabel: "Hounsfield units", title: "CT values" });
      const nb = {
        cells: [{
          cell_type: "code",
          execution_count: 1,
          id: "hist",
          metadata: {},
          outputs: [{ output_type: "display_data", data: bundle(plot), metadata: {} }],
          source: "hist(hu)",
        }],
        metadata: {
          kernelspec: { display_name: "Deno", language: "typescript", name: "deno" },
          language_info: { name: "typescript" },
        },
        nbformat: 4,
        nbformat_minor: 5,
      };
      Deno.writeTextFileSync(`${dir}/hist.ipynb`, JSON.stringify(nb));
      const r = new Deno.Command("/usr/bin/python3", {
        args: ["-m", "nbconvert", "--to", "html", "--output-dir", dir, `${dir}/hist.ipynb`],
      }).outputSync();
      assert.ok(r.success, new TextDecoder().decode(r.stderr));
      const page = Deno.readTextFileSync(`${dir}/hist.html`);
      // the picture, byte for byte, and every label as text on the page
      const { b64, png } = histogramPng(plot.html);
      assert.ok(page.includes(`src="data:image/png;base64,${b64}"`), "the bars' PNG");
      assert.equal(barPixels(png, 1 + Math.floor(3.5 * 419 / 4)), 174);
      for (const label of ["CT values", "4", "0", "-1000", "40", "Hounsfield units"]) {
        assert.match(page, new RegExp(`>${label}<`), label);
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("display: a file-set shows its record tree", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeFileSync(`${dir}/IM000001`, write(makeCtSlice(0, { size: 8 })));
  writeDicomdir(dir);
  const b = bundle(fileSet(dir));
  assert.match(b["text/plain"], /PATIENT: PatientID='PHANTOM01'/);
  assert.equal(b["text/html"], `<pre>${escapeHtml(b["text/plain"])}</pre>`);
});
