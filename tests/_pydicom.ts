/**
 * pydicom as an oracle: Debian's `/usr/bin/python3` with `python3-pydicom` (installed by
 * `.ci/run`). In CI (`CI=true`) a missing pydicom is a failure; elsewhere the tests that
 * need it are skipped with a loud notice.
 */

const PYTHON = "/usr/bin/python3";

let cached: boolean | undefined;

/** True when pydicom cannot be run: throws in CI, warns loudly once elsewhere. */
export function pydicomMissing(): boolean {
  if (cached === undefined) {
    try {
      const r = new Deno.Command(PYTHON, { args: ["-c", "import pydicom"], stderr: "null" })
        .outputSync();
      cached = !r.success;
    } catch {
      cached = true;
    }
    if (cached) {
      if (Deno.env.get("CI") === "true") {
        throw new Error(`pydicom not found (${PYTHON} -c 'import pydicom'): CI needs it`);
      }
      console.warn(
        `\n!!! pydicom not found (${PYTHON} -c 'import pydicom'): SKIPPING pydicom checks !!!\n`,
      );
    }
  }
  return cached;
}

/** What pydicom reads from one file: the keywords asked for, and its private tags. */
export interface PydicomView {
  /** `str()` of each keyword's value (`null` when absent). */
  values: Record<string, string | null>;
  /** The private tags (`gggg,eeee` hex) at any depth. */
  privateTags: string[];
}

const SCRIPT = `
import json, sys, pydicom
keywords = json.loads(sys.argv[1])
out = {}
for path in sys.argv[2:]:
    ds = pydicom.dcmread(path, force=True)
    values = {}
    for k in keywords:
        v = ds.get(k)
        values[k] = None if v is None else str(v)
    private = []
    def cb(d, el):
        if el.tag.is_private:
            private.append("%04x,%04x" % (el.tag.group, el.tag.elem))
    ds.walk(cb)
    out[path] = {"values": values, "privateTags": private}
print(json.dumps(out))
`;

/** Reads files with pydicom; one Python process for all of them. */
export function pydicomRead(paths: string[], keywords: string[]): Record<string, PydicomView> {
  const r = new Deno.Command(PYTHON, {
    args: ["-c", SCRIPT, JSON.stringify(keywords), ...paths],
  }).outputSync();
  if (!r.success) throw new Error(`pydicom failed: ${new TextDecoder().decode(r.stderr)}`);
  return JSON.parse(new TextDecoder().decode(r.stdout));
}
