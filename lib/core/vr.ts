/**
 * Value Representations: the two-letter codes, and the groups of them that reading,
 * printing and writing treat alike (PS3.5 section 6.2).
 *
 * @module
 */

/** Every VR this toolkit reads and writes, plus pydicom's ambiguous dictionary VRs. */
export type VR =
  | "AE"
  | "AS"
  | "AT"
  | "CS"
  | "DA"
  | "DS"
  | "DT"
  | "FD"
  | "FL"
  | "IS"
  | "LO"
  | "LT"
  | "OB"
  | "OD"
  | "OF"
  | "OL"
  | "OV"
  | "OW"
  | "PN"
  | "SH"
  | "SL"
  | "SQ"
  | "SS"
  | "ST"
  | "SV"
  | "TM"
  | "UC"
  | "UI"
  | "UL"
  | "UN"
  | "UR"
  | "US"
  | "UT"
  | "UV"
  | "OB or OW"
  | "US or SS"
  | "US or OW"
  | "US or SS or OW";

/** The VRs that exist on the wire. */
export const WIRE_VRS: ReadonlySet<string> = new Set([
  "AE",
  "AS",
  "AT",
  "CS",
  "DA",
  "DS",
  "DT",
  "FD",
  "FL",
  "IS",
  "LO",
  "LT",
  "OB",
  "OD",
  "OF",
  "OL",
  "OV",
  "OW",
  "PN",
  "SH",
  "SL",
  "SQ",
  "SS",
  "ST",
  "SV",
  "TM",
  "UC",
  "UI",
  "UL",
  "UN",
  "UR",
  "US",
  "UT",
  "UV",
]);

/** Explicit VRs whose length field is 4 bytes after 2 reserved bytes (PS3.5 Table 7.1-1). */
export const LONG_LENGTH_VRS: ReadonlySet<string> = new Set([
  "OB",
  "OD",
  "OF",
  "OL",
  "OV",
  "OW",
  "SQ",
  "SV",
  "UC",
  "UN",
  "UR",
  "UT",
  "UV",
]);

/** VRs whose values are bytes or words, not text. */
export const BINARY_VRS: ReadonlySet<string> = new Set([
  "OB",
  "OD",
  "OF",
  "OL",
  "OV",
  "OW",
  "UN",
  "OB or OW",
  "US or OW",
  "US or SS or OW",
]);

/** Text VRs decoded with the Specific Character Set (pydicom's CUSTOMIZABLE_CHARSET_VR). */
export const CHARSET_VRS: ReadonlySet<string> = new Set(["SH", "LO", "ST", "LT", "UC", "UT", "PN"]);

/** Text VRs decoded as Latin-1 whatever the character set. */
export const PLAIN_TEXT_VRS: ReadonlySet<string> = new Set([
  "AE",
  "AS",
  "CS",
  "DA",
  "DT",
  "TM",
  "UI",
  "UR",
]);

/** Text VRs that hold one value (backslash is not a delimiter). */
export const SINGLE_TEXT_VRS: ReadonlySet<string> = new Set(["ST", "LT", "UT", "UR"]);

/** VRs whose empty value is an empty string rather than null. */
export const EMPTY_STRING_VRS: ReadonlySet<string> = new Set([
  "AE",
  "AS",
  "CS",
  "DA",
  "DT",
  "LO",
  "LT",
  "SH",
  "ST",
  "TM",
  "UC",
  "UI",
  "UR",
  "UT",
  "PN",
]);

/** Fixed-size binary numeric VRs and their value size in bytes. */
export const NUMBER_SIZES: Readonly<Record<string, number>> = {
  US: 2,
  SS: 2,
  UL: 4,
  SL: 4,
  FL: 4,
  FD: 8,
  SV: 8,
  UV: 8,
  AT: 4,
};

/** VRs whose printed value is summarised as `Array of N elements` past 16 (pydicom's LONG_VALUE_VR). */
export const LONG_VALUE_VRS: ReadonlySet<string> = new Set([
  "LT",
  "UC",
  "UT",
  "US or SS",
  ...BINARY_VRS,
]);
