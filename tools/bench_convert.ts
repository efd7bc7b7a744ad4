/**
 * The convert job side by side: `scripts/convert.ts` and the peers of
 * `../shared/bench/peers/` (the tutorial's pydicom script, pydicom in 2 processes, GDCM,
 * DCMTK) on the bench file-set (one study, 300 CT images of 512x512 in five transfer
 * syntaxes), timed as whole processes, interleaved, medians; then the table of images/s
 * with our row and the ratios, and a check that our JPEGs are the tutorial's.
 *
 * ```sh
 * deno run -A tools/bench_convert.ts                       # everything, ~15 min
 * deno run -A tools/bench_convert.ts --rounds 1 --warmup 0 --variants explicit,rle \
 *   --peers ours,pydicom                                     # a quick look
 * deno run -A tools/bench_convert.ts --write bench/RESULTS.md
 * deno run -A tools/bench_convert.ts --profile             # our stages, ms per image
 * ```
 *
 * Flags: `--data DIR` (default `/tmp/dicom-bench`; built with
 * `../shared/bench/make_dataset.py` when missing), `--images-per-series N` (100),
 * `--out DIR` (`/tmp/dicom-bench-out`), `--rounds N` (5), `--warmup N` (1),
 * `--variants a,b` (explicit,jpegll,jpegls,j2k,rle), `--peers a,b`
 * (ours,pydicom,pydicom-mp2,gdcm,dcmtk-P2; also dcmtk-P1, or `all`), `--jobs N` (ours;
 * default convert's own), `--alt FILE` (another convert.ts, as peer `ours-alt`: a change
 * measured side by side), `--max-foreign PCT` (10: a run during which other processes
 * used more of the machine is done again, up to `--retries N` (3) more times),
 * `--write FILE` (Markdown report), `--json FILE` (raw runs),
 * `--profile` (per-stage profile of our pipeline instead), `--no-install` (do not
 * apt-get the peers' packages).
 *
 * Each run: `rm -rf` of its output, then the command under GNU time (`/usr/bin/time`:
 * wall, user+system CPU of the process tree, peak RSS of its largest process) or, without
 * it, with `/proc` polling; the machine's busy time from `/proc/stat` around the run
 * gives the "foreign load" (CPU used by other processes, in % of the machine). Every
 * configuration gets the warm-up runs, then each round runs all of a variant's
 * configurations in an order rotated by one per round.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const SHARED_BENCH = join(ROOT, "..", "shared", "bench");
const PY = "/usr/bin/python3";
const VARIANTS = ["explicit", "jpegll", "jpegls", "j2k", "rle"] as const;
const VARIANT_NAMES: Record<string, string> = {
  explicit: "explicit",
  jpegll: "JPEG lossless",
  jpegls: "JPEG-LS",
  j2k: "JPEG 2000",
  rle: "RLE",
};
const APT_PACKAGES = [
  "python3-pydicom",
  "python3-numpy",
  "python3-pil",
  "python3-gdcm",
  "dcmtk",
  "libgdcm-tools",
];

/** One program that does the job. */
interface Peer {
  /** Short name (`ours`, `pydicom`...). */
  name: string;
  /** What it is, for the tables. */
  label: string;
  /** The command line for one file-set. */
  command(dicomdir: string, out: string): string[];
}

function peers(jobs: number | undefined, alt?: string): Peer[] {
  const deno = Deno.execPath();
  const convert = join(ROOT, "scripts", "convert.ts");
  const p = join(SHARED_BENCH, "peers");
  const ours = (script: string) => (d: string, o: string) => [
    deno,
    "run",
    "-A",
    script,
    d,
    o,
    "--quiet",
    ...(jobs ? ["--jobs", String(jobs)] : []),
  ];
  const altPeer: Peer[] = alt
    ? [{ name: "ours-alt", label: `convert.ts of ${alt}`, command: ours(alt) }]
    : [];
  return [
    {
      name: "ours",
      label: "dicom-deno `scripts/convert.ts`",
      command: ours(convert),
    },
    ...altPeer,
    {
      name: "pydicom",
      label: "pydicom (the tutorial's script)",
      command: (d, o) => [PY, join(p, "pydicom_convert.py"), d, o],
    },
    {
      name: "pydicom-mp2",
      label: "pydicom, 2 processes",
      command: (d, o) => [PY, join(p, "pydicom_mp_convert.py"), d, o, "2"],
    },
    {
      name: "gdcm",
      label: "GDCM + numpy fused LUT",
      command: (d, o) => [PY, join(p, "gdcm_convert.py"), d, o],
    },
    {
      name: "dcmtk-P1",
      label: "DCMTK, 1 job",
      command: (d, o) => [join(p, "dcmtk_convert.sh"), d, o, "1"],
    },
    {
      name: "dcmtk-P2",
      label: "DCMTK, 2 jobs",
      command: (d, o) => [join(p, "dcmtk_convert.sh"), d, o, "2"],
    },
  ];
}

