import { taskDefinitionArn } from "../../../shared/domain/arn.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { validateTags } from "../../../shared/domain/tags/tag.js";
import {
  buildTaskDefinition,
  validateTaskDefinition,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { FamilyState } from "./familyState.js";

/** ECS's limit on revisions of one family. */
export const MAX_REVISIONS = 1_000_000;

/** The principal ECS reports as `registeredBy`. */
export const principalArn = (ctx: DecisionContext): string =>
  `arn:aws:iam::${ctx.arn.accountId}:user/${ctx.actor}`;

/** Each registration is a new revision: latest + 1, even after deregistrations. */
export const decideRegisterTaskDefinition = (
  input: RegisterTaskDefinitionInput,
  state: FamilyState,
  ctx: DecisionContext,
): DomainEvent[] => {
  validateTaskDefinition(input);
  const tags = (input.tags ?? []).map((t) => ({ key: t.key ?? "", value: t.value ?? "" }));
  validateTags(tags);
  const revision = state.latestRevision + 1;
  if (revision > MAX_REVISIONS) {
    throw new EcsError(
      "ClientException",
      `Family ${input.family} has reached the limit of ${MAX_REVISIONS} revisions.`,
    );
  }
  const arn = taskDefinitionArn(ctx.arn, input.family, revision);
  const taskDefinition = buildTaskDefinition(input, {
    arn,
    revision,
    registeredAt: ctx.now.getTime() / 1000,
    registeredBy: principalArn(ctx),
  });
  return [
    {
      type: "TaskDefinitionRegistered",
      data: {
        family: input.family,
        revision,
        taskDefinitionArn: arn,
        taskDefinition,
        tags,
      },
    },
  ];
};
