/**
 * The pieces of the fast pull, without a server: the header walk that names a retrieved
 * file (`lib/dicomweb/_header.ts`) gives the strict reader's SOP Instance UID and tree path
 * for every corpus file and fixture it vouches for, and refuses every file cut short,
 * padded or broken (the strict reader then says why); the multipart reader fed straight
 * from a socket-like source (`into`), with one array reused for every part, gives the
 * same parts for every cut of the body.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { MalformedError, TruncatedError } from "../lib/core/errors.ts";
import { encodeMultipart } from "../lib/dicomweb/mod.ts";
import { scanPart10, sopInstanceOfFile } from "../lib/dicomweb/_header.ts";
import { type PartSource, readParts } from "../lib/dicomweb/_parts.ts";
import { treePath } from "../lib/dicomweb/_tree.ts";
import { parse, write } from "../lib/io/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { CORPUS_FILES, corpusMissing } from "./_corpus.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function part10Files(): string[] {
  const out: string[] = [];
  const phantom = `${ROOT}fixtures/ct_phantom`;
  try {
    for (const e of Deno.readDirSync(phantom)) {
      if (e.name.startsWith("IM")) out.push(`${phantom}/${e.name}`);
    }
  } catch {
    console.warn("!!! fixtures missing (deno task fixtures): the phantom is not checked !!!");
  }
  if (!corpusMissing()) {
    for (const e of Deno.readDirSync(CORPUS_FILES)) {
      if (e.isFile && e.name.endsWith(".dcm")) out.push(`${CORPUS_FILES}/${e.name}`);
    }
  }
  return out.sort();
}

/** The strict reader's answer, or undefined when it refuses the bytes. */
function strict(bytes: Uint8Array): { uid: string; rel: string } | undefined {
  try {
    const ds = parse(bytes, { strict: true });
    return { uid: String(ds.SOPInstanceUID ?? ""), rel: treePath(ds) };
  } catch {
    return undefined;
  }
}

Deno.test("scanPart10: the strict reader's names for every file it reads; cut or padded files refused", () => {
  const files = part10Files();
  assert.ok(files.length >= 10, `only ${files.length} files`);
  let vouched = 0, refused = 0;
  for (const path of files) {
    const bytes = Deno.readFileSync(path);
    const names = scanPart10(bytes);
    if (!names) continue;
    vouched++;
    assert.deepEqual(names, strict(bytes), path);
    // a file cut anywhere, or with a byte too many: never vouched for when the strict
    // reader refuses it (a cut that ends on an element boundary is a whole file)
    const variants: [string, Uint8Array][] = [];
    for (const cut of [1, 2, 1000, Math.floor(bytes.length / 3)]) {
      if (cut >= bytes.length / 2) continue;
      const mid = Math.floor(bytes.length / 2);
      const shorter = new Uint8Array(bytes.length - cut);
      shorter.set(bytes.subarray(0, mid));
      shorter.set(bytes.subarray(mid + cut), mid);
      variants.push([`without ${cut} bytes in the middle`, shorter]);
      variants.push([`without its last ${cut} bytes`, bytes.subarray(0, bytes.length - cut)]);
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    variants.push(["with a byte more", longer]);
    for (const [what, variant] of variants) {
      const got = scanPart10(variant);
      if (got) assert.deepEqual(got, strict(variant), `${path} ${what}`);
      else refused++;
    }
  }
  assert.ok(refused >= vouched * 5, `refused ${refused} broken variants of ${vouched} files`);
  // the phantom (explicit VR little endian) at least; with the corpus, its explicit files
  assert.ok(vouched >= Math.min(files.length, 10), `vouched for ${vouched} of ${files.length}`);
});

Deno.test("scanPart10: implicit VR, big endian, deflated and no preamble are left to the reader", () => {
  const ct = `${ROOT}fixtures/ct_phantom/IM000001`;
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(ct);
  } catch {
    if (Deno.env.get("CI") === "true") throw new Error(`${ct} missing`);
    console.warn("!!! fixtures missing (deno task fixtures): SKIPPING !!!");
    return;
  }
  assert.ok(scanPart10(bytes));
  assert.equal(scanPart10(bytes.subarray(132)), undefined, "no preamble");
  // the same file said to be implicit VR: the walk does not guess
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 400));
  const at = text.indexOf("1.2.840.10008.1.2.1");
  assert.ok(at > 0);
  const implicit = bytes.slice();
  implicit.set(new TextEncoder().encode("1.2.840.10008.1.2\0\0"), at);
  assert.equal(scanPart10(implicit), undefined);
});

