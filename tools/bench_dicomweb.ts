/**
 * Pull speed against the local Orthanc, side by side with curl: starts Orthanc (Debian's,
 * with its DICOMweb plugin) on 127.0.0.1, stores two series of phantom CT slices
 * (512x512, 16-bit; `--large` and `--small` instances), then, in rotated order per round,
 * times as whole processes under GNU time:
 *
 * - `curl`: the series' WADO-RS multipart response, saved to one file;
 * - `pull`: `scripts/dicomweb.ts pull` of the series into the tutorial's tree (one file per
 *   instance, each written through a temporary name);
 * - `pull small`: the same for the small series, for memory against instance count;
 * - `pull in process`: `client.pull` of the large series in a fresh process, timed from
 *   the call (no runtime start-up; its RSS is that process's at the end).
 *
 * ```sh
 * deno run -A tools/bench_dicomweb.ts [--large 300] [--small 100] [--rounds 3]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { dicomweb } from "../lib/dicomweb/mod.ts";
import { write } from "../lib/io/mod.ts";
import { makeCtSlice } from "../lib/sample/phantom.ts";
import { startOrthanc } from "./orthanc.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Run {
  wall: number;
  cpu: number;
  rssMB: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs a command under GNU time; wall seconds and peak RSS in MB. */
