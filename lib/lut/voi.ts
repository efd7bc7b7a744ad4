/**
 * The VOI LUT stage (PS3.3 C.11.2): modality values to the values of interest, by a
 * window (Window Center/Width with a VOI LUT Function) or a VOI LUT Sequence, as
 * pydicom 2.3's `apply_voi_lut`, `apply_voi` and `apply_windowing`.
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { PixelArray, PixelTypedArray } from "../pixels/pixel_array.ts";
import { UnsupportedError, ValueError } from "../core/errors.ts";
import {
  grayscaleRange,
  indexLut,
  items,
  like,
  lutDescriptor,
  lutEntries,
  viaTable,
} from "./_lut.ts";
import { numberValues } from "../dataset/numbers.ts";
import { applyModalityLut } from "./modality.ts";

const WINDOW_CENTER = 0x00281050;
const WINDOW_WIDTH = 0x00281051;
const VOI_LUT_FUNCTION = 0x00281056;
const VOI_LUT_SEQUENCE = 0x00283010;
const LUT_DESCRIPTOR = 0x00283002;
const LUT_DATA = 0x00283006;
const PHOTOMETRIC = 0x00280004;

/** The VOI LUT Functions (0028,1056) of PS3.3 C.11.2.1.2–3. */
export type WindowFunction = "LINEAR" | "LINEAR_EXACT" | "SIGMOID";

/** Options of {@linkcode applyVoiLut}. */
export interface ApplyVoiLutOptions {
  /**
   * Which window (value of Window Center/Width) or which VOI LUT Sequence item to apply,
   * when there are several alternative views.
   *
   * @default {0}
   */
  index?: number;
  /**
   * When both a VOI LUT Sequence and a window are present: true (as pydicom) applies the
   * VOI LUT Sequence, false the window.
   *
   * @default {true}
   */
  preferLut?: boolean;
}

/** Options of {@linkcode applyWindow}. */
export interface ApplyWindowOptions {
  /** Window center, in the units of the input (modality values). */
  center: number;
  /** Window width, in the units of the input. */
  width: number;
  /**
   * The VOI LUT Function.
   *
   * @default {"LINEAR"}
   */
  function?: WindowFunction;
  /**
   * A dataset that sets the output range as {@linkcode applyVoiLut} does (Bits Stored,
   * Pixel Representation, Modality LUT, Rescale Slope/Intercept); its Photometric
   * Interpretation must then be MONOCHROME1 or MONOCHROME2.
   *
   * @default {undefined} the range is `range`, or `[0, 255]`
   */
  ds?: Dataset;
  /**
   * The output range `[min, max]`; overrides `ds`.
   *
   * @default {[0, 255]} without `ds`; with `ds`, the range `applyVoiLut` would give
   */
  range?: readonly [number, number];
}

/**
 * Applies the VOI LUT Module as pydicom 2.3.1's `apply_voi_lut`: a VOI LUT Sequence
 * (0028,3010) item, or a window from Window Center (0028,1050) and Window Width
 * (0028,1051), applied to the output of the Modality LUT stage.
 *
 * - Precedence: the VOI LUT Sequence when its first item has LUT Descriptor and LUT
 *   Data and either no window is present or `preferLut` (default true); else the window
 *   when both Window Center and Window Width have values; else `arr` is returned.
 * - VOI LUT Sequence: item `index` maps each value (below the first value mapped: first
 *   entry; past the end: last entry); `uint8` for 8-bit entries, else `uint16`.
 * - Window: `float64` in the grayscale range pydicom uses: `0..2^BitsStored-1` (or signed
 *   for Pixel Representation 1, or `0..2^bits-1` of a Modality LUT), passed through
 *   Rescale Slope/Intercept when present; see {@linkcode applyWindow}. With several
 *   windows `index` picks one; with a single window `index` is ignored (as pydicom).
 *
 * Throws `ValueError` for a window on a non-MONOCHROME image, a bad width or an unknown
 * VOI LUT Function, and for an `index` past the windows or items present.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyVoiLut } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const ds = new Dataset();
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("BitsStored", 8);
 * ds.set("PixelRepresentation", 0);
 * ds.set("WindowCenter", 128.5);
 * ds.set("WindowWidth", 65);
 * const out = applyVoiLut(new PixelArray(new Uint8Array([0, 96, 112, 128, 160]), [1, 5]), ds);
 * assert.equal(out.dtype, "float64");
 * assert.deepEqual(Array.from(out.data), [0, 0, 63.75, 127.5, 255]);
 * ```
 */
