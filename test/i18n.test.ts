/** Every transaction type the ledger accepts has a label in every portal language (explorer, inbox, search). */
import { describe, expect, it } from "vitest";
import { defaultRegistry } from "../chain/contracts/index.js";
import { DICTIONARIES } from "../lib/i18n/dictionaries.js";

describe("portal dictionaries", () => {
  for (const [locale, dict] of Object.entries(DICTIONARIES)) {
    it(`${locale} names every transaction type`, () => {
      const missing = [...defaultRegistry.keys()].filter((type) => !dict.txTypes[type]?.trim());
      expect(missing).toEqual([]);
      expect(Object.keys(dict.txTypes).filter((type) => !defaultRegistry.has(type))).toEqual([]);
    });
  }
});
