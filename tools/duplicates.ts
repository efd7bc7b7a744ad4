/**
 * A small duplicate-code checker for `lib/`: the places where six or more lines (after
 * dropping comments, blank lines, imports, re-exports, lone punctuation and data-table
 * lines, and folding white space) stand again elsewhere. Each pair of files that shares such a run must be
 * in `tools/duplicates_allow.json` with the reason it is kept; `tests/duplicates_test.ts`
 * fails on any other pair and on allow-list entries that no longer match.
 *
 * ```sh
 * deno run -R tools/duplicates.ts          # list the pairs, mark the allowed ones
 * deno run -R tools/duplicates.ts --check  # exit 1 on a pair not in the allow-list
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join, relative } from "node:path";

/** One side of a duplicate: a file and a line range (1-based, inclusive). */
export interface DuplicatePlace {
  /** The file's path, relative to the scanned root's parent (`lib/...`). */
  path: string;
  /** First line of the shared run. */
  start: number;
  /** Last line of the shared run. */
  end: number;
}

/** Two places sharing a run of normalized lines. */
export interface DuplicatePair {
  /** The place in the file that sorts first. */
  a: DuplicatePlace;
  /** The other place. */
  b: DuplicatePlace;
  /** Number of shared normalized lines (the longest run between the two files). */
  lines: number;
  /** Number of separate shared runs between the two files. */
  runs: number;
}

/** Options of {@linkcode findDuplicates}. */
export interface FindDuplicatesOptions {
  /**
   * How many consecutive normalized lines make a duplicate.
   *
   * @default {6}
   */
  minLines?: number;
  /**
   * A run standing in more places than this is too common to be a copy (boilerplate).
   *
   * @default {8}
   */
  maxPlaces?: number;
}

/** One entry of the allow-list: a pair of files and why their shared lines stay. */
export interface AllowedPair {
  /** A file of the pair. */
  a: string;
  /** The other file (the same one for a repetition inside a file). */
  b: string;
  /** Why the repetition is kept. */
  reason: string;
}

/** A source line kept for comparison, with its 1-based line number. */
interface CodeLine {
  text: string;
  line: number;
}

const LONE_PUNCTUATION = /^[\s{}()[\];,.:?]*$/;
/** A line of a data table: one literal (number or string) and a comma. */
const DATA_LINE = /^(?:-?(?:0x[\da-f]+|\d+(?:\.\d+)?)|"[^"]*"|'[^']*'),?$/i;

/** Blanks out a match while keeping its line breaks, so line numbers stay. */
function blank(match: string): string {
  return match.replace(/[^\n]/g, "");
}

/**
 * The lines of a TypeScript file that count: no comments, imports, re-exports, blank
 * lines, lone punctuation or data-table lines (one literal and a comma); white space
 * folded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeLines } from "./duplicates.ts";
 * const text = 'import { a } from "./a.ts";\n/** doc *\/\nconst  x = 1; // one\n}\n';
 * assert.deepEqual(codeLines(text), [{ text: "const x = 1;", line: 3 }]);
 * ```
 */
