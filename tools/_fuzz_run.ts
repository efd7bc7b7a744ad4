/**
 * One fuzz case of `tools/fuzz.ts`, from its seed to its findings: the input is made
 * (a seed and its mutations, all drawn from the case's own PRNG) and sent through the
 * pipeline (`read` lenient and strict, `String`, `dir`, `pixelArray`, the LUTs,
 * `convertColorSpace`, `toImage`, and `fileSet` for DICOMDIRs). Every outcome must be a
 * result or a `DicomError`; anything else, a case slower than the limit, or an allocation
 * larger than the input justifies, is a finding.
 *
 * Also the worker entry of the harness (when started as the worker named
 * `dicom-fuzz`). Private to `tools/`.
 *
 * @module
 */

import { isAbsolute, join, relative, resolve } from "node:path";
import charlsFull from "@cornerstonejs/codec-charls/wasmjs";
import openjpegFull from "@cornerstonejs/codec-openjpeg/wasmjs";
import { type Dataset, dir } from "../lib/dataset/dataset.ts";
import { DicomError } from "../lib/core/errors.ts";
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
} from "../lib/core/transfer_syntax.ts";
import { read } from "../lib/io/read.ts";
import { write } from "../lib/io/write.ts";
import { pixelArray } from "../lib/pixels/decode.ts";
import type { PixelArray } from "../lib/pixels/pixel_array.ts";
import { applyModalityLut } from "../lib/lut/modality.ts";
import { applyGrayscaleLuts, applyVoiLut } from "../lib/lut/voi.ts";
import { applyPresentationLut } from "../lib/lut/presentation.ts";
import { applyColorLut } from "../lib/lut/palette.ts";
import { convertColorSpace } from "../lib/pixels/color_space.ts";
import { toImage, type ToImageOptions } from "../lib/image/to_image.ts";
import { fileSet } from "../lib/fileset/file_set.ts";
import type { FrameInfo, PixelTypedArray } from "../lib/pixels/codecs/types.ts";
import {
  ANY_SYNTAXES,
  caseSeed,
  deflateBody,
  deflateBomb,
  type Encoders,
  lieAboutSyntax,
  makeFileSet,
  mutateBytes,
  mutateDataset,
  mutateDicomdir,
  projectSeeds,
  Rng,
  scan,
  type Seed,
  type Token,
  writeSeed,
} from "./_fuzz_inputs.ts";

/** What went wrong in a case. */
export type FindingKind =
  | "crash"
  | "hang"
  | "slow"
  | "allocation"
  | "silent-loss"
  | "strict-mismatch"
  | "path-escape";

/** One problem found by a case. */
export interface Finding {
  /** What went wrong. */
  kind: FindingKind;
  /** The run's seed: `deno task fuzz --seed S --case I` replays the case. */
  seed: number;
  /** The case index. */
  index: number;
  /** The input's origin: a seed made by the project, a corpus file, a DICOMDIR. */
  source: string;
  /** The mutations applied to it, in order. */
  mutations: string[];
  /** The pipeline stage (`read`, `pixelArray`, ...). */
  stage: string;
  /** Error name and message, or what was measured. */
  message: string;
  /** The error's stack, for crashes. */
  stack?: string;
}

/** The result of one case. */
export interface CaseResult {
  /** The case index. */
  index: number;
  /** The input's origin. */
  source: string;
  /** The mutations applied to it, in order. */
  mutations: string[];
  /** Size of the input in bytes. */
  size: number;
  /** Outcome of each stage run: `ok` or the error's class name. */
  outcomes: Record<string, string>;
  /** The problems found. */
  findings: Finding[];
  /** Time of the pipeline (the input's making excluded). */
  ms: number;
  /** Largest single typed array or buffer allocated by a stage (bytes). */
  maxAllocation: number;
  /** The input, when asked for (to save findings). */
  bytes?: Uint8Array;
}

/**
 * Time allowed per MiB of a case's largest allocation, beyond `slowMs`: the stages
 * (decode, LUTs, scaling, encoding) take 15-25 ms per MiB of pixels here.
 */
export const MS_PER_MIB = 40;