export function applyVoiLut(
  arr: PixelArray,
  ds: Dataset,
  options: ApplyVoiLutOptions = {},
): PixelArray {
  const index = options.index ?? 0;
  const seq = items(ds, "VOILUTSequence");
  const validVoi = seq.length > 0 && present(seq[0], "LUTDescriptor") &&
    present(seq[0], "LUTData");
  const validWindow = present(ds, "WindowCenter") && present(ds, "WindowWidth");
  if (validVoi && (!validWindow || (options.preferLut ?? true))) {
    return applyVoiSequence(arr, seq, index);
  }
  if (validWindow) {
    const center = pick(ds, "WindowCenter", WINDOW_CENTER, index);
    const width = pick(ds, "WindowWidth", WINDOW_WIDTH, index);
    const fnValue = ds.get("VOILUTFunction");
    const fnText = typeof fnValue === "string" ? fnValue.trim().toUpperCase() : "";
    return applyWindow(arr, {
      center,
      width,
      function: (fnText || "LINEAR") as WindowFunction,
      ds,
    });
  }
  return arr;
}

/**
 * Applies the Modality LUT then the VOI LUT stage in one pass: exactly
 * `applyVoiLut(applyModalityLut(arr, ds), ds, options)`, but integer pixels go through
 * one lookup table over the stored values present, which is several times faster.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyGrayscaleLuts } from "./mod.ts";
 * import { Dataset } from "../dataset/mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const ds = new Dataset();
 * ds.set("PhotometricInterpretation", "MONOCHROME2");
 * ds.set("BitsStored", 12);
 * ds.set("PixelRepresentation", 0);
 * ds.set("RescaleSlope", 1);
 * ds.set("RescaleIntercept", -1024);
 * ds.set("WindowCenter", 40);
 * ds.set("WindowWidth", 400);
 * const out = applyGrayscaleLuts(new PixelArray(new Uint16Array([0, 1064, 4095]), [1, 3]), ds);
 * assert.equal(out.dtype, "float64");
 * assert.equal(out.data[0], -1024);
 * assert.equal(out.data[2], 3071);
 * ```
 */
export function applyGrayscaleLuts(
  arr: PixelArray,
  ds: Dataset,
  options: ApplyVoiLutOptions = {},
): PixelArray {
  const chain = (a: PixelArray) => applyVoiLut(applyModalityLut(a, ds), ds, options);
  return viaTable(arr, chain) ?? chain(arr);
}

/**
 * Applies a window of your choice (PS3.3 C.11.2.1.2–3) with pydicom 2.3.1's arithmetic,
 * giving `float64`:
 *
 * - `LINEAR` (width ≥ 1): with `c = center - 0.5`, `w = width - 1`: values `<= c - w/2`
 *   give the range minimum, values `> c + w/2` the maximum, others
 *   `((x - c) / w + 0.5) * (max - min) + min`.
 * - `LINEAR_EXACT` (width > 0): the same with `c = center`, `w = width`.
 * - `SIGMOID` (width > 0): `(max - min) / (1 + exp(-4 * (x - center) / width)) + min`.
 *
 * The output range is `range`, else the one `ds` implies (see {@linkcode applyVoiLut}),
 * else `[0, 255]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyWindow } from "./mod.ts";
 * import { PixelArray } from "../pixels/mod.ts";
 * const hu = new PixelArray(new Float64Array([-1000, 40, 1000]), [1, 3]);
 * const out = applyWindow(hu, { center: 40, width: 400 });
 * assert.deepEqual(Array.from(out.data), [0, 127.81954887218045, 255]);
 * ```
 */
