// Which folder of lib/ may import which: every import under lib/ against the committed
// matrix lib/layers.json (core at the bottom, display and convert at the top), no
// cycles between folders or files, private files kept private; and the checker is shown
// to fail on planted bad imports.

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkLayers,
  collectImports,
  type ImportEdge,
  type LayerMatrix,
  readMatrix,
} from "../tools/layers.ts";

const LIB = new URL("../lib", import.meta.url).pathname;
const BELOW_FILESET = ["core", "dictionary", "dataset", "io", "pixels", "lut", "image"];

Deno.test("layers: every import under lib/ follows lib/layers.json, without cycles", () => {
  const edges = collectImports(LIB);
  assert.ok(edges.length > 200, `only ${edges.length} imports found under lib/`);
  assert.deepEqual(checkLayers(edges, readMatrix()), []);
});

Deno.test("layers: the matrix names every folder of lib/ and keeps the order of the house", () => {
  const matrix = readMatrix();
  const folders = [...Deno.readDirSync(LIB)].filter((e) => e.isDirectory).map((e) => e.name);
  for (const f of folders) assert.ok(f in matrix, `lib/${f}/ is not in lib/layers.json`);
  assert.deepEqual(matrix.core, []);
  assert.deepEqual(matrix.dictionary, ["core"]);
  assert.deepEqual(matrix.dataset, ["core", "dictionary"]);
  assert.deepEqual(matrix.fileset.filter((f) => f !== "wasm"), BELOW_FILESET);
  // the areas coming next, up to fileset (volume's loadSeries reads DICOMDIRs and FileSets)
  assert.deepEqual(matrix.volume.filter((f) => f !== "wasm"), [...BELOW_FILESET, "fileset"]);
  assert.deepEqual(matrix.deid.filter((f) => f !== "wasm"), [...BELOW_FILESET, "fileset"]);
  assert.deepEqual(matrix.dicomweb.filter((f) => f !== "wasm"), [...BELOW_FILESET, "fileset"]);
  // display and convert at the top, neither importing the other
  for (const top of ["display", "convert"]) {
    for (const f of [...BELOW_FILESET, "fileset", "volume", "deid", "dicomweb"]) {
      assert.ok(matrix[top].includes(f), `${top} may import ${f}`);
    }
  }
  assert.ok(!matrix.convert.includes("display"), "convert must not import display");
  assert.ok(!matrix.display.includes("convert"), "display must not import convert");
  for (const [f, allowed] of Object.entries(matrix)) {
    if (f !== "display" && f !== "convert") {
      assert.ok(!allowed.includes("display") && !allowed.includes("convert"), f);
    }
  }
});

const MATRIX: LayerMatrix = { core: [], dataset: ["core"], io: ["core", "dataset"] };

function edge(from: string, to: string, typeOnly = false): ImportEdge {
  return { from, to, typeOnly };
}

Deno.test("layers: a planted upward import in a temporary tree fails", () => {
  const root = Deno.makeTempDirSync({ prefix: "layers_test_" });
  try {
    const lib = join(root, "lib");
    Deno.mkdirSync(join(lib, "core"), { recursive: true });
    Deno.mkdirSync(join(lib, "dataset"), { recursive: true });
    Deno.writeTextFileSync(
      join(lib, "dataset", "dataset.ts"),
      'import { tag } from "../core/tag.ts";\nexport const x = tag;\n',
    );
    Deno.writeTextFileSync(
      join(lib, "core", "tag.ts"),
      [
        "/** ```ts",
        ' * import { x } from "../dataset/dataset.ts"; // in a doc example: not an import',
        " * ``` */",
        "export const tag = 1;",
      ].join("\n"),
    );
    const clean = collectImports(lib);
    assert.deepEqual(clean, [edge("lib/dataset/dataset.ts", "lib/core/tag.ts")]);
    assert.deepEqual(checkLayers(clean, MATRIX), []);
    // the planted bad import: core reaching up into dataset
    Deno.writeTextFileSync(
      join(lib, "core", "bad.ts"),
      'import type { x } from "../dataset/dataset.ts";\nexport type Y = typeof x;\n',
    );
    assert.deepEqual(checkLayers(collectImports(lib), MATRIX), [
      "lib/core/bad.ts imports lib/dataset/dataset.ts: core may not import dataset",
      "folder cycle: core -> dataset -> core",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("layers: cycles between files fail; type-only imports do not make one", () => {
  const loop = [
    edge("lib/io/a.ts", "lib/io/b.ts"),
    edge("lib/io/b.ts", "lib/io/c.ts"),
    edge("lib/io/c.ts", "lib/io/a.ts"),
  ];
  assert.deepEqual(checkLayers(loop, MATRIX), [
    "file cycle: lib/io/a.ts -> lib/io/b.ts -> lib/io/c.ts -> lib/io/a.ts",
  ]);
  const typed = [edge("lib/io/a.ts", "lib/io/b.ts"), edge("lib/io/b.ts", "lib/io/a.ts", true)];
  assert.deepEqual(checkLayers(typed, MATRIX), []);
});

Deno.test("layers: private files, imports leaving lib/, unknown folders, a cyclic matrix", () => {
  assert.deepEqual(
    checkLayers([
      edge("lib/io/read.ts", "lib/dataset/_private.ts"),
      edge("lib/io/read.ts", "scripts/dump.ts"),
      edge("lib/io/read.ts", "node:path"),
      edge("lib/io/read.ts", "npm:pngjs@7.0.0"),
      edge("lib/io/read.ts", "jpeg-js"),
      edge("lib/volume/nifti.ts", "lib/io/read.ts"),
    ], MATRIX),
    [
      "lib/io/read.ts imports lib/dataset/_private.ts: private to lib/dataset/",
      "lib/io/read.ts imports scripts/dump.ts: outside lib/",
      "lib/volume/nifti.ts: folder volume is not in the matrix",
    ],
  );
  assert.deepEqual(checkLayers([], { core: ["io"], io: ["core"] }), [
    "matrix cycle: core -> io -> core",
  ]);
});
