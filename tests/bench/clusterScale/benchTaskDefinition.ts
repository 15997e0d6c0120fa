import { RegisterTaskDefinitionCommand, type ECSClient } from "@aws-sdk/client-ecs";

export const FAMILY = "bench-hollow";

/**
 * A small long-running task for hollow hosts (the hollow image's default program
 * runs until stopped). Each registration is a new revision, for rolling deployments.
 */
export const registerBenchTaskDefinition = async (
  ecs: ECSClient,
  revisionMark: string,
): Promise<string> => {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: FAMILY,
      containerDefinitions: [
        {
          name: "app",
          image: "flotilla-test/busybox:latest",
          cpu: 10,
          memory: 32,
          essential: true,
          environment: [{ name: "REVISION", value: revisionMark }],
        },
      ],
    }),
  );
  const arn = out.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error("RegisterTaskDefinition answered no ARN");
  return arn;
};
