/** lib/display/volume.ts: three planes with the right aspect ratio, head up, windowed. */
import assert from "node:assert/strict";
import { type Displayable, JUPYTER_DISPLAY, show } from "../lib/display/mod.ts";
import { loadSeries, Volume } from "../lib/volume/mod.ts";
import { makeVolumeSeries } from "../lib/sample/volume_phantom.ts";

Deno.test("display: a volume shows three planes on square pixels, head up", () => {
  const images = makeVolumeSeries({ rows: 32, columns: 40, slices: 12, pixelSpacing: [4, 2] });
  const v = loadSeries(images).series[0].volume();
  const fig = show(v, { slice: 3, window: { center: 40, width: 400 } });
  assert.deepEqual(fig.planes.map((p) => p.name), ["axial", "coronal", "sagittal"]);
  // pixels of the smaller spacing of each plane: axial and coronal 2 mm (32 rows of 4 mm
  // -> 64, 12 slices of 7 mm -> 42, 40 columns of 2 mm -> 40), sagittal 4 mm (12 x 7 -> 21)
  assert.deepEqual(fig.planes.map((p) => p.image.shape), [[64, 40], [42, 40], [21, 32]]);
  assert.deepEqual(fig.planes.map((p) => p.pixelSize), [2, 2, 4]);
  assert.deepEqual(fig.planes.map((p) => p.fixed), [
    { axis: "slice", index: 3 },
    { axis: "row", index: 16 },
    { axis: "column", index: 20 },
  ]);
  // the coronal plane's top row is the last (most superior) slice
  const coronal = fig.planes[1].image;
  assert.equal(coronal.data[0], v.value(0, 16, 11));
  assert.equal(coronal.data[(42 - 1) * 40 + 39], v.value(39, 16, 0));
  // the axial plane: two output rows per source row
  assert.equal(fig.planes[0].image.data[5 * 40 + 7], v.value(7, 2, 3));
  // the kernel's symbol, Symbol.for("Jupyter.display")
  const bundle = (fig as unknown as Displayable)[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/html"].match(/data:image\/png;base64,/g)?.length, 3);
  assert.match(
    bundle["text/plain"],
    /^Volume\(uint16, 12x32x40, spacing 2 x 4 x 7 mm\) CT Head 3D$/,
  );
  // a Volume shows itself the same way in the kernel
  const display = (v as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY];
  assert.equal(typeof display, "function");
  assert.match(display.call(v)["text/html"], /axial \(slice 6\)/);
  assert.throws(() => show(v, { slice: 12 }), /slice 12 is outside 0\.\.11/);
});

Deno.test("display: a 4-D volume shows the time point asked", () => {
  const v = new Volume({
    data: Int16Array.from({ length: 2 * 2 * 2 * 2 }, (_, i) => i),
    shape: [2, 2, 2, 2],
    affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
  });
  const fig = show(v, { time: 1, slice: 0 });
  assert.deepEqual(Array.from(fig.planes[0].image.data), [8, 9, 10, 11]);
  assert.match(fig.text, /time 1/);
});
