/**
 * Speed of `scripts/deidentify.ts` on the explicit variant of
 * `../shared/bench/make_dataset.py` (300 CT images of 512x512): whole processes, median
 * of N rounds, images per second; with `--profile`, where the CPU time goes inside one
 * process (module loading, the file-set, reading, de-identifying, encoding, writing, the
 * DICOMDIR).
 *
 * ```sh
 * deno run -A tools/bench_deidentify.ts                 # 5 rounds, median
 * deno run -A tools/bench_deidentify.ts --jobs 1,2 --alt ../main/scripts/deidentify.ts
 * deno run -A tools/bench_deidentify.ts --profile       # stages, ms per image
 * ```
 *
 * Flags: `--data DIR` (default `/tmp/dicom-bench`; the explicit variant is made with
 * `/usr/bin/python3 ../shared/bench/make_dataset.py` when missing), `--out DIR`
 * (`/tmp/dicom-bench-deid-out`), `--rounds N` (5), `--jobs N[,M...]` (the script's `--jobs`,
 * each a series; `default` for none, the script's own, which is also the default), `--alt FILE` (another
 * deidentify.ts, e.g. main's, run as its own series), `--profile` (one process, jobs 1:
 * module loading, then the report's stage times).
 *
 * Each round runs every series once, in turn (interleaved, so the neighbours' load falls on
 * all alike), and `deno run` of an empty script (the runtime's own start-up). Each run:
 * `rm -rf` of the output, then the script under GNU time (wall, CPU of the process tree);
 * `/proc/stat` around the run gives the foreign load (CPU other processes used, in % of
 * the machine), printed beside each run, since the machine is shared.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync } from "node:fs";

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

/** One run of a command as a whole process: wall and CPU seconds, foreign load in %. */
function runOnce(args: string[], out?: string) {
  if (out) {
    try {
      Deno.removeSync(out, { recursive: true });
    } catch { /* not there */ }
  }
  const before = cpuTimes();
  const start = performance.now();
  const res = new Deno.Command("/usr/bin/time", {
    args: ["-f", "%e %U %S", Deno.execPath(), "run", "-A", ...args],
    stderr: "piped",
    stdout: "null",
  }).outputSync();
  const wall = (performance.now() - start) / 1000;
  const after = cpuTimes();
  const err = new TextDecoder().decode(res.stderr).trim().split("\n");
  if (!res.success) throw new Error(`run failed: ${err.join("\n")}`);
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
  const t0 = performance.now();
  const { deidentifyFileSet } = await import("../lib/deid/mod.ts");
  const loading = performance.now() - t0;
  try {
    Deno.removeSync(out, { recursive: true });
  } catch { /* not there */ }
  const report = await deidentifyFileSet(data, out, { key: "profile key 0123456789", jobs: 1 });
  const n = report.instances;
  console.log(`${n} images, one thread: ${(report.seconds * 1000).toFixed(0)} ms in the job`);
  const rows: [string, number][] = [["module loading", loading], ...Object.entries(report.stages)];
  for (const [k, v] of rows) {
    console.log(`  ${k.padEnd(16)} ${v.toFixed(0).padStart(6)} ms  ${(v / n).toFixed(2)} ms/image`);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string", default: "/tmp/dicom-bench" },
      out: { type: "string", default: "/tmp/dicom-bench-deid-out" },
      rounds: { type: "string", default: "5" },
      jobs: { type: "string" },
      alt: { type: "string" },
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
    const empty = Deno.makeTempFileSync({ prefix: "bench_empty_", suffix: ".ts" });
    Deno.writeTextFileSync(empty, "export {};\n");
    // the images of the set: every file but the DICOMDIR
    let images = 0;
    const count = (dir: string) => {
      for (const e of Deno.readDirSync(dir)) {
        if (e.isDirectory) count(join(dir, e.name));
        else if (e.isFile && e.name !== "DICOMDIR") images++;
      }
    };
    count(data);
    const scripts = [["ours", join(ROOT, "scripts/deidentify.ts")]];
    if (values.alt) scripts.push(["alt", values.alt]);
    const series: { name: string; args: string[] }[] = [];
    for (const [name, script] of scripts) {
      for (const given of values.jobs ? values.jobs.split(",") : ["default"]) {
        const jobs = given === "default" ? undefined : given;
        series.push({
          name: `${name}${jobs ? ` --jobs ${jobs}` : ""}`,
          args: [
            script,
            data,
            values.out!,
            "--key-file",
            key,
            "--quiet",
            ...(jobs ? ["--jobs", jobs] : []),
          ],
        });
      }
    }
    const runs = new Map<string, ReturnType<typeof runOnce>[]>();
    const startup: ReturnType<typeof runOnce>[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      startup.push(runOnce([empty]));
      for (const s of series) {
        const run = runOnce(s.args, values.out!);
        runs.set(s.name, [...(runs.get(s.name) ?? []), run]);
        console.log(
          `round ${r + 1} ${s.name}: ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU, ` +
            `${(images / run.wall).toFixed(0)} images/s, foreign load ${run.foreign.toFixed(0)}%`,
        );
      }
    }
    const m = (xs: ReturnType<typeof runOnce>[], k: "wall" | "cpu" | "foreign") =>
      median(xs.map((x) => x[k]));
    console.log(`\nmedians of ${values.rounds} interleaved rounds:`);
    for (const [name, xs] of runs) {
      console.log(
        `  ${name.padEnd(14)} ${m(xs, "wall").toFixed(2)} s, ${
          (images / m(xs, "wall")).toFixed(0)
        } images/s (CPU ${m(xs, "cpu").toFixed(2)} s, foreign load ${
          m(xs, "foreign").toFixed(0)
        }%)`,
      );
    }
    console.log(
      `  ${"deno start-up".padEnd(14)} ${m(startup, "wall").toFixed(2)} s (empty script, CPU ${
        m(startup, "cpu").toFixed(2)
      } s): ${(m(startup, "wall") / 0.6 * 100).toFixed(0)}% of the 0.6 s that 500 images/s allows`,
    );
  }
}
