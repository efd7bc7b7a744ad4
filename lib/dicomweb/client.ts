/**
 * A DICOMweb client on `fetch` and streams: QIDO-RS search, WADO-RS retrieval (parsed as a
 * stream, one instance in memory at a time) and STOW-RS storage, with credentials kept
 * out of every message, retries on 429/503, a limit on parallel transfers and progress
 * events.
 *
 * @module
 */

import { DicomError, DicomWebError } from "../core/errors.ts";
import type { Dataset } from "../dataset/dataset.ts";
import type { DicomJsonObject } from "./json.ts";
import { boundaryOf, encodeMultipart } from "./multipart.ts";
import { treePath } from "./_tree.ts";
import { partialName, writeAtomicSync } from "../io/files.ts";
import { http1Get, rawBody } from "./_http1.ts";
import { readParts, streamSource } from "./_parts.ts";

// The dataset layer (its keyword accessors, the dictionary's tables) is loaded on first
// use: a pull names its files from each file's header and never needs it, and a
// command line that only pulls starts without it.

/** `fromDicomJson`, loaded on first use. */
async function dicomJson(): Promise<typeof import("./json.ts")> {
  return await import("./json.ts");
}

/** The reader, loaded on first use. */
async function reader(): Promise<typeof import("../io/read.ts")> {
  return await import("../io/read.ts");
}

/**
 * A resumed pull streams a whole series when at least 1 / this of its instances are
 * missing, else asks for each missing instance.
 */
const PARTIAL_SERIES_FRACTION = 8;

let headerWalker: Promise<typeof import("./_header.ts")> | undefined;

/**
 * The pull's header walker (with it the element decoder and the dictionary), loaded when a
 * pull starts: its loading overlaps the server's work on the first request.
 */
function header(): Promise<typeof import("./_header.ts")> {
  headerWalker ??= import("./_header.ts");
  return headerWalker;
}

/** Credentials: HTTP basic (`user` and `password`) or a bearer `token`. */
export interface DicomWebAuth {
  /** User name for basic authentication. */
  user?: string;
  /** Password for basic authentication. */
  password?: string;
  /** Bearer token (takes precedence over user and password). */
  token?: string;
}

/** A progress event: one more instance (or page) moved. */
export interface DicomWebProgress {
  /** What is moving. */
  kind: "search" | "retrieve" | "store" | "pull";
  /** Instances (or datasets found) so far in this call. */
  done: number;
  /** How many are expected, when known. */
  total?: number;
  /** Bytes moved so far in this call. */
  bytes: number;
  /** The SOP Instance UID of the instance just moved, when known. */
  instance?: string;
}

/** Options of {@linkcode dicomweb}. */
export interface DicomWebOptions {
  /**
   * Credentials. Without them, `DICOMWEB_TOKEN`, or `DICOMWEB_USER` and
   * `DICOMWEB_PASSWORD`, are taken from the environment (when allowed); `null` sends none.
   *
   * @default {undefined} (the URL's user info, else the environment's credentials, else
   * none)
   */
  auth?: DicomWebAuth | null;
  /**
   * Headers added to every request.
   *
   * @default {undefined} (none added)
   */
  headers?: HeadersInit;
  /**
   * The `fetch` to use (a proxy's, a test double's).
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Transfers at once (pull's instances and series, store's batches).
   *
   * @default {4}
   */
  concurrency?: number;
  /**
   * Retries of a request answered 429 or 503 (honouring `Retry-After`).
   *
   * @default {3}
   */
  retries?: number;
  /**
   * First backoff delay in milliseconds, doubled at each retry.
   *
   * @default {500}
   */
  retryDelay?: number;
  /**
   * Called after each instance, page or batch.
   *
   * @default {undefined} (no progress is told)
   */
  onProgress?: (event: DicomWebProgress) => void;
}

/** A value to match in a QIDO-RS search: text (wildcards `*` `?`, ranges `A-B`) or a list of UIDs. */
export type QueryValue = string | number | string[];

/** Match keys of a search: keywords (`PatientID`) or tags (`00100020`) to values. */
export type SearchQuery = Record<string, QueryValue>;

/** Options of the searches. */
export interface SearchOptions {
  /**
   * Limit the search to this study (series and instances).
   *
   * @default {undefined} (all studies)
   */
  study?: string;
  /**
   * Limit the search to this series (instances; needs `study`).
   *
   * @default {undefined} (all series of the scope)
   */
  series?: string;
  /**
   * Attributes to return besides the default ones (keywords or tags), or `"all"`.
   *
   * @default {[]}
   */
  includefield?: string[] | "all";
  /**
   * Ask for fuzzy matching of person names.
   *
   * @default {false}
   */
  fuzzymatching?: boolean;
  /**
   * Most results to give in all.
   *
   * @default {Infinity}
   */
  limit?: number;
  /**
   * Results to skip first.
   *
   * @default {0}
   */
  offset?: number;
  /**
   * Results asked for per request (`limit` and `offset` of each page).
   *
   * @default {100}
   */
  pageSize?: number;
}

/** Which study, series or instance. */
export interface DicomWebTarget {
  /** Study Instance UID. */
  study: string;
  /** Series Instance UID. */
  series?: string;
  /** SOP Instance UID (needs `series`). */
  instance?: string;
}

