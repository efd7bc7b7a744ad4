/**
 * The import rules of `lib/`: every relative import stays inside `lib/`, goes from a
 * folder to itself or to a folder `lib/layers.json` lets it import, imports a private
 * file (`_name.ts`) only from that file's own folder, and no two folders or files import
 * each other, directly or around a loop. `tests/layers_test.ts` runs it on `lib/`.
 *
 * ```sh
 * deno run -R tools/layers.ts   # list the problems; exit 1 if any
 * ```
 *
 * @module
 */

import { dirname, join, normalize, relative } from "node:path";

/** One import of one module: `from` and `to` are paths like `lib/io/read.ts`. */
export interface ImportEdge {
  /** The importing file. */
  from: string;
  /** The imported file, resolved; or the bare specifier (`node:path`, `npm:x`). */
  to: string;
  /** True for `import type` / `export type` (erased when the code runs). */
  typeOnly: boolean;
}

/** An import specifier found in a source text. */
export interface ImportSpecifier {
  /** The specifier as written. */
  specifier: string;
  /** True for `import type { ... }` and `export type { ... } from`. */
  typeOnly: boolean;
}

/** Which folders each folder of `lib/` may import, besides itself. */
export type LayerMatrix = Record<string, readonly string[]>;

function blank(match: string): string {
  return match.replace(/[^\n]/g, " ");
}

/**
 * The import and re-export specifiers of a TypeScript text (static, side-effect and
 * dynamic), ignoring comments, so doc examples do not count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseImports } from "./layers.ts";
 * const text = [
 *   'import type { A } from "./a.ts";',
 *   'import { type B, c } from "../b/c.ts";',
 *   '/** import { d } from "./d.ts"; *\/',
 *   'export { e } from "./e.ts";',
 *   'const f = await import("./f.ts");',
 * ].join("\n");
 * assert.deepEqual(parseImports(text), [
 *   { specifier: "./a.ts", typeOnly: true },
 *   { specifier: "../b/c.ts", typeOnly: false },
 *   { specifier: "./e.ts", typeOnly: false },
 *   { specifier: "./f.ts", typeOnly: false },
 * ]);
 * ```
 */
export function parseImports(text: string): ImportSpecifier[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, blank).replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found: { at: number; spec: ImportSpecifier }[] = [];
  const fromRe =
    /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?(?:[^;"'`]*?)\s*from\s*["']([^"']+)["']/g;
  for (const m of code.matchAll(fromRe)) {
    found.push({ at: m.index!, spec: { specifier: m[3], typeOnly: m[2] !== undefined } });
  }
  for (const m of code.matchAll(/(?:^|[;\n])\s*import\s*["']([^"']+)["']/g)) {
    found.push({ at: m.index!, spec: { specifier: m[1], typeOnly: false } });
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) {
    found.push({ at: m.index!, spec: { specifier: m[1], typeOnly: false } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

/** The folder of `lib/` a path belongs to (`lib/pixels/codecs/rle.ts` → `pixels`). */
function area(path: string): string | undefined {
  const m = /^lib\/([^/]+)\//.exec(path);
  return m ? m[1] : undefined;
}

/** The import edges of every `.ts` file under `root` (the `lib` folder). */
export function collectImports(root: string): ImportEdge[] {
  const base = dirname(root);
  const edges: ImportEdge[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) walk(p);
      else if (e.isFile && e.name.endsWith(".ts")) {
        const from = relative(base, p).replaceAll("\\", "/");
        for (const { specifier, typeOnly } of parseImports(Deno.readTextFileSync(p))) {
          const to = specifier.startsWith(".")
            ? normalize(join(dirname(from), specifier)).replaceAll("\\", "/")
            : specifier;
          edges.push({ from, to, typeOnly });
        }
      }
    }
  };
  walk(root);
  return edges.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** The cycles of a directed graph, each as a list of nodes (first repeated at the end). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const out: string[][] = [];
  const state = new Map<string, number>(); // 1 on the stack, 2 done
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of [...(graph.get(n) ?? [])].sort()) {
      if (state.get(m) === 1) out.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return out;
}

/**
 * The problems of a set of import edges under a matrix, one line each: an import
 * leaving `lib/`, a folder importing one the matrix does not allow (or a folder missing
 * from the matrix), a private file imported from another folder, a cycle between
 * folders, a cycle between files (type-only imports excluded: they are erased at run
 * time), and a cycle in the matrix itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLayers } from "./layers.ts";
 * const matrix = { core: [], dataset: ["core"] };
 * assert.deepEqual(checkLayers([
 *   { from: "lib/dataset/a.ts", to: "lib/core/b.ts", typeOnly: false },
 * ], matrix), []);
 * assert.deepEqual(checkLayers([
 *   { from: "lib/core/b.ts", to: "lib/dataset/a.ts", typeOnly: false },
 * ], matrix), ["lib/core/b.ts imports lib/dataset/a.ts: core may not import dataset"]);
 * ```
 */
export function checkLayers(edges: readonly ImportEdge[], matrix: LayerMatrix): string[] {
  const problems: string[] = [];
  const folders = new Map<string, Set<string>>();
  const files = new Map<string, Set<string>>();
  const link = (g: Map<string, Set<string>>, a: string, b: string) => {
    let s = g.get(a);
    if (!s) g.set(a, s = new Set());
    s.add(b);
  };
  for (const { from, to, typeOnly } of edges) {
    const fa = area(from);
    // bare specifiers: node:, npm: and the import map's packages (jpeg-js, @scope/name)
    if (/^[a-z]+:/.test(to) || to.startsWith("@") || !to.includes("/")) continue;
    const ta = area(to);
    if (ta === undefined) {
      problems.push(`${from} imports ${to}: outside lib/`);
      continue;
    }
    if (fa === undefined) continue;
    if (!(fa in matrix)) problems.push(`${from}: folder ${fa} is not in the matrix`);
    else if (fa !== ta && !matrix[fa].includes(ta)) {
      problems.push(`${from} imports ${to}: ${fa} may not import ${ta}`);
    }
    const name = to.slice(to.lastIndexOf("/") + 1);
    if (name.startsWith("_") && dirname(to) !== dirname(from)) {
      problems.push(`${from} imports ${to}: private to ${dirname(to)}/`);
    }
    if (fa !== ta) link(folders, fa, ta);
    if (!typeOnly) link(files, from, to);
  }
  for (const c of cycles(folders)) problems.push(`folder cycle: ${c.join(" -> ")}`);
  for (const c of cycles(files)) problems.push(`file cycle: ${c.join(" -> ")}`);
  const allowed = new Map(Object.entries(matrix).map(([k, v]) => [k, new Set(v)]));
  for (const c of cycles(allowed)) problems.push(`matrix cycle: ${c.join(" -> ")}`);
  return problems;
}

/** The committed matrix, `lib/layers.json`. */
export function readMatrix(): LayerMatrix {
  const url = new URL("../lib/layers.json", import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url)).mayImport as LayerMatrix;
}

if (import.meta.main) {
  const problems = checkLayers(
    collectImports(new URL("../lib", import.meta.url).pathname),
    readMatrix(),
  );
  for (const p of problems) console.log(p);
  console.log(`${problems.length} problems`);
  if (problems.length) Deno.exit(1);
}
