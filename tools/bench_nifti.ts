/**
 * `scripts/nifti.ts` against Debian's dcm2niix on the bench file-set of
 * `../shared/bench/make_dataset.py` (three 100-slice CT series of 512x512): both write
 * `.nii` (dcm2niix `-z n`), timed as whole processes (wall, CPU, peak RSS through GNU time,
 * as `bench_convert.ts` does), interleaved, medians of the rounds; the table goes into
 * `bench/RESULTS.md` between `<!-- bench_nifti -->` markers with `--write`.
 *
 * ```sh
 * deno run -A tools/bench_nifti.ts [--data /tmp/dicom-bench] [--rounds 3] [--write bench/RESULTS.md]
 * ```
 *
 * Variants: `explicit` (made by make_dataset.py when missing) and `j2k` (JPEG 2000
 * lossless: make_dataset.py's when GDCM's `gdcmconv` is installed, else transcoded from
 * `explicit` with Debian's python3-gdcm). Debian's dcm2niix cannot read JPEG-LS.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { writeDicomdir } from "../lib/fileset/dicomdir_write.ts";
import { exists } from "../lib/io/files.ts";
import { median, type Run, timed } from "./bench_convert.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAKE = fileURLToPath(new URL("../../shared/bench/make_dataset.py", import.meta.url));
const BEGIN = "<!-- bench_nifti: begin -->";
const END = "<!-- bench_nifti: end -->";

/** Transcodes a folder of DICOM files to JPEG 2000 lossless with python3-gdcm. */
const J2K = `
import gdcm, os, sys
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for f in files:
        if f == "DICOMDIR": continue
        p = os.path.join(root, f); q = os.path.join(dst, os.path.relpath(p, src))
        os.makedirs(os.path.dirname(q), exist_ok=True)
        r = gdcm.ImageReader(); r.SetFileName(p)
        if not r.Read(): sys.exit("cannot read " + p)
        c = gdcm.ImageChangeTransferSyntax()
        c.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.JPEG2000Lossless))
        c.SetInput(r.GetImage())
        if not c.Change(): sys.exit("cannot transcode " + p)
        w = gdcm.ImageWriter(); w.SetFileName(q); w.SetFile(r.GetFile()); w.SetImage(c.GetOutput())
        if not w.Write(): sys.exit("cannot write " + q)
`;

function run(cmd: string, args: string[]): void {
  const r = new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }).outputSync();
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

/** The variant's folder, made when missing. */
function ensure(data: string, variant: string): string {
  const dir = `${data}/${variant}`;
  if (exists(`${dir}/DICOMDIR`)) return dir;
  if (variant === "explicit") {
    run("/usr/bin/python3", [MAKE, data, "--variants", "explicit"]);
    return dir;
  }
  const explicit = ensure(data, "explicit");
  console.error(`bench: transcoding ${explicit} to JPEG 2000 with python3-gdcm`);
  run("/usr/bin/python3", ["-c", J2K, explicit, dir]);
  writeDicomdir(dir, { fileSetId: "BENCH" });
  return dir;
}

interface Row {
  variant: string;
  peer: string;
  runs: Run[];
}

function table(rows: Row[]): string {
  const lines = [
    "| variant | program | wall s (median) | CPU s | peak RSS MiB | foreign load % | runs |",
    "| ------- | ------- | --------------- | ----- | ------------ | -------------- | ---- |",
  ];
  for (const r of rows) {
    const m = (f: (x: Run) => number) => median(r.runs.map(f));
    lines.push(
      `| ${r.variant} | ${r.peer} | ${m((x) => x.wall).toFixed(2)} | ${
        m((x) => x.cpu).toFixed(2)
      } | ${m((x) => x.rssMiB).toFixed(0)} | ${
        m((x) => x.foreignPct).toFixed(0)
      } | ${r.runs.length} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string", default: "/tmp/dicom-bench" },
      rounds: { type: "string", default: "3" },
      variants: { type: "string", default: "explicit,j2k" },
      write: { type: "string" },
    },
  });
  const rounds = Number(values.rounds);
  const out = Deno.makeTempDirSync({ prefix: "bench_nifti_" });
  const rows: Row[] = [];
  for (const variant of values.variants.split(",")) {
    const dir = ensure(values.data, variant);
    const peers: [string, (o: string) => string[]][] = [
      [
        "ours (scripts/nifti.ts)",
        (o) => [Deno.execPath(), "run", "-A", `${ROOT}/scripts/nifti.ts`, dir, o, "--quiet"],
      ],
      [
        "ours --jobs 1",
        (o) => [
          Deno.execPath(),
          "run",
          "-A",
          `${ROOT}/scripts/nifti.ts`,
          dir,
          o,
          "--quiet",
          "--jobs",
          "1",
        ],
      ],
      ["dcm2niix -z n", (o) => ["sh", "-c", `mkdir -p ${o} && exec dcm2niix -z n -o ${o} ${dir}`]],
    ];
    const mine = peers.map(([peer]) => ({ variant, peer, runs: [] as Run[] }));
    for (let round = 0; round < rounds; round++) {
      // interleaved, the order rotated each round
      for (let k = 0; k < peers.length; k++) {
        const i = (k + round) % peers.length;
        const o = `${out}/${i}`;
        if (exists(o)) Deno.removeSync(o, { recursive: true });
        const r = await timed(peers[i][1](o), `${out}/log_${i}.txt`);
        if (r.code !== 0) {
          throw new Error(`${peers[i][0]} failed on ${variant}: see ${out}/log_${i}.txt`);
        }
        mine[i].runs.push(r);
        console.error(
          `${variant} ${peers[i][0]}: ${r.wall.toFixed(2)} s, ${r.rssMiB.toFixed(0)} MiB`,
        );
        Deno.removeSync(o, { recursive: true });
      }
    }
    rows.push(...mine);
  }
  const text = table(rows);
  console.log(text);
  if (values.write) {
    const block = `${BEGIN}\n\n${text}\n\n${END}`;
    let doc = Deno.readTextFileSync(values.write);
    const a = doc.indexOf(BEGIN), b = doc.indexOf(END);
    doc = a >= 0 && b > a
      ? doc.slice(0, a) + block + doc.slice(b + END.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
    Deno.writeTextFileSync(values.write, doc);
  }
  Deno.removeSync(out, { recursive: true });
}
