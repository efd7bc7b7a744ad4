/**
 * Memory of the convert job at archive scale: makes N small synthetic instances (4x4
 * 8-bit slices, 1,000 a folder, no DICOMDIR: the folder is scanned) for each N given,
 * runs `scripts/convert.ts` on each as a whole process under GNU time, and prints its
 * peak resident memory, wall time and the growth per instance between the smallest and
 * the largest N.
 *
 * ```sh
 * deno run -A tools/bench_archive.ts                      # 10,000 and 100,000 instances
 * deno run -A tools/bench_archive.ts --sizes 1000,5000 --data /tmp/archive --jobs 2
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Dataset } from "../lib/dataset/mod.ts";
import { write } from "../lib/io/mod.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** One tiny instance: patient `p`, study `s`, series `r`, instance `n`. */
function instance(p: number, s: number, r: number, n: number, uid: number): Uint8Array {
  const ds = new Dataset();
  ds.set("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
  ds.set("SOPInstanceUID", `2.25.${uid}`);
  ds.set("PatientID", `P${p}`);
  ds.set("StudyDate", `2024${String(1 + (s % 12)).padStart(2, "0")}15`);
  ds.set("StudyInstanceUID", `2.25.1${p}0${s}`);
  ds.set("SeriesInstanceUID", `2.25.2${p}0${s}0${r}`);
  ds.set("SeriesNumber", r + 1);
  ds.set("InstanceNumber", n + 1);
  ds.set("Modality", "OT");
  ds.set("Rows", 4);
  ds.set("Columns", 4);
  ds.set("SamplesPerPixel", 1);
  ds.set("PhotometricInterpretation", "MONOCHROME2");
  ds.set("BitsAllocated", 8);
  ds.set("BitsStored", 8);
  ds.set("HighBit", 7);
  ds.set("PixelRepresentation", 0);
  ds.set("PixelData", new Uint8Array(16).map((_, i) => (i * 16 + uid) % 256), { vr: "OB" });
  return write(ds);
}

/** Makes `count` instances under `dir` (kept when already complete). */
function make(dir: string, count: number): void {
  const done = join(dir, ".complete");
  try {
    if (Deno.readTextFileSync(done) === String(count)) return;
  } catch { /* to make */ }
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* not there */ }
  for (let i = 0; i < count; i++) {
    const folder = join(dir, String(Math.floor(i / 1000)).padStart(4, "0"));
    if (i % 1000 === 0) Deno.mkdirSync(folder, { recursive: true });
    const p = Math.floor(i / 500), s = Math.floor(i / 100) % 5, r = Math.floor(i / 20) % 5;
    Deno.writeFileSync(join(folder, `IM${i}`), instance(p, s, r, i % 20, i + 1));
  }
  Deno.writeTextFileSync(done, String(count));
}

/** Peak RSS (KiB) and wall seconds of `scripts/convert.ts` on `dir`. */
async function measure(dir: string, out: string, jobs: number) {
  try {
    Deno.removeSync(out, { recursive: true });
  } catch { /* not there */ }
  const t0 = performance.now();
  const r = await new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "%M",
      Deno.execPath(),
      "run",
      "-A",
      join(ROOT, "scripts/convert.ts"),
      dir,
      out,
      "--quiet",
      "--jobs",
      String(jobs),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  const lines = new TextDecoder().decode(r.stderr).trim().split("\n");
  return { code: r.code, peakKiB: Number(lines.at(-1)), seconds, tail: lines.slice(-3, -1) };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "10000,100000" },
      data: { type: "string", default: "/tmp/dicom-archive-bench" },
      jobs: { type: "string", default: "2" },
    },
  });
  const sizes = values.sizes.split(",").map(Number).sort((a, b) => a - b);
  const rows: { n: number; peakKiB: number; seconds: number }[] = [];
  for (const n of sizes) {
    const dir = join(values.data, String(n));
    const t = performance.now();
    make(dir, n);
    console.error(`made ${n} instances in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const m = await measure(dir, join(values.data, `out-${n}`), Number(values.jobs));
    if (m.code !== 0) console.error(`convert exited with ${m.code}: ${m.tail.join(" / ")}`);
    rows.push({ n, peakKiB: m.peakKiB, seconds: m.seconds });
    console.error(
      `${n} instances: peak ${(m.peakKiB / 1024).toFixed(0)} MiB, ${m.seconds.toFixed(0)} s`,
    );
  }
  console.log("| instances | peak RSS MiB | wall s | instances/s |");
  console.log("| --------- | ------------ | ------ | ----------- |");
  for (const r of rows) {
    console.log(
      `| ${r.n} | ${(r.peakKiB / 1024).toFixed(0)} | ${r.seconds.toFixed(0)} | ${
        (r.n / r.seconds).toFixed(0)
      } |`,
    );
  }
  if (rows.length > 1) {
    const a = rows[0], b = rows.at(-1)!;
    const perInstance = (b.peakKiB - a.peakKiB) * 1024 / (b.n - a.n);
    console.log(`\npeak memory growth: ${perInstance.toFixed(0)} bytes per instance`);
  }
}