/** Options of the context. */
export interface ContextOptions {
  /** The corpus folder (`files/dev`), or undefined for the project's seeds only. */
  corpus?: string;
  /**
   * A case slower than this, plus {@linkcode MS_PER_MIB} for each MiB of its largest
   * allocation, is a finding (default 2000 ms).
   */
  slowMs?: number;
  /** Watch allocations (patches the typed array constructors; default true). */
  trackAllocations?: boolean;
}

// --- allocation tracking ---------------------------------------------------------------------

const TYPED_NAMES = [
  "ArrayBuffer",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int8Array",
  "Uint16Array",
  "Int16Array",
  "Uint32Array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
] as const;

/** Allocations above this are refused outright (and reported). */
const HARD_LIMIT = 1 << 30;

interface AllocationStats {
  max: number;
  wasmGrowth: number;
}

const stats: AllocationStats = { max: 0, wasmGrowth: 0 };
let tracking = false;

function record(bytes: number): void {
  if (bytes > stats.max) stats.max = bytes;
  if (bytes > HARD_LIMIT) {
    throw new RangeError(`fuzz: allocation of ${bytes} bytes refused`);
  }
}

/**
 * Replaces the typed array constructors by proxies that note the size of each new
 * buffer, and WebAssembly memory growth. Only in the fuzz process or worker.
 */
function trackAllocations(): void {
  if (tracking) return;
  tracking = true;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of TYPED_NAMES) {
    const original = g[name] as { new (...args: unknown[]): unknown; BYTES_PER_ELEMENT?: number };
    const size = original.BYTES_PER_ELEMENT ?? 1;
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        const a = args[0];
        if (typeof a === "number") record(a * size);
        else if (Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView))) {
          record((a as ArrayLike<unknown>).length * size);
        }
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  const grow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number) {
    const size = this.buffer.byteLength + delta * 65536;
    stats.wasmGrowth = Math.max(stats.wasmGrowth, size);
    return grow.call(this, delta);
  };
}

// --- the context -----------------------------------------------------------------------------

/** Seeds, corpus files and folders, made once per process or worker. */
export interface FuzzContext {
  seeds: Seed[];
  corpusFiles: string[];
  /** Folders holding a DICOMDIR and the files it references, with the DICOMDIR's bytes. */
  fileSets: { folder: string; name: string; dicomdir: Uint8Array }[];
  slowMs: number;
  cache: Map<string, Uint8Array>;
  /** Folders to remove at the end. */
  temporary: string[];
}

interface Encoder {
  getDecodedBuffer(fi: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  setQuality?(lossless: boolean, layers: number): void;
  setDecompositions?(n: number): void;
  encode(): void;
  delete(): void;
}

async function loadEncoders(): Promise<Encoders> {
  const charls = await (charlsFull as (
    arg: object,
  ) => Promise<{ JpegLSEncoder: new () => Encoder }>)({ print() {}, printErr() {} });
  const openjpeg = await (openjpegFull as (
    arg: object,
  ) => Promise<{ J2KEncoder: new () => Encoder }>)({ print() {}, printErr() {} });
  const run = (enc: Encoder, px: PixelTypedArray, fi: object, setup: () => void) => {
    try {
      enc.getDecodedBuffer(fi).set(new Uint8Array(px.buffer, px.byteOffset, px.byteLength));
      setup();
      enc.encode();
      return new Uint8Array(enc.getEncodedBuffer());
    } finally {
      enc.delete();
    }
  };
  const frameOf = (info: FrameInfo) => ({
    width: info.columns,
    height: info.rows,
    bitsPerSample: info.bitsStored,
    componentCount: info.samplesPerPixel,
    isSigned: info.pixelRepresentation === 1,
  });
  return {
    jpegLs: (px, info) => run(new charls.JpegLSEncoder(), px, frameOf(info), () => {}),
    j2k: (px, info) => {
      const enc = new openjpeg.J2KEncoder();
      return run(enc, px, frameOf(info), () => {
        enc.setQuality!(true, 0);
        enc.setDecompositions!(2);
      });
    },
  };
}

function copyTree(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile) Deno.copyFileSync(join(from, e.name), join(to, e.name));
  }
}

