/**
 * Python encoding names, normalized as `codecs.lookup` does, mapped to the emulated codecs.
 *
 * @module
 */

import { DicomError } from "../../core/errors.ts";
import type { PyCodec } from "./_codec.ts";
import { ISO2022_JP, ISO2022_JP_2, iso2022Decoder, iso2022Encode } from "./_iso2022.ts";
import {
  eucKrDecode,
  eucKrEncode,
  gb18030Decode,
  gb18030Encode,
  gb2312Decode,
  gb2312Encode,
  gbkDecode,
  gbkEncode,
  shiftJisDecode,
  shiftJisEncode,
} from "./_multi_byte.ts";
import { singleByteCodec } from "./_single_byte.ts";
import { utf8Codec } from "./_utf8.ts";

// ---------------------------------------------------------------------------
// codec registry: Python encoding names, normalized as `codecs.lookup` does

const CODEC_ALIASES: Record<string, string> = {};

function alias(target: string, names: string): void {
  for (const name of names.split(" ")) CODEC_ALIASES[name] = target;
}

alias(
  "latin_1",
  "iso8859 latin_1 latin1 latin l1 iso8859_1 iso_8859_1 8859 cp819 ibm819 csisolatin1 iso_ir_100 iso_8859_1_1987",
);
alias("ascii", "ascii us_ascii 646 us iso646_us iso_ir_6 ansi_x3.4_1968 ansi_x3.4_1986 cp367");
alias("iso8859_2", "iso8859_2 iso_8859_2 latin2 l2 iso_ir_101 csisolatin2");
alias("iso8859_3", "iso8859_3 iso_8859_3 latin3 l3 iso_ir_109 csisolatin3");
alias("iso8859_4", "iso8859_4 iso_8859_4 latin4 l4 iso_ir_110 csisolatin4");
alias("iso8859_5", "iso8859_5 iso_8859_5 cyrillic iso_ir_144 csisolatincyrillic");
alias("iso8859_6", "iso8859_6 iso_8859_6 arabic iso_ir_127 asmo_708 ecma_114 csisolatinarabic");
alias("iso8859_7", "iso8859_7 iso_8859_7 greek greek8 iso_ir_126 elot_928 ecma_118");
alias("iso8859_8", "iso8859_8 iso_8859_8 hebrew iso_ir_138 csisolatinhebrew");
alias("iso8859_9", "iso8859_9 iso_8859_9 latin5 l5 iso_ir_148 csisolatin5");
alias("tis_620", "tis_620 tis620 tis_620_0 tis_620_2529_0 tis_620_2529_1 iso_ir_166");
alias("utf_8", "utf8 utf_8 u8 utf utf8_ucs2 utf8_ucs4 cp65001");
alias("shift_jis", "shift_jis shiftjis sjis s_jis csshiftjis");
alias("euc_kr", "euc_kr euckr korean ksc5601 ks_c_5601 ks_c_5601_1987 ksx1001 ks_x_1001");
alias(
  "gb2312",
  "gb2312 iso_ir_58 chinese csiso58gb231280 euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80",
);
alias("gbk", "gbk 936 cp936 ms936");
alias("gb18030", "gb18030 gb18030_2000");
alias("iso2022_jp", "iso2022_jp iso_2022_jp iso2022jp csiso2022jp");
alias("iso2022_jp_2", "iso2022_jp_2 iso_2022_jp_2 iso2022jp_2");

function normalizeCodecName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, "_").replace(/^_+|_+$/g, "");
}

const codecCache = new Map<string, PyCodec>();

function makeCodec(canonical: string): PyCodec {
  switch (canonical) {
    case "utf_8":
      return utf8Codec;
    case "shift_jis":
      return { decode: shiftJisDecode, encode: shiftJisEncode };
    case "euc_kr":
      return { decode: eucKrDecode, encode: eucKrEncode };
    case "gb2312":
      return { decode: gb2312Decode, encode: gb2312Encode };
    case "gbk":
      return { decode: gbkDecode, encode: gbkEncode };
    case "gb18030":
      return { decode: gb18030Decode, encode: gb18030Encode };
    case "iso2022_jp":
      return { decode: iso2022Decoder(ISO2022_JP), encode: iso2022Encode(ISO2022_JP) };
    case "iso2022_jp_2":
      return { decode: iso2022Decoder(ISO2022_JP_2), encode: iso2022Encode(ISO2022_JP_2) };
    default:
      return singleByteCodec(canonical);
  }
}

/** The emulated Python codec for an encoding name, or undefined. */
export function lookupCodec(name: string): PyCodec | undefined {
  const canonical = CODEC_ALIASES[normalizeCodecName(name)];
  if (canonical === undefined) return undefined;
  let codec = codecCache.get(canonical);
  if (!codec) {
    codec = makeCodec(canonical);
    codecCache.set(canonical, codec);
  }
  return codec;
}

export function codecOf(name: string): PyCodec {
  const codec = lookupCodec(name);
  if (!codec) throw new DicomError(`internal: no codec for encoding "${name}"`);
  return codec;
}