/** One timed run. */
export interface Run {
  wall: number;
  cpu: number;
  rssMiB: number;
  code: number;
  foreignPct: number;
}

/** The summary of one peer on one variant. */
interface Result {
  variant: string;
  peer: string;
  runs: Run[];
  images: number;
  expected: number;
  ok: boolean;
  wall: number;
  wallMin: number;
  wallMax: number;
  cpu: number;
  rssMiB: number;
  imagesPerSecond: number;
  foreignPct: number;
  foreignMaxPct: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const HZ = 100; // USER_HZ on Linux

/** Machine-wide busy seconds (all but idle and iowait) from /proc/stat. */
function busySeconds(): number {
  const f = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1)
    .map(Number);
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = f;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / HZ;
}

/** CPU seconds of this process's waited-for children (cutime + cstime). */
function childrenCpu(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): cutime is field 16, cstime 17
  return (Number(fields[13]) + Number(fields[14])) / HZ;
}

function hasGnuTime(): boolean {
  try {
    const out = new Deno.Command("/usr/bin/time", { args: ["-f", "%M", "true"], stderr: "piped" })
      .outputSync();
    return out.success && /^\d+\s*$/.test(new TextDecoder().decode(out.stderr).trim());
  } catch {
    return false;
  }
}

const GNU_TIME = hasGnuTime();

