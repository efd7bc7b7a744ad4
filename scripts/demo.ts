/**
 * The README's first command: makes the sample CT file-set if it is missing, shows one
 * dataset the way pydicom prints it, then converts the whole file-set to JPEG with
 * `scripts/convert.ts` into `out/demo/`.
 *
 * @module
 */

import { fixturesPresent, makeFixtures } from "./make_fixtures.ts";
import { read } from "../lib/io/read.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";

const root = new URL("..", import.meta.url).pathname;
const fixtures = `${root}fixtures`;
const dicomdir = `${fixtures}/ct_phantom/DICOMDIR`;
const out = `${root}out/demo`;

if (!fixturesPresent(fixtures)) {
  console.log("making the sample CT file-set (scripts/make_fixtures.ts)...");
  makeFixtures();
}

const ds = read(`${fixtures}/ct_phantom/IM000001`);
console.log(String(ds).split("\n").slice(0, 14).join("\n"));
console.log("...\n");
const raw = pixelArray(ds);
const hu = applyModalityLut(raw, ds);
console.log(
  `pixels ${
    raw.shape.join("x")
  } ${raw.dtype}: raw ${raw.min()}..${raw.max()}, HU ${hu.min()}..${hu.max()}\n`,
);

const cmd = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", `${root}scripts/convert.ts`, dicomdir, out, "--overwrite"],
  stdout: "inherit",
  stderr: "inherit",
});
const { code } = await cmd.output();
if (code === 0) console.log(`\nlook at ${out}/PHANTOM01/20240115/2/1.jpg`);
Deno.exit(code);
