/**
 * `deno task doc`: the API reference as HTML, `deno doc --html` over every entry point in
 * `deno.json` "exports", written to `doc/` (not committed). Open `doc/index.html`.
 *
 * @module
 */

import { readEntryPoints } from "./entry_points.ts";

const root = new URL("../", import.meta.url);
const name = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).name ?? "dicom-deno";
const args = ["doc", "--html", `--name=${name}`, "--output=doc", ...readEntryPoints()];
const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
if (code === 0) console.log("API reference written to doc/index.html");
Deno.exit(code);
