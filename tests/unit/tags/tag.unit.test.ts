import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EcsError } from "../../../shared/domain/errors.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import { mergeTags, validateTagKeys, validateTags } from "../../../shared/domain/tags/tag.js";

const tagsOf = (count: number): Tag[] =>
  Array.from({ length: count }, (_, i) => ({ key: `key${i}`, value: `value${i}` }));

const refused = (tags: readonly Tag[], message?: string | RegExp, field?: string): EcsError => {
  let caught: unknown;
  try {
    validateTags(tags, field);
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected the tags to be refused").toBeInstanceOf(EcsError);
  const error = caught as EcsError;
  expect(error.type).toBe("InvalidParameterException");
  if (typeof message === "string") expect(error.message).toBe(message);
  else if (message) expect(error.message).toMatch(message);
  return error;
};

describe("validateTags", () => {
  it("accepts no tags, and up to 50", () => {
    expect(() => validateTags([])).not.toThrow();
    expect(() => validateTags(tagsOf(50))).not.toThrow();
  });

  it("refuses 51 tags, naming the count", () => {
    refused(tagsOf(51), "tags: a resource can have at most 50 tags; 51 were given.");
  });

  it("names the field it was given", () => {
    refused(tagsOf(51), /^tags \(existing and new\): /, "tags (existing and new)");
    refused([{ key: "" }], "containerTags[0].key must be 1 to 128 characters.", "containerTags");
  });

  it("accepts keys of 1 and 128 characters; refuses 0 and 129", () => {
    expect(() => validateTags([{ key: "k" }, { key: "k".repeat(128) }])).not.toThrow();
    refused([{ key: "" }], "tags[0].key must be 1 to 128 characters.");
    refused([{ key: "a" }, { key: "k".repeat(129) }], "tags[1].key must be 1 to 128 characters.");
  });

  it("accepts values of 0 to 256 characters, and a missing value; refuses 257", () => {
    expect(() =>
      validateTags([{ key: "a", value: "" }, { key: "b", value: "v".repeat(256) }, { key: "c" }]),
    ).not.toThrow();
    refused(
      [{ key: "a", value: "v".repeat(257) }],
      "tags[0].value must be at most 256 characters.",
    );
  });

  it.each(["aws:owner", "AWS:owner", "Aws:x", "aWs:"])(
    "refuses the reserved key prefix in %j",
    (key) => {
      refused([{ key, value: "x" }], "tags[0].key: the aws: prefix is reserved for AWS use.");
    },
  );

  it.each(["aws", "awsome", "my-aws:key", "aws-key"])(
    "accepts %j, which is not the aws: prefix",
    (key) => {
      expect(() => validateTags([{ key, value: "x" }])).not.toThrow();
    },
  );

  it("refuses a duplicate key, naming the second occurrence", () => {
    refused(
      [
        { key: "team", value: "a" },
        { key: "env", value: "b" },
        { key: "team", value: "c" },
      ],
      "tags[2].key: duplicate tag key 'team'.",
    );
  });

  it("treats keys that differ only in case as different", () => {
    expect(() => validateTags([{ key: "Team" }, { key: "team" }])).not.toThrow();
  });

  it.each([
    "letters",
    "ÄÖÜ-éà",
    "日本語",
    "with spaces",
    "digits 0123456789",
    "_ . : / = + - @",
    "cost-center/team=core+ops@example.com",
  ])("accepts the allowed characters in %j", (text) => {
    expect(() => validateTags([{ key: text, value: text }])).not.toThrow();
  });

  it.each([
    "a*b",
    "a#b",
    "a$b",
    "a,b",
    "a;b",
    'quote"',
    "tab\there",
    "new\nline",
    "a!b",
    "a?b",
    "<b>",
  ])("refuses %j in a key or in a value", (text) => {
    const message =
      /^tags\[0\] may contain only letters, numbers, spaces and _ \. : \/ = \+ - @\.$/;
    refused([{ key: text, value: "ok" }], message);
    refused([{ key: "ok", value: text }], message);
  });
});

describe("validateTagKeys", () => {
  it("accepts keys of 1 to 128 characters", () => {
    expect(() => validateTagKeys(["a", "k".repeat(128)])).not.toThrow();
  });

  it("refuses an empty key or one of 129 characters, naming its index", () => {
    expect(() => validateTagKeys(["a", ""])).toThrow("tagKeys[1] must be 1 to 128 characters.");
    expect(() => validateTagKeys(["k".repeat(129)])).toThrow(EcsError);
  });
});

describe("mergeTags", () => {
  it("adds new keys after the existing ones", () => {
    expect(mergeTags([{ key: "a", value: "1" }], [{ key: "b", value: "2" }])).toEqual([
      { key: "a", value: "1" },
      { key: "b", value: "2" },
    ]);
  });

  it("overwrites by key, keeping the key's place", () => {
    expect(
      mergeTags(
        [
          { key: "a", value: "1" },
          { key: "b", value: "2" },
        ],
        [{ key: "a", value: "9" }],
      ),
    ).toEqual([
      { key: "a", value: "9" },
      { key: "b", value: "2" },
    ]);
  });

  it("writes a missing value as the empty string", () => {
    expect(mergeTags([{ key: "a" }], [{ key: "b" }])).toEqual([
      { key: "a", value: "" },
      { key: "b", value: "" },
    ]);
  });

  it("does not change its inputs", () => {
    const existing = [{ key: "a", value: "1" }];
    const added = [{ key: "a", value: "2" }];
    mergeTags(existing, added);
    expect(existing).toEqual([{ key: "a", value: "1" }]);
    expect(added).toEqual([{ key: "a", value: "2" }]);
  });

  const tag = fc.record(
    {
      key: fc.constantFrom("a", "b", "c", "d", "Team", "team", "x:y"),
      value: fc.string({ maxLength: 4 }),
    },
    { requiredKeys: ["key"] },
  );

  it("property: never yields duplicate keys, and the last value written for a key wins", () => {
    fc.assert(
      fc.property(
        fc.array(tag, { maxLength: 12 }),
        fc.array(tag, { maxLength: 12 }),
        (existing, added) => {
          const merged = mergeTags(existing, added);
          const keys = merged.map((t) => t.key);
          expect(new Set(keys).size).toBe(keys.length);
          expect(new Set(keys)).toEqual(new Set([...existing, ...added].map((t) => t.key)));
          for (const { key, value } of merged) {
            const last = [...existing, ...added].findLast((t) => t.key === key);
            expect(value).toBe(last?.value ?? "");
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: merging valid tags under the limit keeps them valid", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(tag, { selector: (t) => t.key, maxLength: 7 }),
        fc.uniqueArray(tag, { selector: (t) => t.key, maxLength: 7 }),
        (existing, added) => {
          const clean = (tags: Tag[]) =>
            tags.map((t) => ({ key: t.key, value: (t.value ?? "").replace(/[^a-z0-9 ]/gi, "") }));
          expect(() => validateTags(mergeTags(clean(existing), clean(added)))).not.toThrow();
        },
      ),
    );
  });
});