/** Makes the seeds (and loads the encoders); copies the corpus file-sets to a temp folder. */
export async function createContext(options: ContextOptions = {}): Promise<FuzzContext> {
  if (options.trackAllocations ?? true) trackAllocations();
  const seeds = projectSeeds(await loadEncoders());
  const own = makeFileSet();
  const ctx: FuzzContext = {
    seeds,
    corpusFiles: [],
    fileSets: [{ folder: own.folder, name: "project", dicomdir: own.dicomdir }],
    slowMs: options.slowMs ?? 2000,
    cache: new Map(),
    temporary: [own.folder],
  };
  if (options.corpus) {
    for (
      const e of [...Deno.readDirSync(options.corpus)].sort((a, b) => a.name < b.name ? -1 : 1)
    ) {
      const path = join(options.corpus, e.name);
      if (e.isFile) ctx.corpusFiles.push(path);
      else if (e.isDirectory) {
        const copy = Deno.makeTempDirSync({ prefix: "dicom_fuzz_corpus_fs_" });
        copyTree(path, copy);
        ctx.temporary.push(copy);
        for (const f of Deno.readDirSync(copy)) {
          if (f.isFile && f.name.toUpperCase() === "DICOMDIR") {
            ctx.fileSets.push({
              folder: copy,
              name: e.name,
              dicomdir: Deno.readFileSync(join(copy, f.name)),
            });
          }
        }
      }
    }
  }
  return ctx;
}

/** Removes the context's temporary folders. */
export function disposeContext(ctx: FuzzContext): void {
  for (const t of ctx.temporary) {
    try {
      Deno.removeSync(t, { recursive: true });
    } catch {
      // already gone
    }
  }
}

// --- making a case ---------------------------------------------------------------------------

/** The input of one case. */
export interface CaseInput {
  source: string;
  mutations: string[];
  bytes: Uint8Array;
  /** For a DICOMDIR case, the file-set folder it is written into. */
  fileSetFolder?: string;
  /** True when a truncation cut a value short (the lenient read must say so). */
  truncatedInValue?: boolean;
}

/** Pixel data elements and their fragments. */
function pixelTokens(t: Token): boolean {
  return t.kind === "fragment" || (t.tag >>> 16 === 0x7fe0 && t.kind === "element");
}

function byteMutations(
  input: CaseInput,
  rng: Rng,
  count: number,
  focus?: (t: Token) => boolean,
): void {
  for (let i = 0; i < count && input.bytes.length > 0; i++) {
    const map = scan(input.bytes);
    const m = mutateBytes(input.bytes, map, rng, focus);
    input.bytes = m.bytes;
    input.mutations.push(m.what);
    if (m.truncatedInValue) input.truncatedInValue = true;
    if (m.what.startsWith("truncate")) break; // later mutations would hide the cut
  }
}

