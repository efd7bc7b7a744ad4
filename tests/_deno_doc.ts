/**
 * `deno doc --json` over some modules of this repository, at once (the tests of the public
 * API and of its option defaults read it).
 *
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** The parsed output of `deno doc --json` for `files` (paths relative to the repository). */
export async function denoDocJson(files: string[]): Promise<unknown> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `deno doc: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