/** Runs `cmd` once, its output in `log`; wall, CPU, peak RSS and the foreign load. */
export async function timed(cmd: string[], log: string): Promise<Run> {
  const ncpu = navigator.hardwareConcurrency || 1;
  const busy0 = busySeconds();
  let wall: number, cpu: number, rssKiB: number, code: number;
  let stdout: Uint8Array, stderr: Uint8Array;
  if (GNU_TIME) {
    const timeFile = Deno.makeTempFileSync({ suffix: ".time" });
    try {
      const o = await new Deno.Command("/usr/bin/time", {
        args: ["-f", "%e %U %S %M", "-o", timeFile, ...cmd],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const last = Deno.readTextFileSync(timeFile).trim().split("\n").pop()!;
      const [w, user, sys, rss] = last.split(/\s+/).map(Number);
      [wall, cpu, rssKiB, code, stdout, stderr] = [w, user + sys, rss, o.code, o.stdout, o.stderr];
    } finally {
      Deno.removeSync(timeFile);
    }
  } else {
    // wall from the clock, CPU from our reaped children's times, peak RSS by polling
    const cpu0 = childrenCpu();
    const t0 = performance.now();
    const proc = new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "piped", stderr: "piped" })
      .spawn();
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${proc.pid}/status`));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch { /* gone */ }
    }, 5);
    const o = await proc.output();
    clearInterval(poll);
    [wall, cpu, rssKiB, code, stdout, stderr] = [
      (performance.now() - t0) / 1000,
      childrenCpu() - cpu0,
      peak,
      o.code,
      o.stdout,
      o.stderr,
    ];
  }
  const busy1 = busySeconds();
  Deno.writeFileSync(log, stdout);
  Deno.writeFileSync(log, stderr, { append: true });
  return {
    wall,
    cpu,
    rssMiB: rssKiB / 1024,
    code,
    foreignPct: wall > 0 ? Math.max(0, busy1 - busy0 - cpu) / (ncpu * wall) * 100 : 0,
  };
}

async function runMeasured(cmd: string[], out: string, log: string): Promise<Run> {
  try {
    Deno.removeSync(out, { recursive: true });
  } catch { /* not there */ }
  return await timed(cmd, log);
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(d)];
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory) walk(p);
      else if (e.name.endsWith(".jpg")) out.set(relative(dir, p), p);
    }
  };
  walk(dir);
  return out;
}

/** How our JPEGs compare with another peer's: same names, byte-identical files. */
interface Comparison {
  variant: string;
  peer: string;
  ours: number;
  theirs: number;
  sameNames: boolean;
  identical: number;
}

function compareTrees(variant: string, peer: string, ours: string, theirs: string): Comparison {
  const a = files(ours), b = files(theirs);
  let identical = 0;
  for (const [name, path] of a) {
    const other = b.get(name);
    if (!other) continue;
    const x = Deno.readFileSync(path), y = Deno.readFileSync(other);
    if (x.length === y.length && x.every((v, i) => v === y[i])) identical++;
  }
  const sameNames = a.size === b.size && [...a.keys()].every((k) => b.has(k));
  return { variant, peer, ours: a.size, theirs: b.size, sameNames, identical };
}

async function dicomdirInstances(dicomdir: string): Promise<number> {
  Deno.statSync(dicomdir); // NotFound when missing
  const { fileSet } = await import("../lib/fileset/file_set.ts");
  return [...fileSet(dicomdir)].length;
}

function sh(cmd: string[], quiet = false): { ok: boolean; out: string } {
  try {
    const o = new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    const out = new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr);
    if (!quiet && !o.success) console.error(out);
    return { ok: o.success, out };
  } catch (e) {
    return { ok: false, out: (e as Error).message };
  }
}

/** apt-gets the peers' Debian packages that are missing (as root only). */
function installPackages(): void {
  const missing = APT_PACKAGES.filter((p) =>
    !/Status: install ok installed/.test(sh(["dpkg", "-s", p], true).out)
  );
  if (!missing.length) return;
  if (Deno.uid?.() !== 0) {
    console.error(`bench: missing Debian packages (not root, not installing): ${missing}`);
    return;
  }
  console.error(`bench: apt-get install ${missing.join(" ")}`);
  const args = ["install", "-y", "--no-install-recommends", ...missing];
  if (!sh(["apt-get", ...args]).ok) {
    sh(["apt-get", "update"]);
    sh(["apt-get", ...args]);
  }
}

/** Builds the bench data set with the shared generator when a variant is missing. */
async function ensureData(
  data: string,
  perSeries: number,
  variants: readonly string[],
): Promise<void> {
  const missing: string[] = [];
  for (const v of variants) {
    try {
      if (await dicomdirInstances(join(data, v, "DICOMDIR")) !== 3 * perSeries) missing.push(v);
    } catch {
      missing.push(v);
    }
  }
  if (!missing.length) return;
  for (const v of missing) {
    try {
      const n = await dicomdirInstances(join(data, v, "DICOMDIR"));
      throw new Error(
        `${data}/${v} has ${n} instances, not ${3 * perSeries}: pass --data with another ` +
          `folder, or remove it to rebuild`,
      );
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  console.error(`bench: building ${data} (${missing.join(", ")}), about 35 s`);
  const ok = sh([
    PY,
    join(SHARED_BENCH, "make_dataset.py"),
    data,
    "--images-per-series",
    String(perSeries),
    "--variants",
    missing.join(","),
  ]).ok;
  if (!ok) throw new Error(`make_dataset.py failed for ${data}`);
}

function machine(data: string, rounds: number, warmup: number): string {
  const read = (p: string) => {
    try {
      return Deno.readTextFileSync(p);
    } catch {
      return "";
    }
  };
  const cpu = /model name\s*:\s*(.*)/.exec(read("/proc/cpuinfo"))?.[1] ?? "?";
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(read("/proc/meminfo"))?.[1] ?? 0);
  const os = /PRETTY_NAME="([^"]*)"/.exec(read("/etc/os-release"))?.[1] ?? "?";
  const kernel = read("/proc/sys/kernel/osrelease").trim();
  const py = sh([
    PY,
    "-c",
    "import sys, pydicom, numpy, PIL, gdcm; print('Python', sys.version.split()[0] + ';', " +
    "'pydicom', pydicom.__version__, 'numpy', numpy.__version__, 'Pillow', PIL.__version__, " +
    "'gdcm', gdcm.Version.GetVersion())",
  ], true).out.trim();
  const dcmtk = sh(["dcmdump", "--version"], true).out.split("\n")[0].trim();
  return [
    `date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `cpu:  ${cpu} x ${navigator.hardwareConcurrency} cores; mem: ${
      Math.round(memKb / 1048576)
    } GiB`,
    `os: ${os}, kernel ${kernel}`,
    `deno: ${Deno.version.deno} (V8 ${Deno.version.v8})`,
    `python: ${py}`,
    `dcmtk: ${dcmtk}`,
    `runs: ${rounds} counted + ${warmup} warm-up per configuration; warm page cache; data in ${data}`,
  ].join("\n");
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "-";
}

