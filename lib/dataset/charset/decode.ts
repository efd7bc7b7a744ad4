/**
 * Decoding text values under Specific Character Set (pydicom's `decode_bytes`).
 *
 * @module
 */

import { codecOf } from "./_python_codecs.ts";
import {
  CODES_TO_ENCODINGS,
  DEFAULT_ENCODING,
  ESC,
  HANDLED_ENCODINGS,
  isCustomizable,
  MULTI_VALUED_TEXT_VR,
  PN_DELIMS,
  TEXT_VR_DELIMS,
} from "./_tables.ts";
import { latin1String, noWarn, startsWith, type Warn } from "./_util.ts";
import { convertEncodings } from "./_encodings.ts";

/** Options of {@linkcode decodeText} and {@linkcode decodeValues}. */
export interface DecodeTextOptions {
  /**
   * Value representation of the element. `PN` decodes person-name components on
   * their own; `SH`, `LO`, `UC` and `PN` are split into values at `\`; VRs without a
   * replaceable repertoire (`AE`, `CS`, `DA`, `UI`, ...) are decoded as latin-1,
   * ignoring the character set, as pydicom does. Without a VR the bytes are one
   * text value.
   *
   * @default {undefined} (one text value)
   */
  vr?: string;
  /** Receives pydicom's warnings (unknown character sets, undecodable bytes). */
  onWarning?: (message: string) => void;
}

// ---------------------------------------------------------------------------
// decoding (pydicom's decode_bytes)

function decodeWith(encoding: string, b: Uint8Array, strict: boolean): string | null {
  return codecOf(encoding).decode(b, strict);
}

function decodeBytes(
  value: Uint8Array,
  encodings: readonly string[],
  delimiters: ReadonlySet<number>,
  warn: Warn,
): string {
  if (!value.includes(ESC)) {
    const first = encodings[0];
    const s = decodeWith(first, value, true);
    if (s !== null) return s;
    warn(
      `Failed to decode byte string with encoding '${first}' - ` +
        "using replacement characters in decoded string",
    );
    return decodeWith(first, value, false)!;
  }
  // parts: the bytes before the first ESC, then each ESC with what follows it
  let out = "";
  let start = 0;
  for (let i = 1; i <= value.length; i++) {
    if (i === value.length || value[i] === ESC) {
      out += decodeFragment(value.subarray(start, i), encodings, delimiters, warn);
      start = i;
    }
  }
  return out;
}

function decodeFragment(
  fragment: Uint8Array,
  encodings: readonly string[],
  delimiters: ReadonlySet<number>,
  warn: Warn,
): string {
  const s = fragment[0] === ESC
    ? decodeEscapedFragment(fragment, encodings, delimiters, warn)
    : decodeWith(encodings[0], fragment, true);
  if (s !== null) return s;
  warn(
    `Failed to decode byte string with encodings: ${encodings.join(", ")} - ` +
      "using replacement characters in decoded string",
  );
  return decodeWith(encodings[0], fragment, false)!;
}

/** Decodes a part starting with ESC; null when pydicom would fall back. */
function decodeEscapedFragment(
  fragment: Uint8Array,
  encodings: readonly string[],
  delimiters: ReadonlySet<number>,
  warn: Warn,
): string | null {
  const seqLength = startsWith(fragment, "\x1b$(") || startsWith(fragment, "\x1b$)") ? 4 : 3;
  const code = latin1String(fragment.subarray(0, seqLength));
  const encoding = Object.hasOwn(CODES_TO_ENCODINGS, code) ? CODES_TO_ENCODINGS[code] : "";
  if (encoding && (encodings.includes(encoding) || encoding === DEFAULT_ENCODING)) {
    if (HANDLED_ENCODINGS.has(encoding)) return decodeWith(encoding, fragment, true);
    const rest = fragment.subarray(seqLength);
    const index = rest.findIndex((c) => delimiters.has(c));
    if (index >= 0) {
      const head = decodeWith(encoding, rest.subarray(0, index), true);
      if (head === null) return null;
      const tail = decodeWith(encodings[0], rest.subarray(index), true);
      return tail === null ? null : head + tail;
    }
    return decodeWith(encoding, rest, true);
  }
  warn(`Found unknown escape sequence in encoded string value - using encoding ${encodings[0]}`);
  return decodeWith(encodings[0], fragment, false)!;
}