/** Options of the retrievals. */
export interface RetrieveOptions {
  /**
   * The transfer syntax to ask for; `"*"` asks the server not to transcode.
   *
   * @default {"*"}
   */
  transferSyntax?: string;
}

/** One retrieved instance: its bytes as sent (a Part 10 file) and its dataset. */
export interface RetrievedInstance {
  /** The Part 10 bytes, exactly as the server sent them. */
  bytes: Uint8Array;
  /** The dataset read from them. */
  dataset: Dataset;
}

/** Options of {@linkcode DicomWebClient.retrieveRendered}. */
export interface RenderedOptions {
  /**
   * The media type asked for.
   *
   * @default {"image/png"}
   */
  accept?: string;
  /**
   * The frame (1-based) of a multi-frame instance.
   *
   * @default {undefined} (the instance's rendered endpoint)
   */
  frame?: number;
  /**
   * Extra query parameters (`window`, `viewport`, `quality`).
   *
   * @default {undefined} (none added)
   */
  query?: Record<string, string>;
}

/** What {@linkcode DicomWebClient.store} did with one instance. */
export interface StoredInstance {
  /** The path given, or `#n` for the n-th dataset or bytes. */
  source: string;
  /** SOP Instance UID, when known. */
  sopInstanceUID?: string;
  /** True when the server kept it. */
  ok: boolean;
  /** Failure Reason (0008,1197) from the FailedSOPSequence, when the server gave one. */
  failureReason?: number;
  /** Why it failed, for failures without a reason code (HTTP errors, unreadable files). */
  error?: DicomError;
}

/** The result of {@linkcode DicomWebClient.store}. */
export interface StoreReport {
  /** One entry per instance, in the order given. */
  instances: StoredInstance[];
  /** How many the server kept. */
  stored: number;
  /** How many failed. */
  failed: number;
}

/** Options of {@linkcode DicomWebClient.store}. */
export interface StoreOptions {
  /**
   * Store into this study (`/studies/{study}`), else wherever each instance says.
   *
   * @default {undefined} (wherever each instance says)
   */
  study?: string;
  /**
   * Instances per request.
   *
   * @default {16}
   */
  batchSize?: number;
}

/** Options of {@linkcode DicomWebClient.pull}. */
export interface PullOptions extends RetrieveOptions {
  /**
   * Fetch and write instances whose file is already there.
   *
   * @default {false}
   */
  overwrite?: boolean;
}

/** One instance that {@linkcode DicomWebClient.pull} could not bring. */
export interface PullFailure {
  /** The study, series or instance being retrieved. */
  target: DicomWebTarget;
  /** Why. */
  error: DicomError;
}

/** The result of {@linkcode DicomWebClient.pull}. */
export interface PullReport {
  /** Files written, relative to the output folder. */
  written: string[];
  /** Files already there and not fetched again. */
  skipped: string[];
  /** Retrievals that failed (what they had already written is kept). */
  failed: PullFailure[];
  /** Bytes written. */
  bytes: number;
}

const TREE_KEYS = [
  "PatientID",
  "StudyDate",
  "SeriesNumber",
  "InstanceNumber",
  "SeriesInstanceUID",
  "SOPInstanceUID",
];

const DICOM_MULTIPART = 'multipart/related; type="application/dicom"';

function envAuth(): DicomWebAuth | undefined {
  try {
    const token = Deno.env.get("DICOMWEB_TOKEN");
    if (token) return { token };
    const user = Deno.env.get("DICOMWEB_USER");
    if (user) return { user, password: Deno.env.get("DICOMWEB_PASSWORD") ?? "" };
  } catch { /* no permission to read the environment: no credentials from there */ }
  return undefined;
}

