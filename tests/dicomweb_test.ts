/**
 * The DICOMweb client against a real server: Debian's Orthanc with its DICOMweb plugin,
 * started on 127.0.0.1 at a free port with authentication on. Pushes the fixtures and
 * the corpus's images, searches them back by patient, date range and modality, pulls
 * them and compares byte for byte (and transfer syntax) with what was pushed; then
 * faults through a local proxy: server down, 401, 404, 500, 503 retried, a connection
 * dropped inside a multipart response, a truncated part.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { DicomWebError } from "../lib/core/errors.ts";
import { dicomweb, type DicomWebClient, type DicomWebProgress } from "../lib/dicomweb/mod.ts";
import { parse, read } from "../lib/io/mod.ts";
import { CORPUS_FILES, corpusMissing, manifest } from "./_corpus.ts";
import { freePort, orthancMissing, type OrthancServer, startOrthanc } from "../tools/orthanc.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PHANTOM = `${ROOT}fixtures/ct_phantom`;

/** A pushed file: where it is, and the header fields the test searches by. */
interface Pushed {
  path: string;
  bytes: Uint8Array;
  sop: string;
  study: string;
  series: string;
  patientID: string;
  studyDate: string;
  modality: string;
  transferSyntax: string;
}

/**
 * Corpus files Orthanc 1.10 will not store: `SC_rgb_jpeg.dcm` is implicit VR in an
 * explicit VR file ("Cannot parse an invalid DICOM file"); `explicit_VR-UN.dcm` keeps its
 * UIDs in sequences of VR UN, and the DICOMweb plugin says "STOW-RS: Missing a mandatory
 * tag in incoming DICOM file".
 */
const REFUSED_BY_ORTHANC = ["SC_rgb_jpeg.dcm", "explicit_VR-UN.dcm"];

