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

Deno.test("display: hist counts like numpy and draws SVG", () => {
  const arr = new PixelArray(new Float64Array([-1000, -1000, 0, 40, 40, 40]), [2, 3]);
  const h = histogram(arr, { bins: 4 });
  assert.deepEqual([...h.counts], [2, 0, 0, 4]);
  assert.deepEqual([...h.edges], [-1000, -740, -480, -220, 40]);
  const b = bundle(hist(arr, { bins: 4, xLabel: "HU", title: "values" }));
  assert.match(b["image/svg+xml"], /^<svg[^>]*>/);
  assert.equal((b["image/svg+xml"].match(/<rect x=/g) ?? []).length, 2);
  assert.match(b["image/svg+xml"], />HU</);
});

Deno.test("display: a file-set shows its record tree", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeFileSync(`${dir}/IM000001`, write(makeCtSlice(0, { size: 8 })));
  writeDicomdir(dir);
  const b = bundle(fileSet(dir));
  assert.match(b["text/plain"], /PATIENT: PatientID='PHANTOM01'/);
  assert.equal(b["text/html"], `<pre>${escapeHtml(b["text/plain"])}</pre>`);
});
