/**
 * A minimal HTTP/1.1 GET on `Deno.connect`/`Deno.connectTls` for the large WADO-RS
 * responses: it reads the socket in blocks of up to 1 MiB and hands them on as they
 * come. Deno's `fetch` delivers a response body in blocks of about 8 KiB, each an
 * asynchronous step; on a busy machine that made a 158 MB series take 3 to 6 times as
 * long as curl (see bench/RESULTS.md). Private to `lib/dicomweb`.
 *
 * @module
 */

const encoder = new TextEncoder();
const BLOCK = 1 << 20;

function findCrlfCrlf(buf: Uint8Array, end: number): number {
  for (let i = buf.indexOf(13); i >= 0 && i + 3 < end; i = buf.indexOf(13, i + 1)) {
    if (buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

/** The socket's bytes, with what was read past the headers kept first. */
class Socket {
  #conn: Deno.Conn;
  #pending: Uint8Array | null;
  #closed = false;
  #buffer = new Uint8Array(BLOCK);

  constructor(conn: Deno.Conn, pending: Uint8Array) {
    this.#conn = conn;
    this.#pending = pending.length ? pending : null;
  }

  /** Up to `max` bytes (a view of a fresh block), or null at the end. */
  async read(max = BLOCK): Promise<Uint8Array | null> {
    if (!this.#pending) {
      if (this.#closed) return null;
      const n = await this.#conn.read(this.#buffer);
      if (n === null) return null;
      this.#pending = this.#buffer.slice(0, n); // a copy of what came, not of the block
    }
    const p = this.#pending;
    if (p.length <= max) {
      this.#pending = null;
      return p;
    }
    this.#pending = p.subarray(max);
    return p.subarray(0, max);
  }

  /** Fills `out` as far as the socket goes (up to its end); the count, 0 at the end. */
  async fill(out: Uint8Array): Promise<number> {
    let got = 0;
    if (this.#pending) {
      const p = this.#pending;
      const take = Math.min(p.length, out.length);
      out.set(p.subarray(0, take));
      this.#pending = take < p.length ? p.subarray(take) : null;
      got = take;
    }
    while (got < out.length && !this.#closed) {
      const n = await this.#conn.read(out.subarray(got));
      if (n === null) break;
      got += n;
    }
    return got;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch { /* already closed */ }
  }
}

/** A chunked body's next chunk size line. */
async function chunkSize(socket: Socket): Promise<number> {
  let line = "";
  for (;;) {
    const b = await socket.read(1);
    if (b === null) throw new Error("connection closed inside a chunk header");
    const c = b[0];
    if (c === 10) break;
    if (c !== 13) line += String.fromCharCode(c);
    if (line.length > 1024) throw new Error("chunk header too long");
  }
  const size = parseInt(line.split(";")[0].trim(), 16);
  if (!Number.isFinite(size)) throw new Error(`bad chunk size "${line}"`);
  return size;
}

async function skipCrlf(socket: Socket): Promise<void> {
  let got = 0;
  while (got < 2) {
    const b = await socket.read(2 - got);
    if (b === null) throw new Error("connection closed after a chunk");
    got += b.length;
  }
}

function bodyStream(socket: Socket, headers: Headers): ReadableStream<Uint8Array> {
  const chunked = /chunked/i.test(headers.get("transfer-encoding") ?? "");
  const lengthText = headers.get("content-length");
  let left = !chunked && lengthText !== null ? Number(lengthText) : Infinity;
  let inChunk = 0;
  let finished = false;
  let received = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (chunked) {
          if (inChunk === 0) {
            if (finished) {
              socket.close();
              controller.close();
              return;
            }
            inChunk = await chunkSize(socket);
            if (inChunk === 0) {
              finished = true;
              socket.close();
              controller.close();
              return;
            }
          }
          const b = await socket.read(inChunk);
          if (b === null) {
            throw new Error(`connection closed after ${received} bytes, inside a chunk`);
          }
          inChunk -= b.length;
          received += b.length;
          if (inChunk === 0) await skipCrlf(socket);
          controller.enqueue(b);
          return;
        }
        if (left === 0) {
          socket.close();
          controller.close();
          return;
        }
        // blocks of 1 MiB filled by the socket's reads straight into them
        const out = new Uint8Array(Math.min(BLOCK, left));
        const n = await socket.fill(out);
        if (n === 0) {
          socket.close();
          if (left === Infinity) controller.close();
          else throw new Error(`connection closed after ${received} of ${lengthText} bytes`);
          return;
        }
        left -= n;
        received += n;
        controller.enqueue(n === out.length ? out : out.subarray(0, n));
      } catch (e) {
        socket.close();
        controller.error(e);
      }
    },
    cancel() {
      socket.close();
    },
  });
}

/**
 * GETs `url` over a new HTTP/1.1 connection (`Connection: close`) and returns a
 * `Response` whose body streams the socket in large blocks. Plain `http:` and `https:`.
 */
export async function http1Get(url: string, headers: Headers): Promise<Response> {
  const u = new URL(url);
  const tls = u.protocol === "https:";
  const port = Number(u.port || (tls ? 443 : 80));
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  const conn = tls
    ? await Deno.connectTls({ hostname, port })
    : await Deno.connect({ hostname, port });
  let head = `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n`;
  headers.forEach((v, k) => {
    if (k !== "host" && k !== "connection") head += `${k}: ${v}\r\n`;
  });
  head += "\r\n";
  const req = encoder.encode(head);
  try {
    for (let sent = 0; sent < req.length;) sent += await conn.write(req.subarray(sent));
  } catch (e) {
    conn.close();
    throw e;
  }
  // the status line and headers
  let buf = new Uint8Array(65536);
  let used = 0;
  let end = -1;
  while (end < 0) {
    if (used === buf.length) {
      if (buf.length >= 1 << 20) {
        conn.close();
        throw new Error("response headers too long");
      }
      const grown = new Uint8Array(buf.length * 2);
      grown.set(buf);
      buf = grown;
    }
    let n: number | null;
    try {
      n = await conn.read(buf.subarray(used));
    } catch (e) {
      conn.close();
      throw e;
    }
    if (n === null) {
      conn.close();
      throw new Error("connection closed before the response headers");
    }
    used += n;
    end = findCrlfCrlf(buf, used);
  }
  let text = "";
  for (let i = 0; i < end; i++) text += String.fromCharCode(buf[i]);
  const [statusLine, ...lines] = text.split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})\s*(.*)$/.exec(statusLine);
  if (!m) {
    conn.close();
    throw new Error(`not an HTTP/1.1 response: ${statusLine.slice(0, 80)}`);
  }
  const status = Number(m[1]);
  const responseHeaders = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      responseHeaders.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
  }
  const socket = new Socket(conn, buf.slice(end + 4, used));
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
    socket.close();
    return new Response(null, { status: status < 200 ? 502 : status, headers: responseHeaders });
  }
  return new Response(bodyStream(socket, responseHeaders), {
    status,
    statusText: m[2],
    headers: responseHeaders,
  });
}