async function ensureFixtures(): Promise<void> {
  try {
    Deno.statSync(`${PHANTOM}/DICOMDIR`);
  } catch {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}scripts/make_fixtures.ts`, "--if-missing"],
      cwd: ROOT,
      stdout: "null",
    }).output();
    assert.ok(out.success, "make_fixtures failed");
  }
}

function describe(path: string): Pushed {
  const bytes = Deno.readFileSync(path);
  const ds = parse(bytes, { stopBeforePixels: true });
  return {
    path,
    bytes,
    sop: String(ds.SOPInstanceUID ?? ""),
    study: String(ds.StudyInstanceUID ?? ""),
    series: String(ds.SeriesInstanceUID ?? ""),
    patientID: String(ds.PatientID ?? ""),
    studyDate: String(ds.StudyDate ?? ""),
    modality: String(ds.Modality ?? ""),
    transferSyntax: ds.transferSyntaxUID ?? "",
  };
}

/** The fixtures' phantom series and the corpus's Part 10 images, one file per SOP Instance UID. */
function inputs(): Pushed[] {
  const paths = [...Deno.readDirSync(PHANTOM)]
    .filter((e) => e.name.startsWith("IM"))
    .map((e) => `${PHANTOM}/${e.name}`)
    .sort();
  if (!corpusMissing()) {
    for (const row of manifest()) {
      if (!row.pixel_data_element || row.has_file_meta !== "yes") continue;
      if (row.is_dicomdir === "yes" || row.pydicom_read !== "ok") continue;
      paths.push(`${CORPUS_FILES}/${row.path.slice("files/dev/".length)}`);
    }
  }
  const seen = new Set<string>();
  const out: Pushed[] = [];
  for (const p of paths) {
    const d = describe(p);
    if (!d.sop || !d.study || !d.series || seen.has(d.sop)) continue;
    seen.add(d.sop);
    out.push(d);
  }
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of Deno.readDirSync(d)) {
      if (e.isDirectory) walk(`${d}/${e.name}`, `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  try {
    walk(dir, "");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Checks every file under `dir` equals the pushed file of its SOP Instance UID. */
function checkPulled(dir: string, bySop: Map<string, Pushed>): number {
  let n = 0;
  for (const rel of filesUnder(dir)) {
    assert.ok(rel.endsWith(".dcm"), `stray file ${rel}`);
    const bytes = Deno.readFileSync(`${dir}/${rel}`);
    const ds = read(bytes, { stopBeforePixels: true });
    const src = bySop.get(String(ds.SOPInstanceUID));
    assert.ok(src, `${rel}: not pushed`);
    assert.equal(ds.transferSyntaxUID, src.transferSyntax, `${rel}: transfer syntax`);
    assert.ok(sameBytes(bytes, src.bytes), `${rel}: bytes differ from ${src.path}`);
    n++;
  }
  return n;
}

/** What a proxy between the client and Orthanc does to the next responses. */
type Fault =
  | { kind: "pass" }
  | { kind: "status"; status: number; times: number; match: RegExp }
  | { kind: "drop"; afterParts: number; match: RegExp }
  | { kind: "truncate"; part: number; stripLengths: boolean; match: RegExp };

interface Proxy {
  url: string;
  fault: Fault;
  requests: string[];
  close(): Promise<void>;
}

/** A proxy on 127.0.0.1 that forwards to `target` and does what `proxy.fault` says. */
function startProxy(target: string): Proxy {
  const enc = new TextEncoder();
  const proxy: Proxy = {
    url: "",
    fault: { kind: "pass" },
    requests: [],
    close: () => Promise.resolve(),
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const u = new URL(req.url);
    const path = `${u.pathname}${u.search}`;
    proxy.requests.push(path);
    const f = proxy.fault;
    if (f.kind === "status" && f.times > 0 && f.match.test(path)) {
      f.times--;
      return new Response(`{"Message": "injected ${f.status}"}`, {
        status: f.status,
        headers: f.status === 503 || f.status === 429 ? { "Retry-After": "0" } : {},
      });
    }
    const upstream = await fetch(`${target}${path}`, {
      method: req.method,
      headers: req.headers,
      body: req.body,
    });
    if (f.kind === "pass" || f.kind === "status" || !f.match.test(path)) {
      return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
    }
    const body = new Uint8Array(await upstream.arrayBuffer());
    const type = upstream.headers.get("content-type") ?? "";
    const boundary = /boundary=([^;\s]+)/.exec(type)![1];
    const delim = enc.encode(`--${boundary}`);
    const starts: number[] = [];
    for (let i = body.indexOf(delim[0]); i >= 0; i = body.indexOf(delim[0], i + 1)) {
      if (delim.every((b, j) => body[i + j] === b)) starts.push(i);
    }
    if (f.kind === "drop") {
      // send the first parts and half of the next, then break the connection
      const cut = Math.floor((starts[f.afterParts] + starts[f.afterParts + 1]) / 2);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(body.slice(0, cut));
        },
        pull(controller) {
          controller.error(new Error("dropped by the test proxy"));
        },
      });
      const headers = new Headers(upstream.headers);
      headers.delete("content-length");
      return new Response(stream, { status: upstream.status, headers });
    }
    // truncate: remove 1000 bytes from the middle of one part (its Content-Length kept,
    // or every Content-Length removed)
    const mid = Math.floor((starts[f.part] + starts[f.part + 1]) / 2);
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const start of starts) {
      // each part's headers, with or without their Content-Length
      const end = body.indexOf(10, start) + 1;
      let headerEnd = end;
      while (body[headerEnd] !== 13 && headerEnd < body.length) {
        headerEnd = body.indexOf(10, headerEnd) + 1;
      }
      pieces.push(body.subarray(from, end));
      let header = String.fromCharCode(...body.subarray(end, headerEnd));
      if (f.stripLengths) header = header.replace(/Content-Length: \d+\r\n/gi, "");
      pieces.push(enc.encode(header));
      from = headerEnd;
      if (start === starts[f.part]) {
        pieces.push(body.subarray(from, mid));
        from = mid + 1000;
      }
    }
    pieces.push(body.subarray(from));
    const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      out.set(p, at);
      at += p.length;
    }
    const headers = new Headers(upstream.headers);
    headers.delete("content-length");
    return new Response(out, { status: upstream.status, headers });
  });
  proxy.url = `http://127.0.0.1:${server.addr.port}`;
  proxy.close = () => server.shutdown();
  return proxy;
}