export function applyWindow(arr: PixelArray, options: ApplyWindowOptions): PixelArray {
  const { center, width, ds } = options;
  const fn = options.function ?? "LINEAR";
  if (ds) {
    const pi = ds.get("PhotometricInterpretation");
    if (pi !== "MONOCHROME1" && pi !== "MONOCHROME2") {
      throw new ValueError(
        `a window needs Photometric Interpretation MONOCHROME1 or MONOCHROME2, found ${
          JSON.stringify(pi ?? null)
        }`,
        { tag: PHOTOMETRIC },
      );
    }
  }
  const [yMin, yMax] = options.range ?? (ds ? grayscaleRange(ds) : [0, 255]);
  let c = center, w = width;
  if (fn === "LINEAR") {
    if (!(width >= 1)) {
      throw new ValueError(`window width must be >= 1 for LINEAR, found ${width}`, {
        tag: WINDOW_WIDTH,
      });
    }
    c -= 0.5;
    w -= 1;
  } else if (fn === "LINEAR_EXACT" || fn === "SIGMOID") {
    if (!(width > 0)) {
      throw new ValueError(`window width must be > 0 for ${fn}, found ${width}`, {
        tag: WINDOW_WIDTH,
      });
    }
  } else {
    throw new ValueError(`unsupported VOI LUT Function ${JSON.stringify(fn)}`, {
      tag: VOI_LUT_FUNCTION,
    });
  }
  const win: WindowRange = { c, w, yMin, yMax };
  const run = fn === "SIGMOID"
    ? (a: PixelArray) => like(a, sigmoid(a.data, win))
    : (a: PixelArray) => like(a, linear(a.data, win));
  return viaTable(arr, run) ?? run(arr);
}

/** A window's centre and width (as the function uses them) and its output range. */
interface WindowRange {
  c: number;
  w: number;
  yMin: number;
  yMax: number;
}

function linear(src: PixelTypedArray, { c, w, yMin, yMax }: WindowRange): Float64Array {
  const lo = c - w / 2;
  const hi = c + w / 2;
  const range = yMax - yMin;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const x = src[i];
    out[i] = x <= lo ? yMin : x > hi ? yMax : ((x - c) / w + 0.5) * range + yMin;
  }
  return out;
}

function sigmoid(src: PixelTypedArray, { c, w, yMin, yMax }: WindowRange): Float64Array {
  const range = yMax - yMin;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    out[i] = range / (1 + Math.exp((-4 * (src[i] - c)) / w)) + yMin;
  }
  return out;
}

function applyVoiSequence(arr: PixelArray, seq: Dataset[], index: number): PixelArray {
  if (!Number.isInteger(index) || index < 0 || index >= seq.length) {
    throw new ValueError(`VOI LUT Sequence has ${seq.length} item(s), no index ${index}`, {
      tag: VOI_LUT_SEQUENCE,
    });
  }
  const item = seq[index];
  const desc = lutDescriptor(item, "LUTDescriptor", LUT_DESCRIPTOR);
  if (desc.bits < 1 || desc.bits > 16) {
    throw new UnsupportedError(`${desc.bits} bits per VOI LUT entry is not supported`, {
      tag: LUT_DESCRIPTOR,
    });
  }
  const words = lutEntries(item, "LUTData", desc.entries, LUT_DATA);
  if (desc.bits <= 8) {
    const lut = Uint8Array.from(words, (w) => w & 0xff);
    return like(
      arr,
      indexLut(arr.data, lut, desc.firstMapped, desc.entries, new Uint8Array(arr.data.length)),
    );
  }
  return like(
    arr,
    indexLut(arr.data, words, desc.firstMapped, desc.entries, new Uint16Array(arr.data.length)),
  );
}

/** True when the element is there with a non-empty value (pydicom's `ds.get(k) is not None`). */
function present(ds: Dataset, keyword: string): boolean {
  const v = ds.get(keyword);
  if (v === null || v === undefined) return false;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Window value `index` of a multi-valued element, or the only value (pydicom's rule). */
function pick(ds: Dataset, keyword: string, tag: number, index: number): number {
  const values = numberValues(ds.get(keyword));
  if (values.length === 0) throw new ValueError(`${keyword} has no numeric value`, { tag });
  if (values.length === 1) return values[0];
  if (!Number.isInteger(index) || index < 0 || index >= values.length) {
    throw new ValueError(`${keyword} has ${values.length} values, no index ${index}`, { tag });
  }
  return values[index];
}
