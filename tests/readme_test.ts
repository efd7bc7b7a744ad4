/**
 * The README's TypeScript examples run as written: every ```ts block (not marked `ignore`) is
 * type-checked and run in a temporary folder that holds a link to `fixtures/`. Imports of the
 * package by name (`@dicom-deno/dicom`, `jsr:@dicom-deno/dicom@^0.2.0/pixels`) resolve through
 * the "exports" of `deno.json`, and `./mod.ts` to the repository's root module.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../", import.meta.url);
const README = Deno.readTextFileSync(new URL("README.md", ROOT));
const CONFIG = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT))) as {
  name: string;
  exports: Record<string, string>;
};

/** The ```ts blocks of a Markdown text that are not marked `ignore`. */
function tsBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(re)) {
    if (!/\bignore\b/.test(m[2])) blocks.push(m[3]);
  }
  return blocks;
}

/** Points the package's imports at the repository's files, as file URLs. */
function resolveImports(code: string): string {
  const name = CONFIG.name.replace(/[/]/g, "\\/");
  const byName = new RegExp(`(["'])(?:jsr:)?${name}(?:@[^/"']+)?(/[\\w-]+)?\\1`, "g");
  return code
    .replace(byName, (_m, q: string, sub: string | undefined) => {
      const target = CONFIG.exports[sub ? `.${sub}` : "."];
      assert.ok(
        target,
        `the README imports ${CONFIG.name}${sub ?? ""}, which deno.json does not export`,
      );
      return `${q}${new URL(target, ROOT).href}${q}`;
    })
    .replace(
      /(["'])\.\/(mod\.ts|lib\/[\w/.-]+\.ts)\1/g,
      (_m, q: string, path: string) => `${q}${new URL(path, ROOT).href}${q}`,
    );
}

Deno.test("readme: the import rewriting follows deno.json exports", () => {
  const code = resolveImports(
    'import { a } from "jsr:@dicom-deno/dicom@^0.2.0/pixels";\nimport { b } from "@dicom-deno/dicom";',
  );
  assert.equal(
    code,
    `import { a } from "${new URL("lib/pixels/mod.ts", ROOT).href}";\n` +
      `import { b } from "${new URL("mod.ts", ROOT).href}";`,
  );
  assert.throws(() => resolveImports('import { c } from "@dicom-deno/dicom/nothing";'));
});

Deno.test("readme: it has TypeScript examples", () => {
  assert.ok(tsBlocks(README).length >= 2, "the README shows how to use the package");
});

async function ensureFixtures(): Promise<void> {
  try {
    Deno.statSync(new URL("fixtures/ct_small.dcm", ROOT));
    return;
  } catch {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/make_fixtures.ts", "--if-missing"],
      cwd: ROOT,
      stdout: "null",
    }).output();
    assert.equal(code, 0, "make_fixtures failed");
  }
}

for (const [i, block] of tsBlocks(README).entries()) {
  const first = block.split("\n").find((l) => l.startsWith("import {")) ?? block.split("\n")[0];
  Deno.test(`readme: example ${i + 1} (${first.slice(0, 60)}) type-checks and runs`, async () => {
    await ensureFixtures();
    const dir = await Deno.makeTempDir({ prefix: "dicom-deno-readme-" });
    try {
      Deno.symlinkSync(fileURLToPath(new URL("fixtures", ROOT)), `${dir}/fixtures`);
      Deno.writeTextFileSync(`${dir}/example.ts`, resolveImports(block));
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--check", "--no-config", "-A", "example.ts"],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `README example ${i + 1} failed:\n${stderr}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
