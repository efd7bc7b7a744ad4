/**
 * Small helpers shared by the codecs: latin-1 and code-point strings, byte prefixes, ranges.
 *
 * @module
 */

export type Warn = (message: string) => void;

export function noWarn(_message: string): void {}

export function latin1String(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, i + 8192));
  }
  return s;
}

export function codePointsToString(cps: readonly number[]): string {
  let s = "";
  for (let i = 0; i < cps.length; i += 8192) {
    s += String.fromCodePoint(...cps.slice(i, i + 8192));
  }
  return s;
}

export function stringToCodePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

export function startsWith(b: Uint8Array, prefix: string): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (b[i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

export function inRanges(value: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (const [lo, hi] of ranges) if (value >= lo && value <= hi) return true;
  return false;
}
