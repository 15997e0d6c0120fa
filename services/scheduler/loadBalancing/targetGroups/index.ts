/** The target group aggregate and its deciders (ELBv2's shape). */
export {
  targetGroupAggregate,
  targetKey,
  type RegisteredTarget,
  type TargetGroupState,
} from "./targetGroupState.js";
export { decideCreateTargetGroup } from "./createTargetGroup.js";
export {
  decideModifyTargetGroup,
  decideModifyTargetGroupAttributes,
  requireTargetGroup,
} from "./modifyTargetGroup.js";
export { decideDeleteTargetGroup } from "./deleteTargetGroup.js";
export { decideDeregisterTargets, decideRegisterTargets } from "./targets.js";
export {
  decideTargetHealth,
  decideTargetsDrained,
  recordTargetHealth,
  recordTargetsDrained,
  type TargetHealthObservation,
} from "./recordTargetHealth.js";
