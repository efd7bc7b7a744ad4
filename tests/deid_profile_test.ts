import assert from "node:assert/strict";
import { renderProfile, TARGET } from "../tools/gen_deid_table.ts";
import { cid7050, profileAction, profileRows, safePrivateRows } from "../lib/deid/mod.ts";
import { sharedDeidMissing } from "./_deid.ts";

Deno.test("lib/deid/_profile.ts is what tools/gen_deid_table.ts makes of ../shared/deid", () => {
  if (sharedDeidMissing()) return;
  const fresh = renderProfile();
  const committed = Deno.readTextFileSync(TARGET);
  assert.ok(
    fresh === committed,
    "lib/deid/_profile.ts differs from the TSVs: run deno run -A tools/gen_deid_table.ts",
  );
});

Deno.test("the table has its 621 rows, 146 safe private attributes and 13 CID 7050 codes", () => {
  assert.equal(profileRows().length, 621);
  assert.equal(safePrivateRows().length, 146);
  assert.equal(cid7050().length, 13);
  const name = profileRows().find((r) => r.keyword === "PatientName")!;
  assert.equal(name.tag, "0010,0010");
  assert.equal(profileAction(name), "Z");
  const acq = profileRows().find((r) => r.keyword === "AcquisitionDate")!;
  assert.equal(profileAction(acq), "X/Z");
  assert.equal(profileAction(acq, { retainLongitudinalFullDates: true }), "K");
  assert.equal(profileAction(acq, { retainLongitudinalModifiedDates: true }), "C");
  assert.throws(
    () =>
      profileAction(acq, {
        retainLongitudinalFullDates: true,
        retainLongitudinalModifiedDates: true,
      }),
    /exclude each other/,
  );
});
