import { InterruptSpotTasks } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

/**
 * `FlotillaV1.InterruptSpotTasks` (docs/capacity-providers.md): reclaims
 * FARGATE_SPOT capacity as AWS reclaims Spot capacity — the tasks on a
 * FARGATE_SPOT pool instance, named tasks, or a count of them get ECS's
 * warning (a task state change with desiredStatus STOPPED and stopCode
 * SpotInterruption, a service event) and stop after their containers'
 * stopTimeout; their services replace them. Authorised as
 * `flotilla:InterruptSpotTasks`. Non-spot tasks are refused by name.
 */
export const interruptSpotTasks = defineAction({
  name: "InterruptSpotTasks",
  input: InterruptSpotTasks.payload,
  handle: (input, ctx) => ctx.commands.send(InterruptSpotTasks, input, ctx.metadata),
});
