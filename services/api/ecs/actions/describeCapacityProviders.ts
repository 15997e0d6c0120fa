import { z } from "zod";
import {
  capacityProviderArn,
  capacityProviderNameFrom,
} from "../../../../shared/domain/capacityProviders/capacityProvider.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { decodeToken, encodeToken } from "../pagination.js";
import {
  describeCapacityProviders as describe,
  findCapacityProviders,
  pageCapacityProviders,
} from "../read/capacityProviderQueries.js";

/** ECS: at most 100 names per call; pages of up to 10 (the default) when no names are given. */
const MAX_NAMES = 100;
const MAX_PAGE = 10;

/**
 * DescribeCapacityProviders: the named providers (short names or ARNs; an
 * unknown one is a failure with reason MISSING), or, without names, every
 * ACTIVE provider, FARGATE and FARGATE_SPOT included, a page at a time.
 */
export const describeCapacityProviders = defineAction({
  name: "DescribeCapacityProviders",
  input: z.object({
    capacityProviders: z.array(z.string()).optional(),
    include: z.array(z.enum(["TAGS"])).optional(),
    maxResults: z.number().int().min(1).max(MAX_PAGE).optional(),
    nextToken: z.string().optional(),
  }),
  async handle(input, ctx) {
    const includeTags = (input.include ?? []).includes("TAGS");
    const requested = input.capacityProviders ?? [];
    if (requested.length > MAX_NAMES) {
      throw new EcsError(
        "InvalidParameterException",
        `capacityProviders: at most ${MAX_NAMES} capacity providers can be described at once.`,
      );
    }
    if (requested.length === 0) {
      const after = decodeToken(input.nextToken, ["string"]);
      const { page, more } = await pageCapacityProviders(
        ctx.db,
        ctx.arn,
        after === undefined ? undefined : String(after[0]),
        input.maxResults ?? MAX_PAGE,
      );
      return {
        capacityProviders: await describe(ctx.db, page, includeTags),
        failures: [],
        ...(more ? { nextToken: encodeToken([page.at(-1)!.name]) } : {}),
      };
    }
    const names = requested.map(capacityProviderNameFrom);
    const found = await findCapacityProviders(ctx.db, ctx.arn, names);
    const providers = [];
    const failures = [];
    for (const [i, name] of names.entries()) {
      const provider = found.get(name);
      if (provider) providers.push(provider);
      else {
        const ref = requested[i]!;
        failures.push({
          arn: ref.startsWith("arn:") ? ref : capacityProviderArn(ctx.arn, name),
          reason: "MISSING",
        });
      }
    }
    return { capacityProviders: await describe(ctx.db, providers, includeTags), failures };
  },
});
