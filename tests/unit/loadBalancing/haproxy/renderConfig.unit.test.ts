import { describe, expect, it } from "vitest";
import {
  httpCheckExpect,
  InvalidMatcherError,
} from "../../../../services/scheduler/loadBalancing/haproxy/httpCheckExpect.js";
import { renderConfig } from "../../../../services/scheduler/loadBalancing/haproxy/renderConfig.js";
import { desiredWith, target } from "./fixtures.js";

describe("httpCheckExpect (ELBv2 matcher → http-check expect)", () => {
  it("one code is `status`", () => expect(httpCheckExpect("200")).toBe("status 200"));
  it("a full hundred compacts", () =>
    expect(httpCheckExpect("200-299")).toBe("rstatus ^(?:2[0-9][0-9])$"));
  it("a list", () => expect(httpCheckExpect("200,302")).toBe("rstatus ^(?:200|302)$"));
  it("a partial range compacts by tens", () =>
    expect(httpCheckExpect("200-215")).toBe("rstatus ^(?:20[0-9]|210|211|212|213|214|215)$"));
  it("refuses nonsense", () => {
    expect(() => httpCheckExpect("2xx")).toThrow(InvalidMatcherError);
    expect(() => httpCheckExpect("299-200")).toThrow(InvalidMatcherError);
  });
});

describe("renderConfig", () => {
  const desired = desiredWith(
    [
      target("i-1", 32768),
      target("i-2", 32769, { state: "draining", deregisteredAt: new Date(0) }),
    ],
    "200-299",
  );
  const cfg = renderConfig(desired, { dir: "/run/lb" });

  it("has the admin socket, master-worker, redispatch and retries", () => {
    expect(cfg).toContain(
      "stats socket /run/lb/admin.sock mode 600 level admin expose-fd listeners",
    );
    expect(cfg).toContain("  master-worker");
    expect(cfg).toContain("  option redispatch");
    expect(cfg).toContain("  retries 3");
    expect(cfg).toContain("server-state-file /run/lb/servers.state");
  });

  it("binds one frontend per listener on 127.0.0.1 to its target group's backend", () => {
    expect(cfg).toMatch(
      /frontend listener_8080\n {2}bind 127\.0\.0\.1:8080\n {2}default_backend tg_web/,
    );
  });

  it("renders the target group's health check", () => {
    expect(cfg).toContain("backend tg_web");
    expect(cfg).toContain("  balance roundrobin");
    expect(cfg).toContain("  option httpchk GET /health");
    expect(cfg).toContain("  http-check expect rstatus ^(?:2[0-9][0-9])$");
    expect(cfg).toContain("  timeout check 2s");
    expect(cfg).toContain("  default-server inter 5s fall 2 rise 3");
  });

  it("writes a server per target, a draining one with weight 0", () => {
    expect(cfg).toContain("  server i-1_32768 127.0.0.1:32768 check\n");
    expect(cfg).toContain("  server i-2_32769 127.0.0.1:32769 check weight 0\n");
  });

  it("the structure alone has no servers, and does not change with targets", () => {
    const a = renderConfig(desired, { dir: "/run/lb", servers: false });
    expect(a).not.toContain("server i-1");
    expect(renderConfig(desiredWith([], "200-299"), { dir: "/run/lb", servers: false })).toBe(a);
  });

  it("uses the health check port when it is not traffic-port", () => {
    const d = desiredWith([]);
    const tg = d.targetGroups[0]!;
    const cfg2 = renderConfig(
      { ...d, targetGroups: [{ ...tg, healthCheck: { ...tg.healthCheck, port: "9000" } }] },
      { dir: "/x" },
    );
    expect(cfg2).toContain("default-server inter 5s fall 2 rise 3 port 9000");
  });
});
