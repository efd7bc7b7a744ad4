// Every optional field of every exported `...Options` interface or type, in every entry point
// of deno.json "exports" (tools/entry_points.ts), states its default with a `@default {value}`
// tag that `deno doc` understands, so the reference shows what an absent field means.
// Exempt: callbacks (function types, optional methods) and `AbortSignal`s, whose absence
// only means "not called" or "never aborted". `@default {undefined}` must say what then
// happens (`@default {undefined} (every frame)`). The checker is shown to fail on planted
// declarations too.

import assert from "node:assert/strict";
import { readEntryPoints } from "../tools/entry_points.ts";
import { denoDocJson } from "./_deno_doc.ts";

const ROOT = new URL("../", import.meta.url);

interface DocLocation {
  filename: string;
  line: number;
  col: number;
}
interface DocTag {
  kind: string;
  value?: string;
  doc?: string;
}
interface TsType {
  kind: string;
  repr?: string;
  value?: unknown;
}
interface DocProperty {
  name: string;
  optional?: boolean;
  location: DocLocation;
  jsDoc?: { doc?: string; tags?: DocTag[] };
  tsType?: TsType;
}
interface DocDeclaration {
  kind: string;
  location: DocLocation;
  def?: { properties?: DocProperty[]; tsType?: TsType };
}
/** The part of `deno doc --json`'s output read here. */
interface DocJson {
  nodes: Record<string, { symbols: { name: string; declarations: DocDeclaration[] }[] }>;
}

/** Whether a field of type `t` is a callback or an `AbortSignal` (exempt from `@default`). */
function exempt(t: TsType | undefined): boolean {
  if (t === undefined) return false;
  switch (t.kind) {
    case "fnOrConstructor":
      return true;
    case "parenthesized":
      return exempt(t.value as TsType);
    case "typeRef":
      return (t.value as { typeName?: string }).typeName === "AbortSignal";
    case "union": {
      // `(() => void) | null`: a callback or nothing
      const members = (t.value as TsType[]).filter((m) =>
        !(m.kind === "keyword" && (m.value === "undefined" || m.value === "null"))
      );
      return members.length > 0 && members.every(exempt);
    }
    default:
      return false;
  }
}

/** The fields of a type alias's type: its object literals, also inside intersections. */
function literalProperties(t: TsType | undefined): DocProperty[] {
  if (t === undefined) return [];
  if (t.kind === "typeLiteral") return (t.value as { properties?: DocProperty[] }).properties ?? [];
  if (t.kind === "intersection") return (t.value as TsType[]).flatMap(literalProperties);
  if (t.kind === "parenthesized") return literalProperties(t.value as TsType);
  return [];
}

/** Why `field`'s documentation lacks a usable default, or undefined when it has one. */
function problem(field: DocProperty): string | undefined {
  const tags = field.jsDoc?.tags ?? [];
  // deno doc only reads `@default {value} text`; `@default value` is an unsupported tag
  if (tags.some((t) => t.kind === "unsupported" && /^@default\b/.test(t.value ?? ""))) {
    return "@default without braces (write @default {value})";
  }
  const tag = tags.find((t) => t.kind === "default");
  if (tag) {
    const value = (tag.value ?? "").trim();
    // `@default {{}}` is read as the value `{` (the first `}` ends it)
    if (value.split("{").length !== value.split("}").length) {
      return "a brace inside @default {value} ends the value early";
    }
    const bare = value === "undefined" && !(tag.doc ?? "").trim();
    return bare ? "@default {undefined} without saying what happens then" : undefined;
  }
  return exempt(field.tsType) ? undefined : "no @default";
}

/** One field lacking its default: `Interface.field`, where, and what is wrong. */
interface Offence {
  field: string;
  at: string;
  problem: string;
}

/**
 * The optional fields of the `...Options` interfaces and type aliases declared in `doc`
 * (each declaration once, however many entry points re-export it) that lack a default,
 * with paths relative to `root`.
 */
function offences(doc: DocJson, root: URL): { checked: string[]; offences: Offence[] } {
  const seen = new Set<string>();
  const checked: string[] = [];
  const found: Offence[] = [];
  const relative = (l: DocLocation) =>
    `${
      l.filename.startsWith(root.href) ? l.filename.slice(root.href.length) : l.filename
    }:${l.line}`;
  for (const node of Object.values(doc.nodes)) {
    for (const symbol of node.symbols) {
      if (!symbol.name.endsWith("Options")) continue;
      for (const d of symbol.declarations) {
        if (d.kind !== "interface" && d.kind !== "typeAlias") continue; // references included
        const key = `${d.location.filename}:${d.location.line}:${d.location.col}`;
        if (seen.has(key)) continue;
        seen.add(key);
        checked.push(symbol.name);
        const fields = d.kind === "interface"
          ? d.def?.properties ?? []
          : literalProperties(d.def?.tsType);
        for (const field of fields) {
          if (!field.optional) continue;
          const why = problem(field);
          if (why) {
            found.push({
              field: `${symbol.name}.${field.name}`,
              at: relative(field.location),
              problem: why,
            });
          }
        }
      }
    }
  }
  return { checked, offences: found };
}

