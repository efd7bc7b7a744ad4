/**
 * The streamed multipart/related parser: parts come out the same however the body is cut
 * into chunks, with or without Content-Length, after a preamble; a body cut short is a
 * TruncatedError naming the part. And the client keeps tokens out of its messages.
 */
import assert from "node:assert/strict";
import { MalformedError, TruncatedError } from "../lib/core/errors.ts";
import {
  boundaryOf,
  dicomweb,
  DicomWebError,
  encodeMultipart,
  readMultipart,
} from "../lib/dicomweb/mod.ts";

const enc = new TextEncoder();

function streamOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const c of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(from, c));
    from = c;
  }
  return new ReadableStream({
    pull(controller) {
      const p = pieces.shift();
      if (p) controller.enqueue(p);
      else controller.close();
    },
  });
}

async function bodies(stream: ReadableStream<Uint8Array>, boundary: string): Promise<number[][]> {
  const out: number[][] = [];
  for await (const part of readMultipart(stream, boundary)) out.push([...part.body]);
  return out;
}

function withoutLengths(bytes: Uint8Array): Uint8Array {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return Uint8Array.from(text.replace(/Content-Length: \d+\r\n/g, ""), (c) => c.charCodeAt(0));
}

// part bodies that contain CR LF, dashes and a near-boundary
const PARTS = [
  enc.encode("\r\n--b1\r\n-b0--\r\n-"),
  new Uint8Array([13, 10, 45, 45, 98, 0, 255, 13, 10, 45]),
  new Uint8Array(0),
  enc.encode("last"),
];

Deno.test("readMultipart: the same parts for every cut of the body into two and three chunks", async () => {
  const expected = PARTS.map((p) => [...p]);
  for (const lengths of [true, false]) {
    const full = encodeMultipart(
      PARTS.map((body) => ({ contentType: "application/dicom", body })),
      "b0",
    );
    const body = lengths ? full : withoutLengths(full);
    for (let i = 0; i <= body.length; i++) {
      assert.deepEqual(await bodies(streamOf(body, [i]), "b0"), expected, `cut at ${i}`);
      const j = Math.min(body.length, i + 7);
      assert.deepEqual(await bodies(streamOf(body, [i, j]), "b0"), expected, `cut ${i} ${j}`);
    }
  }
});

Deno.test("readMultipart: a preamble before the first boundary is skipped", async () => {
  const body = new Uint8Array([
    ...enc.encode("this is a preamble\r\n"),
    ...encodeMultipart([{ contentType: "application/dicom", body: enc.encode("x") }], "B"),
  ]);
  assert.deepEqual(await bodies(streamOf(body, [5]), "B"), [[120]]);
});

Deno.test("readMultipart: a body cut short says which part", async () => {
  const full = encodeMultipart(
    PARTS.map((body) => ({ contentType: "application/dicom", body })),
    "b0",
  );
  const inSecond = full.indexOf(255) - 1;
  for (const body of [full, withoutLengths(full)]) {
    const cut = body === full ? inSecond : withoutLengths(full.subarray(0, inSecond)).length;
    await assert.rejects(
      () => bodies(streamOf(body.subarray(0, cut), []), "b0"),
      (e) => e instanceof TruncatedError && /ends inside part 1/.test(e.message),
    );
  }
  // the closing boundary missing
  const open = full.subarray(0, full.length - 6);
  await assert.rejects(() => bodies(streamOf(open, []), "b0"), TruncatedError);
  // a part longer than its Content-Length
  const text = String.fromCharCode(...full).replace(
    "Content-Length: 4\r\n",
    "Content-Length: 2\r\n",
  );
  await assert.rejects(
    () => bodies(streamOf(Uint8Array.from(text, (c) => c.charCodeAt(0)), []), "b0"),
    (e) =>
      e instanceof MalformedError && /part 3 does not end where its content-length/.test(e.message),
  );
});

Deno.test("boundaryOf: quoted and bare boundaries", () => {
  assert.equal(boundaryOf('multipart/related; type="application/dicom"; boundary="a b"'), "a b");
  assert.equal(boundaryOf("multipart/related; boundary=xyz; type=x"), "xyz");
  assert.equal(boundaryOf("application/dicom"), undefined);
});

Deno.test("client: a bearer token is sent, and kept out of errors and inspection", async () => {
  const token = "tok-very-secret-123";
  const seen: (string | null)[] = [];
  const client = dicomweb("https://pacs.example/dicom-web", {
    auth: { token },
    retryDelay: 1,
    fetch: (_url, init) => {
      seen.push(new Headers(init?.headers).get("Authorization"));
      return Promise.resolve(new Response(`bad token ${token}`, { status: 403 }));
    },
  });
  const e = await client.retrieveMetadata({ study: "1.2" }).catch((e) => e);
  assert.ok(e instanceof DicomWebError);
  assert.equal(
    e.message,
    "forbidden: GET https://pacs.example/dicom-web/studies/1.2/metadata gave 403 (bad token ***)",
  );
  assert.deepEqual(seen, [`Bearer ${token}`]);
  assert.ok(!Deno.inspect(client).includes(token));
  assert.ok(!JSON.stringify(client).includes(token));
});

Deno.test("client: credentials come from the environment when not given", async () => {
  const seen: (string | null)[] = [];
  const fake = (_url: string | URL | Request, init?: RequestInit) => {
    seen.push(new Headers(init?.headers).get("Authorization"));
    return Promise.resolve(Response.json([]));
  };
  Deno.env.set("DICOMWEB_USER", "envuser");
  Deno.env.set("DICOMWEB_PASSWORD", "envpass");
  try {
    for await (const _ of dicomweb("http://h/dw", { fetch: fake }).searchStudies()) { /* none */ }
    Deno.env.set("DICOMWEB_TOKEN", "envtoken");
    for await (const _ of dicomweb("http://h/dw", { fetch: fake }).searchStudies()) { /* none */ }
    for await (const _ of dicomweb("http://h/dw", { fetch: fake, auth: null }).searchStudies()) {
      /* none */
    }
  } finally {
    Deno.env.delete("DICOMWEB_USER");
    Deno.env.delete("DICOMWEB_PASSWORD");
    Deno.env.delete("DICOMWEB_TOKEN");
  }
  assert.deepEqual(seen, [`Basic ${btoa("envuser:envpass")}`, "Bearer envtoken", null]);
});
