import { z } from "zod";
import { EcsError } from "../errors.js";

/** ECS tags: `key`/`value` in camelCase on the ECS wire. */
export const Tag = z.object({
  key: z.string(),
  value: z.string().optional(),
});
export type Tag = z.infer<typeof Tag>;

export const Tags = z.array(Tag);

const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** ECS's tag rules; the message names the offending field. */
export const validateTags = (tags: readonly Tag[], field = "tags"): void => {
  if (tags.length > MAX_TAGS) {
    throw new EcsError(
      "InvalidParameterException",
      `${field}: a resource can have at most ${MAX_TAGS} tags; ${tags.length} were given.`,
    );
  }
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    const where = `${field}[${i}]`;
    if (tag.key.length < 1 || tag.key.length > 128) {
      throw new EcsError("InvalidParameterException", `${where}.key must be 1 to 128 characters.`);
    }
    if ((tag.value ?? "").length > 256) {
      throw new EcsError(
        "InvalidParameterException",
        `${where}.value must be at most 256 characters.`,
      );
    }
    if (!TAG_CHARS.test(tag.key) || !TAG_CHARS.test(tag.value ?? "")) {
      throw new EcsError(
        "InvalidParameterException",
        `${where} may contain only letters, numbers, spaces and _ . : / = + - @.`,
      );
    }
    if (tag.key.toLowerCase().startsWith("aws:")) {
      throw new EcsError(
        "InvalidParameterException",
        `${where}.key: the aws: prefix is reserved for AWS use.`,
      );
    }
    if ((tag.value ?? "").toLowerCase().startsWith("aws:")) {
      throw new EcsError(
        "InvalidParameterException",
        `${where}.value: the aws: prefix is reserved for AWS use.`,
      );
    }
    if (seen.has(tag.key)) {
      throw new EcsError(
        "InvalidParameterException",
        `${where}.key: duplicate tag key '${tag.key}'.`,
      );
    }
    seen.add(tag.key);
  });
};

export const validateTagKeys = (keys: readonly string[], field = "tagKeys"): void => {
  keys.forEach((key, i) => {
    if (key.length < 1 || key.length > 128) {
      throw new EcsError(
        "InvalidParameterException",
        `${field}[${i}] must be 1 to 128 characters.`,
      );
    }
  });
};

/** Applies tags over existing ones: same key overwrites. */
export const mergeTags = (existing: readonly Tag[], added: readonly Tag[]): Tag[] => {
  const byKey = new Map(existing.map((t) => [t.key, t.value ?? ""]));
  for (const t of added) byKey.set(t.key, t.value ?? "");
  return [...byKey].map(([key, value]) => ({ key, value }));
};
