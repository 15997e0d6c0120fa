import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CliError } from "../../../cli/command.js";
import { parseServiceSpec } from "../../../cli/serviceSpec.js";
import { normalisedRegistration } from "../../../cli/plan/taskDefinitionChanges.js";

/** The service file docs/cli.md shows: it must stay valid. */
const documentedExample = (): string => {
  const doc = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");
  const block = /```json\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error("docs/cli.md has no ```json block");
  return block[1]!;
};

const minimal = {
  taskDefinition: {
    family: "web",
    containerDefinitions: [{ name: "web", image: "busybox", memory: 32 }],
  },
  service: { serviceName: "web", desiredCount: 1 },
};

const problem = (text: string): CliError => {
  try {
    parseServiceSpec(text, "web.json");
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error("parsed");
};

describe("the service file", () => {
  it("docs/cli.md's example parses and is a definition ECS would register", () => {
    const spec = parseServiceSpec(documentedExample(), "docs/cli.md");
    expect(spec.cluster).toBe("default");
    expect(spec.service.serviceName).toBe("web");
    expect(spec.service.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({
      enable: true,
      rollback: true,
    });
    expect(() => normalisedRegistration(spec.taskDefinition)).not.toThrow();
  });

  it("defaults the cluster to default", () => {
    expect(parseServiceSpec(JSON.stringify(minimal), "web.json").cluster).toBe("default");
  });

  it("names the field of a mistake, as a usage error", () => {
    const typo = problem(
      JSON.stringify({ ...minimal, service: { ...minimal.service, desiredCont: 2 } }),
    );
    expect(typo.exitCode).toBe(2);
    expect(typo.message).toMatch(/^web\.json: service: .*desiredCont/);
    const wrong = problem(
      JSON.stringify({
        ...minimal,
        service: { ...minimal.service, deploymentConfiguration: { maximumPercent: "200" } },
      }),
    );
    expect(wrong.message).toMatch(/^web\.json: service\.deploymentConfiguration\.maximumPercent: /);
    expect(problem(JSON.stringify({ ...minimal, service: { desiredCount: 1 } })).message).toMatch(
      /service\.serviceName/,
    );
    expect(problem("{ nope").message).toMatch(/^web\.json is not JSON: /);
  });

  it("refuses the fields the file states elsewhere (taskDefinition, cluster) inside service", () => {
    const nested = problem(
      JSON.stringify({ ...minimal, service: { ...minimal.service, taskDefinition: "web:1" } }),
    );
    expect(nested.message).toMatch(/taskDefinition/);
  });

  it("a definition ECS would refuse is an error with ECS's words", () => {
    const spec = parseServiceSpec(
      JSON.stringify({
        ...minimal,
        taskDefinition: {
          family: "web",
          containerDefinitions: [
            {
              name: "web",
              image: "busybox",
              memory: 32,
              logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "g" } },
            },
          ],
        },
      }),
      "web.json",
    );
    expect(() => normalisedRegistration(spec.taskDefinition)).toThrow(
      /taskDefinition: ClientException: .*awslogs-region/,
    );
  });
});
