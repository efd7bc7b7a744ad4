/**
 * Person Name (PN) values: up to three component groups (alphabetic, ideographic,
 * phonetic), each with up to five `^`-separated parts.
 *
 * @module
 */

/**
 * A decoded Person Name. `String(pn)` is the whole name as stored (`Doe^John`), and
 * the parts are at hand by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PersonName } from "./mod.ts";
 * const pn = new PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう");
 * assert.equal(pn.familyName, "Yamada");
 * assert.equal(pn.givenName, "Tarou");
 * assert.equal(pn.ideographic, "山田^太郎");
 * assert.equal(pn.phonetic, "やまだ^たろう");
 * ```
 */
export class PersonName {
  /** The component groups with trailing empty groups removed. */
  readonly components: readonly string[];
  /** Parses `text`: component groups separated by `=`, trailing empty groups dropped. */
  constructor(text: string) {
    const parts = text.split("=");
    while (parts.length && parts[parts.length - 1] === "") parts.pop();
    this.components = parts;
  }
  /** The alphabetic group, e.g. `Doe^John`. */
  get alphabetic(): string {
    return this.components[0] ?? "";
  }
  /** The ideographic group. */
  get ideographic(): string {
    return this.components[1] ?? "";
  }
  /** The phonetic group. */
  get phonetic(): string {
    return this.components[2] ?? "";
  }
  #part(i: number): string {
    return this.alphabetic.split("^")[i] ?? "";
  }
  /** Family name of the alphabetic group. */
  get familyName(): string {
    return this.#part(0);
  }
  /** Given name of the alphabetic group. */
  get givenName(): string {
    return this.#part(1);
  }
  /** Middle name of the alphabetic group. */
  get middleName(): string {
    return this.#part(2);
  }
  /** Name prefix of the alphabetic group. */
  get namePrefix(): string {
    return this.#part(3);
  }
  /** Name suffix of the alphabetic group. */
  get nameSuffix(): string {
    return this.#part(4);
  }
  /** The name as stored: groups joined by `=`. */
  toString(): string {
    return this.components.join("=");
  }
  /** Same as `toString()`, so JSON output shows the name. */
  toJSON(): string {
    return this.toString();
  }
  /** Shows the name in Deno's console and Jupyter. */
  [Symbol.for("Deno.customInspect")](): string {
    return `PersonName(${JSON.stringify(this.toString())})`;
  }
}
