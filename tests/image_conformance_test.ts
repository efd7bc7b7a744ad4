/**
 * Conformance of `scaleTutorial` with the tutorial's numpy recipe over the shared corpus:
 * for every file with an oracle `tutorial.png`, pydicom's `pixel_array` scaled by
 * `scaleTutorial` (frame `tutorial.frame` of a multi-frame) must equal the PNG that
 * numpy + Pillow wrote, pixel for pixel.
 */
import assert from "node:assert/strict";
import { corpusMissing, manifest, ORACLE, readNpy } from "./_corpus.ts";
import { decodePng } from "../lib/image/png.ts";
import { scaleTutorial } from "../lib/image/scale.ts";
import { PixelArray, type PixelTypedArray } from "../lib/pixels/pixel_array.ts";

interface TutorialEntry {
  file?: string;
  frame: number | null;
  shape: number[];
}

interface OracleArray {
  file?: string;
  shape: number[];
}

Deno.test({
  name: "corpus: scaleTutorial equals the tutorial's numpy 8-bit PNG on every file",
  ignore: corpusMissing(),
  fn() {
    const failures: string[] = [];
    let equal = 0;
    for (const row of manifest()) {
      const name = row.path.slice("files/dev/".length);
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(Deno.readTextFileSync(`${ORACLE}/${name}.json`));
      } catch {
        continue; // no oracle for this file (see the corpus README)
      }
      const tutorial = json.tutorial as TutorialEntry | undefined;
      if (!tutorial?.file) continue;
      const folder = name.includes("/") ? name.slice(0, name.lastIndexOf("/") + 1) : "";
      const entry = (json.arrays as Record<string, OracleArray>).pixel_array;
      const npy = readNpy(`${ORACLE}/${folder}${entry.file}`);
      if (npy.data instanceof BigInt64Array || npy.data instanceof BigUint64Array) {
        failures.push(`${name}: 64-bit integer pixel_array is not a PixelArray type`);
        continue;
      }
      const multiFrame = tutorial.frame !== null;
      let arr = new PixelArray(npy.data as PixelTypedArray, npy.shape, { multiFrame });
      if (multiFrame) arr = arr.frame(tutorial.frame!);
      const scaled = scaleTutorial(arr);
      const png = decodePng(Deno.readFileSync(`${ORACLE}/${folder}${tutorial.file}`));
      const expectedShape = png.channels === 1
        ? [png.height, png.width]
        : [png.height, png.width, png.channels];
      if (scaled.shape.join(",") !== expectedShape.join(",")) {
        failures.push(`${name}: shape ${scaled.shape} vs png ${expectedShape}`);
        continue;
      }
      let diff = 0;
      let first = -1;
      for (let i = 0; i < png.data.length; i++) {
        if (scaled.data[i] !== png.data[i]) {
          if (first < 0) first = i;
          diff++;
        }
      }
      if (diff) {
        failures.push(
          `${name}: ${diff} pixels differ, first at ${first}: ${scaled.data[first]} vs ${
            png.data[first]
          }`,
        );
      } else equal++;
    }
    console.log(`tutorial scaling: ${equal} files equal, ${failures.length} differ`);
    assert.deepEqual(failures, []);
    assert.ok(equal >= 100, `only ${equal} files compared`);
  },
});
