// The SDK's mirror of LoanStore.sol (issue #30): where a stored loan keeps its collection and token id, in each of the
// three formats, decoded from hand-built words laid out as solc packs StoredLoan (the chain-side check of the INLINE
// format against `StrataPool.loan` is entities.property.test.ts; the legacy format's is test/pool/LoanRecordFormats.t.sol).
import { describe, expect, it } from "vitest";
import { LOAN_FLAGS, LOAN_FORMAT, loanFlags, loanFormat, loanLocation, termsCollection } from "../src/fetch/storage.ts";
import { DecoderError } from "../src/errors.ts";

const START = 1_700_000_000n;
/** Word 1 of a StoredLoan: `low32` in the collectionId field, the other fields, the format byte on top. */
const word1 = (low32: bigint, format: number) =>
  low32 | (START << 32n) | ((START + 86_400n) << 72n) | (1n << 112n) | (5n * 10n ** 16n << 120n) | (10_000n << 184n) | (7n << 216n) | (BigInt(format) << 248n);
const word0 = 0xb0b0n | (1000n << 160n);

describe("loanLocation (LoanStore mirror)", () => {
  it("LEGACY: the collection id in the collectionId field, the token id in word 2", () => {
    const w = [word0, word1(3n, LOAN_FORMAT.LEGACY), 123_456n];
    expect(loanFormat(w)).toBe(LOAN_FORMAT.LEGACY);
    expect(loanLocation(w)).toEqual({ collectionId: 3n, tokenId: 123_456n });
  });

  it("INLINE: the token id in the collectionId field, the collection in the terms record", () => {
    const w = [word0, word1(0xfffffffen, LOAN_FORMAT.INLINE), 0n];
    expect(loanFormat(w)).toBe(LOAN_FORMAT.INLINE);
    expect(loanLocation(w)).toEqual({ collectionId: null, tokenId: 0xfffffffen });
  });

  it("WIDE: the token id in word 2, the collection in the terms record", () => {
    const huge = 2n ** 256n - 1n;
    const w = [word0, word1(0n, LOAN_FORMAT.WIDE), huge];
    expect(loanLocation(w)).toEqual({ collectionId: null, tokenId: huge });
  });

  it("the DELEGATED flag (0x80) does not change the format", () => {
    const w = [word0, word1(42n, LOAN_FORMAT.INLINE | 0x80), 0n];
    expect(loanFormat(w)).toBe(LOAN_FORMAT.INLINE);
    expect(loanLocation(w)).toEqual({ collectionId: null, tokenId: 42n });
  });

  it("the POOL_HELD flag (0x40, set at impairment since 0.4) does not change the format, legacy ones included", () => {
    const held = [word0, word1(42n, LOAN_FORMAT.INLINE | LOAN_FLAGS.POOL_HELD | LOAN_FLAGS.DELEGATED), 0n];
    expect(loanFormat(held)).toBe(LOAN_FORMAT.INLINE);
    expect(loanFlags(held)).toBe(LOAN_FLAGS.POOL_HELD | LOAN_FLAGS.DELEGATED);
    expect(loanLocation(held)).toEqual({ collectionId: null, tokenId: 42n });
    const legacy = [word0, word1(3n, LOAN_FORMAT.LEGACY | LOAN_FLAGS.POOL_HELD), 123_456n];
    expect(loanFormat(legacy)).toBe(LOAN_FORMAT.LEGACY);
    expect(loanFlags(legacy)).toBe(LOAN_FLAGS.POOL_HELD);
    expect(loanLocation(legacy)).toEqual({ collectionId: 3n, tokenId: 123_456n });
  });

  it("an unknown format is a decoder error, not a wrong loan", () => {
    expect(() => loanLocation([word0, word1(1n, 3), 0n])).toThrow(DecoderError);
  });

  it("termsCollection: the 20 bytes after gracePeriod in the terms record's slot", () => {
    const collection = 0xc011ec7100000000000000000000000000000abcn;
    const terms = 8000n | (1000n << 16n) | (500n << 32n) | (1000n << 48n) | (259_200n << 64n) | (collection << 96n);
    expect(termsCollection([terms])).toBe(collection);
    expect(termsCollection([8000n])).toBe(0n);
  });
});
