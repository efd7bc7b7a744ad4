/**
 * The cost of checking values on assignment: the tutorial's seven redaction lines on a
 * phantom slice, checked (the default) and unchecked (`validation = "ignore"`), and
 * `removePrivateTags` plus `copy` of the slice.
 *
 * Run: `deno bench -A bench/edit_bench.ts`
 */
import type { Dataset } from "../lib/dataset/dataset.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";

const slice = makeCtSlice(0, { size: 64, slices: 2 });

function redact(ds: Dataset): void {
  ds.PatientName = "ROSSI^MARIO";
  ds.PatientID = "99999999";
  ds.PatientBirthDate = "19330101";
  ds.PatientAge = "090Y";
  ds.PatientAddress = ds.InstitutionName = ds.InstitutionAddress = "XXXXXXXXXX";
}

const checked = slice.copy();
const unchecked = slice.copy();
unchecked.validation = "ignore";

Deno.bench("redaction: 7 assignments, checked", { group: "assign", baseline: true }, () => {
  redact(checked);
});

Deno.bench("redaction: 7 assignments, unchecked", { group: "assign" }, () => {
  redact(unchecked);
});

Deno.bench("ImagePositionPatient = 3 numbers, checked", { group: "ds" }, () => {
  checked.ImagePositionPatient = [-125.5, -125.25, 12.5];
});

Deno.bench("copy + removePrivateTags of a 64x64 slice", { group: "copy" }, () => {
  slice.copy().removePrivateTags();
});
