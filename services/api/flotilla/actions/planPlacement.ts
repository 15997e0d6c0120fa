import { PlanPlacement } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

/**
 * `FlotillaV1.PlanPlacement`, a placement dry run (docs/extensions.md): where
 * `count` tasks of a service or a task definition would go, and why the rest
 * would not. The scheduler answers it from the read models with the same
 * placement engine RunTask and the service scheduler use; nothing is appended.
 */
export const planPlacement = defineAction({
  name: "PlanPlacement",
  input: PlanPlacement.payload,
  handle: (input, ctx) => ctx.commands.send(PlanPlacement, input, ctx.metadata),
});
