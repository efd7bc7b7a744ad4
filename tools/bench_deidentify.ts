/**
 * Speed of `scripts/deidentify.ts` on the explicit variant of
 * `../shared/bench/make_dataset.py` (300 CT images of 512x512): whole processes, median
 * of N rounds, images per second; with `--profile`, where the CPU time goes inside one
 * process (module loading, the file-set, reading, de-identifying, encoding, writing, the
 * DICOMDIR).
 *
 * ```sh
 * deno run -A tools/bench_deidentify.ts                 # 5 rounds, median
 * deno run -A tools/bench_deidentify.ts --profile       # stages, ms per image
 * ```
 *
 * Flags: `--data DIR` (default `/tmp/dicom-bench-deid`; the explicit variant is made with
 * `/usr/bin/python3 ../shared/bench/make_dataset.py` when missing), `--out DIR`
 * (`/tmp/dicom-bench-deid-out`), `--rounds N` (5), `--jobs N` (the script's `--jobs`; default
 * its own, the number of cores), `--profile`.
 *
 * Each run: `rm -rf` of the output, then the script under GNU time (wall, CPU of the
 * process tree); `/proc/stat` around the run gives the foreign load (CPU other processes
 * used, in % of the machine), printed beside each run, since the machine is shared.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync } from "node:fs";
import process from "node:process";

/** CPU time of this process in ms (user + system). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAKE = fileURLToPath(new URL("../../shared/bench/make_dataset.py", import.meta.url));

/** Busy and total jiffies of the machine from `/proc/stat`. */
function cpuTimes(): { busy: number; total: number } {
  const line = Deno.readTextFileSync("/proc/stat").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** One run of the script as a whole process: wall and CPU seconds, foreign load in %. */
function runOnce(data: string, out: string, key: string, jobs?: string) {
  try {
    Deno.removeSync(out, { recursive: true });
  } catch { /* not there */ }
  const before = cpuTimes();
  const start = performance.now();
  const res = new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "%e %U %S",
      Deno.execPath(),
      "run",
      "-A",
      join(ROOT, "scripts/deidentify.ts"),
      data,
      out,
      "--key-file",
      key,
      "--quiet",
      ...(jobs ? ["--jobs", jobs] : []),
    ],
    stderr: "piped",
  }).outputSync();
  const wall = (performance.now() - start) / 1000;
  const after = cpuTimes();
  const err = new TextDecoder().decode(res.stderr).trim().split("\n");
  if (!res.success) throw new Error(`deidentify failed: ${err.join("\n")}`);
  const [, user, sys] = err[err.length - 1].split(" ").map(Number);
  const cpu = user + sys;
  const ticks = 100; // USER_HZ
  const machineBusy = (after.busy - before.busy) / ticks;
  const machineTotal = (after.total - before.total) / ticks;
  const foreign = Math.max(0, (machineBusy - cpu) / machineTotal * 100);
  return { wall, cpu, foreign };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function profile(data: string, out: string): Promise<void> {
  const t0 = cpuNow();
  const { fileSet, writeDicomdir } = await import("../lib/fileset/mod.ts");
  const { read } = await import("../lib/io/mod.ts");
  const { deidentify } = await import("../lib/deid/mod.ts");
  const { encodeParts } = await import("../lib/deid/file_set.ts");
  const stages: Record<string, number> = { "module loading": cpuNow() - t0 };
  let t = cpuNow();
  const fs = fileSet(data);
  stages["file-set"] = cpuNow() - t;
  const paths = [...fs].map((i) => i.path);
  for (const k of ["read file", "parse", "deidentify", "encode", "write file"]) stages[k] = 0;
  try {
    Deno.removeSync(out, { recursive: true });
  } catch { /* not there */ }
  Deno.mkdirSync(out, { recursive: true });
  const key = "profile key 0123456789";
  paths.forEach((p, i) => {
    t = cpuNow();
    const bytes = Deno.readFileSync(p);
    let n = cpuNow();
    stages["read file"] += n - t;
    t = n;
    const ds = read(bytes);
    n = cpuNow();
    stages["parse"] += n - t;
    t = n;
    const clean = deidentify(ds, { key });
    n = cpuNow();
    stages["deidentify"] += n - t;
    t = n;
    const parts = encodeParts(clean);
    n = cpuNow();
    stages["encode"] += n - t;
    t = n;
    const f = Deno.openSync(join(out, `IM${String(i).padStart(6, "0")}`), {
      write: true,
      create: true,
      truncate: true,
    });
    for (const part of parts) f.writeSync(part);
    f.close();
    stages["write file"] += cpuNow() - t;
  });
  t = cpuNow();
  writeDicomdir(out);
  stages["DICOMDIR"] = cpuNow() - t;
  const total = Object.values(stages).reduce((a, b) => a + b, 0);
  console.log(`${paths.length} images, ${(total / 1000).toFixed(2)} s of CPU in one process`);
  for (const [k, v] of Object.entries(stages)) {
    console.log(
      `  ${k.padEnd(16)} ${v.toFixed(0).padStart(6)} ms  ${(v / paths.length).toFixed(2)} ms/image`,
    );
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string", default: "/tmp/dicom-bench-deid" },
      out: { type: "string", default: "/tmp/dicom-bench-deid-out" },
      rounds: { type: "string", default: "5" },
      jobs: { type: "string" },
      profile: { type: "boolean" },
    },
  });
  const data = join(values.data!, "explicit");
  if (!existsSync(join(data, "DICOMDIR"))) {
    console.error(`making the explicit variant in ${values.data} (300 images)`);
    const made = new Deno.Command("/usr/bin/python3", {
      args: [MAKE, values.data!, "--variants", "explicit", "--images-per-series", "100"],
    }).outputSync();
    if (!made.success) throw new Error(new TextDecoder().decode(made.stderr));
  }
  if (values.profile) {
    await profile(data, values.out!);
  } else {
    const key = Deno.makeTempFileSync({ prefix: "bench_key_" });
    Deno.writeTextFileSync(key, "bench key 0123456789abcdef");
    const images = 300;
    const runs = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      const run = runOnce(data, values.out!, key, values.jobs);
      runs.push(run);
      console.log(
        `run ${r + 1}: ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU, ` +
          `${(images / run.wall).toFixed(0)} images/s, foreign load ${run.foreign.toFixed(0)}%`,
      );
    }
    const wall = median(runs.map((r) => r.wall));
    console.log(
      `median of ${runs.length}: ${wall.toFixed(2)} s, ${(images / wall).toFixed(0)} images/s ` +
        `(CPU ${median(runs.map((r) => r.cpu)).toFixed(2)} s, foreign load ${
          median(runs.map((r) => r.foreign)).toFixed(0)
        }%)`,
    );
  }
}
