/**
 * The parent's side of a worker process (`isolation: "process"`): the same surface as a
 * Web Worker (`postMessage`, `onmessage`, `onerror`, `terminate`) over a child process
 * speaking JSON lines, with a V8 heap limit and a guard on the process's whole memory
 * (its resident set, which typed arrays and WebAssembly memories count in): a process
 * over the limit is killed and reported as dead.
 *
 * @module
 */

import type { ConvertResult } from "./convert_one.ts";
import type { ProcessRequest } from "./_process_worker.ts";

/** How often the memory guard looks at the process, in milliseconds. */
const GUARD_INTERVAL = 25;

const encoder = new TextEncoder();

/** The repository's deno.json beside this module (its import map), when there is one. */
function configFile(): string | undefined {
  const url = new URL("../../deno.json", import.meta.url);
  if (url.protocol !== "file:") return undefined;
  try {
    return Deno.statSync(url).isFile ? url.pathname : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of process `pid` in MiB (Linux `/proc`), or undefined. */
function residentMiB(pid: number): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A convert worker in a child process. */
export class ProcessWorker {
  /** Called with each result. */
  onmessage: ((e: MessageEvent<ConvertResult>) => void) | null = null;
  /** Called once when the process dies without being terminated. */
  onerror: ((e: ErrorEvent) => void) | null = null;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #terminated = false;
  #killedFor?: string;
  #stderr = "";
  #guard?: ReturnType<typeof setInterval>;

  /** Starts a worker process whose memory is limited to `memoryMiB`. */
  constructor(memoryMiB: number) {
    const config = configFile();
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        ...(config ? ["--config", config] : []),
        `--v8-flags=--max-old-space-size=${Math.max(16, Math.floor(memoryMiB))}`,
        new URL("./_process_worker.ts", import.meta.url).href,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    const pid = this.#child.pid;
    this.#guard = setInterval(() => {
      const rss = residentMiB(pid);
      if (rss !== undefined && rss > memoryMiB && !this.#killedFor) {
        this.#killedFor = `it used ${Math.round(rss)} MiB, over the limit of ${memoryMiB} MiB`;
        this.#kill();
      }
    }, GUARD_INTERVAL);
    const reading = Promise.all([this.#readResults(), this.#readErrors()]);
    Promise.all([this.#child.status, reading]).then(([status]) => this.#exited(status));
  }

  async #readResults(): Promise<void> {
    let pending = "";
    for await (const chunk of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        if (!line.trim() || this.#terminated) continue;
        this.onmessage?.(new MessageEvent("message", { data: JSON.parse(line) }));
      }
    }
  }

  async #readErrors(): Promise<void> {
    for await (const chunk of this.#child.stderr.pipeThrough(new TextDecoderStream())) {
      this.#stderr = (this.#stderr + chunk).slice(-4096);
    }
  }

  #exited(status: Deno.CommandStatus): void {
    clearInterval(this.#guard);
    if (this.#terminated) return;
    this.#terminated = true;
    const how = status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
    const last = this.#stderr.trim().split("\n").filter((l) => l.trim()).slice(-2).join(" / ");
    const why = this.#killedFor ??
      (/heap limit|out of memory/i.test(this.#stderr) ? "it ran out of JavaScript heap" : how);
    const message = `worker died: ${why}${last && !this.#killedFor ? ` (${last.trim()})` : ""}`;
    this.onerror?.(new ErrorEvent("error", { message }));
  }

  #kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }

  /** Sends a message (a Web Worker's `abort` buffer is left out: see {@linkcode abort}). */
  postMessage(
    msg: ProcessRequest | { type: "settings"; settings: unknown; abort?: unknown },
  ): void {
    if (this.#terminated) return;
    const line = msg.type === "settings" ? { type: "settings", settings: msg.settings } : msg;
    this.#writer.write(encoder.encode(JSON.stringify(line) + "\n")).catch(() => {});
  }

  /** Asks the process to stop before its next frame (a graceful interrupt). */
  abort(): void {
    this.postMessage({ type: "abort" });
  }

  /** Kills the process; no message or error follows. */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    clearInterval(this.#guard);
    this.#writer.close().catch(() => {});
    this.#kill();
  }
}