export function codeLines(text: string): CodeLine[] {
  const stripped = text
    .replace(/\/\*[\s\S]*?\*\//g, blank)
    .replace(/^\s*(?:import|export)\s[^;]*?\bfrom\s+"[^"]*";/gm, blank)
    .replace(/^\s*import\s+"[^"]*";/gm, blank);
  const out: CodeLine[] = [];
  stripped.split("\n").forEach((raw, i) => {
    const t = raw.replace(/(^|[^:"'`\\])\/\/.*$/, "$1").replace(/\s+/g, " ").trim();
    if (t !== "" && !LONE_PUNCTUATION.test(t) && !DATA_LINE.test(t)) {
      out.push({ text: t, line: i + 1 });
    }
  });
  return out;
}

/**
 * The pairs of places in `files` sharing `minLines` or more consecutive normalized
 * lines, one entry per pair of files (its longest run), sorted by path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findDuplicates } from "./duplicates.ts";
 * const body = ["let a = 1;", "let b = 2;", "let c = a + b;", "a++;", "b++;", "c = a * b;"];
 * const pairs = findDuplicates([
 *   { path: "lib/x.ts", text: ["function f() {", ...body, "}"].join("\n") },
 *   { path: "lib/y.ts", text: ["function g() {", ...body.map((l) => "  " + l), "}"].join("\n") },
 * ]);
 * assert.deepEqual(pairs, [{
 *   a: { path: "lib/x.ts", start: 2, end: 7 },
 *   b: { path: "lib/y.ts", start: 2, end: 7 },
 *   lines: 6,
 *   runs: 1,
 * }]);
 * ```
 */
export function findDuplicates(
  files: readonly { path: string; text: string }[],
  options: FindDuplicatesOptions = {},
): DuplicatePair[] {
  const minLines = options.minLines ?? 6;
  const maxPlaces = options.maxPlaces ?? 8;
  const sorted = [...files].sort((x, y) => x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  const lines = sorted.map((f) => codeLines(f.text));
  // every window of minLines lines, by its text
  const windows = new Map<string, [number, number][]>();
  lines.forEach((ls, fi) => {
    for (let i = 0; i + minLines <= ls.length; i++) {
      const key = ls.slice(i, i + minLines).map((l) => l.text).join("\n");
      let list = windows.get(key);
      if (!list) windows.set(key, list = []);
      list.push([fi, i]);
    }
  });
  // window starts shared by each pair of places: (fileA, fileB) -> set of "ia:ib" diagonals
  const shared = new Map<string, Set<string>>();
  for (const places of windows.values()) {
    if (places.length < 2 || places.length > maxPlaces) continue;
    for (let p = 0; p < places.length; p++) {
      for (let q = p + 1; q < places.length; q++) {
        const [fa, ia] = places[p];
        const [fb, ib] = places[q];
        if (fa === fb && Math.abs(ia - ib) < minLines) continue; // a run overlapping itself
        const key = `${fa}:${fb}`;
        let set = shared.get(key);
        if (!set) shared.set(key, set = new Set());
        set.add(`${ia}:${ib}`);
      }
    }
  }
  const pairs: DuplicatePair[] = [];
  for (const [key, set] of shared) {
    const [fa, fb] = key.split(":").map(Number);
    // consecutive windows on one diagonal make one run
    const starts = [...set].map((s) => s.split(":").map(Number) as [number, number])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let best: { ia: number; ib: number; n: number } | undefined;
    let runs = 0;
    for (const [ia, ib] of starts) {
      if (set.has(`${ia - 1}:${ib - 1}`)) continue; // not the start of a run
      runs++;
      let n = minLines;
      while (set.has(`${ia + n - minLines + 1}:${ib + n - minLines + 1}`)) n++;
      if (!best || n > best.n) best = { ia, ib, n };
    }
    if (!best) continue;
    const la = lines[fa], lb = lines[fb];
    pairs.push({
      a: { path: sorted[fa].path, start: la[best.ia].line, end: la[best.ia + best.n - 1].line },
      b: { path: sorted[fb].path, start: lb[best.ib].line, end: lb[best.ib + best.n - 1].line },
      lines: best.n,
      runs,
    });
  }
  return pairs.sort((x, y) =>
    x.a.path.localeCompare(y.a.path) || x.b.path.localeCompare(y.b.path) ||
    x.a.start - y.a.start
  );
}

/**
 * The TypeScript files under `root` (a folder such as `lib`), except the generated
 * dictionary tables (`lib/dictionary/_*.ts`), with paths relative to `root`'s parent.
 */
export function libFiles(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const base = join(root, "..");
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) walk(p);
      else if (e.isFile && e.name.endsWith(".ts")) {
        const path = relative(base, p).replaceAll("\\", "/");
        if (/^lib\/dictionary\/_[^/]*\.ts$/.test(path)) continue;
        out.push({ path, text: Deno.readTextFileSync(p) });
      }
    }
  };
  walk(root);
  return out;
}

/** The pairs not in the allow-list, and the allow-list entries matching no pair. */
export function compareWithAllowList(
  pairs: readonly DuplicatePair[],
  allowed: readonly AllowedPair[],
): { unexpected: DuplicatePair[]; stale: AllowedPair[] } {
  const key = (a: string, b: string) => a < b ? `${a} ~ ${b}` : `${b} ~ ${a}`;
  const allowedKeys = new Set(allowed.map((p) => key(p.a, p.b)));
  const found = new Set(pairs.map((p) => key(p.a.path, p.b.path)));
  return {
    unexpected: pairs.filter((p) => !allowedKeys.has(key(p.a.path, p.b.path))),
    stale: allowed.filter((p) => !found.has(key(p.a, p.b))),
  };
}

/** The committed allow-list, `tools/duplicates_allow.json`. */
export function readAllowList(): AllowedPair[] {
  const url = new URL("./duplicates_allow.json", import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url)).pairs as AllowedPair[];
}

function formatPlace(p: DuplicatePlace): string {
  return `${p.path}:${p.start}-${p.end}`;
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { check: { type: "boolean" } } });
  const root = new URL("../lib", import.meta.url).pathname;
  const pairs = findDuplicates(libFiles(root));
  const allowed = readAllowList();
  const { unexpected, stale } = compareWithAllowList(pairs, allowed);
  const bad = new Set(unexpected);
  for (const p of pairs) {
    const more = p.runs > 1 ? ` (+${p.runs - 1} more runs)` : "";
    const mark = bad.has(p) ? "NEW    " : "allowed";
    console.log(`${mark} ${formatPlace(p.a)} ~ ${formatPlace(p.b)}: ${p.lines} lines${more}`);
  }
  for (const s of stale) console.log(`stale   ${s.a} ~ ${s.b}: in the allow-list, not found`);
  console.log(`${pairs.length} pairs, ${unexpected.length} not allowed, ${stale.length} stale`);
  if (values.check && (unexpected.length || stale.length)) Deno.exit(1);
}
