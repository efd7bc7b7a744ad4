/**
 * One process, one job: `read(path, { deferSize: 1 MiB })` and `pixelArray(ds, { frame })`
 * on `_deferred_frame_data.ts`'s file; prints the wall and CPU time (user + system, less
 * disturbed by a loaded machine) and the process's peak RSS (VmHWM) as JSON. Run by `deferred_frame_bench.ts`; `--whole` reads without `deferSize`.
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { read } from "../lib/io/read.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { COLUMNS, FRAMES, pixelValue, ROWS } from "./_deferred_frame_data.ts";

function peakMiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = Number(/VmHWM:\s*(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const [path, frameArg, mode] = Deno.args;
const frame = Number(frameArg ?? 150);
const t0 = performance.now();
const ds = mode === "--whole" ? read(path) : read(path, { deferSize: 1 << 20 });
const t1 = performance.now();
const c1 = cpuUsage();
const arr = pixelArray(ds, { frame });
const c2 = cpuUsage(c1);
const t2 = performance.now();
for (const i of [0, 1, ROWS * COLUMNS - 1]) {
  if (arr.data[i] !== pixelValue(frame, i)) throw new Error(`frame ${frame} pixel ${i} is wrong`);
}
// again on a fresh read, the code now compiled: the cost a notebook scrolling frames sees
const again = mode === "--whole" ? ds : read(path, { deferSize: 1 << 20 });
const t3 = performance.now();
const c3 = cpuUsage();
pixelArray(again, { frame: frame + 1 });
const c4 = cpuUsage(c3);
const t4 = performance.now();
// `--scroll`: then every frame of the same dataset, one at a time, as a notebook slider
let scrollMs: number | undefined;
if (mode === "--scroll") {
  const t = performance.now();
  for (let f = 0; f < FRAMES; f++) pixelArray(ds, { frame: f });
  scrollMs = performance.now() - t;
}
console.log(JSON.stringify({
  scrollMs,
  readMs: t1 - t0,
  frameMs: t2 - t1,
  frameCpuMs: (c2.user + c2.system) / 1000,
  warmFrameMs: t4 - t3,
  warmFrameCpuMs: (c4.user + c4.system) / 1000,
  peakMiB: peakMiB(),
}));
