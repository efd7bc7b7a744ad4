/**
 * Text encodings for DICOM character strings, driven by (0008,0005) Specific
 * Character Set, with the exact results of pydicom 2.3.1.
 *
 * DICOM names a character repertoire per dataset: a single-byte set replacing the
 * default (`ISO_IR 100`), a stand-alone multi-byte set (`ISO_IR 192` = UTF-8,
 * `GB18030`, `GBK`), or ISO 2022 code extensions, where escape sequences switch
 * between the sets listed in the attribute (`\ISO 2022 IR 87` for Japanese kanji).
 *
 * The functions here reproduce pydicom 2.3.1 byte for byte, including its corner
 * cases, because the dataset printer must match `str(ds)`:
 *
 * - the default repertoire decodes as latin-1 (pydicom's `iso8859`), not ASCII;
 * - a value is cut at each escape sequence, and each part decoded with the
 *   character set the sequence names; after a single-byte switch, the first
 *   delimiter (CR, LF, TAB, FF for text, `^` inside a person name) returns to the
 *   first character set;
 * - person names are split at `=` into up to three components, each decoded on its
 *   own, and empty components at the end are dropped;
 * - an undecodable part is decoded again with the first character set, with U+FFFD
 *   replacing bad bytes, and a warning;
 * - `ISO 2022 IR 58` parts keep their escape sequence as text (pydicom 2.3.1 hands
 *   them to Python's `gb2312` codec, which does not understand escapes).
 *
 * Python's codecs are emulated here (`latin_1`, `iso8859_N`, `tis_620`,
 * `shift_jis`, `iso2022_jp`, `iso2022_jp_2`, `euc_kr`, `gb2312`, `gbk`, `gb18030`,
 * `utf_8`, `ascii`): their tables are taken from the WHATWG decoders of
 * `TextDecoder` where those agree with Python, with Python's differing cells
 * patched in, and their error handling follows CPython 3.11.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeText, encodeText } from "./mod.ts";
 * const bytes = encodeText("Jérôme", ["ISO_IR 100"], { vr: "PN" });
 * assert.equal(decodeText(bytes, ["ISO_IR 100"], { vr: "PN" }), "Jérôme");
 * ```
 *
 * @module
 */

export { decodeText, type DecodeTextOptions, decodeValues } from "./decode.ts";
export { encodeText, type EncodeTextOptions } from "./encode.ts";
export { pythonEncodings, type PythonEncodingsOptions } from "./_encodings.ts";
