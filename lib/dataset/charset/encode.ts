/**
 * Encoding text values under Specific Character Set (pydicom's `encode_string`).
 *
 * @module
 */

import { ValueError } from "../../core/errors.ts";
import { ISO2022_JP, ISO2022_JP_2, iso2022Encode, Iso2022Encoder } from "./_iso2022.ts";
import { shiftJisChar } from "./_multi_byte.ts";
import { codecOf } from "./_python_codecs.ts";
import {
  DEFAULT_ENCODING,
  ENCODINGS_TO_CODES,
  ESC,
  HANDLED_ENCODINGS,
  isCustomizable,
  MULTI_VALUED_TEXT_VR,
  NEED_TAIL_ESCAPE,
} from "./_tables.ts";
import { noWarn, stringToCodePoints, type Warn } from "./_util.ts";
import { convertEncodings } from "./_encodings.ts";

/** Options of {@linkcode encodeText}. */
export interface EncodeTextOptions {
  /**
   * Value representation of the element, as for {@linkcode decodeText}.
   *
   * @default {undefined} (one text value)
   */
  vr?: string;
  /** Receives pydicom's warnings (unknown character sets, unencodable text). */
  onWarning?: (message: string) => void;
}

// ---------------------------------------------------------------------------
// encoding (pydicom's encode_string)

/** Python's UnicodeEncodeError start, or the bytes. */
type Encoded = number[] | number;

/** pydicom's `_encode_to_jis_x_0201` (single-byte JIS X 0201 only). */
function encodeJisX0201(cps: readonly number[], strict: boolean): Encoded {
  if (!strict || cps.length === 0) {
    const out: number[] = [];
    for (const c of cps) {
      const b = shiftJisChar(c);
      out.push(b && b.length === 1 && b[0] < 0x80 ? b[0] : 0x3f);
    }
    return out;
  }
  const first = shiftJisChar(cps[0]);
  if (!first || first.length !== 1) return 0;
  const msb = first[0] & 0x80;
  const out = [first[0]];
  for (let i = 1; i < cps.length; i++) {
    const b = shiftJisChar(cps[i]);
    if (!b || b.length !== 1 || (b[0] & 0x80) !== msb) return i;
    out.push(b[0]);
  }
  return out;
}

/** pydicom's `_encode_to_given_charset` for iso2022_jp / iso2022_jp_2. */
function encodeToGivenCharset(cps: readonly number[], encoding: string, strict: boolean): Encoded {
  const config = encoding === "iso2022_jp" ? ISO2022_JP : ISO2022_JP_2;
  if (!strict) return iso2022Encode(config)(cps, false);
  if (cps.length === 0) return [];
  const enc = new Iso2022Encoder(config);
  const lead = ENCODINGS_TO_CODES[encoding];
  const first = enc.encode(cps[0]);
  if (!first) return 0;
  for (let k = 0; k < lead.length; k++) if (first[k] !== lead.charCodeAt(k)) return 0;
  const out = [...first];
  for (let i = 1; i < cps.length; i++) {
    const b = enc.encode(cps[i]);
    if (!b || b[0] === ESC) return i;
    out.push(...b);
  }
  return out;
}

/** pydicom's `_encode_string_impl`. */
function encodeImpl(cps: readonly number[], encoding: string, strict: boolean): Encoded {
  if (encoding === "shift_jis") return encodeJisX0201(cps, strict);
  if (encoding === "iso2022_jp" || encoding === "iso2022_jp_2") {
    return encodeToGivenCharset(cps, encoding, strict);
  }
  return codecOf(encoding).encode(cps, strict);
}

function escapeFor(encoding: string, encoded: number[] | null): number[] {
  let code: string;
  if (encoding === "shift_jis") {
    code = encoded && encoded.length && encoded[0] >= 0x80 ? "\x1b)I" : "\x1b(J";
  } else code = ENCODINGS_TO_CODES[encoding] ?? "";
  return [...code].map((ch) => ch.charCodeAt(0));
}

function encodeStringParts(cps: readonly number[], encodings: readonly string[]): number[] | null {
  const out: number[] = [];
  let rest = cps;
  let best = DEFAULT_ENCODING;
  while (rest.length) {
    let maxIndex = 0;
    for (const encoding of encodings) {
      const r = encodeImpl(rest, encoding, true);
      if (typeof r !== "number") {
        best = encoding;
        maxIndex = rest.length;
        break;
      }
      if (r > maxIndex) {
        maxIndex = r;
        best = encoding;
      }
    }
    if (maxIndex === 0) return null;
    const part = encodeImpl(rest.slice(0, maxIndex), best, true);
    if (typeof part === "number") return null;
    if (!HANDLED_ENCODINGS.has(best)) out.push(...escapeFor(best, part));
    out.push(...part);
    rest = rest.slice(maxIndex);
  }
  if (NEED_TAIL_ESCAPE.has(best)) out.push(...escapeFor(encodings[0], null));
  return out;
}

