/**
 * `isolation: "process"` (`--isolate`): a file that exhausts a worker's memory (a
 * JavaScript heap bomb: millions of tiny elements; pixel buffers too big: an RLE frame
 * of 8192x8192 that decodes from 2 MB to 128 MB) kills only its worker process, is
 * reported as "worker died", and the files after it still convert, byte for byte as in
 * the threads.
 */
import assert from "node:assert/strict";
import { convertFileSet } from "../lib/convert/mod.ts";
import { type Dataset, write } from "../mod.ts";
import { RLE_LOSSLESS } from "../lib/core/mod.ts";
import { encapsulate, readTree, runConvert, slice, tempDir } from "./_convert_helpers.ts";

/** Memory of each worker process in the tests (MiB): a normal slice needs far less. */
const LIMIT = 200;

/** Phantom slice `i` of 6 (16x16) as file bytes. */
function normal(i: number): Uint8Array {
  return write(slice(i, { slices: 6, size: 16 }));
}

/** A heap bomb: a small slice followed by 4 million tiny private elements (40 MB). */
function heapBomb(i: number): Uint8Array {
  const head = normal(i);
  const groups = 16000, perGroup = 256;
  const tail = new Uint8Array(groups * perGroup * 10);
  const view = new DataView(tail.buffer);
  let at = 0;
  for (let g = 0; g < groups; g++) {
    for (let e = 0; e < perGroup; e++) {
      view.setUint16(at, 0x7fe1 + 2 * g, true);
      view.setUint16(at + 2, 0x1000 + e, true);
      tail[at + 4] = 0x53; // "SS"
      tail[at + 5] = 0x53;
      view.setUint16(at + 6, 2, true);
      view.setInt16(at + 8, e, true);
      at += 10;
    }
  }
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/** Pixel buffers too big: RLE Lossless, 8192x8192 16-bit, each segment one value repeated. */
function bufferBomb(i: number): Uint8Array {
  const ds: Dataset = slice(i, { slices: 6, size: 16 });
  const size = 8192;
  ds.set("Rows", size);
  ds.set("Columns", size);
  const runs = size * size / 128;
  const segment = new Uint8Array(runs * 2);
  for (let r = 0; r < runs; r++) {
    segment[2 * r] = 0x81; // replicate the next byte 128 times
    segment[2 * r + 1] = 4;
  }
  const frame = new Uint8Array(64 + 2 * segment.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 64, true);
  view.setUint32(8, 64 + segment.length, true);
  frame.set(segment, 64);
  frame.set(segment, 64 + segment.length);
  return write(encapsulate(ds, [frame], RLE_LOSSLESS));
}

/** Six slices, instance numbers 1-6; numbers 2 and 4 are bombs unless `safe`. */
function files(dir: string, safe = false): void {
  Deno.mkdirSync(`${dir}/in`, { recursive: true });
  for (let i = 0; i < 6; i++) {
    const bytes = safe ? normal(i) : i === 1 ? heapBomb(i) : i === 3 ? bufferBomb(i) : normal(i);
    Deno.writeFileSync(`${dir}/in/IM${i + 1}`, bytes);
  }
}

Deno.test("isolation: a heap bomb and a pixel-buffer bomb each kill only their worker process; later files convert", async () => {
  const dir = tempDir();
  try {
    files(dir);
    const report = await convertFileSet(`${dir}/in`, `${dir}/out`, {
      isolation: "process",
      workerMemory: LIMIT,
      jobs: 1,
      format: "png",
    });
    assert.deepEqual(
      report.failed.map((f) => [f.path.slice(-3), f.kind]),
      [["IM2", "WorkerError"], ["IM4", "WorkerError"]],
    );
    for (const f of report.failed) assert.match(f.message, /^worker died: /);
    assert.deepEqual([report.images, report.converted], [4, 4]);
    // the good files' images are the threads' own
    const safe = tempDir();
    try {
      files(safe, true);
      await convertFileSet(`${safe}/in`, `${safe}/out`, { format: "png", jobs: 1 });
      const threads = readTree(`${safe}/out`);
      const processes = readTree(`${dir}/out`);
      assert.deepEqual([...processes.keys()].sort(), [
        "PHANTOM01/20240115/2/1.png",
        "PHANTOM01/20240115/2/3.png",
        "PHANTOM01/20240115/2/5.png",
        "PHANTOM01/20240115/2/6.png",
      ]);
      for (const [name, bytes] of processes) assert.deepEqual(bytes, threads.get(name), name);
    } finally {
      Deno.removeSync(safe, { recursive: true });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("isolation: --isolate --worker-memory on the command line", async () => {
  const dir = tempDir();
  try {
    files(dir);
    const r = await runConvert([
      `${dir}/in`,
      `${dir}/out`,
      "--isolate",
      "--worker-memory",
      String(LIMIT),
      "--jobs",
      "2",
      "--json",
    ]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.failed.map((f: { path: string }) => f.path.slice(-3)), ["IM2", "IM4"]);
    assert.equal(report.images, 4);
    assert.match(r.stderr, /IM4: WorkerError: worker died: /);
    const bad = await runConvert([`${dir}/in`, `${dir}/x`, "--worker-memory", "10"]);
    assert.equal(bad.code, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