/** Makes the input of case `index` of a run seeded with `seed`. */
export function makeCase(ctx: FuzzContext, seed: number, index: number): CaseInput {
  const rng = new Rng(caseSeed(seed, index));
  const roll = rng.next();
  if (roll < 0.002) {
    const mb = 512;
    return { source: `deflate bomb of ${mb} MB`, mutations: [], bytes: deflateBomb(mb) };
  }
  if (roll < 0.1) {
    const fs = rng.pick(ctx.fileSets);
    const input: CaseInput = {
      source: `DICOMDIR ${fs.name}`,
      mutations: [],
      bytes: fs.dicomdir,
      fileSetFolder: fs.folder,
    };
    if (rng.chance(0.4)) {
      const ds = read(fs.dicomdir);
      input.mutations.push(...mutateDicomdir(ds, rng));
      input.bytes = write(ds, { transferSyntax: ds.transferSyntaxUID });
    }
    byteMutations(input, rng, rng.chance(0.3) ? 0 : rng.range(1, 2));
    return input;
  }
  if (roll < 0.35 && ctx.corpusFiles.length) {
    const path = rng.pick(ctx.corpusFiles);
    let bytes = ctx.cache.get(path);
    if (!bytes) {
      bytes = Deno.readFileSync(path);
      ctx.cache.set(path, bytes);
    }
    const input: CaseInput = {
      source: `corpus ${path.split("/").pop()}`,
      mutations: [],
      bytes,
    };
    if (rng.chance(0.2)) {
      try {
        const ds = read(bytes);
        input.mutations.push(...mutateDataset(ds, rng));
        input.bytes = write(ds, { transferSyntax: ds.transferSyntaxUID });
      } catch {
        input.mutations.length = 0;
      }
    }
    byteMutations(input, rng, rng.range(1, 3), rng.chance(0.3) ? pixelTokens : undefined);
    return input;
  }
  const s = rng.pick(ctx.seeds);
  const ds = s.make();
  const input: CaseInput = { source: `seed ${s.name}`, mutations: [], bytes: new Uint8Array(0) };
  // a third: dataset edits only (the pixel and LUT stages see every file); a fifth: byte
  // edits of the pixel data and its fragments; the rest: byte edits anywhere
  const mode = rng.next();
  const focus = mode >= 0.33 && mode < 0.53 ? pixelTokens : undefined;
  if (mode < 0.33 || rng.chance(0.4)) input.mutations.push(...mutateDataset(ds, rng));
  const deflated = s.transferSyntax === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
  try {
    if (deflated && rng.chance(0.5)) {
      // mutate the dataset's bytes, then deflate them
      input.bytes = writeSeed(ds, EXPLICIT_VR_LITTLE_ENDIAN);
      byteMutations(input, rng, rng.range(0, 2));
      input.bytes = deflateBody(input.bytes);
      input.mutations.push("deflated after mutation");
      input.truncatedInValue = false;
      return input;
    }
    input.bytes = writeSeed(ds, s.transferSyntax);
  } catch (e) {
    if (!(e instanceof DicomError)) throw e;
    // a dataset the writer refuses: use the unmutated seed
    input.mutations.push(`(writer refused: ${(e as Error).message})`);
    input.bytes = writeSeed(s.make(), s.transferSyntax);
  }
  if (rng.chance(0.08)) {
    const ts = rng.pick(ANY_SYNTAXES);
    input.bytes = lieAboutSyntax(input.bytes, ts);
    input.mutations.push(`file meta claims ${JSON.stringify(ts)}`);
  }
  if (mode < 0.33) return input;
  byteMutations(input, rng, focus ? rng.range(1, 2) : rng.range(1, 3), focus);
  return input;
}

// --- running a case --------------------------------------------------------------------------

type Stage<T> = { ok: true; value: T } | { ok: false; error: unknown };

class Recorder {
  outcomes: Record<string, string> = {};
  findings: Finding[] = [];
  constructor(readonly seed: number, readonly index: number, readonly input: CaseInput) {}

  finding(kind: FindingKind, stage: string, message: string, stack?: string): void {
    this.findings.push({
      kind,
      seed: this.seed,
      index: this.index,
      source: this.input.source,
      mutations: this.input.mutations,
      stage,
      message,
      stack,
    });
  }

  /** Largest allocation of the case. */
  maxAllocation = 0;

  /**
   * Runs a stage. Its largest allocation must stay within the input's budget (64 MiB or
   * 64 bytes per input byte), or within `allowance` bytes for a result that needs them:
   * the pixels a decoder really produced, or what a LUT stage makes of them (8 bytes
   * per value, 4 channels).
   */
  run<T>(stage: string, fn: () => T, allowance?: (value: T) => number): Stage<T> {
    stats.max = 0;
    let result: Stage<T>;
    try {
      result = { ok: true, value: fn() };
      this.outcomes[stage] = "ok";
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      this.outcomes[stage] = name;
      if (!(error instanceof DicomError)) {
        const e = error instanceof Error ? error : new Error(String(error));
        this.finding("crash", stage, `${e.name}: ${e.message}`, e.stack);
      }
      result = { ok: false, error };
    }
    const size = this.input.bytes.length;
    let budget = Math.max(64 << 20, 64 * size);
    if (result.ok && allowance) budget = Math.max(budget, allowance(result.value));
    if (stats.max > budget) {
      this.finding(
        "allocation",
        stage,
        `an allocation of ${stats.max} bytes for an input of ${size} bytes (budget ${budget})`,
      );
    }
    this.maxAllocation = Math.max(this.maxAllocation, stats.max);
    return result;
  }
}

/** What the later stages may allocate for pixels `arr`: 8 bytes, 4 channels per value. */
function forPixels(arr: PixelArray): () => number {
  return () => 32 * arr.data.length;
}

