/** Test access to lib/volume's private frame reader. */
import type { Dataset } from "../lib/dataset/dataset.ts";
import { type FrameHeader, frameHeaders } from "../lib/volume/_frames.ts";

/** The frames of one dataset as lib/volume sees them. */
export function _frameHeaders(ds: Dataset): FrameHeader[] {
  return frameHeaders(ds, 0);
}