function authorization(auth: DicomWebAuth | undefined): string | undefined {
  if (!auth) return undefined;
  if (auth.token) return `Bearer ${auth.token}`;
  if (auth.user !== undefined) {
    const bytes = new TextEncoder().encode(`${auth.user}:${auth.password ?? ""}`);
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return `Basic ${btoa(s)}`;
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `jobs` with at most `limit` at once; resolves when all are done. */
async function pool<T>(jobs: T[], limit: number, run: (job: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, async () => {
    while (next < jobs.length) await run(jobs[next++]);
  });
  await Promise.all(workers);
}

function targetPath(t: DicomWebTarget): string {
  let p = `/studies/${encodeURIComponent(t.study)}`;
  if (t.series) p += `/series/${encodeURIComponent(t.series)}`;
  if (t.instance) {
    if (!t.series) throw new TypeError("an instance needs its series");
    p += `/instances/${encodeURIComponent(t.instance)}`;
  }
  return p;
}

function queryKey(key: string): string {
  return /^[0-9a-fA-F]{8}$/.test(key) ? key.toUpperCase() : key;
}

/**
 * A DICOMweb client for one server (see {@linkcode dicomweb}). Credentials are kept in a
 * private field: printing the client, its errors or its reports never shows them.
 */
export class DicomWebClient {
  /** The service's base URL, without credentials and without a trailing slash. */
  readonly baseUrl: string;
  #authorization?: string;
  #secrets: string[] = [];
  #headers: Headers;
  #fetch: typeof fetch;
  #customFetch: boolean;
  #concurrency: number;
  #retries: number;
  #retryDelay: number;
  #onProgress?: (event: DicomWebProgress) => void;

  /** A client of `baseUrl` (see {@linkcode dicomweb} for the options). */
  constructor(baseUrl: string | URL, options: DicomWebOptions = {}) {
    const url = new URL(baseUrl);
    let auth = options.auth === null ? undefined : options.auth ?? envAuth();
    if (url.username && options.auth === undefined) {
      auth = {
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      };
    }
    url.username = "";
    url.password = "";
    this.baseUrl = url.href.replace(/\/+$/, "");
    this.#authorization = authorization(auth);
    for (const s of [auth?.token, auth?.password]) if (s && s.length >= 3) this.#secrets.push(s);
    this.#headers = new Headers(options.headers);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#customFetch = options.fetch !== undefined;
    this.#concurrency = options.concurrency ?? 4;
    this.#retries = options.retries ?? 3;
    this.#retryDelay = options.retryDelay ?? 500;
    this.#onProgress = options.onProgress;
  }

  /** Shows the base URL only. */
  [Symbol.for("Deno.customInspect")](): string {
    return `DicomWebClient(${JSON.stringify(this.baseUrl)})`;
  }

  /** Text with any credential replaced by `***`. */
  #redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join("***");
    return out;
  }

  #error(
    message: string,
    url: string,
    method: string,
    status: number,
    serverMessage?: string,
    cause?: unknown,
  ): DicomWebError {
    return new DicomWebError(message, {
      url: this.#redact(url),
      method,
      status,
      serverMessage: serverMessage ? this.#redact(serverMessage) : undefined,
    }, cause === undefined ? undefined : { cause });
  }

  /**
   * One request with the client's headers and credentials; retried on 429 and 503; an
   * error status is a `DicomWebError` with the server's message.
   */
  async #request(
    path: string,
    init: RequestInit & { accept?: string; allow?: number[]; stream?: boolean } = {},
  ): Promise<Response> {
    const url = path.startsWith("http:") || path.startsWith("https:")
      ? path
      : `${this.baseUrl}${path}`;
    const method = init.method ?? "GET";
    const headers = new Headers(this.#headers);
    if (init.accept) headers.set("Accept", init.accept);
    new Headers(init.headers).forEach((v, k) => headers.set(k, v));
    if (this.#authorization && !headers.has("Authorization")) {
      headers.set("Authorization", this.#authorization);
    }
    for (let attempt = 0;; attempt++) {
      let response: Response;
      try {
        // large streamed GETs on our own HTTP/1.1 reader unless a fetch was given
        response = init.stream && !this.#customFetch && method === "GET" &&
            /^https?:/.test(url)
          ? await http1Get(url, headers)
          : await this.#fetch(url, { ...init, method, headers });
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw this.#error("no response from the server", url, method, 0, why, e);
      }
      if (response.ok || init.allow?.includes(response.status)) return response;
      const text = await response.text().catch(() => "");
      if ((response.status === 429 || response.status === 503) && attempt < this.#retries) {
        const after = Number(response.headers.get("Retry-After"));
        const wait = Number.isFinite(after) && after > 0
          ? Math.min(after * 1000, 60_000)
          : this.#retryDelay * 2 ** attempt;
        await sleep(wait);
        continue;
      }
      throw this.#error(
        statusText(response.status),
        url,
        method,
        response.status,
        serverMessage(text),
      );
    }
  }

  async #json(path: string): Promise<DicomJsonObject[]> {
    const response = await this.#request(path, { accept: "application/dicom+json" });
    if (response.status === 204) return [];
    const text = await response.text();
    if (text.trim() === "") return [];
    try {
      const value = JSON.parse(text);
      if (!Array.isArray(value)) throw new TypeError("not a list");
      return value as DicomJsonObject[];
    } catch (e) {
      throw this.#error(
        "response is not a DICOM JSON list",
        `${this.baseUrl}${path}`,
        "GET",
        response.status,
        undefined,
        e,
      );
    }
  }

  async *#search(
    level: "studies" | "series" | "instances",
    query: SearchQuery,
    options: SearchOptions,
  ): AsyncGenerator<Dataset> {
    let prefix = "";
    if (options.study) prefix += `/studies/${encodeURIComponent(options.study)}`;
    if (options.series) {
      if (!options.study) throw new TypeError("a series search scope needs its study");
      prefix += `/series/${encodeURIComponent(options.series)}`;
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      params.append(queryKey(key), Array.isArray(value) ? value.join(",") : String(value));
    }
    const include = options.includefield === "all" ? ["all"] : options.includefield ?? [];
    for (const f of include) params.append("includefield", queryKey(f));
    if (options.fuzzymatching) params.set("fuzzymatching", "true");
    const pageSize = options.pageSize ?? 100;
    let remaining = options.limit ?? Infinity;
    let offset = options.offset ?? 0;
    let done = 0;
    while (remaining > 0) {
      const ask = Math.min(pageSize, remaining);
      const page = new URLSearchParams(params);
      page.set("limit", String(ask));
      if (offset) page.set("offset", String(offset));
      const found = await this.#json(`${prefix}/${level}?${page}`);
      const { fromDicomJson } = await dicomJson();
      for (const obj of found.slice(0, ask)) {
        done++;
        yield fromDicomJson(obj, { loader: (uri) => this.#bulk(uri) });
      }
      this.#onProgress?.({ kind: "search", done, bytes: 0 });
      if (found.length < ask) return;
      remaining -= found.length;
      offset += found.length;
    }
  }

  /**
   * QIDO-RS: the studies matching `query`, page by page (`limit`/`offset` requests of
   * `pageSize`) as an async iterator of datasets.
   *
   * @example
   * ```ts ignore
   * for await (const study of client.searchStudies({ PatientID: "PHANTOM*", StudyDate: "20240101-20241231" })) {
   *   console.log(study.StudyInstanceUID);
   * }
   * ```
   */
  searchStudies(query: SearchQuery = {}, options: SearchOptions = {}): AsyncGenerator<Dataset> {
    return this.#search("studies", query, options);
  }

  /** QIDO-RS: the series matching `query` (of `options.study`, or all). */
  searchSeries(query: SearchQuery = {}, options: SearchOptions = {}): AsyncGenerator<Dataset> {
    return this.#search("series", query, options);
  }

  /** QIDO-RS: the instances matching `query` (of `options.study`/`series`, or all). */
  searchInstances(query: SearchQuery = {}, options: SearchOptions = {}): AsyncGenerator<Dataset> {
    return this.#search("instances", query, options);
  }

  async #bulk(uri: string): Promise<Uint8Array> {
    const response = await this.#request(uri, {
      accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
    });
    const parts = await this.#parts(response, uri, "bulk data");
    return parts[0] ?? new Uint8Array(0);
  }

  /** Every part of a (small) multipart response, or the body when it is not multipart. */
  async #parts(response: Response, url: string, what: string): Promise<Uint8Array[]> {
    const type = response.headers.get("Content-Type") ?? "";
    const boundary = boundaryOf(type);
    if (!/^multipart\//i.test(type) || !boundary) {
      return [new Uint8Array(await response.arrayBuffer())];
    }
    const out: Uint8Array[] = [];
    for await (const part of this.#stream(response, url, what)) out.push(part);
    return out;
  }

  /**
   * The parts of a multipart response as a stream; failures are `DicomWebError`s. A body
   * from our HTTP/1.1 reader is read straight from the socket, each part into its own
   * array or into `buffer`'s (reused: each part is then valid until the next).
   */
  async *#stream(
    response: Response,
    url: string,
    what: string,
    buffer?: (n: number) => Uint8Array,
  ): AsyncGenerator<Uint8Array> {
    const type = response.headers.get("Content-Type") ?? "";
    const boundary = boundaryOf(type);
    if (!boundary || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw this.#error(
        `${what}: response is not multipart (${type})`,
        url,
        "GET",
        response.status,
      );
    }
    const source = rawBody(response) ?? streamSource(response.body);
    let n = 0;
    try {
      for await (const part of readParts(source, boundary, { buffer })) {
        n++;
        yield part.body;
      }
    } catch (e) {
      if (e instanceof DicomWebError) throw e;
      const why = e instanceof Error ? e.message : String(e);
      const message = e instanceof DicomError
        ? `${what}: ${why}`
        : `${what}: connection lost after ${n} parts (${why})`;
      throw this.#error(message, url, "GET", response.status, undefined, e);
    }
  }

  /** The error for a part that is not a whole Part 10 file. */
  #notWhole(index: number, e: unknown, url: string, status: number): DicomWebError {
    const why = e instanceof Error ? e.message : String(e);
    return this.#error(
      `retrieve: part ${index} is not a whole DICOM file (${why})`,
      url,
      "GET",
      status,
      undefined,
      e,
    );
  }

  /**
   * The files of a WADO-RS response for the pull, each with its SOP Instance UID and
   * tree path read from its header (the whole file read only when the header walk cannot
   * vouch for it); the bytes are those of a reused array, valid until the next file.
   */
  async *#files(
    response: Response,
    url: string,
  ): AsyncGenerator<{ bytes: Uint8Array; uid: string; rel: string }> {
    let block = new Uint8Array(0);
    const buffer = (n: number) =>
      block.length >= n ? block : (block = new Uint8Array(n + (n >> 4)));
    let index = 0;
    const { scanPart10 } = await header();
    for await (const bytes of this.#stream(response, url, "retrieve", buffer)) {
      let names = scanPart10(bytes);
      if (!names) {
        const { parse } = await reader();
        let dataset: Dataset;
        try {
          dataset = parse(bytes, { strict: true });
        } catch (e) {
          throw this.#notWhole(index, e, url, response.status);
        }
        names = { uid: String(dataset.SOPInstanceUID ?? ""), rel: treePath(dataset) };
      }
      index++;
      yield { bytes, ...names };
    }
  }

  /**
   * WADO-RS: the instances of a study, series or one instance, parsed as the multipart
   * response streams in (one instance in memory at a time).
   *
   * @example
   * ```ts ignore
   * for await (const { dataset } of client.retrieve({ study, series })) console.log(dataset.InstanceNumber);
   * ```
   */
  async *retrieve(
    target: DicomWebTarget,
    options: RetrieveOptions = {},
  ): AsyncGenerator<RetrievedInstance> {
    const url = `${this.baseUrl}${targetPath(target)}`;
    yield* this.#instances(await this.#open(url, options), url);
  }

  /** Sends a WADO-RS request; the response, its body not yet read. */
  #open(url: string, options: RetrieveOptions): Promise<Response> {
    return this.#request(url, {
      accept: `${DICOM_MULTIPART}; transfer-syntax=${options.transferSyntax ?? "*"}`,
      stream: true,
    });
  }

  /** The instances of a WADO-RS response, parsed as it streams in. */
  async *#instances(response: Response, url: string): AsyncGenerator<RetrievedInstance> {
    let done = 0, bytes = 0;
    const { parse } = await reader();
    for await (const body of this.#stream(response, url, "retrieve")) {
      let dataset: Dataset;
      try {
        dataset = parse(body, { strict: true });
      } catch (e) {
        throw this.#notWhole(done, e, url, response.status);
      }
      done++;
      bytes += body.length;
      this.#onProgress?.({
        kind: "retrieve",
        done,
        bytes,
        instance: dataset.SOPInstanceUID as string | undefined,
      });
      yield { bytes: body, dataset };
    }
  }

  /** WADO-RS: the datasets of a study (see {@linkcode DicomWebClient.retrieve}). */
  async *retrieveStudy(study: string, options: RetrieveOptions = {}): AsyncGenerator<Dataset> {
    for await (const r of this.retrieve({ study }, options)) yield r.dataset;
  }

  /** WADO-RS: the datasets of a series. */
  async *retrieveSeries(
    study: string,
    series: string,
    options: RetrieveOptions = {},
  ): AsyncGenerator<Dataset> {
    for await (const r of this.retrieve({ study, series }, options)) yield r.dataset;
  }

  /** WADO-RS: one instance's dataset (`target.instance` is needed). */
  async retrieveInstance(target: DicomWebTarget, options: RetrieveOptions = {}): Promise<Dataset> {
    if (!target.instance || !target.series) {
      throw new TypeError("retrieveInstance needs study, series and instance");
    }
    for await (const r of this.retrieve(target, options)) return r.dataset;
    throw this.#error(
      "retrieve: the response has no instance",
      `${this.baseUrl}${targetPath(target)}`,
      "GET",
      200,
    );
  }

  /**
   * WADO-RS metadata: one dataset per instance, binary values as lazy
   * {@linkcode BulkDataElement}s fetched with this client's credentials.
   */
  async retrieveMetadata(target: DicomWebTarget): Promise<Dataset[]> {
    const list = await this.#json(`${targetPath(target)}/metadata`);
    const { fromDicomJson } = await dicomJson();
    return list.map((obj) => fromDicomJson(obj, { loader: (uri) => this.#bulk(uri) }));
  }

  /** WADO-RS frames: the bytes of each frame asked for (1-based numbers), as stored. */
  async retrieveFrames(
    target: DicomWebTarget,
    frames: number[],
    options: RetrieveOptions = {},
  ): Promise<Uint8Array[]> {
    const url = `${this.baseUrl}${targetPath(target)}/frames/${frames.join(",")}`;
    const response = await this.#request(url, {
      accept: `multipart/related; type="application/octet-stream"; transfer-syntax=${
        options.transferSyntax ?? "*"
      }`,
    });
    return await this.#parts(response, url, "frames");
  }

  /** WADO-RS rendered: a study, series, instance or frame as a consumer image (PNG by default). */
  async retrieveRendered(
    target: DicomWebTarget,
    options: RenderedOptions = {},
  ): Promise<Uint8Array> {
    let path = targetPath(target);
    if (options.frame !== undefined) path += `/frames/${options.frame}`;
    path += "/rendered";
    const query = new URLSearchParams(options.query ?? {}).toString();
    const response = await this.#request(`${path}${query ? `?${query}` : ""}`, {
      accept: options.accept ?? "image/png",
    });
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * STOW-RS: stores datasets, Part 10 bytes or files (by path) in batches of
   * `batchSize`, `concurrency` batches at once. Keeps going on failures: the report says,
   * per instance, whether the server kept it and why not (the FailedSOPSequence's reason,
   * or the HTTP error).
   *
   * @example
   * ```ts ignore
   * const report = await client.store(["fixtures/ct_small.dcm"]);
   * console.log(report.stored, report.failed);
   * ```
   */
  async store(
    items: Iterable<Dataset | Uint8Array | string>,
    options: StoreOptions = {},
  ): Promise<StoreReport> {
    const list = [...items];
    const instances: StoredInstance[] = list.map((item, i) => ({
      source: typeof item === "string" ? item : `#${i}`,
      ok: false,
    }));
    const size = Math.max(1, options.batchSize ?? 16);
    const batches: number[][] = [];
    for (let i = 0; i < list.length; i += size) {
      batches.push(Array.from({ length: Math.min(size, list.length - i) }, (_, k) => i + k));
    }
    const path = options.study ? `/studies/${encodeURIComponent(options.study)}` : "/studies";
    let done = 0, bytes = 0;
    const { parse } = await reader();
    const { write } = await import("../io/write.ts");
    await pool(batches, this.#concurrency, async (batch) => {
      const parts: Uint8Array[] = [];
      const sent: number[] = [];
      for (const i of batch) {
        const item = list[i];
        try {
          const body = typeof item === "string"
            ? await Deno.readFile(item)
            : item instanceof Uint8Array
            ? item
            : write(item);
          instances[i].sopInstanceUID = sopInstanceOf(parse, body);
          parts.push(body);
          sent.push(i);
        } catch (e) {
          instances[i].error = e instanceof DicomError ? e : new DicomError(
            `cannot read ${instances[i].source}: ${e instanceof Error ? e.message : e}`,
          );
        }
      }
      if (!parts.length) return;
      const boundary = `dicom-deno-${crypto.randomUUID()}`;
      const body = encodeMultipart(
        parts.map((p) => ({ contentType: "application/dicom", body: p })),
        boundary,
      );
      let answer: DicomJsonObject | undefined;
      try {
        // 400, 409: some or all failed, and the answer says which (PS3.18 10.5.3)
        const response = await this.#request(path, {
          allow: [400, 409],
          method: "POST",
          accept: "application/dicom+json",
          headers: { "Content-Type": `${DICOM_MULTIPART}; boundary=${boundary}` },
          body,
        });
        const text = await response.text();
        try {
          answer = text.trim() ? JSON.parse(text) as DicomJsonObject : undefined;
        } catch { /* not DICOM JSON */ }
        if (!response.ok && (!answer || typeof answer !== "object" || Array.isArray(answer))) {
          throw this.#error(
            statusText(response.status),
            `${this.baseUrl}${path}`,
            "POST",
            response.status,
            serverMessage(text),
          );
        }
      } catch (e) {
        const error = e instanceof DicomError
          ? e
          : this.#error("store: bad response", `${this.baseUrl}${path}`, "POST", 0, undefined, e);
        for (const i of sent) instances[i].error = error;
        return;
      }
      const ds = answer ? (await dicomJson()).fromDicomJson(answer) : undefined;
      const failed = new Map<string, number>();
      for (const item of (ds?.element(0x00081198)?.items ?? []) as Dataset[]) {
        failed.set(String(item.get(0x00081155) ?? ""), Number(item.get(0x00081197) ?? 0xa700));
      }
      const kept = new Set<string>();
      for (const item of (ds?.element(0x00081199)?.items ?? []) as Dataset[]) {
        kept.add(String(item.get(0x00081155) ?? ""));
      }
      for (const i of sent) {
        const uid = instances[i].sopInstanceUID ?? "";
        if (failed.has(uid)) instances[i].failureReason = failed.get(uid);
        else if (kept.has(uid) || (!ds && !failed.size)) instances[i].ok = true;
        else instances[i].failureReason = 0xa700;
      }
      done += sent.length;
      bytes += parts.reduce((n, p) => n + p.length, 0);
      this.#onProgress?.({ kind: "store", done, total: list.length, bytes });
    });
    const stored = instances.filter((s) => s.ok).length;
    return { instances, stored, failed: instances.length - stored };
  }

  /**
   * Pulls a study or series into `out` as the tutorial's tree,
   * `{PatientID}/{StudyDate}/{SeriesNumber}/{InstanceNumber}.dcm`, byte for byte as the
   * server sends them; two instances with the same path get `_dup1`, `_dup2`... in the
   * order of their SOP Instance UIDs. Into an empty (or new) folder, a series comes as
   * one streamed response and a study as one per series (`concurrency` at once), each
   * file named from its own header. Resumable: into a folder that holds files already,
   * the names are planned from a QIDO-RS search (or the metadata, when the search lacks
   * the attributes), instances whose file is there are not fetched again, a series with
   * none there comes as one response and other missing instances one by one. Each file
   * is written through a temporary name; what a broken transfer had completed is kept,
   * and its error is in the report.
   *
   * @example
   * ```ts ignore
   * const report = await client.pull({ study }, "out/pacs");
   * console.log(report.written.length, report.skipped.length, report.failed);
   * ```
   */
  async pull(
    target: DicomWebTarget,
    out: string,
    options: PullOptions = {},
  ): Promise<PullReport> {
    const root = out.replace(/\/+$/, "");
    header().catch(() => {}); // starts loading; awaited where the files are named
    if (!target.instance && emptyFolder(root)) return await this.#pullNew(target, root, options);
    return await this.#pullPlanned(target, root, options);
  }

  /** A series' or study's WADO-RS response into `root`, which holds nothing yet. */
  async #pullNew(
    target: DicomWebTarget,
    root: string,
    options: PullOptions,
  ): Promise<PullReport> {
    const report: PullReport = { written: [], skipped: [], failed: [], bytes: 0 };
    // a study: its series (one QIDO-RS request on the server's index), pulled in parallel
    let jobs: DicomWebTarget[] = [target];
    let early: Response | undefined;
    if (!target.series) {
      const series: string[] = [];
      for (let offset = 0;; offset += 1000) {
        const page = await this.#json(
          `${targetPath(target)}/series?includefield=0020000E&limit=1000&offset=${offset}`,
        );
        for (const obj of page) {
          const uid = obj["0020000E"]?.Value?.[0];
          if (typeof uid === "string" && uid) series.push(uid);
        }
        if (page.length < 1000) break;
      }
      if (series.length) jobs = series.map((s) => ({ study: target.study, series: s }));
      else early = await this.#open(`${this.baseUrl}${targetPath(target)}`, options); // 404 if unknown
    }
    // names: the first free one of `rel`, `rel_dup1`... (case-insensitively); two
    // instances with one `rel` are put in the order of their UIDs once all are there
    const taken = new Set<string>();
    const byBase = new Map<string, { rel: string; uid: string; name: string }[]>();
    await pool(jobs, this.#concurrency, async (job) => {
      const url = `${this.baseUrl}${targetPath(job)}`;
      try {
        const response = early ?? await this.#open(url, options);
        early = undefined;
        for await (const { bytes, uid, rel } of this.#files(response, url)) {
          let name = rel;
          for (let n = 1; taken.has(name.toLowerCase()); n++) name = `${rel}_dup${n}`;
          writeAtomicSync(`${root}/${name}.dcm`, bytes);
          taken.add(name.toLowerCase());
          const base = rel.toLowerCase();
          const same = byBase.get(base);
          if (same) same.push({ rel, uid, name });
          else byBase.set(base, [{ rel, uid, name }]);
          report.written.push(`${name}.dcm`);
          report.bytes += bytes.length;
          this.#onProgress?.({
            kind: "pull",
            done: report.written.length,
            bytes: report.bytes,
            instance: uid,
          });
        }
      } catch (e) {
        report.failed.push({ target: job, error: asDicomError(e) });
      }
    });
    for (const group of byBase.values()) {
      if (group.length > 1) renameInOrder(root, group, taken);
    }
    report.written.sort();
    return report;
  }

  /** A pull that plans its names first (files are there already). */
  async #pullPlanned(
    target: DicomWebTarget,
    root: string,
    options: PullOptions,
  ): Promise<PullReport> {
    // a series is asked for at once, while its names are planned: a server builds a
    // multipart response before its first byte, and this overlaps that with the search
    // (the response is dropped if some instances turn out to be there already)
    const seriesUrl = target.series && !target.instance
      ? `${this.baseUrl}${targetPath({ study: target.study, series: target.series })}`
      : undefined;
    const early = seriesUrl
      ? this.#open(seriesUrl, options).then(
        (response) => ({ response, error: undefined }),
        (error: unknown) => ({ response: undefined, error }),
      )
      : undefined;
    let earlyUsed = false;
    try {
      // the names from a QIDO-RS search (the server's index: quick), else from the metadata
      // (which the server may build by reading every file)
      let meta: Dataset[] = [];
      if (!target.instance) {
        const scope = { study: target.study, series: target.series };
        for await (
          const ds of this.searchInstances({}, {
            ...scope,
            includefield: [...TREE_KEYS],
            pageSize: 10000,
          })
        ) meta.push(ds);
      }
      if (!meta.length || meta.some((ds) => TREE_KEYS.some((k) => !ds.has(k)))) {
        meta = await this.retrieveMetadata(target);
      }
      // planned names, made unique in a stable order (by path, then SOP Instance UID)
      const plan = meta.map((ds) => ({
        uid: String(ds.SOPInstanceUID ?? ""),
        series: String(ds.SeriesInstanceUID ?? target.series ?? ""),
        rel: treePath(ds),
      })).sort((a, b) => a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : a.uid < b.uid ? -1 : 1);
      // each instance gets the first free name of `rel`, `rel_dup1`...: free when not taken
      // in this pull and either absent on disk or holding this same instance (then skipped)
      const byUid = new Map<string, string>();
      const taken = new Set<string>();
      const report: PullReport = { written: [], skipped: [], failed: [], bytes: 0 };
      const missing = new Map<string, string[]>(); // series -> instances
      const seriesSize = new Map<string, number>();
      for (const p of plan) {
        seriesSize.set(p.series, (seriesSize.get(p.series) ?? 0) + 1);
        let present = false;
        let rel = p.rel;
        for (let n = 1;; n++) {
          if (!taken.has(rel.toLowerCase())) {
            const there = await (await header()).sopInstanceOfFile(`${root}/${rel}.dcm`);
            if (there === undefined) break;
            if (there === p.uid) {
              present = true;
              break;
            }
          }
          rel = `${p.rel}_dup${n}`;
        }
        taken.add(rel.toLowerCase());
        byUid.set(p.uid, `${rel}.dcm`);
        if (present && !options.overwrite) report.skipped.push(`${rel}.dcm`);
        else {
          if (!missing.has(p.series)) missing.set(p.series, []);
          missing.get(p.series)!.push(p.uid);
        }
      }
      const jobs: DicomWebTarget[] = [];
      // the instances wanted from a series streamed whole though some are already there
      const wanted = new Map<string, Set<string>>();
      for (const [series, uids] of missing) {
        const size = seriesSize.get(series)!;
        if (target.instance) jobs.push(target);
        else if (uids.length > 1 && uids.length * PARTIAL_SERIES_FRACTION >= size) {
          // a request per instance costs the server far more than streaming one more
          // instance (Orthanc: 15-25 ms against 1-3 ms): from an eighth of the series,
          // the series is streamed and the instances already there are passed over
          jobs.push({ study: target.study, series });
          if (uids.length < size) wanted.set(series, new Set(uids));
        } else for (const instance of uids) jobs.push({ study: target.study, series, instance });
      }
      const total = [...missing.values()].reduce((n, l) => n + l.length, 0);
      await pool(jobs, this.#concurrency, async (job) => {
        const url = `${this.baseUrl}${targetPath(job)}`;
        try {
          let response: Response;
          if (early && !earlyUsed && job.series === target.series && !job.instance) {
            earlyUsed = true;
            const got = await early;
            if (got.error !== undefined) throw got.error;
            response = got.response!;
          } else response = await this.#open(url, options);
          const only = job.instance ? undefined : wanted.get(job.series!);
          for await (const { bytes, uid, rel: own } of this.#files(response, url)) {
            if (only && !only.has(uid)) continue;
            const rel = byUid.get(uid) ?? `${own}.dcm`;
            writeAtomicSync(`${root}/${rel}`, bytes);
            report.written.push(rel);
            report.bytes += bytes.length;
            this.#onProgress?.({
              kind: "pull",
              done: report.written.length,
              total,
              bytes: report.bytes,
              instance: uid,
            });
          }
        } catch (e) {
          report.failed.push({ target: job, error: asDicomError(e) });
        }
      });
      report.written.sort();
      report.skipped.sort();
      return report;
    } finally {
      if (early && !earlyUsed) {
        const { response } = await early;
        await response?.body?.cancel().catch(() => {});
      }
    }
  }
}

