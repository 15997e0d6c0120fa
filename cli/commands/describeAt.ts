import { callAction, endpointFrom } from "../apiClient.js";
import { CliError, defineCommand } from "../command.js";
import { parseCliTime } from "../parseCliTime.js";

/** `flotilla describe-at`: a resource as it was (DescribeResourceAt), as JSON. */
export const describeAt = defineCommand({
  name: "describe-at",
  summary: "a resource as it was at a time or log position (the Describe* output, as JSON)",
  usage: "flotilla describe-at <arn> (--time T | --position P) [--endpoint-url URL]",
  examples: [
    "flotilla describe-at arn:aws:ecs:us-east-1:000000000000:service/default/web --time 2026-11-26T20:00:00Z   # service web as DescribeServices showed it then",
    "flotilla describe-at arn:aws:ecs:us-east-1:000000000000:service/default/web --time 1h   # an hour ago",
    "flotilla describe-at arn:aws:ecs:us-east-1:000000000000:task-definition/web:3 --position 1200   # a revision as of log position 1200",
  ],
  options: {
    time: { type: "string" },
    position: { type: "string" },
    "endpoint-url": { type: "string" },
  },
  async run({ values, positionals }, io) {
    const [resourceArn, ...extra] = positionals;
    if (resourceArn === undefined || extra.length > 0) {
      throw new CliError("give exactly one resource ARN", 2);
    }
    if ((values.time === undefined) === (values.position === undefined)) {
      throw new CliError("give exactly one of --time and --position", 2);
    }
    let when: { at: number } | { position: number };
    if (typeof values.time === "string") {
      when = { at: parseCliTime("time", values.time) };
    } else {
      const position = Number(values.position);
      if (!Number.isSafeInteger(position) || position < 0) {
        throw new CliError("--position: give a log position (a non-negative integer)", 2);
      }
      when = { position };
    }
    const out = await callAction(
      endpointFrom(values["endpoint-url"], io.env),
      "FlotillaV1.DescribeResourceAt",
      { resourceArn, ...when },
      io.env,
    );
    io.out(JSON.stringify(out, null, 2));
    return 0;
  },
});
