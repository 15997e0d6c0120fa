import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import type { IsolatedSystem } from "../isolatedSystem.js";

export interface SeedSize {
  readonly agents: number;
  readonly services: number;
  readonly tasksPerService: number;
}

export interface SeededCluster {
  readonly taskDefinition: string;
  readonly serviceNames: readonly string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
};

/**
 * A cluster with data for the reads to return: a hollow fleet (one process, many agents,
 * services/agent/hollowFleetMain.ts) registered in the default cluster, and services whose
 * tasks all run on it.
 */
export const seedCluster = async (sys: IsolatedSystem, size: SeedSize): Promise<SeededCluster> => {
  await sys.startExtra("hollow-fleet", "services/agent/hollowFleetMain.ts", {
    FLOTILLA_HOLLOW_AGENTS: String(size.agents),
    FLOTILLA_AGENT_ID: `i-${sys.name.replace(/_/g, "-")}`,
  });
  await waitUntil("the hollow agents to register", async () => {
    const out = await sys.ecs.send(new ListContainerInstancesCommand({ maxResults: 100 }));
    return (out.containerInstanceArns?.length ?? 0) >= Math.min(size.agents, 100);
  });
  const taskDefinition = "bench-api";
  await sys.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: taskDefinition,
      containerDefinitions: [
        { name: "app", image: "flotilla-test/busybox:latest", cpu: 10, memory: 16 },
      ],
    }),
  );
  const serviceNames = Array.from({ length: size.services }, (_, i) => `seeded-${i}`);
  for (const serviceName of serviceNames) {
    await sys.ecs.send(
      new CreateServiceCommand({
        serviceName,
        taskDefinition,
        desiredCount: size.tasksPerService,
      }),
    );
  }
  await waitUntil("the seeded services' tasks to run", async () => {
    for (let i = 0; i < serviceNames.length; i += 10) {
      const out = await sys.ecs.send(
        new DescribeServicesCommand({ services: serviceNames.slice(i, i + 10) }),
      );
      if (out.services?.some((s) => s.runningCount !== size.tasksPerService)) return false;
    }
    return true;
  });
  return { taskDefinition, serviceNames };
};