/** An error of a pull's transfer as a `DicomError` (a file system error says so). */
function asDicomError(e: unknown): DicomError {
  return e instanceof DicomError
    ? e
    : new DicomError(`cannot write: ${e instanceof Error ? e.message : e}`);
}

/** True when nothing is at `path` or it is an empty folder. */
function emptyFolder(path: string): boolean {
  try {
    for (const _ of Deno.readDirSync(path)) return false;
    return true;
  } catch (e) {
    return e instanceof Deno.errors.NotFound;
  }
}

/**
 * Gives the files of instances that share a path the names a planned pull gives them
 * (`rel`, `rel_dup1`... in the order of path, then SOP Instance UID, among the names
 * `taken` by the others), renaming through temporary names.
 */
function renameInOrder(
  root: string,
  group: { rel: string; uid: string; name: string }[],
  taken: Set<string>,
): void {
  const used = new Set(taken);
  for (const m of group) used.delete(m.name.toLowerCase());
  const order = [...group].sort((a, b) =>
    a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : a.uid < b.uid ? -1 : 1
  );
  const wanted = new Map<typeof group[number], string>();
  for (const m of order) {
    let name = m.rel;
    for (let n = 1; used.has(name.toLowerCase()); n++) name = `${m.rel}_dup${n}`;
    used.add(name.toLowerCase());
    wanted.set(m, name);
  }
  const moving = group.filter((m) => wanted.get(m) !== m.name);
  for (const m of moving) {
    Deno.renameSync(`${root}/${m.name}.dcm`, partialName(`${root}/${m.name}.dcm`));
  }
  for (const m of moving) {
    Deno.renameSync(partialName(`${root}/${m.name}.dcm`), `${root}/${wanted.get(m)}.dcm`);
  }
}

