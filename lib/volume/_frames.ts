/**
 * The geometry and value attributes of each frame of an image, from a single-frame
 * dataset or from the functional groups of an enhanced multi-frame one (private).
 *
 * @module
 */

import type { Dataset } from "../dataset/dataset.ts";
import type { ElementValue } from "../dataset/element.ts";

/** What a volume needs to know about one frame, read from the header alone. */
export interface FrameHeader {
  /** Index of the instance in the series' instances. */
  instance: number;
  /** Frame of the instance (0 for single-frame images). */
  frame: number;
  /** Number of frames of the instance. */
  frames: number;
  /** Rows (0028,0010). */
  rows: number;
  /** Columns (0028,0011). */
  columns: number;
  /** Image Position (Patient), or undefined. */
  position?: number[];
  /** Image Orientation (Patient), or undefined. */
  orientation?: number[];
  /** Pixel Spacing: between rows, between columns. */
  pixelSpacing?: number[];
  /** Slice Thickness (0018,0050), when given. */
  sliceThickness?: number;
  /** Spacing Between Slices (0018,0088), when given. */
  spacingBetweenSlices?: number;
  /** Rescale slope and intercept, when given. */
  slope?: number;
  /** Rescale intercept, when given. */
  intercept?: number;
  /** True when a Modality LUT Sequence maps the values. */
  lut: boolean;
  /** Echo Number (0018,0086), when given. */
  echo?: number;
  /** Stack ID (0020,9056), when given. */
  stack?: string;
  /** What tells time points apart (temporal position, trigger time, acquisition). */
  time?: number;
  /** Instance Number (0020,0013), when given. */
  instanceNumber?: number;
  /** Samples per Pixel (0028,0002). */
  samplesPerPixel: number;
}

export function numbers(v: ElementValue | undefined): number[] | undefined {
  if (typeof v === "number") return [v];
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === "number")) {
    return v as number[];
  }
  return undefined;
}

export function first(v: ElementValue | undefined): number | undefined {
  return numbers(v)?.[0];
}

function text(v: ElementValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.join("\\") : String(v);
}

/** The first item of a sequence, if any. */
function item(ds: Dataset | undefined, keyword: string): Dataset | undefined {
  const v = ds?.get(keyword);
  return Array.isArray(v) && v.length && typeof v[0] === "object" ? v[0] as Dataset : undefined;
}

/** "HHMMSS.frac" to seconds. */
function seconds(v: ElementValue | undefined): number | undefined {
  const s = text(v)?.trim();
  if (!s || !/^\d{2,6}(\.\d*)?$/.test(s)) return undefined;
  const [hms, frac = ""] = s.split(".");
  const h = Number(hms.slice(0, 2)),
    m = Number(hms.slice(2, 4) || 0),
    sec = Number(hms.slice(4, 6) || 0);
  return h * 3600 + m * 60 + sec + (frac ? Number(`0.${frac}`) : 0);
}

/** The time key of a single-frame image: temporal position, trigger time, acquisition. */
function timeOf(ds: Dataset): number | undefined {
  return first(ds.get("TemporalPositionIdentifier")) ?? first(ds.get("TriggerTime")) ??
    seconds(ds.get("AcquisitionTime")) ?? first(ds.get("AcquisitionNumber"));
}

/**
 * The frames of one instance's header (read with `stopBeforePixels`).
 */
export function frameHeaders(ds: Dataset, instance: number): FrameHeader[] {
  const rows = first(ds.get("Rows")) ?? 0;
  const columns = first(ds.get("Columns")) ?? 0;
  const frames = Math.max(1, first(ds.get("NumberOfFrames")) ?? 1);
  const samplesPerPixel = first(ds.get("SamplesPerPixel")) ?? 1;
  const instanceNumber = first(ds.get("InstanceNumber"));
  const perFrame = ds.get("PerFrameFunctionalGroupsSequence");
  const shared = item(ds, "SharedFunctionalGroupsSequence");
  if (Array.isArray(perFrame) && perFrame.length) {
    const out: FrameHeader[] = [];
    for (let f = 0; f < frames; f++) {
      const groups = perFrame[f] as Dataset | undefined;
      const group = (keyword: string) => item(groups, keyword) ?? item(shared, keyword);
      const plane = group("PlanePositionSequence");
      const orient = group("PlaneOrientationSequence");
      const measures = group("PixelMeasuresSequence");
      const transform = group("PixelValueTransformationSequence");
      const content = group("FrameContentSequence");
      const mr = group("MREchoSequence");
      out.push({
        instance,
        frame: f,
        frames,
        rows,
        columns,
        position: numbers(plane?.get("ImagePositionPatient")),
        orientation: numbers(orient?.get("ImageOrientationPatient")),
        pixelSpacing: numbers(measures?.get("PixelSpacing")),
        sliceThickness: first(measures?.get("SliceThickness")),
        spacingBetweenSlices: first(measures?.get("SpacingBetweenSlices")),
        slope: first(transform?.get("RescaleSlope")),
        intercept: first(transform?.get("RescaleIntercept")),
        lut: false,
        echo: first(mr?.get("EffectiveEchoTime")),
        stack: text(content?.get("StackID")),
        time: first(content?.get("TemporalPositionIndex")),
        instanceNumber: f + 1,
        samplesPerPixel,
      });
    }
    return out;
  }
  const base: FrameHeader = {
    instance,
    frame: 0,
    frames,
    rows,
    columns,
    position: numbers(ds.get("ImagePositionPatient")),
    orientation: numbers(ds.get("ImageOrientationPatient")),
    pixelSpacing: numbers(ds.get("PixelSpacing")) ?? numbers(ds.get("ImagerPixelSpacing")),
    sliceThickness: first(ds.get("SliceThickness")),
    spacingBetweenSlices: first(ds.get("SpacingBetweenSlices")),
    slope: first(ds.get("RescaleSlope")),
    intercept: first(ds.get("RescaleIntercept")),
    lut: Array.isArray(ds.get("ModalityLUTSequence")) &&
      (ds.get("ModalityLUTSequence") as unknown[]).length > 0,
    echo: first(ds.get("EchoNumbers")),
    time: timeOf(ds),
    instanceNumber,
    samplesPerPixel,
  };
  if (frames === 1) return [base];
  // a plain multi-frame image without functional groups: frames follow the slice vector
  const spacing = base.spacingBetweenSlices ?? base.sliceThickness;
  const out: FrameHeader[] = [];
  for (let f = 0; f < frames; f++) {
    let position = base.position;
    if (position && base.orientation && spacing !== undefined) {
      const [a, b, c, d, e, g] = base.orientation;
      const n = [b * g - c * e, c * d - a * g, a * e - b * d];
      position = position.map((p, i) => p + n[i] * spacing * f);
    }
    out.push({ ...base, frame: f, position, instanceNumber: f + 1 });
  }
  return out;
}
