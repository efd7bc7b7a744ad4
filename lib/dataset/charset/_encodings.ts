/**
 * Specific Character Set values to pydicom's Python encoding names (pydicom's
 * `convert_encodings`), with its spelling corrections and warnings.
 *
 * @module
 */

import { lookupCodec } from "./_python_codecs.ts";
import { DEFAULT_ENCODING, PYTHON_ENCODING, STAND_ALONE_ENCODINGS } from "./_tables.ts";
import { noWarn, type Warn } from "./_util.ts";

// ---------------------------------------------------------------------------
// character set names -> Python encodings (pydicom's convert_encodings)

function pythonEncodingForCorrected(encoding: string, warn: Warn): string {
  let patched: string | undefined;
  if (/^ISO[^_]IR/.test(encoding)) patched = "ISO_IR" + encoding.slice(6);
  else if (/^(?=ISO.2022.IR.)(?!ISO 2022 IR )/.test(encoding)) {
    patched = "ISO 2022 IR " + encoding.slice(12);
  }
  if (patched !== undefined) {
    const py = Object.hasOwn(PYTHON_ENCODING, patched) ? PYTHON_ENCODING[patched] : undefined;
    if (py !== undefined) {
      warn(`Incorrect value for Specific Character Set '${encoding}' - assuming '${patched}'`);
      return py;
    }
    warn(`Unknown encoding '${encoding}' - using default encoding instead`);
    return DEFAULT_ENCODING;
  }
  // fallback: the value may already name a Python codec
  if (lookupCodec(encoding)) return encoding;
  warn(`Unknown encoding '${encoding}' - using default encoding instead`);
  return DEFAULT_ENCODING;
}

/**
 * Converts the values of Specific Character Set to pydicom's Python encoding
 * names, with pydicom's corrections and warnings.
 */
export function convertEncodings(charsets: readonly string[], warn: Warn): string[] {
  const values = charsets.length ? [...charsets] : [""];
  if (!values[0]) values[0] = "ISO_IR 6";
  const py = values.map((v) =>
    Object.hasOwn(PYTHON_ENCODING, v) ? PYTHON_ENCODING[v] : pythonEncodingForCorrected(v, warn)
  );
  if (values.length > 1) {
    if (STAND_ALONE_ENCODINGS.has(values[0])) {
      warn(
        `Value '${values[0]}' for Specific Character Set does not allow code extensions, ` +
          `ignoring: ${values.slice(1).join(", ")}`,
      );
      return py.slice(0, 1);
    }
    for (let i = values.length - 1; i >= 1; i--) {
      if (STAND_ALONE_ENCODINGS.has(values[i])) {
        warn(`Value '${values[i]}' cannot be used as code extension, ignoring it`);
        py.splice(i, 1);
      }
    }
  }
  return py;
}

/** Options of {@linkcode pythonEncodings}. */
export interface PythonEncodingsOptions {
  /** Receives pydicom's warnings (unknown or misspelt character sets). */
  onWarning?: (message: string) => void;
}

/**
 * The Python encodings pydicom 2.3.1 derives from Specific Character Set values
 * (`"iso8859"` for the default repertoire, `"latin_1"`, `"iso2022_jp"`, ...), after
 * its spelling corrections; unknown values become `"iso8859"` with a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonEncodings } from "./mod.ts";
 * const encodings = pythonEncodings(["", "ISO 2022 IR 87"]);
 * assert.deepEqual(encodings, ["iso8859", "iso2022_jp"]);
 * ```
 */
export function pythonEncodings(
  charsets: readonly string[],
  options: PythonEncodingsOptions = {},
): string[] {
  return convertEncodings(charsets, options.onWarning ?? noWarn);
}