function imageStages(r: Recorder, ds: Dataset, rng: Rng): void {
  const decoded = (a: PixelArray) => 2 * a.data.byteLength;
  const options = { keepUnusedBits: rng.chance(0.2), asRgb: rng.chance(0.3) };
  const px = r.run("pixelArray", () => pixelArray(ds, options), decoded);
  if (!px.ok) return;
  const arr = px.value;
  if (arr.multiFrame && arr.frames > 1) {
    r.run("pixelArray-frame", () => pixelArray(ds, { frame: arr.frames - 1 }), decoded);
    r.run("pixelArray-frames", () => pixelArray(ds, { frames: [1, arr.frames] }), decoded);
  }
  const pi = ds.get("PhotometricInterpretation");
  const luts = rng.chance(0.3) ? { index: rng.pick([0, 1, 2]), preferLut: rng.chance(0.5) } : {};
  let shown: PixelArray = arr;
  const modality = r.run("applyModalityLut", () => applyModalityLut(arr, ds), forPixels(arr));
  if (modality.ok) {
    const m = modality.value;
    const voi = r.run("applyVoiLut", () => applyVoiLut(m, ds, luts), forPixels(arr));
    if (voi.ok) {
      shown = voi.value;
      const v = voi.value;
      r.run("applyPresentationLut", () => applyPresentationLut(v, ds, luts), forPixels(arr));
    }
  }
  if (pi === "MONOCHROME1" || pi === "MONOCHROME2") {
    r.run("applyGrayscaleLuts", () => applyGrayscaleLuts(arr, ds, luts), forPixels(arr));
  }
  if (pi === "PALETTE COLOR" || rng.chance(0.05)) {
    const color = r.run("applyColorLut", () => applyColorLut(arr, ds), forPixels(arr));
    if (color.ok) shown = color.value;
  }
  if (typeof pi === "string" && (pi.startsWith("YBR") || pi === "RGB")) {
    const to = pi === "RGB" ? "YBR_FULL" : "RGB";
    const rgb = r.run(
      "convertColorSpace",
      () => convertColorSpace(arr, pi, { to }),
      forPixels(arr),
    );
    if (rgb.ok && to === "RGB") shown = rgb.value;
  }
  r.run("toImage", () => toImage(shown, imageOptions(rng, shown)), forPixels(arr));
}

/** Random `toImage` options: format, depth, scaling, colormap, quality, frame. */
function imageOptions(rng: Rng, arr: PixelArray): ToImageOptions {
  if (rng.chance(0.5)) return {};
  const format = rng.chance(0.3) ? "jpeg" : "png";
  const scaling = rng.pick<ToImageOptions["scaling"]>([
    undefined,
    "minmax",
    "none",
    "tutorial",
  ]);
  const window = rng.chance(0.2)
    ? { center: rng.pick([0, 40, -1e9]), width: rng.pick([0, 1, 400, 1e-9]) }
    : undefined;
  const bitDepth = format === "png" && scaling !== "tutorial" && rng.chance(0.3) ? 16 : 8;
  return {
    format,
    bitDepth,
    scaling,
    window,
    colormap: rng.chance(0.3) ? rng.pick(["gray", "bone", "hot", "jet", "viridis"]) : undefined,
    quality: rng.pick([1, 50, 100]),
    frame: arr.frames > 1 ? rng.int(arr.frames) : 0,
  };
}

function fileSetStages(r: Recorder, input: CaseInput): void {
  const folder = input.fileSetFolder!;
  const path = join(folder, "DICOMDIR");
  const original = Deno.readFileSync(path);
  Deno.writeFileSync(path, input.bytes);
  try {
    const root = resolve(folder);
    r.run("fileSet-strict", () => fileSet(folder, { strict: true }));
    const fs = r.run("fileSet", () => fileSet(folder));
    if (!fs.ok) return;
    r.run("fileSet-string", () => String(fs.value));
    let n = 0;
    for (const inst of fs.value) {
      const rel = relative(root, resolve(inst.path));
      if (rel.startsWith("..") || isAbsolute(rel)) {
        r.finding("path-escape", "fileSet", `instance path ${inst.path} is outside ${root}`);
      }
      if (n++ < 3) r.run("fileSet-load", () => inst.load({ stopBeforePixels: true }));
    }
  } finally {
    Deno.writeFileSync(path, original);
  }
}