function summarize(
  variant: string,
  peer: string,
  runs: Run[],
  images: number,
  expected: number,
): Result {
  const walls = runs.map((r) => r.wall);
  const wall = median(walls);
  return {
    variant,
    peer,
    runs,
    images,
    expected,
    ok: images === expected && runs.every((r) => r.code === 0),
    wall,
    wallMin: Math.min(...walls),
    wallMax: Math.max(...walls),
    cpu: median(runs.map((r) => r.cpu)),
    rssMiB: median(runs.map((r) => r.rssMiB)),
    imagesPerSecond: images / wall,
    foreignPct: median(runs.map((r) => r.foreignPct)),
    foreignMaxPct: Math.max(...runs.map((r) => r.foreignPct)),
  };
}

/** The Markdown tables: every run's summary, then images/s with our ratios. */
function report(
  results: Result[],
  comparisons: Comparison[],
  variants: readonly string[],
  peerList: Peer[],
): string {
  const lines: string[] = [];
  lines.push(
    "| variant | peer | wall s, median [min-max] | CPU s | peak RSS MiB | images/s | ms/image | foreign load, median (max) | status |",
    "|---|---|---|---|---|---|---|---|---|",
  );
  for (const r of results) {
    const status = r.ok
      ? `ok (${r.runs.length} runs)`
      : `**fails** (exit ${[...new Set(r.runs.map((x) => x.code))].join(",")}, ${r.images} jpgs)`;
    lines.push(
      `| ${r.variant} | ${r.peer} | ${fmt(r.wall)} [${fmt(r.wallMin)}-${fmt(r.wallMax)}] | ${
        fmt(r.cpu)
      } | ${fmt(r.rssMiB, 0)} | ${r.ok ? fmt(r.imagesPerSecond, 0) : "-"} | ${
        r.ok ? fmt(r.wall * 1000 / r.images, 1) : "-"
      } | ${fmt(r.foreignPct, 0)}% (${fmt(r.foreignMaxPct, 0)}%) | ${status} |`,
    );
  }
  lines.push("", "Images per second (median wall):", "");
  lines.push(
    `| peer | ${variants.map((v) => VARIANT_NAMES[v] ?? v).join(" | ")} |`,
    `|---|${variants.map(() => "---|").join("")}`,
  );
  const get = (peer: string, v: string) => results.find((r) => r.peer === peer && r.variant === v);
  for (const p of peerList) {
    if (!results.some((r) => r.peer === p.name)) continue;
    const cells = variants.map((v) => {
      const r = get(p.name, v);
      if (!r) return "";
      if (!r.ok) return "fails";
      const s = fmt(r.imagesPerSecond, 0);
      return p.name === "ours" ? `**${s}**` : s;
    });
    lines.push(`| ${p.name === "ours" ? "**" + p.label + "**" : p.label} | ${cells.join(" | ")} |`);
  }
  const best = (v: string) =>
    results.filter((r) => r.variant === v && !r.peer.startsWith("ours") && r.ok)
      .sort((x, y) => y.imagesPerSecond - x.imagesPerSecond)[0];
  for (const mine of ["ours", "ours-alt"]) {
    if (!results.some((r) => r.peer === mine)) continue;
    const cells = (other: (v: string) => Result | undefined, name: boolean) =>
      variants.map((v) => {
        const ours = get(mine, v), them = other(v);
        if (!ours?.ok || !them?.ok) return "";
        const x = `${fmt(ours.imagesPerSecond / them.imagesPerSecond)}x`;
        return name ? `${x} (${them.peer})` : x;
      }).join(" | ");
    if (results.some((r) => r.peer === "pydicom")) {
      lines.push(`| ${mine} / tutorial script | ${cells((v) => get("pydicom", v), false)} |`);
    }
    if (results.some((r) => !r.peer.startsWith("ours"))) {
      lines.push(`| ${mine} / best peer | ${cells(best, true)} |`);
    }
  }
  if (comparisons.length) {
    lines.push(
      "",
      "Our JPEGs against another peer's, last run of each (file by file, same relative path):",
      "",
      "| variant | peers | our files | their files | same names | byte-identical |",
      "|---|---|---|---|---|---|",
    );
    for (const c of comparisons) {
      lines.push(
        `| ${c.variant} | ${c.peer} | ${c.ours} | ${c.theirs} | ${
          c.sameNames ? "yes" : "no"
        } | ${c.identical}/${c.ours} |`,
      );
    }
  }
  return lines.join("\n");
}