/** A source that hands out `pieces` one by one and fills arrays straight from them. */
function socketLike(bytes: Uint8Array, step: number): PartSource & { calls: number } {
  let at = 0;
  const block = new Uint8Array(step);
  const source = {
    calls: 0,
    next(): Promise<Uint8Array | null> {
      source.calls++;
      if (at >= bytes.length) return Promise.resolve(null);
      const n = Math.min(step, bytes.length - at);
      block.set(bytes.subarray(at, at + n)); // reused, as the socket reader's block
      at += n;
      return Promise.resolve(block.subarray(0, n));
    },
    into(out: Uint8Array): Promise<number> {
      source.calls++;
      const n = Math.min(out.length, bytes.length - at);
      out.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
    cancel() {},
  };
  return source;
}

Deno.test("readParts: read straight into one reused array, the same parts for every block size", async () => {
  const parts = [
    new TextEncoder().encode("\r\n--b1\r\n-b0--\r\n-"),
    new Uint8Array(300).map((_, i) => i * 7),
    new Uint8Array(0),
    new TextEncoder().encode("last"),
  ];
  const body = encodeMultipart(
    parts.map((b) => ({ contentType: "application/dicom", body: b })),
    "b0",
  );
  for (let step = 1; step <= body.length + 1; step += step < 40 ? 1 : 37) {
    let reused = new Uint8Array(0);
    let grown = 0;
    const got: number[][] = [];
    for await (
      const p of readParts(socketLike(body, step), "b0", {
        buffer: (n) => reused.length >= n ? reused : (grown++, reused = new Uint8Array(n)),
      })
    ) got.push([...p.body]);
    assert.deepEqual(got, parts.map((p) => [...p]), `blocks of ${step}`);
    assert.ok(grown <= 2, "the array is reused");
  }
  // cut short inside a part, or a part longer than its Content-Length
  await assert.rejects(async () => {
    for await (const _ of readParts(socketLike(body.subarray(0, 150), 64), "b0")) { /* */ }
  }, TruncatedError);
  const text = new TextDecoder("latin1").decode(body).replace(
    "Content-Length: 300",
    "Content-Length: 299",
  );
  const wrong = Uint8Array.from(text, (c) => c.charCodeAt(0));
  await assert.rejects(async () => {
    for await (const _ of readParts(socketLike(wrong, 64), "b0")) { /* */ }
  }, MalformedError);
});

Deno.test("sopInstanceOfFile: the header's first 16 KiB, else the file; absent and unreadable", async () => {
  const dir = Deno.makeTempDirSync();
  const short = makeCtSlice(0, { size: 8 });
  // a header longer than the part read first: the SOP Instance UID after 20 KB of
  // Image Type values (the strict parse of the first part is cut short), and before it
  const long = makeCtSlice(1, { size: 8 });
  long.set("ImageType", Array.from({ length: 4000 }, (_, i) => `T${i}`), { validation: "ignore" });
  const late = makeCtSlice(2, { size: 8 });
  late.set("ImageComments", "x".repeat(40_000), { validation: "ignore" });
  const cases: [string, Uint8Array, string | undefined][] = [
    ["short", write(short), String(short.SOPInstanceUID)],
    ["long", write(long), String(long.SOPInstanceUID)],
    ["late", write(late), String(late.SOPInstanceUID)],
    ["garbage", new Uint8Array(300).fill(7), ""],
  ];
  for (const [name, bytes] of cases) Deno.writeFileSync(`${dir}/${name}`, bytes);
  assert.ok(cases[1][1].length > 20_000);
  for (const [name, , uid] of cases) {
    assert.equal(await sopInstanceOfFile(`${dir}/${name}`), uid, name);
  }
  assert.equal(await sopInstanceOfFile(`${dir}/absent`), undefined);
  Deno.removeSync(dir, { recursive: true });
});