/** The SOP Instance UID of Part 10 bytes (header only), if readable. */
function sopInstanceOf(
  parse: typeof import("../io/read.ts").parse,
  bytes: Uint8Array,
): string | undefined {
  const ds = parse(bytes, { stopBeforePixels: true });
  const uid = ds.SOPInstanceUID ?? ds.fileMeta?.get(0x00020003);
  return typeof uid === "string" ? uid : undefined;
}

function statusText(status: number): string {
  switch (status) {
    case 400:
      return "bad request";
    case 401:
      return "not authorized (wrong or missing credentials)";
    case 403:
      return "forbidden";
    case 404:
      return "not found";
    case 406:
      return "not acceptable (the server cannot give this media type)";
    case 409:
      return "conflict";
    case 413:
      return "payload too large";
    case 415:
      return "unsupported media type";
    case 429:
      return "too many requests (retries exhausted)";
    case 503:
      return "service unavailable (retries exhausted)";
    default:
      return status >= 500 ? "server error" : "request failed";
  }
}

/** The server's message: Orthanc's JSON `Details`/`Message`, else the text, shortened. */
function serverMessage(text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  try {
    const obj = JSON.parse(t);
    if (obj && typeof obj === "object" && !Array.isArray(obj)) {
      const said = obj.Details ?? obj.Message ?? obj.message ?? obj.error;
      if (typeof said === "string") return said;
    }
  } catch { /* plain text */ }
  return t.length > 300 ? `${t.slice(0, 300)}...` : t;
}