async function bench(args: Args): Promise<void> {
  if (args.install) installPackages();
  await ensureData(args.data, args.perSeries, args.variants);
  const all = peers(args.jobs, args.alt);
  if (args.alt && !args.peers.includes("ours-alt")) args.peers.splice(1, 0, "ours-alt");
  const chosen = args.peers[0] === "all" ? all : args.peers.map((n) => {
    const p = all.find((x) => x.name === n);
    if (!p) throw new Error(`unknown peer ${n} (known: ${all.map((x) => x.name)})`);
    return p;
  });
  const expected = 3 * args.perSeries;
  const results: Result[] = [];
  const comparisons: Comparison[] = [];
  let retried = 0;
  for (const v of args.variants) {
    const dicomdir = join(args.data, v, "DICOMDIR");
    const outOf = (p: Peer) => join(args.out, v, p.name);
    const logOf = (p: Peer) => join(args.out, v, `${p.name}.log`);
    Deno.mkdirSync(join(args.out, v), { recursive: true });
    for (let w = 0; w < args.warmup; w++) {
      for (const p of chosen) await runMeasured(p.command(dicomdir, outOf(p)), outOf(p), logOf(p));
    }
    const runs = new Map<string, Run[]>(chosen.map((p) => [p.name, []]));
    for (let r = 0; r < args.rounds; r++) {
      const k = r % chosen.length;
      for (const p of [...chosen.slice(k), ...chosen.slice(0, k)]) {
        let run: Run;
        for (let attempt = 0;; attempt++) {
          run = await runMeasured(p.command(dicomdir, outOf(p)), outOf(p), logOf(p));
          console.error(
            `${v.padEnd(8)} round ${r + 1} ${p.name.padEnd(11)} ${fmt(run.wall)} s cpu ${
              fmt(run.cpu)
            } s rss ${fmt(run.rssMiB, 0)} MiB foreign ${fmt(run.foreignPct, 0)}%${
              run.code ? ` exit ${run.code}` : ""
            }`,
          );
          if (run.foreignPct <= args.maxForeign || attempt >= args.retries) break;
          retried++;
          console.error(`  foreign load over ${args.maxForeign}%: again`);
          await new Promise((ok) => setTimeout(ok, 2000));
        }
        runs.get(p.name)!.push(run);
      }
    }
    for (const p of chosen) {
      const res = summarize(v, p.name, runs.get(p.name)!, files(outOf(p)).size, expected);
      results.push(res);
      console.error(
        `${v.padEnd(8)} ${p.name.padEnd(11)} median ${fmt(res.wall)} s  ${
          fmt(res.imagesPerSecond, 0)
        } images/s  ${res.ok ? "ok" : "FAILED, see " + logOf(p)}`,
      );
    }
    for (const ours of chosen.filter((p) => p.name.startsWith("ours"))) {
      for (const p of chosen) {
        if (p.name.startsWith("ours") || p.name.startsWith("dcmtk")) continue;
        comparisons.push(compareTrees(v, `${ours.name} vs ${p.name}`, outOf(ours), outOf(p)));
      }
    }
  }
  const table = report(results, comparisons, args.variants, all) +
    `\n\nRuns redone because other processes used more than ${args.maxForeign}% of the ` +
    `machine: ${retried} (at most ${args.retries} tries more per run; the last one counts).`;
  const host = machine(args.data, args.rounds, args.warmup);
  console.log(`${host}\n\n${table}`);
  if (args.json) {
    Deno.writeTextFileSync(args.json, JSON.stringify({ machine: host, results, comparisons }));
  }
  if (args.write) writeReport(args.write, host, table, args);
}

