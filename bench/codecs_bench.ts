/**
 * Decode speed of the RLE, JPEG-LS, JPEG 2000 and HTJ2K codecs on one 512x512 16-bit
 * frame (512 KiB decoded): a synthetic CT-like slice encoded here with each family's
 * encoder, plus the corpus CT frames when `../shared/corpus` is present.
 *
 * Run with `deno bench -A bench/codecs_bench.ts`. MB/s = 0.524288 / (avg ms) * 1000.
 */
import charlsFull from "@cornerstonejs/codec-charls/wasmjs";
import openjpegFull from "@cornerstonejs/codec-openjpeg/wasmjs";
import openjphFull from "@cornerstonejs/codec-openjph/wasmjs";
import { encodeRle, rleLossless } from "../lib/pixels/codecs/rle.ts";
import { jpegLs } from "../lib/pixels/codecs/jpeg_ls.ts";
import { jpeg2000 } from "../lib/pixels/codecs/jpeg_2000.ts";
import type { FrameInfo } from "../lib/pixels/codecs/types.ts";
import { corpusMissing, manifest } from "../tests/_corpus.ts";
import { corpusFrames, frameInfoOf } from "../tests/_encap.ts";

const SIZE = 512;
const info: FrameInfo = {
  rows: SIZE,
  columns: SIZE,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  pixelRepresentation: 1,
  planarConfiguration: 0,
  photometricInterpretation: "MONOCHROME2",
};

/** A CT-like slice: air outside a disc of soft tissue with noise, a denser core. */
function syntheticCt(): Int16Array {
  const px = new Int16Array(SIZE * SIZE);
  let seed = 1;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const r = Math.hypot(x - 256, y - 256);
      px[y * SIZE + x] = r > 230 ? -1024 : Math.round(
        40 + 30 * Math.sin(x / 20) + (rand() - 0.5) * 40 + (r < 60 ? 600 : 0),
      );
    }
  }
  return px;
}

const ct = syntheticCt();
const ctBytes = new Uint8Array(ct.buffer);

type Enc = {
  getDecodedBuffer(fi: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  delete(): void;
};
type Factory = (arg: object) => Promise<Record<string, new () => Enc>>;

async function encodeWith(factory: unknown, cls: string, fi: object): Promise<Uint8Array> {
  const m = await (factory as Factory)({ print() {}, printErr() {} });
  const enc = new m[cls]();
  try {
    enc.getDecodedBuffer(fi).set(ctBytes);
    if ("setQuality" in enc) {
      (enc as unknown as { setQuality(l: boolean, n: number): void })
        .setQuality(true, 0);
    }
    enc.encode();
    return new Uint8Array(enc.getEncodedBuffer());
  } finally {
    enc.delete();
  }
}

const frameInfo = { width: SIZE, height: SIZE, bitsPerSample: 16, componentCount: 1 };
const rle = encodeRle(ct, info);
const jls = await encodeWith(charlsFull, "JpegLSEncoder", frameInfo);
const j2k = await encodeWith(openjpegFull, "J2KEncoder", { ...frameInfo, isSigned: true });
const htj2k = await encodeWith(openjphFull, "HTJ2KEncoder", {
  ...frameInfo,
  isSigned: true,
  isUsingColorTransform: false,
});

Deno.bench({
  name: `RLE Lossless, synthetic CT 512x512x16 (${rle.length} bytes)`,
  group: "synthetic",
  baseline: true,
  fn: () => {
    rleLossless.decode(rle, info);
  },
});
Deno.bench({
  name: `JPEG-LS lossless, synthetic CT (${jls.length} bytes)`,
  group: "synthetic",
  fn: () => {
    jpegLs.decode(jls, info);
  },
});
Deno.bench({
  name: `JPEG 2000 lossless, synthetic CT (${j2k.length} bytes)`,
  group: "synthetic",
  fn: () => {
    jpeg2000.decode(j2k, info);
  },
});
Deno.bench({
  name: `HTJ2K lossless, synthetic CT (${htj2k.length} bytes)`,
  group: "synthetic",
  fn: () => {
    jpeg2000.decode(htj2k, info);
  },
});

const missing = corpusMissing();
const rows = missing ? [] : manifest();
for (const [file, codec] of [["CT1_JLSN.dcm", jpegLs], ["693_J2KR.dcm", jpeg2000]] as const) {
  const row = rows.find((r) => r.path.endsWith(`/${file}`));
  const frame = row ? corpusFrames(row)[0] : new Uint8Array();
  const fi = row ? frameInfoOf(row) : info;
  Deno.bench({
    name: `${codec.name}, corpus ${file} (${frame.length} bytes)`,
    group: "corpus",
    ignore: !row,
    fn: () => {
      codec.decode(frame, fi);
    },
  });
}
