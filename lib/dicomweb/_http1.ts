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

/**
 * A response body read straight from the socket, for the multipart reader: small reads
 * into one reused block for the part headers, and reads straight into the caller's array
 * for the part bodies (no block allocated, no copy).
 */
export interface RawBody {
  /** The next bytes, a view valid until the next call; null at the end. */
  next(): Promise<Uint8Array | null>;
  /** Fills `out` from the body; the count, short of `out.length` only at the end. */
  into(out: Uint8Array): Promise<number>;
  /** Closes the connection. */
  cancel(): void;
}

/** The raw bodies of the responses made here (not chunked), for {@linkcode rawBody}. */
const raw = new WeakMap<Response, RawBody>();

/**
 * The body of a response from {@linkcode http1Get} as a {@linkcode RawBody}, when it is
 * not chunked; undefined for other responses. Use either this or `response.body`.
 */
export function rawBody(response: Response): RawBody | undefined {
  return raw.get(response);
}

/** The socket's bytes, with what was read past the headers kept first. */
class Socket {
  #conn: Deno.Conn;
  #pending: Uint8Array | null;
  #closed = false;
  #block: Uint8Array | null = null;

  constructor(conn: Deno.Conn, pending: Uint8Array) {
    this.#conn = conn;
    this.#pending = pending.length ? pending : null;
  }

  /** Up to `max` bytes (a fresh copy), or null at the end. */
  async read(max = BLOCK): Promise<Uint8Array | null> {
    if (!this.#pending) {
      if (this.#closed) return null;
      this.#block ??= new Uint8Array(BLOCK);
      const n = await this.#conn.read(this.#block);
      if (n === null) return null;
      this.#pending = this.#block.slice(0, n); // a copy of what came, not of the block
    }
    const p = this.#pending;
    if (p.length <= max) {
      this.#pending = null;
      return p;
    }
    this.#pending = p.subarray(max);
    return p.subarray(0, max);
  }

  /** One socket read into `out` (what was kept first); the count, 0 at the end. */
  async some(out: Uint8Array): Promise<number> {
    if (this.#pending) {
      const p = this.#pending;
      const take = Math.min(p.length, out.length);
      out.set(p.subarray(0, take));
      this.#pending = take < p.length ? p.subarray(take) : null;
      return take;
    }
    if (this.#closed || out.length === 0) return 0;
    return await this.#conn.read(out) ?? 0;
  }

  /** Fills `out` as far as the socket goes (up to its end); the count, 0 at the end. */
  async fill(out: Uint8Array): Promise<number> {
    let got = 0;
    while (got < out.length) {
      const n = await this.some(out.subarray(got));
      if (n === 0) break;
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

/** Small reads for the headers between parts: a part's body goes to `into`. */
const NEXT_BLOCK = 1 << 16;

/** A body with a `Content-Length` (`length`) or up to the connection's end (Infinity). */
class PlainBody implements RawBody {
  #socket: Socket;
  #left: number;
  #length: number;
  #received = 0;
  #block = new Uint8Array(NEXT_BLOCK);

  constructor(socket: Socket, length: number) {
    this.#socket = socket;
    this.#left = length;
    this.#length = length;
  }

  /** Bytes still to come (Infinity: up to the connection's end). */
  get remaining(): number {
    return this.#left;
  }

  /** Counts `n` bytes got of `want`; fewer means the connection ended. */
  #count(n: number, want: number): void {
    this.#left -= n;
    this.#received += n;
    if (n < want) {
      this.#socket.close();
      if (this.#left !== Infinity) {
        throw new Error(`connection closed after ${this.#received} of ${this.#length} bytes`);
      }
      this.#left = 0;
    } else if (this.#left === 0) this.#socket.close();
  }

  async next(): Promise<Uint8Array | null> {
    const want = Math.min(this.#block.length, this.#left);
    if (want === 0) return null;
    const n = await this.#socket.some(this.#block.subarray(0, want));
    this.#count(n, n === 0 ? want : n);
    return n === 0 ? null : this.#block.subarray(0, n);
  }

  async into(out: Uint8Array): Promise<number> {
    const want = Math.min(out.length, this.#left);
    if (want === 0) return 0;
    const n = await this.#socket.fill(out.subarray(0, want));
    this.#count(n, want);
    return n;
  }

  cancel(): void {
    this.#socket.close();
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

function bodyStream(
  socket: Socket,
  chunked: boolean,
  plain: PlainBody | undefined,
): ReadableStream<Uint8Array> {
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
        // blocks of 1 MiB filled by the socket's reads straight into them
        const out = new Uint8Array(Math.min(BLOCK, Math.max(1, plain!.remaining)));
        const n = await plain!.into(out);
        if (n === 0) {
          controller.close();
          return;
        }
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
    // nothing is read before it is asked for: the raw body may be read instead
  }, { highWaterMark: 0 });
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
  const chunked = /chunked/i.test(responseHeaders.get("transfer-encoding") ?? "");
  const lengthText = responseHeaders.get("content-length");
  const length = lengthText !== null && /^\s*\d+\s*$/.test(lengthText)
    ? Number(lengthText)
    : Infinity;
  const plain = chunked ? undefined : new PlainBody(socket, length);
  const response = new Response(bodyStream(socket, chunked, plain), {
    status,
    statusText: m[2],
    headers: responseHeaders,
  });
  if (plain) raw.set(response, plain);
  return response;
}
