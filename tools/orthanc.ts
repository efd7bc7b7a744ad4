/**
 * For tests and benchmarks: a real Orthanc (Debian's `orthanc` and `orthanc-dicomweb`) started on
 * 127.0.0.1 at a free port with authentication on and its database in a temporary
 * folder, stopped (and its folder removed) by `stop()`.
 *
 * In CI (`CI=true`) a missing Orthanc is a failure; elsewhere the tests that need it are
 * skipped with a loud notice.
 */

import { exists } from "../lib/io/files.ts";

/** Where Debian puts the server and the DICOMweb plugin. */
export const ORTHANC = "/usr/sbin/Orthanc";
/** The DICOMweb plugin. */
export const DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

/** A running Orthanc. */
export interface OrthancServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The DICOMweb root, `http://127.0.0.1:PORT/dicom-web`. */
  dicomweb: string;
  /** The registered user. */
  user: string;
  /** Its password. */
  password: string;
  /** Its folder (configuration, log, database). */
  dir: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

let warned = false;

/**
 * True when the Orthanc tests must be skipped. Throws in CI when Orthanc or its DICOMweb
 * plugin is absent; prints a loud notice once elsewhere.
 */
export function orthancMissing(): boolean {
  if (exists(ORTHANC) && exists(DICOMWEB_PLUGIN)) return false;
  if (Deno.env.get("CI") === "true") {
    throw new Error(
      `Orthanc not found (${ORTHANC}, ${DICOMWEB_PLUGIN}): CI installs orthanc orthanc-dicomweb`,
    );
  }
  if (!warned) {
    warned = true;
    console.warn(
      "\n!!! Orthanc or its DICOMweb plugin not installed (apt install orthanc orthanc-dicomweb): " +
        "SKIPPING the DICOMweb server tests !!!\n",
    );
  }
  return true;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Starts Orthanc; resolves once its REST API answers. */
export async function startOrthanc(): Promise<OrthancServer> {
  const dir = await Deno.makeTempDir({ prefix: "dicom-deno-orthanc-" });
  const port = freePort();
  const user = "tester";
  const password = `pw-${crypto.randomUUID()}`;
  const config = {
    Name: "dicom-deno-test",
    HttpPort: port,
    DicomServerEnabled: false,
    DicomPort: freePort(),
    StorageDirectory: `${dir}/db`,
    IndexDirectory: `${dir}/db`,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [user]: password },
    HttpCompressionEnabled: false,
    ConcurrentJobs: 1,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: "/dicom-web/", StudiesMetadata: "Full" },
  };
  await Deno.writeTextFile(`${dir}/orthanc.json`, JSON.stringify(config));
  const log = await Deno.open(`${dir}/orthanc.log`, { write: true, create: true });
  const child = new Deno.Command(ORTHANC, {
    args: [`${dir}/orthanc.json`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  child.stderr.pipeTo(log.writable).catch(() => {});
  const origin = `http://127.0.0.1:${port}`;
  const auth = `Basic ${btoa(`${user}:${password}`)}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${origin}/system`, { headers: { Authorization: auth } });
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      const text = await Deno.readTextFile(`${dir}/orthanc.log`).catch(() => "");
      throw new Error(`Orthanc did not start on port ${port}:\n${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin,
    dicomweb: `${origin}/dicom-web`,
    user,
    password,
    dir,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 10_000);
      await child.status;
      clearTimeout(timer);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
