/**
 * Makes the project's own sample data, so the demo, the tests and the notebooks never
 * depend on anything outside the repository:
 *
 * - `fixtures/ct_phantom/`: a CT-like head phantom series (512x512, 16-bit unsigned with
 *   12 bits stored, HU rescale, two VOI windows), one file per slice (`IM000001`...),
 *   with a DICOMDIR;
 * - `fixtures/ct_small.dcm`: one slice of it, for quick looks;
 * - `fixtures/head3d/`: a 3-D head of ellipsoids (`lib/sample/volume_phantom.ts`), 56 axial
 *   slices of 128x128 at 1.6 x 1.6 x 3 mm, so that sagittal and coronal planes look right
 *   (the volume notebook's series);
 * - `fixtures/VERSION`: {@linkcode FIXTURES_VERSION}; `--if-missing` rebuilds fixtures
 *   stamped with another version.
 *
 * Run with `deno task fixtures`; the demo and `deno task test` make them when they are missing
 * (`--if-missing`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { makeCtSlice, type PhantomOptions } from "../lib/sample/phantom.ts";
import { write } from "../lib/io/write.ts";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";
import { makeVolumeSeries } from "../lib/sample/volume_phantom.ts";

/** The fixtures' version: bump it when what `makeFixtures` writes changes. */
export const FIXTURES_VERSION = "2";

/** Options for {@linkcode makeFixtures}. */
export interface MakeFixturesOptions extends PhantomOptions {
  /** Output folder (default `fixtures/` of the repository). */
  out?: string;
}

/** The default fixtures folder, `fixtures/` of the repository. */
const DEFAULT_OUT = new URL("../fixtures", import.meta.url).pathname;

/**
 * True when the sample data is already in `out` (the series' DICOMDIR and the single
 * slice), so `--if-missing` and the demo need not make it again.
 *
 * @example
 * ```ts ignore
 * import { fixturesPresent } from "./make_fixtures.ts";
 * console.log(fixturesPresent()); // true once `deno task fixtures` has run
 * ```
 */
export function fixturesPresent(out: string = DEFAULT_OUT): boolean {
  try {
    Deno.statSync(`${out}/ct_phantom/DICOMDIR`);
    Deno.statSync(`${out}/ct_small.dcm`);
    Deno.statSync(`${out}/head3d/DICOMDIR`);
    return Deno.readTextFileSync(`${out}/VERSION`).trim() === FIXTURES_VERSION;
  } catch {
    return false;
  }
}

/**
 * Writes the sample data; returns the paths written.
 *
 * @example
 * ```ts ignore
 * import { makeFixtures } from "./make_fixtures.ts";
 * await makeFixtures({ out: "/tmp/fixtures", slices: 4 });
 * ```
 */
export function makeFixtures(options: MakeFixturesOptions = {}): string[] {
  const out = options.out ?? DEFAULT_OUT;
  const slices = options.slices ?? 12;
  const series = `${out}/ct_phantom`;
  Deno.mkdirSync(series, { recursive: true });
  const written: string[] = [];
  for (let i = 0; i < slices; i++) {
    const path = `${series}/IM${String(i + 1).padStart(6, "0")}`;
    Deno.writeFileSync(path, write(makeCtSlice(i, options)));
    written.push(path);
  }
  writeDicomdir(series, { fileSetId: "PHANTOM" });
  written.push(`${series}/DICOMDIR`);
  const single = `${out}/ct_small.dcm`;
  Deno.writeFileSync(single, write(makeCtSlice(Math.floor(slices / 2), options)));
  written.push(single);
  const head = `${out}/head3d`;
  Deno.mkdirSync(head, { recursive: true });
  const images = makeVolumeSeries({
    rows: 128,
    columns: 128,
    slices: 56,
    pixelSpacing: [1.6, 1.6],
    sliceSpacing: 3,
  });
  images.forEach((ds, i) => {
    const path = `${head}/IM${String(i + 1).padStart(6, "0")}`;
    Deno.writeFileSync(path, write(ds));
    written.push(path);
  });
  writeDicomdir(head, { fileSetId: "HEAD3D" });
  written.push(`${head}/DICOMDIR`);
  Deno.writeTextFileSync(`${out}/VERSION`, `${FIXTURES_VERSION}\n`);
  written.push(`${out}/VERSION`);
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string" },
      slices: { type: "string" },
      "if-missing": { type: "boolean", default: false },
    },
  });
  const out = values.out ?? DEFAULT_OUT;
  if (values["if-missing"] && fixturesPresent(out)) Deno.exit(0);
  const paths = makeFixtures({
    out,
    slices: values.slices ? Number(values.slices) : undefined,
  });
  console.log(`wrote ${paths.length} files`);
}
