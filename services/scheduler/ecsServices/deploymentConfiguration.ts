import { EcsError } from "../../../shared/domain/errors.js";
import type { DeploymentConfigurationInput } from "../../../shared/commands/scheduler/serviceCommands.js";
import type { DeploymentConfiguration, SchedulingStrategy } from "../../../shared/events/index.js";
import { deploymentLimits } from "../serviceScheduler/plan/deploymentLimits.js";

/** ECS's defaults: 100/200 for REPLICA, 0/100 for DAEMON; circuit breaker off. */
export const withDefaults = (
  input: DeploymentConfigurationInput | undefined,
  strategy: SchedulingStrategy,
  base?: DeploymentConfiguration,
): DeploymentConfiguration => ({
  minimumHealthyPercent:
    input?.minimumHealthyPercent ??
    base?.minimumHealthyPercent ??
    (strategy === "DAEMON" ? 0 : 100),
  maximumPercent:
    input?.maximumPercent ?? base?.maximumPercent ?? (strategy === "DAEMON" ? 100 : 200),
  deploymentCircuitBreaker: input?.deploymentCircuitBreaker ??
    base?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
});

const invalid = (message: string): EcsError =>
  new EcsError("InvalidParameterException", `deploymentConfiguration.${message}`);

/**
 * Refuses a configuration the rolling update could never progress with: one
 * where, at this desired count, no task may be started above the desired
 * count (maximumPercent) and none may be stopped below it
 * (minimumHealthyPercent).
 */
export const validateDeploymentConfiguration = (
  config: DeploymentConfiguration,
  strategy: SchedulingStrategy,
  desiredCount: number,
): void => {
  const { minimumHealthyPercent: min, maximumPercent: max } = config;
  if (min < 0 || min > 100) {
    throw invalid(`minimumHealthyPercent: ${min} is not between 0 and 100.`);
  }
  if (strategy === "DAEMON" && max !== 100) {
    throw invalid(`maximumPercent: a DAEMON service's maximumPercent must be 100, not ${max}.`);
  }
  if (max < 100 && strategy === "REPLICA") {
    throw invalid(`maximumPercent: ${max} is below 100; a REPLICA service needs at least 100.`);
  }
  if (strategy === "DAEMON" || desiredCount === 0) return;
  const { minHealthy, maxTotal } = deploymentLimits(desiredCount, config);
  if (maxTotal <= desiredCount && minHealthy >= desiredCount) {
    throw invalid(
      `maximumPercent: with desiredCount ${desiredCount}, minimumHealthyPercent ${min} keeps all ` +
        `${minHealthy} tasks running and maximumPercent ${max} allows no more than ${maxTotal}, ` +
        "so no task could ever be replaced. Lower minimumHealthyPercent or raise maximumPercent.",
    );
  }
};