Deno.test("option defaults: every optional field of every exported ...Options has @default", async () => {
  const files = readEntryPoints();
  const doc = await denoDocJson(files) as DocJson;
  for (const file of files) {
    assert.ok(doc.nodes[new URL(file, ROOT).href], `deno doc said nothing of ${file}`);
  }
  const { checked, offences: found } = offences(doc, ROOT);
  assert.ok(checked.length >= 40, `only ${checked.length} Options types found`);
  assert.ok(checked.includes("RenderOptions") && checked.includes("DicomWebOptions"));
  const lines = found.map((o) => `  ${o.field} (${o.at}): ${o.problem}`);
  assert.equal(
    found.length,
    0,
    `${found.length} optional fields of exported Options lack a default:\n${lines.join("\n")}`,
  );
});

Deno.test("option defaults: the checker finds planted fields without a default", () => {
  const root = new URL("file:///repo/");
  const at = (line: number) => ({ filename: "file:///repo/lib/x/a.ts", line, col: 2 });
  const number: TsType = { kind: "keyword", repr: "number", value: "number" };
  const fn: TsType = { kind: "fnOrConstructor", value: {} };
  const field = (name: string, line: number, extra: Partial<DocProperty> = {}): DocProperty => ({
    name,
    optional: true,
    location: at(line),
    tsType: number,
    ...extra,
  });
  const withTag = (tag: DocTag) => ({ jsDoc: { doc: "", tags: [tag] } });
  const interfaceDecl: DocDeclaration = {
    kind: "interface",
    location: at(1),
    def: {
      properties: [
        field("good", 2, withTag({ kind: "default", value: "1" })),
        field("missing", 3),
        field("unbraced", 4, withTag({ kind: "unsupported", value: "@default 1" })),
        field("bare", 5, withTag({ kind: "default", value: "undefined" })),
        field("explained", 6, withTag({ kind: "default", value: "undefined", doc: "(none)" })),
        field("required", 7, { optional: false }),
        field("onProgress", 8, { tsType: fn }),
        field("maybe", 9, {
          tsType: {
            kind: "union",
            value: [{ kind: "parenthesized", value: fn }, { kind: "keyword", value: "null" }],
          },
        }),
        field("signal", 10, { tsType: { kind: "typeRef", value: { typeName: "AbortSignal" } } }),
        field("onWarning", 11, {
          tsType: fn,
          ...withTag({ kind: "unsupported", value: "@default undefined (nobody is told)" }),
        }),
        field("empty", 12, withTag({ kind: "default", value: "{" })),
      ],
    },
  };
  const aliasDecl: DocDeclaration = {
    kind: "typeAlias",
    location: at(20),
    def: {
      tsType: {
        kind: "intersection",
        value: [
          { kind: "typeRef", value: { typeName: "AOptions" } },
          { kind: "typeLiteral", value: { properties: [field("extra", 21)] } },
        ],
      },
    },
  };
  const doc: DocJson = {
    nodes: {
      "file:///repo/mod.ts": {
        symbols: [
          { name: "AOptions", declarations: [interfaceDecl] },
          { name: "BOptions", declarations: [aliasDecl] },
          { name: "NotOptionsAtAll", declarations: [{ ...interfaceDecl, location: at(30) }] },
        ],
      },
      "file:///repo/lib/x/mod.ts": {
        symbols: [
          { name: "AOptions", declarations: [interfaceDecl] }, // the same declaration again
          {
            name: "AOptions",
            declarations: [{ kind: "reference", location: at(40), def: {} }],
          },
        ],
      },
    },
  };
  const { checked, offences: found } = offences(doc, root);
  assert.deepEqual(checked, ["AOptions", "BOptions"]);
  assert.deepEqual(found, [
    { field: "AOptions.missing", at: "lib/x/a.ts:3", problem: "no @default" },
    {
      field: "AOptions.unbraced",
      at: "lib/x/a.ts:4",
      problem: "@default without braces (write @default {value})",
    },
    {
      field: "AOptions.bare",
      at: "lib/x/a.ts:5",
      problem: "@default {undefined} without saying what happens then",
    },
    {
      field: "AOptions.onWarning",
      at: "lib/x/a.ts:11",
      problem: "@default without braces (write @default {value})",
    },
    {
      field: "AOptions.empty",
      at: "lib/x/a.ts:12",
      problem: "a brace inside @default {value} ends the value early",
    },
    { field: "BOptions.extra", at: "lib/x/a.ts:21", problem: "no @default" },
  ]);
});