/** Runs the pipeline on one input; no timing or allocation checks. */
function pipeline(r: Recorder, input: CaseInput, rng: Rng): void {
  if (input.fileSetFolder) {
    fileSetStages(r, input);
    return;
  }
  const bytes = input.bytes;
  const lenient = r.run("read", () => read(bytes));
  const strict = r.run("read-strict", () => read(bytes, { strict: true }));
  if (lenient.ok && strict.ok === false && strict.error instanceof DicomError) {
    if (lenient.value.warnings.filter((w) => !w.startsWith("no 128-byte preamble")).length === 0) {
      r.finding(
        "strict-mismatch",
        "read-strict",
        `strict read throws ${(strict.error as Error).message}, the lenient read warns of nothing`,
      );
    }
  }
  if (!lenient.ok && lenient.error instanceof DicomError && strict.ok) {
    r.finding("strict-mismatch", "read-strict", "the lenient read throws, the strict one reads");
  }
  if (!lenient.ok) return;
  const ds = lenient.value;
  if (input.truncatedInValue && ds.warnings.length === 0) {
    r.finding("silent-loss", "read", "input cut inside a value, yet no warning");
  }
  r.run("String", () => String(ds));
  r.run("dir", () => dir(ds));
  imageStages(r, ds, rng);
}

/**
 * Makes and runs case `index` of a run seeded with `seed`: every stage's outcome, and the
 * findings (crashes, slowness, allocations beyond what the input justifies).
 */
export function runCase(
  ctx: FuzzContext,
  seed: number,
  index: number,
  options: { keepBytes?: "findings" | "always" } = {},
): CaseResult {
  const input = makeCase(ctx, seed, index);
  const r = new Recorder(seed, index, input);
  const rng = new Rng(caseSeed(seed, index) ^ 0x5bd1e995);
  stats.wasmGrowth = 0;
  const t0 = performance.now();
  try {
    pipeline(r, input, rng);
  } catch (e) {
    // only the harness's own steps get here (writing a DICOMDIR)
    const err = e instanceof Error ? e : new Error(String(e));
    r.finding("crash", "harness", `${err.name}: ${err.message}`, err.stack);
  }
  const ms = performance.now() - t0;
  // a large image (a 4000x4000 frame from a small JPEG 2000 stream) takes its time in every
  // stage: the budget grows with the largest array the case made
  const budget = ctx.slowMs + MS_PER_MIB * r.maxAllocation / 2 ** 20;
  if (ms > budget) {
    r.finding("slow", "all", `case took ${ms.toFixed(0)} ms (budget ${budget.toFixed(0)} ms)`);
  }
  if (stats.wasmGrowth > 512 << 20) {
    r.finding("allocation", "wasm", `webassembly memory grew to ${stats.wasmGrowth} bytes`);
  }
  return {
    index,
    source: input.source,
    mutations: input.mutations,
    size: input.bytes.length,
    outcomes: r.outcomes,
    findings: r.findings,
    ms,
    maxAllocation: r.maxAllocation,
    bytes: options.keepBytes === "always" || (options.keepBytes && r.findings.length)
      ? input.bytes
      : undefined,
  };
}

// --- worker entry ----------------------------------------------------------------------------

/** Messages to the worker. */
export type ToWorker =
  | { type: "init"; corpus?: string; slowMs?: number }
  | { type: "case"; seed: number; index: number; keepBytes?: "findings" }
  | { type: "close" };

/** Messages from the worker. */
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; result: CaseResult }
  | { type: "error"; index: number; message: string };

interface WorkerScope {
  name: string;
  postMessage(m: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  close(): void;
}

const scope = globalThis as unknown as Partial<WorkerScope>;
if (scope.name === "dicom-fuzz" && typeof scope.postMessage === "function") {
  const self = scope as WorkerScope;
  let ctx: FuzzContext | undefined;
  self.onmessage = async (e) => {
    const m = e.data;
    if (m.type === "init") {
      ctx = await createContext({ corpus: m.corpus, slowMs: m.slowMs });
      self.postMessage({ type: "ready" });
    } else if (m.type === "case") {
      try {
        self.postMessage({
          type: "result",
          result: runCase(ctx!, m.seed, m.index, { keepBytes: m.keepBytes }),
        });
      } catch (err) {
        self.postMessage({ type: "error", index: m.index, message: String((err as Error).stack) });
      }
    } else {
      if (ctx) disposeContext(ctx);
      self.close();
    }
  };
}