function encodeString(cps: readonly number[], encodings: readonly string[], warn: Warn): number[] {
  // pydicom fails on empty text when the first set is iso2022_jp; nothing is right
  if (cps.length === 0) return [];
  for (let i = 0; i < encodings.length; i++) {
    const encoding = encodings[i];
    let encoded = encodeImpl(cps, encoding, true);
    if (typeof encoded === "number") continue;
    if (i > 0 && !HANDLED_ENCODINGS.has(encoding)) {
      encoded = [...escapeFor(encoding, encoded), ...encoded];
    }
    if (NEED_TAIL_ESCAPE.has(encoding)) encoded.push(...escapeFor(encodings[0], null));
    return encoded;
  }
  if (encodings.length > 1) {
    const parts = encodeStringParts(cps, encodings);
    if (parts) return parts;
  }
  warn(
    `Failed to encode value with encodings: ${encodings.join(", ")} - ` +
      "using replacement characters in encoded string",
  );
  return encodeImpl(cps, encodings[0], false) as number[];
}

function encodePersonName(name: string, encodings: readonly string[], warn: Warn): number[] {
  const comps = name.split("=");
  while (comps.length && !comps[comps.length - 1]) comps.pop();
  const encoded = comps.map((comp) => {
    const groups = comp.split("^").map((g) => encodeString(stringToCodePoints(g), encodings, warn));
    return groups.flatMap((g, i) => (i ? [0x5e, ...g] : g));
  });
  while (encoded.length && !encoded[encoded.length - 1].length) encoded.pop();
  return encoded.flatMap((c, i) => (i ? [0x3d, ...c] : c));
}

/** Encodings whose first character set writes printable ASCII as ASCII. */
const ASCII_AS_IS: ReadonlySet<string> = new Set([DEFAULT_ENCODING, "latin_1", "UTF8"]);

/**
 * Encodes text for writing, the inverse of {@linkcode decodeText}, with pydicom
 * 2.3.1's choices: each value (and for `PN` each name group) is encoded with the
 * first character set that can encode all of it, escape sequences are added for
 * code extensions, and text no single set can encode is split between them. Text
 * that cannot be encoded at all gets `?` in place of the bad characters, with a
 * warning. No padding is added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeText } from "./mod.ts";
 * const bytes = encodeText("Buc^Jérôme", ["ISO_IR 100"], { vr: "PN" });
 * assert.deepEqual([...bytes], [0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]);
 * ```
 */
export function encodeText(
  text: string,
  charsets: readonly string[],
  options: EncodeTextOptions = {},
): Uint8Array {
  const { vr } = options;
  if (!isCustomizable(vr)) {
    const cps = stringToCodePoints(text);
    const bad = cps.findIndex((c) => c > 0xff);
    if (bad >= 0) {
      throw new ValueError(
        `cannot encode character U+${
          cps[bad].toString(16).toUpperCase().padStart(4, "0")
        } at index ${bad} of a ${vr} value as latin-1`,
      );
    }
    return Uint8Array.from(cps);
  }
  const warn = options.onWarning ?? noWarn;
  const encodings = convertEncodings(charsets, warn);
  // printable ASCII in a character set that leaves it as it is (the usual case): the
  // same bytes the general path gives (a PN without "=" keeps all its groups), faster
  if (ASCII_AS_IS.has(encodings[0]) && !(vr === "PN" && text.includes("="))) {
    const out = new Uint8Array(text.length);
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) break;
      out[i] = c;
    }
    if (i === text.length) return out;
  }
  if (vr !== undefined && MULTI_VALUED_TEXT_VR.has(vr)) {
    const values = text.split("\\").map((v) =>
      vr === "PN"
        ? encodePersonName(v, encodings, warn)
        : encodeString(stringToCodePoints(v), encodings, warn)
    );
    return Uint8Array.from(values.flatMap((v, i) => (i ? [0x5c, ...v] : v)));
  }
  return Uint8Array.from(encodeString(stringToCodePoints(text), encodings, warn));
}