function decodePersonName(value: Uint8Array, encodings: readonly string[], warn: Warn): string {
  const comps: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === 0x3d) {
      comps.push(decodeBytes(value.subarray(start, i), encodings, PN_DELIMS, warn));
      start = i + 1;
    }
  }
  while (comps.length && !comps[comps.length - 1]) comps.pop();
  return comps.join("=");
}

function splitBytes(value: Uint8Array, sep: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === sep) {
      parts.push(value.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

/**
 * Decodes the bytes of a text value under (0008,0005) Specific Character Set, as
 * pydicom 2.3.1 does.
 *
 * `charsets` are the values of Specific Character Set (`[]` or `[""]` is the default
 * repertoire, which pydicom decodes as latin-1). Values of multi-valued VRs (`SH`,
 * `LO`, `UC`, `PN`) are decoded one by one and joined again with `\`; nothing is
 * trimmed (see {@linkcode decodeValues} for pydicom's values). Undecodable bytes
 * become U+FFFD, with a warning.
 *
 * @example Japanese person name with ISO 2022 escape sequences
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeText } from "./mod.ts";
 * const bytes = new Uint8Array([
 *   0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, 0x5e,
 *   0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42,
 * ]);
 * const name = decodeText(bytes, ["", "ISO 2022 IR 87"], { vr: "PN" });
 * assert.equal(name, "山田^太郎");
 * ```
 */
export function decodeText(
  bytes: Uint8Array,
  charsets: readonly string[],
  options: DecodeTextOptions = {},
): string {
  const { vr } = options;
  if (!isCustomizable(vr)) return latin1String(bytes);
  const warn = options.onWarning ?? noWarn;
  const encodings = convertEncodings(charsets, warn);
  if (vr !== undefined && MULTI_VALUED_TEXT_VR.has(vr)) {
    return splitBytes(bytes, 0x5c).map((v) =>
      vr === "PN"
        ? decodePersonName(v, encodings, warn)
        : decodeBytes(v, encodings, TEXT_VR_DELIMS, warn)
    ).join("\\");
  }
  return decodeBytes(bytes, encodings, TEXT_VR_DELIMS, warn);
}

/**
 * Decodes a whole element value into its values exactly as pydicom 2.3.1 stores
 * them: `PN` loses trailing spaces and NULs of the value and trailing empty
 * components of each name; `SH`, `LO`, `UC` values and `ST`, `LT`, `UT` texts lose
 * trailing spaces and NULs; other VRs are split at `\` and decoded as latin-1.
 * An empty value gives `[""]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeValues } from "./mod.ts";
 * const bytes = new TextEncoder().encode("Wang^XiaoDong=王^小東= ");
 * const names = decodeValues(bytes, ["ISO_IR 192"], { vr: "PN" });
 * assert.deepEqual(names, ["Wang^XiaoDong=王^小東"]);
 * ```
 */
export function decodeValues(
  bytes: Uint8Array,
  charsets: readonly string[],
  options: DecodeTextOptions = {},
): string[] {
  const { vr } = options;
  if (!isCustomizable(vr)) return latin1String(bytes).split("\\");
  const warn = options.onWarning ?? noWarn;
  const encodings = convertEncodings(charsets, warn);
  const strip = (s: string) => s.replace(/[\0 ]+$/, "");
  if (vr === "PN") {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
    return splitBytes(bytes.subarray(0, end), 0x5c).map((v) =>
      decodePersonName(v, encodings, warn)
    );
  }
  if (vr !== undefined && MULTI_VALUED_TEXT_VR.has(vr)) {
    return splitBytes(bytes, 0x5c).map((v) =>
      strip(decodeBytes(v, encodings, TEXT_VR_DELIMS, warn))
    );
  }
  return [strip(decodeBytes(bytes, encodings, TEXT_VR_DELIMS, warn))];
}
