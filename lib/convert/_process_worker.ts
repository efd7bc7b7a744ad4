/**
 * A worker of `convertFileSet` in a process of its own (`isolation: "process"`): reads
 * one JSON message a line on stdin (the settings, tasks, an interrupt), converts the tasks
 * in the order received and writes one JSON result a line on stdout. A file that exhausts
 * its memory kills this process only; the parent reports it and starts another.
 *
 * @module
 */

import { convertOne, type ConvertSettings, type ConvertTask } from "./convert_one.ts";

/** The messages of the parent, one JSON object a line. */
export type ProcessRequest =
  | { type: "settings"; settings: ConvertSettings }
  | { type: "task"; task: ConvertTask }
  | { type: "abort" };

const encoder = new TextEncoder();
let settings: ConvertSettings | undefined;
let aborted = false;
const queue: ConvertTask[] = [];
let busy = false;

function send(value: unknown): void {
  const bytes = encoder.encode(JSON.stringify(value) + "\n");
  let done = 0;
  while (done < bytes.length) done += Deno.stdout.writeSync(bytes.subarray(done));
}

async function run(): Promise<void> {
  busy = true;
  while (queue.length) {
    const task = queue.shift()!;
    send(await convertOne(task, settings!, { aborted: () => aborted }));
  }
  busy = false;
}

function handle(msg: ProcessRequest): void {
  if (msg.type === "settings") settings = msg.settings;
  else if (msg.type === "abort") aborted = true;
  else {
    queue.push(msg.task);
    if (!busy) run();
  }
}

if (import.meta.main) {
  let pending = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.trim()) handle(JSON.parse(line));
    }
  }
}