async function timed(cmd: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  const r = new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %e %U %S %M", ...cmd],
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = r.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await r.output();
  const text = new TextDecoder().decode(out.stderr);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(text);
  if (!out.success || !m) throw new Error(`${cmd[0]} failed: ${text.slice(-500)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMB: Number(m[4]) / 1024 };
}

function foreignLoad(): number {
  const line = Deno.readTextFileSync("/proc/loadavg").split(" ");
  return Number(line[0]);
}

/** Runs the benchmark and prints its table. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      large: { type: "string", default: "300" },
      small: { type: "string", default: "100" },
      rounds: { type: "string", default: "3" },
    },
  });
  const large = Number(values.large), small = Number(values.small), rounds = Number(values.rounds);

  const server = await startOrthanc();
  const work = await Deno.makeTempDir({ prefix: "dicom-deno-bench-dw-" });
  try {
    const client = dicomweb(server.dicomweb, {
      auth: { user: server.user, password: server.password },
    });
    const series: Record<string, { study: string; series: string; n: number }> = {};
    for (const [name, n, number] of [["large", large, 2], ["small", small, 3]] as const) {
      const t0 = performance.now();
      const batch: Uint8Array[] = [];
      let study = "", uid = "";
      let stored = 0;
      for (let i = 0; i < n; i++) {
        const ds = makeCtSlice(i, { slices: n });
        uid = `${ds.SeriesInstanceUID}.${number}`;
        ds.set("SeriesInstanceUID", uid);
        ds.set("SOPInstanceUID", `${uid}.${i + 1}`);
        ds.set("SeriesNumber", number);
        study = String(ds.StudyInstanceUID);
        batch.push(write(ds));
        if (batch.length === 25 || i === n - 1) {
          const report = await client.store(batch.splice(0), { batchSize: 25 });
          if (report.failed) throw new Error(`store failed: ${JSON.stringify(report.instances)}`);
          stored += report.stored;
        }
      }
      const s = (performance.now() - t0) / 1000;
      console.error(`stored ${stored} instances (${name}) in ${s.toFixed(1)} s`);
      series[name] = { study, series: uid, n };
    }

    const env = { DICOMWEB_USER: server.user, DICOMWEB_PASSWORD: server.password };
    const curlConfig = `user = "${server.user}:${server.password}"\n`;
    const accept = 'Accept: multipart/related; type="application/dicom"; transfer-syntax=*';
    const url = (s: { study: string; series: string }) =>
      `${server.dicomweb}/studies/${s.study}/series/${s.series}`;
    // `scripts/dicomweb.ts pull` of a series into a new folder
    const pullScript = async (s: { study: string; series: string }) => {
      await Deno.remove(`${work}/out`, { recursive: true }).catch(() => {});
      return await timed([
        Deno.execPath(),
        "run",
        "-A",
        `${ROOT}scripts/dicomweb.ts`,
        "pull",
        server.dicomweb,
        `${work}/out`,
        "--study",
        s.study,
        "--series",
        s.series,
        "--quiet",
      ], env);
    };
    const programs: Record<string, () => Promise<Run>> = {
      curl: () =>
        timed(
          ["curl", "-sf", "-K", "-", "-H", accept, "-o", `${work}/curl.bin`, url(series.large)],
          {},
          curlConfig,
        ),
      "pull in process": async () => {
        // the library in a fresh process, timed inside it: the transfer without the
        // runtime's start (a fresh process, not this one, which holds what it stored)
        await Deno.remove(`${work}/out`, { recursive: true }).catch(() => {});
        const r = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            `${ROOT}tools/bench_dicomweb.ts`,
            "--in-process",
            server.dicomweb,
            `${work}/out`,
            series.large.study,
            series.large.series,
          ],
          env,
          stdout: "piped",
          stderr: "inherit",
        }).output();
        const got = JSON.parse(new TextDecoder().decode(r.stdout)) as Run & { written: number };
        if (got.written !== large) throw new Error("pull in process: incomplete");
        return { wall: got.wall, cpu: NaN, rssMB: got.rssMB };
      },
      pull: () => pullScript(series.large),
      "pull small": () => pullScript(series.small),
    };
    const names = Object.keys(programs);
    const runs: Record<string, Run[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const n of names) await programs[n](); // warm-up (page cache, Orthanc's cache)
    const loads: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const n = names[(k + r) % names.length];
        runs[n].push(await programs[n]());
        loads.push(foreignLoad());
      }
    }
    const bytes = Deno.statSync(`${work}/curl.bin`).size;
    console.log(
      `| program | instances | wall (s), median of ${rounds} | instances/s | MB/s | CPU (s) | peak RSS (MB) |`,
    );
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const n of names) {
      const count = n === "pull small" ? small : large;
      const wall = median(runs[n].map((x) => x.wall));
      const rss = Math.max(...runs[n].map((x) => x.rssMB));
      const cpu = median(runs[n].map((x) => x.cpu));
      const mb = (n === "pull small" ? bytes * small / large : bytes) / 1e6;
      console.log(
        `| ${n} | ${count} | ${wall.toFixed(2)} | ${(count / wall).toFixed(0)} | ${
          (mb / wall).toFixed(0)
        } | ${cpu.toFixed(2)} | ${rss.toFixed(0)} |`,
      );
    }
    // the server's time per response is bimodal here (its storage cache, 128 MB by default,
    // is smaller than the series): every run, sorted, shows how the medians fall
    console.log("\nevery run, sorted (s):");
    for (const n of names) {
      const walls = runs[n].map((x) => x.wall).sort((a, b) => a - b);
      console.log(`  ${n.padEnd(16)} ${walls.map((w) => w.toFixed(2)).join(" ")}`);
    }
    console.log(
      `\nmultipart response: ${(bytes / 1e6).toFixed(1)} MB; load average during the runs: ` +
        `${Math.min(...loads).toFixed(1)}-${
          Math.max(...loads).toFixed(1)
        } on ${navigator.hardwareConcurrency} cores`,
    );
  } finally {
    await server.stop();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/** `--in-process URL OUT STUDY SERIES`: one pull, timed from the call; JSON on stdout. */
async function inProcess(args: string[]): Promise<void> {
  const [url, out, study, series] = args;
  const { dicomweb: client } = await import("../lib/dicomweb/client.ts");
  const t0 = performance.now();
  const report = await client(url).pull({ study, series }, out);
  const wall = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    wall,
    rssMB: Deno.memoryUsage().rss / 2 ** 20,
    written: report.written.length,
  }));
}

if (import.meta.main) {
  if (Deno.args[0] === "--in-process") await inProcess(Deno.args.slice(1));
  else await main();
}
