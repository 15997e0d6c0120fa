import { describe, expect, it } from "vitest";
import {
  matchesPlacementQuery,
  parsePlacementQuery,
  type PlacementCandidate,
} from "../../../services/scheduler/placement/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { instance, task } from "./fixtures.js";

const matches = (expr: string, c: PlacementCandidate): boolean =>
  matchesPlacementQuery(parsePlacementQuery(expr), c);

const t2 = instance("a", {
  attributes: {
    "ecs.instance-type": "t2.micro",
    "ecs.availability-zone": "us-east-1a",
    "ecs.os-type": "linux",
    flag: undefined,
  },
  tasks: [task("t1", "service:databases"), task("t2", "family:web")],
  runningTasksCount: 2,
  registeredAt: "2018-06-18T22:28:28Z",
  agentVersion: "1.68.2",
});
const m5 = instance("b", {
  agentConnected: false,
  attributes: { "ecs.instance-type": "m5.large", "ecs.availability-zone": "us-east-1b" },
  runningTasksCount: 0,
  registeredAt: "2024-01-01",
  agentVersion: "1.9.0",
});

/** The language itself is tested in tests/unit/clusterQuery; this is memberOf's use of it. */
describe("memberOf query language", () => {
  it.each([
    // ECS's documented examples
    ["attribute:ecs.instance-type =~ t2.*", true, false],
    ["attribute:ecs.instance-type =~ g2.*", false, false],
    ["task:group == service:databases", true, false],
    ["attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true, true],
    [
      "attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d",
      true,
      false,
    ],
    ["not(task:group == databases) && attribute:ecs.instance-type != t2.micro", false, true],
    ["runningTasksCount == 0", false, true],
    ["runningTasksCount > 1", true, false],
    ["runningTasksCount <= 1", false, true],
    ["agentConnected == false", false, true],
    ["agentConnected != true", false, true],
    ["registeredAt < 2020-01-01", true, false],
    ["registeredAt >= 2018-06-18T22:28:28+00:00", true, true],
    ["agentVersion >= 1.10.0", true, false],
    ["ec2InstanceId =~ 'i-[ab]'", true, true],
    ["ec2InstanceId !~ i-a", false, true],
    ["ec2InstanceId not_in [i-a]", false, true],
    ["attribute:flag exists", true, false],
    ["attribute:flag !exists", false, true],
    ["task:group exists", true, false],
    ["task:group =~ family:.*", true, false],
    ["task:group != service:databases", false, true],
    [
      "(attribute:ecs.os-type == linux or ec2InstanceId == i-b) and not attribute:x exists",
      true,
      true,
    ],
    ["attribute:ecs.instance-type matches 't2\\..*'", true, false],
  ])("%s", (expr, onT2, onM5) => {
    expect(matches(expr, t2)).toBe(onT2);
    expect(matches(expr, m5)).toBe(onM5);
  });

  it("matches a regular expression against the whole value", () => {
    expect(matches("attribute:ecs.instance-type =~ t2", t2)).toBe(false);
    expect(matches("attribute:ecs.instance-type =~ .*micro", t2)).toBe(true);
  });

  it.each([
    "",
    "attribute: == x",
    "nonsense == x",
    "attribute:a ==",
    "attribute:a =~ '('",
    "(attribute:a exists",
    "attribute:a in [x",
    "attribute:a exists extra",
    "attribute:a ! == b",
    "attribute:a == 'open",
  ])("refuses %j as an InvalidParameterException naming the constraint's expression", (expr) => {
    let caught: unknown;
    try {
      parsePlacementQuery(expr);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EcsError);
    expect((caught as EcsError).type).toBe("InvalidParameterException");
    expect((caught as EcsError).message).toMatch(/^placementConstraints\.expression: /);
  });
});
