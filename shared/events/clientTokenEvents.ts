import { z } from "zod";

/**
 * Client tokens make a request idempotent (ECS's `clientToken`): one stream per
 * (action, cluster, token) records who claimed it, for which request, and the
 * answer. `scope` is the action's name (`RunTask`).
 */
const TokenRef = {
  scope: z.string(),
  clusterName: z.string(),
  clientToken: z.string(),
};

/**
 * A request took the token. `requestDigest` is the SHA-256 of the request's
 * canonical JSON (without the token); `claimId` tells this claim from a later
 * one that takes over an abandoned claim.
 */
export const ClientTokenClaimed = z.object({
  ...TokenRef,
  claimId: z.string(),
  requestDigest: z.string(),
  claimedAt: z.number(),
});
export type ClientTokenClaimed = z.infer<typeof ClientTokenClaimed>;

/** The claimed request finished: the answer every repeat of it gets. */
export const ClientTokenCompleted = z.object({
  ...TokenRef,
  claimId: z.string(),
  result: z.record(z.string(), z.unknown()),
  completedAt: z.number(),
});
export type ClientTokenCompleted = z.infer<typeof ClientTokenCompleted>;

/**
 * The claimed request was refused before it changed anything (an unknown task
 * definition, say): the token is free again, so a corrected retry can use it.
 */
export const ClientTokenReleased = z.object({
  ...TokenRef,
  claimId: z.string(),
  reason: z.string(),
  releasedAt: z.number(),
});
export type ClientTokenReleased = z.infer<typeof ClientTokenReleased>;
