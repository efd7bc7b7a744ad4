/**
 * Prints a DICOM file the way `pydicom show` does (`str(ds)`), with any reading
 * warnings after it.
 *
 * ```sh
 * deno run -A scripts/dump.ts FILE [--no-pixels] [--strict]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { read } from "../lib/io/read.ts";
import { DicomError } from "../lib/core/errors.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    "no-pixels": { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help || positionals.length === 0) {
  console.error("usage: deno run -A scripts/dump.ts FILE... [--no-pixels] [--strict]");
  Deno.exit(values.help ? 0 : 2);
}

let failed = 0;
for (const path of positionals) {
  try {
    const ds = read(path, { stopBeforePixels: values["no-pixels"], strict: values.strict });
    if (positionals.length > 1) console.log(`# ${path}`);
    console.log(String(ds));
    for (const w of ds.warnings) console.error(`warning: ${path}: ${w}`);
  } catch (e) {
    if (!(e instanceof DicomError)) throw e;
    console.error(`${path}: ${e.name}: ${e.message}`);
    failed++;
  }
}
Deno.exit(failed ? 1 : 0);
