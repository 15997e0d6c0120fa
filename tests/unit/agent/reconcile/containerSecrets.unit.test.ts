import { describe, expect, it } from "vitest";
import { executeAction } from "../../../../services/agent/reconcile/executeAction.js";
import type {
  ContainerRuntime,
  ContainerSpec,
} from "../../../../services/agent/runtime/containerRuntime.js";
import {
  secretsStoppedReason,
  type SecretSource,
  type SecretsResolution,
} from "../../../../services/agent/secrets/secretSource.js";
import { planTask } from "../../../../services/agent/tasks/planTask.js";
import { evolve, freshMemory } from "../../../../services/agent/tasks/taskMemory.js";
import { container, manifestTask, SETTINGS } from "./fixtures.js";

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf";
const PREFIX = "ResourceInitializationError: unable to pull secrets or registry auth: ";

/** A runtime that records what it was asked to create. */
const recordingRuntime = () => {
  const created: ContainerSpec[] = [];
  const runtime = {
    createContainer: (spec: ContainerSpec) => {
      created.push(spec);
      return Promise.resolve(`id-${created.length}`);
    },
    startContainer: () => Promise.resolve(),
  } as unknown as ContainerRuntime;
  return { runtime, created };
};

const source = (answer: SecretsResolution) => {
  const asked: unknown[] = [];
  const s: SecretSource = {
    resolve: (request) => {
      asked.push(request);
      return Promise.resolve(answer);
    },
  };
  return { s, asked };
};

/** The startContainer step the plan gives a task whose container has `secrets`. */
const firstStart = (withSecrets: boolean) => {
  const task = manifestTask([
    container("app", {
      environment: [
        { name: "DB_PASSWORD", value: "plain" },
        { name: "OTHER", value: "kept" },
      ],
      ...(withSecrets ? { secrets: [{ name: "DB_PASSWORD", valueFrom: SECRET_ARN }] } : {}),
    }),
  ]);
  const plan = planTask({
    task,
    observed: [],
    memory: { ...freshMemory(task.taskArn), imagesPulled: true },
    now: 1_700_000_000_000,
    settings: SETTINGS,
  });
  const start = plan.actions.find((a) => a.kind === "startContainer");
  if (!start) throw new Error("no startContainer step");
  return { task, start };
};

describe("containers with secrets on the agent", () => {
  it("plans a container with secrets to have them read before it is created, and no other", () => {
    const { task, start } = firstStart(true);
    expect(start).toMatchObject({ secretsOf: { taskArn: task.taskArn } });
    // The plan (which is remembered and may be logged) never holds a value.
    expect(JSON.stringify(start)).not.toContain("secret-value");
    expect(firstStart(false).start).not.toHaveProperty("secretsOf");
  });

  it("creates the container with the values in its environment, a secret winning over a variable", async () => {
    const { task, start } = firstStart(true);
    const { runtime, created } = recordingRuntime();
    const { s, asked } = source({ ok: true, environment: { DB_PASSWORD: "secret-value" } });
    const outcome = await executeAction(runtime, start, () => 0, s);
    expect(outcome).toEqual({ kind: "done" });
    expect(asked).toEqual([{ taskArn: task.taskArn, containerName: "app" }]);
    expect(created[0]?.environment).toEqual({ DB_PASSWORD: "secret-value", OTHER: "kept" });
    // The planned step itself is left as it was.
    expect(start.kind === "startContainer" && start.spec?.environment.DB_PASSWORD).toBe("plain");
  });

  it("does not ask for secrets for a container without any", async () => {
    const { start } = firstStart(false);
    const { runtime, created } = recordingRuntime();
    const { s, asked } = source({ ok: false, stoppedReason: "never" });
    expect(await executeAction(runtime, start, () => 0, s)).toEqual({ kind: "done" });
    expect(asked).toEqual([]);
    expect(created).toHaveLength(1);
  });

  it("stops the task with ECS's reason when the secrets are refused, creating nothing", async () => {
    const { task, start } = firstStart(true);
    const { runtime, created } = recordingRuntime();
    const reason = `${PREFIX}execution resource retrieval failed: AccessDeniedException: denied`;
    const { s } = source({ ok: false, stoppedReason: reason });
    const outcome = await executeAction(runtime, start, () => 0, s);
    expect(outcome).toEqual({ kind: "secretsFailed", container: "app", stoppedReason: reason });
    expect(created).toEqual([]);
    const memory = evolve(freshMemory(task.taskArn), outcome);
    expect(memory.ending).toEqual({ stopCode: "TaskFailedToStart", stoppedReason: reason });
    expect(memory.containers.app?.reason).toBe(reason);
  });

  it("tries again later when the api does not answer, creating nothing", async () => {
    const { start } = firstStart(true);
    const { runtime, created } = recordingRuntime();
    const { s } = source({ ok: "retry", message: "secrets request: TIMEOUT" });
    expect(await executeAction(runtime, start, () => 0, s)).toEqual({
      kind: "transient",
      message: "secrets request: TIMEOUT",
    });
    expect(created).toEqual([]);
  });

  it("refuses a container with secrets on an agent that has no secret source", async () => {
    const { start } = firstStart(true);
    const { runtime, created } = recordingRuntime();
    const outcome = await executeAction(runtime, start, () => 0);
    expect(outcome).toMatchObject({ kind: "secretsFailed" });
    expect(created).toEqual([]);
  });

  it("gives every refusal ECS's prefix once", () => {
    expect(secretsStoppedReason("AccessDeniedException", "not yours")).toBe(
      `${PREFIX}AccessDeniedException: not yours`,
    );
    expect(secretsStoppedReason("ClientException", `${PREFIX}detail`)).toBe(`${PREFIX}detail`);
  });
});
