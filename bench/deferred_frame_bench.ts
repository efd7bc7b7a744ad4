/**
 * One frame of a large multi-frame file (issue 11, item 6): 300 frames of 1024x1024,
 * 16-bit, uncompressed (629 MB of pixel data; generated once into the temp folder, see
 * `_deferred_frame_data.ts`). With `read(path, { deferSize })`, `pixelArray(ds, { frame })`
 * reads that frame's 2 MiB only. Aims: frame 150 in under 10 ms, peak RSS under 150 MB.
 *
 * The peak RSS is measured in a fresh process (`_deferred_frame_peak.ts`, VmHWM) before
 * the benchmarks run, and printed.
 *
 * Run with `deno bench -A bench/deferred_frame_bench.ts`.
 */
import { read } from "../lib/io/read.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import { bigFile } from "./_deferred_frame_data.ts";

const path = bigFile();
const peak = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL("./_deferred_frame_peak.ts", import.meta.url).pathname, path, "150"],
}).outputSync();
if (!peak.success) throw new Error(new TextDecoder().decode(peak.stderr));
const m = JSON.parse(new TextDecoder().decode(peak.stdout));
console.log(
  `fresh process: read ${m.readMs.toFixed(1)} ms, frame 150 ${m.frameMs.toFixed(1)} ms ` +
    `(CPU ${m.frameCpuMs.toFixed(1)} ms; warm: ${m.warmFrameMs.toFixed(1)} ms, ` +
    `CPU ${m.warmFrameCpuMs.toFixed(1)} ms), ` +
    `peak RSS ${m.peakMiB.toFixed(0)} MiB (aim: under 150 MB)`,
);

// all 300 frames, one at a time, from one dataset: memory stays that of one frame
const scroll = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("./_deferred_frame_peak.ts", import.meta.url).pathname,
    path,
    "150",
    "--scroll",
  ],
}).outputSync();
if (!scroll.success) throw new Error(new TextDecoder().decode(scroll.stderr));
const s = JSON.parse(new TextDecoder().decode(scroll.stdout));
console.log(
  `fresh process, every frame in turn: ${(s.scrollMs / 300).toFixed(1)} ms a frame, ` +
    `peak RSS ${s.peakMiB.toFixed(0)} MiB`,
);

Deno.bench({
  name: "read(path, { deferSize }) + pixelArray frame 150 of 300 (1024x1024x16 bit)",
  group: "one frame of 629 MB",
  baseline: true,
  fn() {
    const ds = read(path, { deferSize: 1 << 20 });
    pixelArray(ds, { frame: 150 });
  },
});

Deno.bench({
  name: "pixelArray frame 150 alone, after a fresh read(path, { deferSize })",
  group: "one frame of 629 MB",
  fn(b) {
    const ds = read(path, { deferSize: 1 << 20 });
    b.start();
    pixelArray(ds, { frame: 150 });
    b.end();
  },
});

const reused = new Uint16Array(1024 * 1024);
Deno.bench({
  name: "pixelArray frame 150 alone into a reused array ({ out }), after a fresh read",
  group: "one frame of 629 MB",
  fn(b) {
    const ds = read(path, { deferSize: 1 << 20 });
    b.start();
    pixelArray(ds, { frame: 150, out: reused });
    b.end();
  },
});
