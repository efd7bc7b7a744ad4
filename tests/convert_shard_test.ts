/**
 * Shards (`--shard K/N`, `shard: { index, count }`): a fixed partition of the instances,
 * names planned over the whole file-set, the union of the shards' outputs equal to one
 * run byte for byte, reports merged, a shard resumed; and the README's Slurm array and
 * Kubernetes Indexed Job commands run as local processes.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  convertFileSet,
  type ConvertReport,
  mergeReports,
  parseShard,
  progressLine,
  shardOf,
} from "../lib/convert/mod.ts";
import { fileSet, writeDicomdir } from "../lib/fileset/mod.ts";
import { listFiles, readTree, slice, tempDir, writeFiles } from "./_convert_helpers.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** `n` phantom slices, two of them sharing an Instance Number (a `_dup1` name), with a DICOMDIR. */
function fileSetWithDuplicate(dir: string, n = 9): void {
  const datasets = Array.from({ length: n }, (_, i) => slice(i, { slices: n, size: 16 }));
  datasets[n - 1].set("InstanceNumber", 1);
  writeFiles(`${dir}/in`, datasets);
  writeDicomdir(`${dir}/in`);
}

function sameTrees(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, bytes] of a) assert.deepEqual(bytes, b.get(name), name);
}

Deno.test("shards: disjoint, covering, and their union is one full run byte for byte (_dup names included)", async () => {
  const dir = tempDir();
  try {
    fileSetWithDuplicate(dir);
    const full = await convertFileSet(`${dir}/in`, `${dir}/full`, { format: "png", jobs: 1 });
    assert.equal(full.images, 9);
    assert.ok(listFiles(`${dir}/full`).some((n) => n.endsWith("1_dup1.png")));
    const reports: ConvertReport[] = [];
    const lines: string[] = [];
    for (let index = 0; index < 3; index++) {
      reports.push(
        await convertFileSet(`${dir}/in`, `${dir}/sharded`, {
          format: "png",
          jobs: 1,
          shard: { index, count: 3 },
          onProgress: (e) => e.phase === "done" && lines.push(progressLine(e)),
        }),
      );
    }
    // the progress says which shard, how many of its instances, images and failures
    assert.deepEqual(
      lines.map((l) => l.replace(/ [\d.]+\/s ETA [^,\s]+/, "")),
      reports.map((r, k) =>
        `progress: shard ${k}/3: ${r.instances}/${r.instances} 100%, ${r.images} image(s)`
      ),
    );
    sameTrees(readTree(`${dir}/sharded`), readTree(`${dir}/full`));
    // each instance in exactly the shard its path hashes to
    const ids = [...fileSet(`${dir}/in`)].map((i) => i.fileId);
    assert.deepEqual(
      reports.map((r) => r.instances),
      [0, 1, 2].map((k) => ids.filter((id) => shardOf(id, 3) === k).length),
    );
    assert.deepEqual(reports.map((r) => r.shard), [0, 1, 2].map((index) => ({ index, count: 3 })));
    const merged = mergeReports(reports);
    assert.deepEqual(
      [merged.instances, merged.converted, merged.images, merged.missingShards, merged.failed],
      [9, 9, 9, [], []],
    );
    assert.throws(() => mergeReports([reports[0], reports[0]]), /two reports of shard 0\/3/);
    assert.deepEqual(mergeReports(reports.slice(1)).missingShards, [0]);
    await assert.rejects(
      convertFileSet(`${dir}/in`, `${dir}/x`, { shard: { index: 3, count: 3 } }),
      /shard 3\/3/,
    );
    assert.throws(() => parseShard("1/0"), /not K\/N/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("shards: a shard's partition does not move when the file-set grows", () => {
  const before = Array.from({ length: 50 }, (_, i) => ["SE1", `IM${i}`]);
  const after = [...before, ...Array.from({ length: 50 }, (_, i) => ["SE2", `IM${i}`])];
  const place = (ids: string[][]) => new Map(ids.map((id) => [id.join("/"), shardOf(id, 4)]));
  const grown = place(after);
  for (const [id, k] of place(before)) assert.equal(grown.get(id), k, id);
});

/** The README's shard commands: the Slurm array's, the Indexed Job's, the merge. */
function readmeCommands(): { slurm: string; k8s: string; merge: string } {
  const readme = Deno.readTextFileSync(`${ROOT}/README.md`);
  const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => m[2]);
  const pick = (want: RegExp) => {
    for (const b of blocks) {
      for (const line of b.split("\n")) {
        const m = /^\s*(?:- )?(deno run -A scripts\/convert\.ts .*)$/.exec(line);
        if (m && want.test(m[1])) return m[1];
      }
    }
    throw new Error(`README has no command matching ${want}`);
  };
  return {
    slurm: pick(/SLURM_ARRAY_TASK_ID/),
    k8s: pick(/JOB_COMPLETION_INDEX/),
    merge: pick(/--merge-reports/),
  };
}

async function sh(command: string, env: Record<string, string>) {
  const out = await new Deno.Command("bash", {
    args: ["-c", command],
    cwd: ROOT,
    env: { ...env, PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("README: the Slurm array and the Kubernetes Indexed Job, run as 4 local processes each, equal one run; the merge adds up", async () => {
  const { slurm, k8s, merge } = readmeCommands();
  assert.match(slurm, /--shard "\$SLURM_ARRAY_TASK_ID\/4"/);
  assert.match(k8s, /--shard "\$JOB_COMPLETION_INDEX\/4"/);
  const dir = tempDir();
  try {
    fileSetWithDuplicate(dir, 10);
    const one = await sh(`deno run -A scripts/convert.ts "$IN" "$OUT" --quiet`, {
      IN: `${dir}/in/DICOMDIR`,
      OUT: `${dir}/one`,
    });
    assert.equal(one.code, 0, one.stderr);
    for (
      const [name, command, variable] of [
        ["slurm", slurm, "SLURM_ARRAY_TASK_ID"],
        ["k8s", k8s, "JOB_COMPLETION_INDEX"],
      ] as const
    ) {
      const env = { IN: `${dir}/in/DICOMDIR`, OUT: `${dir}/${name}`, REPORTS: `${dir}/${name}-r` };
      const runs = await Promise.all(
        [0, 1, 2, 3].map((k) => sh(command, { ...env, [variable]: String(k) })),
      );
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      sameTrees(readTree(`${dir}/${name}`), readTree(`${dir}/one`));
      const merged = await sh(`${merge} --json`, env);
      assert.equal(merged.code, 0, merged.stderr);
      const report = JSON.parse(merged.stdout);
      assert.deepEqual(
        [report.reports, report.instances, report.images, report.missingShards],
        [4, 10, 10, []],
      );
      // a lost image of one shard: the shard run again with --skip-existing redoes only it
      const [lost] = listFiles(`${dir}/${name}`);
      Deno.removeSync(`${dir}/${name}/${lost}`);
      const redo = await Promise.all(
        [0, 1, 2, 3].map((k) => sh(command, { ...env, [variable]: String(k) })),
      );
      for (const r of redo) assert.equal(r.code, 0, r.stderr);
      sameTrees(readTree(`${dir}/${name}`), readTree(`${dir}/one`));
      const again = JSON.parse((await sh(`${merge} --json`, env)).stdout);
      assert.deepEqual([again.images, again.skipped], [1, 9]);
    }
    // a missing report makes the merge fail
    Deno.removeSync(`${dir}/k8s-r/2.json`);
    const partial = await sh(merge, { REPORTS: `${dir}/k8s-r` });
    assert.equal(partial.code, 1);
    assert.match(partial.stderr, /missing: no report of shard\(s\) 2 of 4/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
