/**
 * Tests give the same input on every run: random input comes only from the seeded PRNG
 * `seededRandom` in tests/_make.ts (issue 11, item 4: a test that wrote random bytes as
 * "garbage" failed when they happened to parse as a dataset).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { seededRandom } from "./_make.ts";

const TESTS = fileURLToPath(new URL(".", import.meta.url));
/** The one file allowed to hold a random source. */
const SEEDED_HELPER = "_make.ts";
/** Written in two parts so that this file does not match itself. */
const UNSEEDED = ["Math." + "random", "getRandom" + "Values"];

function sourceFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...sourceFiles(`${dir}/${e.name}`, `${rel}/`));
    else if (/\.(ts|js|mjs|tsx|py|ipynb)$/.test(e.name)) out.push(rel);
  }
  return out.sort();
}

/** `file:line: text` of each line using an unseeded random source. */
function unseededUses(dir: string): string[] {
  const found: string[] = [];
  for (const rel of sourceFiles(dir)) {
    if (rel === SEEDED_HELPER) continue;
    const lines = Deno.readTextFileSync(`${dir}/${rel}`).split("\n");
    lines.forEach((line, i) => {
      if (UNSEEDED.some((s) => line.includes(s))) found.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

Deno.test("tests: no unseeded random source under tests/ outside the seeded helper", () => {
  assert.deepEqual(unseededUses(TESTS), []);
});

Deno.test("tests: the random-source check finds a use and skips the seeded helper", () => {
  const dir = Deno.makeTempDirSync({ prefix: "no_random_" });
  try {
    Deno.mkdirSync(`${dir}/sub`);
    Deno.writeTextFileSync(`${dir}/a_test.ts`, `const x = 1;\nconst y = ${UNSEEDED[0]}();\n`);
    Deno.writeTextFileSync(`${dir}/sub/b.ts`, `crypto.${UNSEEDED[1]}(new Uint8Array(4));\n`);
    Deno.writeTextFileSync(`${dir}/${SEEDED_HELPER}`, `export const r = ${UNSEEDED[0]};\n`);
    Deno.writeTextFileSync(`${dir}/clean_test.ts`, "const z = 2;\n");
    assert.deepEqual(unseededUses(dir), [
      `a_test.ts:2: const y = ${UNSEEDED[0]}();`,
      `sub/b.ts:1: crypto.${UNSEEDED[1]}(new Uint8Array(4));`,
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("tests: the seeded helper gives the same numbers for the same seed", () => {
  const a = seededRandom(42), b = seededRandom(42), c = seededRandom(43);
  const first = [a(), a(), a()];
  assert.deepEqual([b(), b(), b()], first);
  assert.notDeepEqual([c(), c(), c()], first);
  assert.ok(first.every((x) => x >= 0 && x < 1));
});