function noPartials(dir: string): void {
  assert.deepEqual(filesUnder(dir).filter((f) => !f.endsWith(".dcm")), []);
}

Deno.test("DICOMweb against Orthanc: push, search, pull byte for byte, and faults", async (t) => {
  if (orthancMissing()) return;
  await ensureFixtures();
  let pushed = inputs();
  const bySop = new Map(pushed.map((p) => [p.sop, p]));
  const server: OrthancServer = await startOrthanc();
  const secret = server.password;
  const errors: string[] = [];
  const remember = (e: unknown) => {
    errors.push(String(e), JSON.stringify(e), Deno.inspect(e));
    return e;
  };
  try {
    const events: DicomWebProgress[] = [];
    const client: DicomWebClient = dicomweb(server.dicomweb, {
      auth: { user: server.user, password: server.password },
      onProgress: (e) => events.push(e),
      concurrency: 2,
    });
    const phantom = pushed.filter((p) => p.path.startsWith(PHANTOM));
    const study = phantom[0].study, series = phantom[0].series;

    await t.step("store: the fixtures and the corpus's images, per instance", async () => {
      const report = await client.store(pushed.map((p) => p.path), { batchSize: 8 });
      const failed = report.instances.filter((s) => !s.ok).map((s) =>
        `${s.source.slice(s.source.lastIndexOf("/") + 1)}: ${
          s.failureReason?.toString(16) ?? s.error?.message
        }`
      );
      // Orthanc refuses two corpus files, and says so in the FailedSOPSequence while the
      // rest of their batches is stored: each gets its Failure Reason (A700, "out of
      // resources", Orthanc's reason for everything)
      const refused = corpusMissing() ? [] : REFUSED_BY_ORTHANC.map((f) => `${f}: a700`);
      assert.deepEqual(failed, refused);
      assert.equal(report.stored, pushed.length - refused.length);
      assert.deepEqual(report.instances.map((s) => s.sopInstanceUID), pushed.map((p) => p.sop));
      assert.ok(events.some((e) => e.kind === "store" && e.done === pushed.length));
      for (const s of report.instances) {
        if (!s.ok) bySop.delete(s.sopInstanceUID!);
      }
      pushed = [...bySop.values()];
    });

    await t.step("store: a non-DICOM file fails alone, with its reason", async () => {
      const junk = await Deno.makeTempFile();
      await Deno.writeFile(junk, new Uint8Array(300));
      const report = await client.store([junk, phantom[0].path]);
      assert.equal(report.instances[0].ok, false);
      assert.ok(report.instances[0].error, "an error for the unreadable file");
      assert.equal(report.instances[1].ok, true);
      assert.equal(report.stored, 1);
      await Deno.remove(junk);
    });

    await t.step("searchStudies: by patient, wildcard, date range, modality", async () => {
      const studiesOf = (f: (p: Pushed) => boolean) => sorted(pushed.filter(f).map((p) => p.study));
      const uids = async (it: AsyncIterable<{ StudyInstanceUID?: string | null }>) =>
        sorted((await collect(it)).map((d) => String(d.StudyInstanceUID)));

      assert.deepEqual(
        await uids(client.searchStudies({ PatientID: phantom[0].patientID })),
        studiesOf((p) => p.patientID === phantom[0].patientID),
      );
      assert.deepEqual(
        await uids(client.searchStudies({ PatientID: `${phantom[0].patientID.slice(0, 4)}*` })),
        studiesOf((p) => p.patientID.startsWith(phantom[0].patientID.slice(0, 4))),
      );
      const range = (p: Pushed) => p.studyDate >= "20000101" && p.studyDate <= "20241231";
      const inRange = await uids(client.searchStudies({ StudyDate: "20000101-20241231" }));
      assert.deepEqual(inRange, studiesOf(range));
      assert.ok(inRange.includes(study));
      const mr = await collect(client.searchSeries({ Modality: "MR" }));
      assert.deepEqual(
        sorted(mr.map((d) => String(d.SeriesInstanceUID))),
        sorted(pushed.filter((p) => p.modality === "MR").map((p) => p.series)),
      );
      assert.ok(mr.length > 0);
      assert.deepEqual(
        await uids(client.searchStudies({ ModalitiesInStudy: "CT" })),
        studiesOf((p) => p.modality === "CT"),
      );
    });

    await t.step("searchInstances: paging with limit and offset, includefield", async () => {
      const before = events.length;
      const all = await collect(client.searchInstances({}, { pageSize: 7 }));
      assert.deepEqual(sorted(all.map((d) => String(d.SOPInstanceUID))), sorted(bySop.keys()));
      const pages = events.slice(before).filter((e) => e.kind === "search").length;
      assert.equal(pages, Math.floor(pushed.length / 7) + 1);
      const some = await collect(
        client.searchInstances({}, { study, series, limit: 5, offset: 2, pageSize: 2 }),
      );
      assert.equal(some.length, 5);
      const inSeries = await collect(
        client.searchInstances({}, { study, series, includefield: ["InstanceNumber"] }),
      );
      assert.deepEqual(
        inSeries.map((d) => Number(d.InstanceNumber)).sort((a, b) => a - b),
        phantom.map((_, i) => i + 1),
      );
    });

    await t.step("pull: every study byte for byte into the tutorial's tree", async () => {
      const out = await Deno.makeTempDir();
      const studies = sorted(pushed.map((p) => p.study));
      for (const s of studies) {
        const report = await client.pull({ study: s }, out);
        assert.deepEqual(report.failed, []);
        assert.equal(report.skipped.length, 0);
      }
      assert.equal(checkPulled(out, bySop), pushed.length);
      const tree = filesUnder(out).filter((f) => f.startsWith(`${phantom[0].patientID}/`));
      assert.deepEqual(
        tree,
        phantom.map((_, i) => `${phantom[0].patientID}/20240115/2/${i + 1}.dcm`).sort(),
      );
      const again = await client.pull({ study }, out);
      assert.deepEqual([again.written.length, again.skipped.length], [0, phantom.length]);
      await Deno.remove(out, { recursive: true });
    });

    await t.step("pull: a new folder gets the names a planned pull gives, per study", async () => {
      // each study into a new folder (one response per series, names from the files'
      // headers) and into a folder with a file already (names planned from QIDO-RS)
      const base = await Deno.makeTempDir();
      for (const [i, s] of sorted(pushed.map((p) => p.study)).entries()) {
        const fresh = `${base}/new${i}`, planned = `${base}/planned${i}`;
        await Deno.mkdir(planned);
        await Deno.writeTextFile(`${planned}/notes.txt`, "");
        const a = await client.pull({ study: s }, fresh);
        const b = await client.pull({ study: s }, planned);
        assert.deepEqual([a.failed, b.failed], [[], []]);
        assert.deepEqual(a.written, b.written, s);
        assert.deepEqual(filesUnder(fresh), a.written);
        await Deno.remove(`${planned}/notes.txt`);
        assert.equal(checkPulled(fresh, bySop), a.written.length);
        assert.equal(checkPulled(planned, bySop), a.written.length);
      }
      await Deno.remove(base, { recursive: true });
    });

    await t.step("pull: instances sharing a path get _dup names in UID order", async () => {
      // three instances of one series, all InstanceNumber 1, stored in descending UID
      // order (the server sends them so): 1.dcm, 1_dup1.dcm, 1_dup2.dcm by UID
      const seriesUid = `${phantom[0].series}.77`;
      const uids = [3, 2, 1].map((k) => `${seriesUid}.${k}`);
      const items = uids.map((uid) => {
        const ds = read(phantom[0].bytes);
        ds.set("SeriesInstanceUID", seriesUid);
        ds.set("SeriesNumber", 77);
        ds.set("SOPInstanceUID", uid);
        ds.fileMeta?.set(0x00020003, uid);
        ds.set("InstanceNumber", 1);
        return ds;
      });
      const stored = await client.store(items, { batchSize: 1, study });
      assert.equal(stored.stored, 3);
      const dir = `${phantom[0].patientID}/20240115/77`;
      const expected = [`${dir}/1.dcm`, `${dir}/1_dup1.dcm`, `${dir}/1_dup2.dcm`];
      const base = await Deno.makeTempDir();
      for (const folder of [`${base}/new`, `${base}/planned`]) {
        if (folder.endsWith("planned")) {
          await Deno.mkdir(folder);
          await Deno.writeTextFile(`${folder}/notes.txt`, "");
        }
        const report = await client.pull({ study, series: seriesUid }, folder);
        assert.deepEqual(report.written, expected, folder);
        const order = expected.map((rel) =>
          String(read(`${folder}/${rel}`, { stopBeforePixels: true }).SOPInstanceUID)
        );
        assert.deepEqual(order, [...uids].sort(), `${folder}: names in UID order`);
      }
      await Deno.remove(base, { recursive: true });
    });

    await t.step(
      "retrieve: datasets, one instance, metadata with bulk data, frames, rendered",
      async () => {
        const got = await collect(client.retrieveSeries(study, series));
        assert.deepEqual(
          sorted(got.map((d) => String(d.SOPInstanceUID))),
          sorted(phantom.map((p) => p.sop)),
        );
        const one = await client.retrieveInstance({ study, series, instance: phantom[3].sop });
        assert.equal(one.SOPInstanceUID, phantom[3].sop);
        const meta = await client.retrieveMetadata({ study, series });
        assert.equal(meta.length, phantom.length);
        assert.equal(meta[0].PatientID, phantom[0].patientID);
        const source = read(phantom[3].bytes);
        const frames = await client.retrieveFrames({ study, series, instance: phantom[3].sop }, [
          1,
        ]);
        assert.equal(frames.length, 1);
        const pixels = source.element(0x7fe00010)!.bytes!;
        assert.ok(sameBytes(frames[0], pixels), "frame 1 is the stored pixel data");
        const png = await client.retrieveRendered({ study, series, instance: phantom[3].sop });
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      },
    );

    await t.step("faults: server down, 401, 404 give DicomWebErrors saying the URL", async () => {
      const down = dicomweb(`http://127.0.0.1:${freePort()}/dicom-web`, {
        auth: { user: server.user, password: secret },
      });
      const e1 = await down.pull({ study }, await Deno.makeTempDir()).catch(remember);
      assert.ok(e1 instanceof DicomWebError);
      assert.equal(e1.status, 0);
      assert.match(
        e1.message,
        // a study into a new folder: its series are asked for first
        /^no response from the server: GET http:\/\/127\.0\.0\.1:\d+\/dicom-web\/studies\/[\d.]+\/series\?/,
      );

      const wrong = dicomweb(server.dicomweb, {
        auth: { user: server.user, password: "wrong-password" },
      });
      const e2 = await collect(wrong.searchStudies()).catch(remember);
      assert.ok(e2 instanceof DicomWebError);
      assert.equal(e2.status, 401);
      assert.match(e2.message, /not authorized/);
      assert.ok(!e2.message.includes("wrong-password"));

      // into a new folder: the study has no series, and its retrieval is refused
      const e3 = await client.pull({ study: "1.2.3.4.5" }, await Deno.makeTempDir()).catch(
        remember,
      );
      assert.ok(e3 instanceof DicomWebError);
      assert.equal(e3.status, 404);
      assert.equal(e3.url, `${server.dicomweb}/studies/1.2.3.4.5`);
      // into a folder with files (a planned pull): no instances found, the metadata refused
      const used = await Deno.makeTempDir();
      await Deno.writeTextFile(`${used}/notes.txt`, "not DICOM");
      const e4 = await client.pull({ study: "1.2.3.4.5" }, used).catch(remember);
      assert.ok(e4 instanceof DicomWebError);
      assert.equal(e4.status, 404);
      assert.equal(e4.url, `${server.dicomweb}/studies/1.2.3.4.5/metadata`);
      assert.match(e4.serverMessage, /inexistent/);
    });

    const proxy = startProxy(server.origin);
    try {
      const viaProxy = dicomweb(`${proxy.url}/dicom-web`, {
        auth: { user: server.user, password: secret },
        retryDelay: 1,
        concurrency: 1,
      });
      const seriesRequest = new RegExp(`/series/${series.replaceAll(".", "\\.")}$`);

      await t.step("faults: a 500 fails the transfer, nothing is half-written", async () => {
        const out = await Deno.makeTempDir();
        proxy.fault = { kind: "status", status: 500, times: 1, match: seriesRequest };
        const report = await viaProxy.pull({ study, series }, out);
        assert.equal(report.failed.length, 1);
        const e = remember(report.failed[0].error);
        assert.ok(e instanceof DicomWebError);
        assert.equal(e.status, 500);
        assert.equal(e.serverMessage, "injected 500");
        assert.deepEqual(filesUnder(out), []);
        proxy.fault = { kind: "pass" };
        const rerun = await viaProxy.pull({ study, series }, out);
        assert.deepEqual([rerun.written.length, rerun.failed.length], [phantom.length, 0]);
        assert.equal(checkPulled(out, bySop), phantom.length);
      });

      await t.step(
        "resumed pull: one missing instance is asked for alone; many stream the series",
        async () => {
          const out = await Deno.makeTempDir();
          const first = await viaProxy.pull({ study, series }, out);
          assert.equal(first.written.length, phantom.length);
          const instanceRequests = () =>
            proxy.requests.filter((r) => /\/instances\/[0-9.]+$/.test(r)).length;
          for (const missing of [1, Math.ceil(phantom.length / 2)]) {
            for (const rel of first.written.slice(0, missing)) Deno.removeSync(`${out}/${rel}`);
            proxy.requests.length = 0;
            const again = await viaProxy.pull({ study, series }, out);
            assert.deepEqual(
              [again.written.length, again.skipped.length, again.failed.length],
              [missing, phantom.length - missing, 0],
            );
            // one instance: its own request; half the series: the series, streamed whole
            assert.equal(instanceRequests(), missing === 1 ? 1 : 0);
            assert.deepEqual(again.written, first.written.slice(0, missing));
            assert.equal(checkPulled(out, bySop), phantom.length);
            noPartials(out);
          }
        },
      );

      await t.step("faults: 503 and 429 are retried with backoff", async () => {
        const out = await Deno.makeTempDir();
        proxy.requests.length = 0;
        // the retrieval itself (a new folder: no search first)
        proxy.fault = { kind: "status", status: 503, times: 2, match: seriesRequest };
        const report = await viaProxy.pull({ study, series }, out);
        assert.deepEqual([report.written.length, report.failed.length], [phantom.length, 0]);
        assert.equal(proxy.requests.filter((r) => seriesRequest.test(r)).length, 3);
        assert.equal(proxy.requests.filter((r) => /\/instances\?/.test(r)).length, 0);
        // the search that plans a pull into a folder with files
        proxy.requests.length = 0;
        proxy.fault = { kind: "status", status: 503, times: 2, match: /\/instances\?/ };
        const again = await viaProxy.pull({ study, series }, out);
        assert.deepEqual([again.skipped.length, again.failed.length], [phantom.length, 0]);
        assert.equal(proxy.requests.filter((r) => /\/instances\?/.test(r)).length, 3);
        proxy.fault = { kind: "status", status: 429, times: 9, match: /\/studies\?/ };
        const e = await collect(viaProxy.searchStudies()).catch(remember);
        assert.ok(e instanceof DicomWebError);
        assert.equal(e.status, 429);
        assert.match(e.message, /retries exhausted/);
        proxy.fault = { kind: "pass" };
      });

      await t.step(
        "faults: a connection dropped mid-multipart keeps the completed instances",
        async () => {
          const out = await Deno.makeTempDir();
          proxy.fault = { kind: "drop", afterParts: 3, match: seriesRequest };
          const report = await viaProxy.pull({ study, series }, out);
          assert.equal(report.failed.length, 1);
          const e = remember(report.failed[0].error);
          assert.ok(e instanceof DicomWebError);
          assert.match(e.message, /connection lost after 3 parts/);
          assert.equal(report.written.length, 3);
          noPartials(out);
          assert.equal(checkPulled(out, bySop), 3);
          proxy.fault = { kind: "pass" };
          const rerun = await viaProxy.pull({ study, series }, out);
          assert.deepEqual(
            [rerun.written.length, rerun.skipped.length, rerun.failed.length],
            [phantom.length - 3, 3, 0],
          );
          assert.equal(checkPulled(out, bySop), phantom.length);
        },
      );

      for (const stripLengths of [false, true]) {
        await t.step(
          `faults: a truncated part (${
            stripLengths ? "no" : "with"
          } Content-Length) is not written`,
          async () => {
            const out = await Deno.makeTempDir();
            proxy.fault = { kind: "truncate", part: 4, stripLengths, match: seriesRequest };
            const report = await viaProxy.pull({ study, series }, out);
            assert.equal(report.failed.length, 1);
            const e = remember(report.failed[0].error);
            assert.ok(e instanceof DicomWebError);
            assert.match(
              e.message,
              stripLengths
                ? /part 4 is not a whole DICOM file/
                : /part 4 does not end where its content-length/,
            );
            assert.equal(report.written.length, 4);
            noPartials(out);
            assert.equal(checkPulled(out, bySop), 4);
            proxy.fault = { kind: "pass" };
            const rerun = await viaProxy.pull({ study, series }, out);
            assert.equal(rerun.failed.length, 0);
            assert.equal(checkPulled(out, bySop), phantom.length);
          },
        );
      }
    } finally {
      await proxy.close();
    }

    await t.step(
      "script: search, pull and push with credentials from the environment",
      async () => {
        const out = await Deno.makeTempDir();
        const env = { DICOMWEB_USER: server.user, DICOMWEB_PASSWORD: secret };
        const run = async (...args: string[]) => {
          const r = await new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", `${ROOT}scripts/dicomweb.ts`, ...args],
            env,
            stdout: "piped",
            stderr: "piped",
          }).output();
          const text = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
          assert.ok(!text.includes(secret), "the password is never printed");
          return { code: r.code, stdout: new TextDecoder().decode(r.stdout), text };
        };
        const s = await run(
          "search",
          server.dicomweb,
          "--patient-id",
          phantom[0].patientID,
          "--json",
        );
        assert.equal(s.code, 0, s.text);
        assert.deepEqual(
          JSON.parse(s.stdout).found.map((r: { StudyInstanceUID: string }) => r.StudyInstanceUID),
          [study],
        );
        const p = await run(
          "pull",
          server.dicomweb,
          out,
          "--study",
          study,
          "--series",
          series,
          "--json",
        );
        assert.equal(p.code, 0, p.text);
        assert.equal(JSON.parse(p.stdout).written.length, phantom.length);
        assert.equal(checkPulled(out, bySop), phantom.length);
        const again = await run("pull", server.dicomweb, out, "--study", study, "--json");
        assert.equal(JSON.parse(again.stdout).skipped.length, phantom.length);
        const push = await run("push", server.dicomweb, `${PHANTOM}/DICOMDIR`, "--json");
        assert.equal(push.code, 0, push.text);
        assert.equal(JSON.parse(push.stdout).stored, phantom.length);
        const bad = await run(
          "pull",
          server.dicomweb,
          out,
          "--study",
          study,
          "--user",
          `x:${secret}x`,
        );
        assert.equal(bad.code, 2);
        assert.match(bad.text, /not authorized/);
        const usage = await run("pull", server.dicomweb, out);
        assert.equal(usage.code, 2);
      },
    );

    // credentials never appear in any error, its JSON or its inspection
    assert.ok(errors.length >= 8);
    for (const text of errors) assert.ok(!text.includes(secret), text);
  } finally {
    await server.stop();
  }
});