/**
 * Our pipeline in one thread, stage by stage (ms per image, median of `rounds` passes over
 * each variant), then whole processes on a 3-image set: start-up and the worker's cost.
 */
async function profile(args: Args): Promise<void> {
  const { fileSet } = await import("../lib/fileset/file_set.ts");
  const { read } = await import("../lib/io/read.ts");
  const { pixelArray } = await import("../lib/pixels/decode.ts");
  const { renderTutorial8 } = await import("../lib/image/tutorial.ts");
  const { toImage } = await import("../lib/image/to_image.ts");
  const { applyModalityLut } = await import("../lib/lut/modality.ts");
  const { applyVoiLut } = await import("../lib/lut/voi.ts");
  const { scaleTutorial } = await import("../lib/image/scale.ts");
  const { writeAtomic } = await import("../lib/io/files.ts");
  const stages = ["read file", "parse", "decode", "fused LUT", "JPEG encode", "write"];
  const rows: string[] = [];
  for (const v of args.variants) {
    const paths = [...fileSet(join(args.data, v, "DICOMDIR"))].map((i) => i.path);
    const perPass: Record<string, number[]> = {};
    const out = join(args.out, "profile", v);
    let picture = new Uint8Array(0);
    for (let pass = 0; pass < Math.max(1, args.rounds); pass++) {
      try {
        Deno.removeSync(out, { recursive: true });
      } catch { /* not there */ }
      const sum: Record<string, number> = {};
      const lap = (stage: string, t: number) => {
        const now = performance.now();
        sum[stage] = (sum[stage] ?? 0) + now - t;
        return now;
      };
      let n = 0;
      for (const path of paths) {
        let t = performance.now();
        const bytes = Deno.readFileSync(path);
        t = lap("read file", t);
        const ds = read(bytes);
        t = lap("parse", t);
        const arr = pixelArray(ds);
        t = lap("decode", t);
        if (picture.length !== arr.data.length) picture = new Uint8Array(arr.data.length);
        const image = renderTutorial8(arr, ds, { out: picture });
        t = lap("fused LUT", t);
        const jpg = toImage(image, { format: "jpeg", quality: 75, scaling: "none" });
        t = lap("JPEG encode", t);
        await writeAtomic(join(out, `${n++}.jpg`), jpg);
        t = lap("write", t);
        scaleTutorial(applyVoiLut(applyModalityLut(arr, ds), ds, { index: 0 }));
        lap("float64 chain (not fused)", t);
      }
      for (const k in sum) (perPass[k] ??= []).push(sum[k] / paths.length);
    }
    const ms = (k: string) => median(perPass[k]);
    const total = stages.reduce((a, k) => a + ms(k), 0);
    rows.push(
      `| ${v} | ${stages.map((k) => fmt(ms(k))).join(" | ")} | **${fmt(total)}** | ${
        fmt(ms("float64 chain (not fused)"))
      } |`,
    );
    console.error(`profile: ${v} done`);
  }
  console.log(
    [
      `Our pipeline in one thread, ms per image (median of ${Math.max(1, args.rounds)} passes ` +
      `over ${args.data}):`,
      "",
      `| variant | ${stages.join(" | ")} | total | float64 chain (not fused) |`,
      `|---|${stages.map(() => "---|").join("")}---|---|`,
      ...rows,
    ].join("\n"),
  );
  // Whole processes on a 3-image set: start-up, and what a worker adds.
  const tiny = `${args.data}-3`;
  await ensureData(tiny, 1, ["explicit"]);
  const dicomdir = join(tiny, "explicit", "DICOMDIR");
  const convert = join(ROOT, "scripts", "convert.ts");
  const lines = ["", "Whole `convert.ts` processes on 3 images (median of 7):", ""];
  lines.push("| command | wall ms | CPU ms | peak RSS MiB |", "|---|---|---|---|");
  const tinyOut = join(args.out, "profile", "tiny");
  const deno = Deno.execPath();
  const cases: [string, string[]][] = [
    ["`deno eval 0` (the runtime alone)", [deno, "eval", "0"]],
    ["convert.ts --jobs 1", [
      deno,
      "run",
      "-A",
      convert,
      dicomdir,
      tinyOut,
      "--quiet",
      "--jobs",
      "1",
    ]],
    ["convert.ts --jobs 2", [
      deno,
      "run",
      "-A",
      convert,
      dicomdir,
      tinyOut,
      "--quiet",
      "--jobs",
      "2",
    ]],
  ];
  for (const [name, cmd] of cases) {
    const runs: Run[] = [];
    for (let i = 0; i < 8; i++) {
      const run = await runMeasured(cmd, tinyOut, join(args.out, "profile", "tiny.log"));
      if (i > 0) runs.push(run); // the first one warms the caches
    }
    lines.push(
      `| ${name} | ${fmt(median(runs.map((r) => r.wall)) * 1000, 0)} | ${
        fmt(median(runs.map((r) => r.cpu)) * 1000, 0)
      } | ${fmt(median(runs.map((r) => r.rssMiB)), 0)} |`,
    );
  }
  console.log(lines.join("\n"));
}

