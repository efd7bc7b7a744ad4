/**
 * The package as others get it: licence, version and changelog agree, the entry points are
 * the exports of deno.json, tests and tools stay out of the published files, and a project
 * elsewhere that imports the toolkit by path decodes JPEG-LS and JPEG 2000 and encodes JPEG
 * (the WebAssembly codecs load from their npm packages).
 */
import assert from "node:assert/strict";
import { entryPoints, readEntryPoints } from "../tools/entry_points.ts";

const ROOT = new URL("../", import.meta.url);
const CONFIG = JSON.parse(Deno.readTextFileSync(new URL("deno.json", ROOT))) as {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
  publish: { exclude: string[] };
};

Deno.test("package: MIT licence in deno.json and LICENSE", () => {
  assert.equal(CONFIG.license, "MIT");
  const text = Deno.readTextFileSync(new URL("LICENSE", ROOT));
  assert.match(text, /^MIT License\n/);
  const notices = Deno.readTextFileSync(new URL("THIRD_PARTY_NOTICES.md", ROOT));
  for (const lib of ["CharLS", "OpenJPEG", "libjpeg-turbo", "OpenJPH"]) {
    assert.ok(notices.includes(lib), `THIRD_PARTY_NOTICES.md names ${lib}`);
  }
});

Deno.test("package: the version is semver and the changelog has its section", () => {
  assert.match(CONFIG.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  const changelog = Deno.readTextFileSync(new URL("CHANGELOG.md", ROOT));
  assert.ok(
    changelog.includes(`\n## ${CONFIG.version}\n`),
    `CHANGELOG.md has a "## ${CONFIG.version}" section`,
  );
});

Deno.test("package: entry points are the exports of deno.json", () => {
  assert.deepEqual(readEntryPoints(), Object.values(CONFIG.exports).map((p) => p.slice(2)));
  assert.deepEqual(entryPoints({ exports: "./mod.ts" }), ["mod.ts"]);
  assert.throws(() => entryPoints({}), /no exports/);
  for (const path of readEntryPoints()) Deno.statSync(new URL(path, ROOT));
});

Deno.test("package: tests, bench, notebooks, fixtures and tools are not published", () => {
  for (const dir of ["tests/", "bench/", "notebooks/", "fixtures/", "tools/"]) {
    assert.ok(CONFIG.publish.exclude.includes(dir), `publish.exclude has ${dir}`);
  }
});

Deno.test("package: a project elsewhere imports it by path and the WebAssembly codecs load", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dicom-deno-consumer-" });
  try {
    const pixels = new URL(CONFIG.exports["./pixels"], ROOT).href;
    const image = new URL(CONFIG.exports["./image"], ROOT).href;
    Deno.writeTextFileSync(
      `${dir}/main.ts`,
      `import { codecFor, decodeJpeg } from "${pixels}";
import { encodeJpeg } from "${image}";
const info = {
  rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16,
  pixelRepresentation: 1, planarConfiguration: 0, photometricInterpretation: "MONOCHROME2",
};
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
const jls = bytes("ffd8fff7000b100002000201011100fff8000d01ffff0012004301140040ffda0008010100" +
  "0000003e73e7907cabe0ffd9");
const j2k = bytes("ff4fff510029000000000002000000020000000000000000000000020000000200000000" +
  "0000000000018f0101ff52000c00020001000004040001ff5c00044080ff90000a00000000" +
  "00180001ff93c0fe41800eb22db4a09fffd9");
const ls = codecFor("1.2.840.10008.1.2.4.80")!.decode(jls, info);
const j2 = codecFor("1.2.840.10008.1.2.4.90")!.decode(j2k, info);
const rgb = new Uint8Array(16 * 16 * 3).fill(128);
const jpg = decodeJpeg(encodeJpeg(rgb, { width: 16, height: 16, channels: 3, encoder: "libjpeg-turbo" }));
console.log(JSON.stringify([Array.from(ls), Array.from(j2), jpg.components, jpg.data[0]]));
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--allow-read", "main.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), [
      [-1000, 0, 40, 1200],
      [-1000, 0, 40, 1200],
      3,
      128,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
