/**
 * Notebook 05's Python lines (numpy and nibabel, from its markdown) run with Debian's
 * /usr/bin/python3 on the files the notebook wrote (`out/notebook05/`; made with the
 * notebook's own calls when the notebook has not run in this checkout). A failure under
 * CI=true when nibabel is missing, skipped loudly elsewhere.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadSeries, writeNifti, writeNpy } from "../lib/volume/mod.ts";
import { fixturesPresent, makeFixtures } from "../scripts/make_fixtures.ts";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks", import.meta.url));
const OUT = fileURLToPath(new URL("../out/notebook05", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures", import.meta.url));
const PYTHON = "/usr/bin/python3";

function nibabelMissing(): boolean {
  let ok = false;
  try {
    ok = new Deno.Command(PYTHON, { args: ["-c", "import nibabel, numpy"], stderr: "null" })
      .outputSync().success;
  } catch { /* no python */ }
  if (ok) return false;
  if (Deno.env.get("CI") === "true") throw new Error("python3-nibabel is needed in CI");
  console.warn(
    "\n!!! /usr/bin/python3 with nibabel not found: SKIPPING notebook 05's Python !!!\n",
  );
  return true;
}

/** The ```python blocks of the notebook's markdown cells. */
function pythonBlocks(): string[] {
  const nb = JSON.parse(Deno.readTextFileSync(`${NOTEBOOKS}/05_series_to_volume.ipynb`));
  const blocks: string[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    for (const m of src.matchAll(/```python\n([\s\S]*?)```/g)) blocks.push(m[1]);
  }
  return blocks;
}

Deno.test("notebook 05: its numpy and nibabel lines load what it wrote", () => {
  if (nibabelMissing()) return;
  const blocks = pythonBlocks();
  assert.equal(blocks.length, 3, "numpy, nibabel and PyTorch blocks");
  const numpy = blocks.find((b) => b.includes("np.load"))!;
  const nibabel = blocks.find((b) => b.includes("nib.load"))!;
  assert.ok(numpy && nibabel);
  try {
    Deno.statSync(`${OUT}/head3d.nii.gz`);
    Deno.statSync(`${OUT}/head3d.npy`);
  } catch {
    // the notebook has not run here: the same calls as its cells
    if (!fixturesPresent(FIXTURES)) makeFixtures({ out: FIXTURES });
    const volume = loadSeries(`${FIXTURES}/head3d`).series[0].volume();
    Deno.mkdirSync(OUT, { recursive: true });
    writeNifti(`${OUT}/head3d.nii.gz`, volume);
    writeNpy(`${OUT}/head3d.npy`, volume);
  }
  const run = (code: string) => {
    const r = new Deno.Command(PYTHON, {
      args: ["-c", code],
      cwd: NOTEBOOKS,
      stdout: "piped",
      stderr: "piped",
    })
      .outputSync();
    assert.ok(r.success, new TextDecoder().decode(r.stderr));
    return new TextDecoder().decode(r.stdout).trim();
  };
  assert.equal(run(numpy), "(56, 128, 128) int16 -1000 904 3.0");
  assert.equal(run(nibabel), "(128, 128, 56) -1000.0 904.0 ('L', 'P', 'S')");
  // both blocks together: the same voxels, numpy's [slice, row, column] is NIfTI's transposed
  assert.equal(
    run(`${numpy}\n${nibabel}\nprint(bool((data.transpose(2, 1, 0) == arr).all()))`).split("\n")
      .pop(),
    "True",
  );
});