const BEGIN = "<!-- bench_convert: begin -->";
const END = "<!-- bench_convert: end -->";

/** Puts the machine and the tables between the markers of `path` (or makes the file). */
function writeReport(path: string, host: string, table: string, args: Args): void {
  const block = [
    BEGIN,
    "",
    "```",
    host,
    "```",
    "",
    `Command: \`deno run -A tools/bench_convert.ts ${args.argv.join(" ")}\``,
    "",
    table,
    "",
    END,
  ].join("\n");
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    text = `# Convert benchmark\n\n${BEGIN}\n${END}\n`;
  }
  const a = text.indexOf(BEGIN), b = text.indexOf(END);
  text = a >= 0 && b > a
    ? text.slice(0, a) + block + text.slice(b + END.length)
    : `${text.trimEnd()}\n\n${block}\n`;
  Deno.writeTextFileSync(path, text);
  console.error(`bench: wrote ${path}`);
}

interface Args {
  data: string;
  perSeries: number;
  out: string;
  rounds: number;
  warmup: number;
  variants: string[];
  peers: string[];
  jobs?: number;
  alt?: string;
  maxForeign: number;
  retries: number;
  write?: string;
  json?: string;
  profile: boolean;
  install: boolean;
  argv: string[];
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: "string", default: "/tmp/dicom-bench" },
      "images-per-series": { type: "string", default: "100" },
      out: { type: "string", default: "/tmp/dicom-bench-out" },
      rounds: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      variants: { type: "string", default: VARIANTS.join(",") },
      peers: { type: "string", default: "ours,pydicom,pydicom-mp2,gdcm,dcmtk-P2" },
      jobs: { type: "string" },
      alt: { type: "string" },
      "max-foreign": { type: "string", default: "10" },
      retries: { type: "string", default: "3" },
      write: { type: "string" },
      json: { type: "string" },
      profile: { type: "boolean", default: false },
      "no-install": { type: "boolean", default: false },
    },
  });
  const variants = values.variants!.split(",").filter(Boolean);
  for (const v of variants) {
    if (!(VARIANTS as readonly string[]).includes(v)) {
      throw new Error(`unknown variant ${v} (known: ${VARIANTS})`);
    }
  }
  return {
    data: values.data!,
    perSeries: Number(values["images-per-series"]),
    out: values.out!,
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    variants,
    peers: values.peers!.split(",").filter(Boolean),
    jobs: values.jobs ? Number(values.jobs) : undefined,
    alt: values.alt,
    maxForeign: Number(values["max-foreign"]),
    retries: Number(values.retries),
    write: values.write,
    json: values.json,
    profile: values.profile!,
    install: !values["no-install"],
    argv,
  };
}

if (import.meta.main) {
  const args = parse(Deno.args);
  if (args.profile) {
    await ensureData(args.data, args.perSeries, args.variants);
    await profile(args);
  } else {
    await bench(args);
  }
}
