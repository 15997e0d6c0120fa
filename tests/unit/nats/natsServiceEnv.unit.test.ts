import { describe, expect, it } from "vitest";
import { natsServiceEnv } from "../../../scripts/natsConfigServiceEnv.js";
import { NatsUsers } from "../../../scripts/natsConfigUsers.js";

const users = NatsUsers.parse({
  services: {
    api: { password: "api-password" },
    scheduler: { passwordEnv: "SCHED_PW" },
    autoscaler: { password: "autoscaler-password" },
  },
  agents: [{ id: "i-local", password: "agent-password" }],
});

describe("natsServiceEnv", () => {
  it("gives each service its own user and the agent the user of its id", () => {
    expect(natsServiceEnv(users, "i-local", { SCHED_PW: "from-env" })).toEqual({
      api: { NATS_USER: "api", NATS_PASSWORD: "api-password" },
      scheduler: { NATS_USER: "scheduler", NATS_PASSWORD: "from-env" },
      autoscaler: { NATS_USER: "autoscaler", NATS_PASSWORD: "autoscaler-password" },
      agent: { NATS_USER: "agent-i-local", NATS_PASSWORD: "agent-password" },
    });
  });

  it("says which agent is missing and which variable is unset", () => {
    expect(() => natsServiceEnv(users, "i-other", { SCHED_PW: "x" }, "users.json")).toThrow(
      /users.json has no user for this host's agent i-other/,
    );
    expect(() => natsServiceEnv(users, "i-local", {}, "users.json")).toThrow(
      "users.json takes the password of scheduler from SCHED_PW, which is not set",
    );
  });
});
