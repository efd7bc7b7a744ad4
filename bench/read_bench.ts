/**
 * Speed of `read()` on one 512x512 16-bit CT slice (the phantom of
 * `scripts/make_fixtures.ts`, 512 KiB of pixel data, explicit VR little endian), next to
 * `dicom-parser`'s `parseDicom` on the same bytes. pydicom 2.3.1's `dcmread` of such a
 * slice takes 0.53 ms on this machine (`../shared/bench/results`), from a file.
 *
 * Both parsers leave values undecoded until asked; "every value" also decodes them all.
 *
 * Run with `deno bench -A bench/read_bench.ts`.
 */
// a comparison only, not a dependency of the toolkit
// deno-lint-ignore no-import-prefix
import dicomParser from "npm:dicom-parser@1.8.21";
import { read } from "../lib/io/read.ts";
import { write } from "../lib/io/write.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";

const bytes = write(makeCtSlice(0));
const path = Deno.makeTempFileSync({ suffix: ".dcm" });
Deno.writeFileSync(path, bytes);
globalThis.addEventListener("unload", () => Deno.removeSync(path));

Deno.bench({
  name: "read(bytes): 512x512 CT slice",
  group: "parse bytes",
  baseline: true,
  fn() {
    read(bytes);
  },
});

Deno.bench({
  name: "dicom-parser parseDicom(bytes)",
  group: "parse bytes",
  fn() {
    dicomParser.parseDicom(bytes);
  },
});

Deno.bench({
  name: "read(bytes, { stopBeforePixels: true })",
  group: "parse bytes",
  fn() {
    read(bytes, { stopBeforePixels: true });
  },
});

Deno.bench({
  name: "dicom-parser parseDicom(bytes, { untilTag: x7fe00010 })",
  group: "parse bytes",
  fn() {
    dicomParser.parseDicom(bytes, { untilTag: "x7fe00010" });
  },
});

Deno.bench({
  name: "read(bytes) and every value decoded",
  group: "parse bytes",
  fn() {
    for (const el of read(bytes)) void el.value;
  },
});

Deno.bench({
  name: "read(path): from the file, like pydicom's dcmread (0.53 ms)",
  group: "read file",
  baseline: true,
  fn() {
    read(path);
  },
});

Deno.bench({
  name: "read(path, { stopBeforePixels: true }): only the file's head is read",
  group: "read file",
  fn() {
    read(path, { stopBeforePixels: true });
  },
});
