import {
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from "@aws-sdk/client-ecs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventStreamName } from "../../shared/bus/index.js";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import {
  duplicateContainers,
  IMAGE,
  prepareCluster,
  report,
  showingOutput,
  waitForRelayCaughtUp,
  waitForWrite,
} from "./fixtures/faultProbes.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { createPrivateNats, type PrivateNats } from "./fixtures/privateNats.js";

const CLUSTER = "default";
const SERVICE = "web";
const DESIRED = 3;

/**
 * A three-node NATS cluster with one node killed mid-deployment (docs/reliability.md): the
 * services know all three URLs and the event streams have three replicas
 * (EVENT_STREAM_REPLICAS=3). While a rolling deployment replaces a service's tasks, the node that
 * leads the events stream is killed with SIGKILL. The clients move to the other nodes, the
 * stream elects a new leader, the deployment completes and nothing is lost.
 */
describe("fault: one node of a three-node NATS cluster killed mid-deployment", () => {
  let nats: PrivateNats | undefined;
  let sys: TestSystem | undefined;
  let ecs: ECSClient;
  let v1: string;
  let v2: string;

  const describeService = async (): Promise<Service> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))
      .services![0]!;

  beforeAll(async () => {
    nats = await createPrivateNats("natscluster", 3);
    sys = await startTestSystem("fault_natscluster", {
      natsUrl: nats.url,
      serviceEnv: { scheduler: { SERVICE_SWEEP_MS: "1000", EVENT_STREAM_REPLICAS: "3" } },
    });
    ecs = sys.ecs();
    v1 = await showingOutput(sys, () => prepareCluster(ecs, "natscluster"));
    const second = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "natscluster",
        containerDefinitions: [
          {
            name: "main",
            image: IMAGE,
            cpu: 16,
            memory: 16,
            essential: true,
            command: ["sleep", "601"],
          },
        ],
      }),
    );
    v2 = second.taskDefinition!.taskDefinitionArn!;
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: v1,
        desiredCount: DESIRED,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      }),
    );
    await waitFor(
      async () => {
        const service = await describeService();
        return (
          service.runningCount === DESIRED && service.deployments?.[0]?.rolloutState === "COMPLETED"
        );
      },
      "the service to reach a steady state on v1",
      90_000,
      250,
    );
  });

  afterAll(async () => {
    await sys?.stop();
    await nats?.destroy();
  });

  it("completes the rolling deployment and loses nothing", async () => {
    const s = sys!;
    const cluster = nats!;
    const stream = eventStreamName(s.prefix);
    const nc = await connect({ servers: cluster.nodes.map((n) => n.url) });
    let leader: string | undefined;
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(stream);
      expect(info.config.num_replicas).toBe(3);
      leader = info.cluster?.leader;
    } finally {
      await nc.close();
    }
    const victim = cluster.nodes.find((n) => n.name === leader) ?? cluster.nodes[0]!;

    await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }),
    );
    const updatedAt = Date.now();
    // Mid-deployment: the new deployment has started tasks and the old one still runs.
    await waitFor(
      async () => {
        const deployments = (await describeService()).deployments ?? [];
        const primary = deployments.find((d) => d.status === "PRIMARY");
        return deployments.length === 2 && (primary?.runningCount ?? 0) >= 1;
      },
      "the rolling deployment to be under way",
      60_000,
      100,
    );
    await victim.kill();
    const killedAt = Date.now();
    report(
      "nats-cluster",
      "deployment under way when killed (after UpdateService)",
      killedAt - updatedAt,
    );
    console.log(
      `[fault] nats-cluster: killed ${victim.name} (events stream leader: ${leader ?? "?"})`,
    );

    report(
      "nats-cluster",
      "first successful command after the kill",
      await waitForWrite(s.ecs(), "after"),
    );
    await waitFor(
      async () => {
        const service = await describeService();
        const only = service.deployments ?? [];
        return (
          only.length === 1 &&
          only[0]!.taskDefinition === v2 &&
          only[0]!.rolloutState === "COMPLETED" &&
          service.runningCount === DESIRED
        );
      },
      "the deployment to complete on v2 after the node was killed",
      90_000,
      250,
    );
    report("nats-cluster", "deployment completed after the kill", Date.now() - killedAt);
    report(
      "nats-cluster",
      "relay caught up after the kill",
      Date.now() - killedAt + (await waitForRelayCaughtUp(s.database.url)),
    );

    const relayRetries = s.output.filter((l) => /relay (batch|session) failed/.test(l)).length;
    const reconnects = s.output.filter((l) => /nats reconnect"/.test(l)).length;
    console.log(`[fault] nats-cluster: ${reconnects} reconnects, ${relayRetries} relay retries`);
    for (const p of Object.values(s.system.processes)) expect(p.exitInfo).toBeNull();
    const live = cluster.nodes.find((n) => n.running)!;
    expectNothingLost(
      await checkInvariants(
        { databaseUrl: s.database.url, natsUrl: live.url, prefix: s.prefix, agentIds: [s.agentId] },
        { convergeTimeoutMs: 30_000 },
      ),
    );
    expect(await duplicateContainers(s.agentId)).toEqual([]);
  });
});
