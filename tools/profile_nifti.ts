/**
 * Where the time of `scripts/nifti.ts` goes, phase by phase, in one process: the runtime's
 * start (an empty script, timed as a whole process), loading the modules, reading every
 * file's header and grouping (`loadSeries`), sorting (`series.geometry`), decoding into
 * the volume (`series.load`), the NIfTI bytes (`toNifti`) and the write. The job is the
 * one `niftiFileSet` does, except that decode workers start again for each series (the
 * batch keeps them); one run per variant, on the bench file-set of
 * `../shared/bench/make_dataset.py` (see `tools/bench_nifti.ts`).
 *
 * ```sh
 * deno run -A tools/profile_nifti.ts [--data /tmp/dicom-bench] [--variants explicit,j2k] [--jobs N]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";

const ms = (x: number) => x.toFixed(0);

/** Wall time of `deno run` on an empty script: the runtime's start and exit. */
function runtimeStart(): number {
  const empty = Deno.makeTempFileSync({ suffix: ".ts" });
  Deno.writeTextFileSync(empty, "export {};\n");
  const t = performance.now();
  new Deno.Command(Deno.execPath(), { args: ["run", empty] }).outputSync();
  const wall = performance.now() - t;
  Deno.removeSync(empty);
  return wall;
}

/** One variant in this process: the phases in ms and the peak RSS in MiB. */
async function profile(dir: string, jobs?: number): Promise<number[]> {
  let t = performance.now();
  const volume = await import("../lib/volume/mod.ts");
  const { writeAtomicSync } = await import("../lib/io/files.ts");
  const modules = performance.now() - t;
  const out = Deno.makeTempDirSync({ prefix: "profile_nifti_" });
  const t0 = performance.now();
  const { series } = volume.loadSeries(dir);
  const headers = performance.now() - t0;
  let sorting = 0, decoding = 0, bytes = 0, writing = 0;
  let previous;
  for (const [i, s] of series.entries()) {
    t = performance.now();
    void s.geometry;
    sorting += performance.now() - t;
    t = performance.now();
    const v = await s.load({ out: previous, jobs });
    previous = v.data;
    decoding += performance.now() - t;
    t = performance.now();
    const nii = volume.toNifti(v);
    bytes += performance.now() - t;
    t = performance.now();
    writeAtomicSync(`${out}/${i}.nii`, nii);
    writing += performance.now() - t;
  }
  Deno.removeSync(out, { recursive: true });
  const total = modules + performance.now() - t0;
  const hwm = /VmHWM:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/self/status"))?.[1];
  return [modules, headers, sorting, decoding, bytes, writing, total, Number(hwm ?? 0) / 1024];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string", default: "/tmp/dicom-bench" },
      variants: { type: "string", default: "explicit,j2k" },
      jobs: { type: "string" },
      one: { type: "string" },
    },
  });
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (values.one) {
    console.log(JSON.stringify(await profile(`${values.data}/${values.one}`, jobs)));
    Deno.exit(0);
  }
  const rows = [
    "| variant | runtime start | modules | headers + grouping | sorting | decoding | NIfTI bytes | write | in process | peak RSS MiB |",
    "| ------- | ------------- | ------- | ------------------ | ------- | -------- | ----------- | ----- | ---------- | ------------ |",
  ];
  for (const variant of values.variants.split(",")) {
    const start = runtimeStart();
    // each variant in a process of its own, as the script runs
    const o = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL(import.meta.url).pathname,
        "--data",
        values.data,
        "--one",
        variant,
        ...(jobs ? ["--jobs", String(jobs)] : []),
      ],
      stderr: "inherit",
    }).outputSync();
    if (!o.success) throw new Error(`profiling ${variant} failed`);
    const r = JSON.parse(new TextDecoder().decode(o.stdout)) as number[];
    rows.push(`| ${variant} | ${ms(start)} | ${r.slice(0, 7).map(ms).join(" | ")} | ${ms(r[7])} |`);
  }
  console.log("times in ms, each variant in a process of its own");
  console.log(rows.join("\n"));
}
