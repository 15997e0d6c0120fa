import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asJsonb, compareJsonbKeys } from "../../../shared/projections/fold/jsonb.js";

const keysInOrder = (value: unknown): boolean => {
  if (Array.isArray(value)) return value.every(keysInOrder);
  if (value === null || typeof value !== "object") return true;
  const keys = Object.keys(value).filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
  return (
    keys.every((k, i) => i === 0 || compareJsonbKeys(keys[i - 1]!, k) < 0) &&
    Object.values(value).every(keysInOrder)
  );
};

describe("asJsonb: a JSON value as a jsonb column gives it back", () => {
  it("orders keys shorter first, then by their bytes", () => {
    expect(Object.keys(asJsonb({ Threshold: 1, Period: 60, Unit: "x", b: 1, a: 2 }))).toEqual([
      "a",
      "b",
      "Unit",
      "Period",
      "Threshold",
    ]);
    // Bytes, not UTF-16 units: "é" is two bytes, so it comes after any one-byte key.
    expect(Object.keys(asJsonb({ é: 1, z: 2 }))).toEqual(["z", "é"]);
  });

  it("drops what JSON drops and keeps array order", () => {
    expect(asJsonb({ a: undefined, b: [3, 1, { y: 1, x: undefined }] })).toEqual({
      b: [3, 1, { y: 1 }],
    });
  });

  it("is the same JSON value, idempotent, with keys in jsonb order at every depth", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = asJsonb(value);
        expect(JSON.parse(JSON.stringify(once))).toEqual(JSON.parse(JSON.stringify(value)));
        expect(JSON.stringify(asJsonb(once))).toBe(JSON.stringify(once));
        expect(keysInOrder(once)).toBe(true);
      }),
    );
  });
});
