import { describe, expect, it } from "vitest";
import { resourcesOf } from "../../../services/api/auth/actionResources.js";

const ARN = { region: "us-east-1", accountId: "000000000000" };
const GROUP = "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web";

describe("the IAM resources of the CloudWatch Logs actions", () => {
  it("are the group (`…:log-group:<name>:*`) for group actions, by name or ARN", () => {
    expect(resourcesOf("logs:FilterLogEvents", { logGroupName: "/ecs/web" }, ARN)).toEqual([
      `${GROUP}:*`,
    ]);
    expect(
      resourcesOf("logs:DescribeLogStreams", { logGroupIdentifier: `${GROUP}:*` }, ARN),
    ).toEqual([`${GROUP}:*`]);
  });

  it("are the stream for GetLogEvents and PutLogEvents, and `*` for DescribeLogGroups", () => {
    expect(
      resourcesOf(
        "logs:GetLogEvents",
        { logGroupName: "/ecs/web", logStreamName: "web/app/1" },
        ARN,
      ),
    ).toEqual([`${GROUP}:log-stream:web/app/1`]);
    expect(resourcesOf("logs:DescribeLogGroups", {}, ARN)).toEqual(["*"]);
  });
});
