// The duplicate-code check of lib/ (without the generated dictionary): only the pairs of
// files in tools/duplicates_allow.json, each with its reason, share six or more lines.

import assert from "node:assert/strict";
import {
  codeLines,
  compareWithAllowList,
  findDuplicates,
  libFiles,
  readAllowList,
} from "../tools/duplicates.ts";

const LIB = new URL("../lib", import.meta.url).pathname;

Deno.test("duplicates: lib/ shares runs of 6 lines only in the allowed pairs", () => {
  const files = libFiles(LIB);
  assert.ok(files.length > 50, `only ${files.length} files under lib/`);
  assert.ok(!files.some((f) => /^lib\/dictionary\/_/.test(f.path)), "generated tables read");
  const pairs = findDuplicates(files);
  const { unexpected, stale } = compareWithAllowList(pairs, readAllowList());
  const show = (p: (typeof pairs)[number]) =>
    `${p.a.path}:${p.a.start}-${p.a.end} ~ ${p.b.path}:${p.b.start}-${p.b.end}`;
  assert.deepEqual(unexpected.map(show), [], "fold these, or allow them with a reason");
  assert.deepEqual(stale, [], "allow-list entries that match nothing: remove them");
});

Deno.test("duplicates: every allowed pair says why", () => {
  for (const p of readAllowList()) {
    assert.ok(p.reason.length > 40, `${p.a} ~ ${p.b}: reason too short`);
    assert.ok(p.a.startsWith("lib/") && p.b.startsWith("lib/"), `${p.a} ~ ${p.b}`);
  }
});

Deno.test("duplicates: a planted copy is found, across files and within one", () => {
  const body = [
    "let total = 0;",
    "for (const x of xs) total += x;",
    "const mean = total / xs.length;",
    "let v = 0;",
    "for (const x of xs) v += (x - mean) ** 2;",
    "return Math.sqrt(v / xs.length);",
  ];
  const a = ["export function sd(xs: number[]): number {", ...body, "}"].join("\n");
  // the same lines, indented differently, with comments and a blank line in between
  const b = [
    "/** Standard deviation. */",
    "function spread(xs: number[]): number {",
    ...body.slice(0, 3).map((l) => "    " + l),
    "",
    "    // the variance",
    ...body.slice(3),
    "}",
    "function again(xs: number[]): number {",
    ...body,
    "}",
  ].join("\n");
  const pairs = findDuplicates([{ path: "lib/b.ts", text: b }, { path: "lib/a.ts", text: a }]);
  assert.deepEqual(pairs, [
    {
      a: { path: "lib/a.ts", start: 2, end: 7 },
      b: { path: "lib/b.ts", start: 3, end: 10 },
      lines: 6,
      runs: 2,
    },
    {
      a: { path: "lib/b.ts", start: 3, end: 10 },
      b: { path: "lib/b.ts", start: 13, end: 18 },
      lines: 6,
      runs: 1,
    },
  ]);
  const { unexpected, stale } = compareWithAllowList(pairs, [
    { a: "lib/b.ts", b: "lib/a.ts", reason: "kept" },
    { a: "lib/c.ts", b: "lib/c.ts", reason: "gone" },
  ]);
  assert.deepEqual(unexpected.map((p) => `${p.a.path} ~ ${p.b.path}`), ["lib/b.ts ~ lib/b.ts"]);
  assert.deepEqual(stale.map((p) => p.a), ["lib/c.ts"]);
});

Deno.test("duplicates: five shared lines, data tables and imports are not a copy", () => {
  const five = ["a();", "b();", "c();", "d();", "e();"];
  const table = ["const T = [", ...Array.from({ length: 20 }, (_, i) => `  ${i},`), "];"];
  const imports = ["import {", "  a,", "  b,", "  c,", "  d,", "  e,", "  f,", '} from "./x.ts";'];
  const text = [...imports, ...five, "x();", ...five, ...table, ...table].join("\n");
  assert.deepEqual(findDuplicates([{ path: "lib/x.ts", text }]), []);
  assert.deepEqual(codeLines('const s = "http://x"; // note').map((l) => l.text), [
    'const s = "http://x";',
  ]);
});