/**
 * A DICOMweb client of the service at `baseUrl` (`http://host/dicom-web`): QIDO-RS
 * `searchStudies/searchSeries/searchInstances`, WADO-RS `retrieve`, `retrieveStudy`,
 * `retrieveSeries`, `retrieveInstance`, `retrieveMetadata`, `retrieveFrames`,
 * `retrieveRendered`, `pull` into the tutorial's tree, and STOW-RS `store`. Credentials
 * come from `options.auth`, the URL's user info, or the environment (`DICOMWEB_TOKEN`,
 * or `DICOMWEB_USER` and `DICOMWEB_PASSWORD`), and never appear in messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dicomweb } from "./mod.ts";
 * const seen: string[] = [];
 * const client = dicomweb("http://u:pw123@127.0.0.1:8042/dicom-web/", {
 *   fetch: (input, init) => {
 *     seen.push(`${input} ${new Headers(init?.headers).get("Authorization")}`);
 *     return Promise.resolve(Response.json([{ "00100020": { vr: "LO", Value: ["P1"] } }]));
 *   },
 * });
 * const found = [];
 * for await (const study of client.searchStudies({ PatientID: "P*" })) found.push(study.PatientID);
 * assert.deepEqual(found, ["P1"]);
 * assert.deepEqual(seen, [
 *   `http://127.0.0.1:8042/dicom-web/studies?PatientID=P*&limit=100 Basic ${btoa("u:pw123")}`,
 * ]);
 * assert.equal(Deno.inspect(client), 'DicomWebClient("http://127.0.0.1:8042/dicom-web")');
 * ```
 */
export function dicomweb(baseUrl: string | URL, options: DicomWebOptions = {}): DicomWebClient {
  return new DicomWebClient(baseUrl, options);
}
