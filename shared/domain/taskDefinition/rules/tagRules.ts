/**
 * Resource tags follow the rules every ECS resource shares (at most 50, keys 1-128 and values
 * 0-256 characters from AWS's tag alphabet, unique keys, `aws:` reserved), kept in
 * `shared/domain/tags`.
 */
import { validateTags as validateResourceTags } from "../../tags/tag.js";
import type { Rule } from "./validationContext.js";

export const validateTags: Rule = ({ input }) => validateResourceTags(input.tags ?? []);
