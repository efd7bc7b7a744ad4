/**
 * JPEG decoding benchmarks on corpus frames: a 512x512 16-bit lossless CT (process 14,
 * selection value 1, also decoded by npm `jpeg-lossless-decoder-js` for comparison), an
 * 8-bit baseline RGB image (also decoded by npm `jpeg-js`) and a 2140x1760 12-bit
 * extended frame.
 *
 * Run with `deno bench -A bench/jpeg_bench.ts`. Benches are skipped when
 * `../shared/corpus` is absent.
 *
 * @module
 */
import { decodeJpeg } from "../lib/pixels/codecs/jpeg/mod.ts";
import { CORPUS_FILES } from "../tests/_corpus.ts";
import { corpusFrames } from "../tests/_encap.ts";

function frameOf(name: string): Uint8Array | null {
  try {
    return corpusFrames(`${CORPUS_FILES}/${name}`)[0];
  } catch {
    return null;
  }
}

const lossless = frameOf("bad_sequence.dcm"); // 512x512, P16, SV1
const baseline = frameOf("SC_jpeg_no_color_transform.dcm"); // 256x256x3, 8-bit baseline
const extended = frameOf("RG2_JPLY.dcm"); // 2140x1760, 12-bit extended

if (!lossless || !baseline || !extended) {
  console.warn("!!! ../shared/corpus not found: JPEG benches skipped !!!");
}

// npm jpeg-js, for comparison only (a pure-JS decoder); skipped when it cannot be fetched.
interface JpegJs {
  decode(
    data: Uint8Array,
    options: { useTArray: boolean; colorTransform: boolean; formatAsRGBA: boolean },
  ): { width: number; height: number; data: Uint8Array };
}
let jpegJs: JpegJs | null = null;
try {
  // deno-lint-ignore no-import-prefix
  jpegJs = (await import("npm:jpeg-js@0.4.4")).default as JpegJs;
} catch {
  console.warn("npm:jpeg-js unavailable: comparison bench skipped");
}

interface LosslessJs {
  Decoder: new () => { decode(data: ArrayBuffer): ArrayBufferView };
}
let losslessJs: LosslessJs | null = null;
try {
  // deno-lint-ignore no-import-prefix
  losslessJs = (await import("npm:jpeg-lossless-decoder-js@2.1.2")) as unknown as LosslessJs;
} catch {
  console.warn("npm:jpeg-lossless-decoder-js unavailable: comparison bench skipped");
}
const losslessBuffer = lossless?.slice().buffer;

Deno.bench({
  name: "jpeg lossless 512x512 16-bit (ours)",
  group: "lossless",
  baseline: true,
  ignore: !lossless,
  fn() {
    decodeJpeg(lossless!);
  },
});

Deno.bench({
  name: "jpeg lossless 512x512 16-bit (npm jpeg-lossless-decoder-js)",
  group: "lossless",
  ignore: !losslessBuffer || !losslessJs,
  fn() {
    new losslessJs!.Decoder().decode(losslessBuffer!);
  },
});

Deno.bench({
  name: "jpeg baseline 256x256x3 8-bit (ours)",
  group: "baseline",
  baseline: true,
  ignore: !baseline,
  fn() {
    decodeJpeg(baseline!);
  },
});

Deno.bench({
  name: "jpeg baseline 256x256x3 8-bit (npm jpeg-js)",
  group: "baseline",
  ignore: !baseline || !jpegJs,
  fn() {
    jpegJs!.decode(baseline!, { useTArray: true, colorTransform: false, formatAsRGBA: false });
  },
});

Deno.bench({
  name: "jpeg extended 2140x1760 12-bit (ours)",
  group: "extended",
  ignore: !extended,
  fn() {
    decodeJpeg(extended!);
  },
});
