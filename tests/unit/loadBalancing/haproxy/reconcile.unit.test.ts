import { describe, expect, it } from "vitest";
import { reconcile } from "../../../../services/scheduler/loadBalancing/haproxy/reconcile.js";
import { renderConfig } from "../../../../services/scheduler/loadBalancing/haproxy/renderConfig.js";
import type { DesiredState } from "../../../../services/scheduler/loadBalancing/haproxy/desiredState.js";
import { parseShowStat } from "../../../../services/scheduler/loadBalancing/haproxy/showStat.js";
import { desiredWith, showStatCsv, target, TG } from "./fixtures.js";

type Row = [string, string, string, number, number, string, string, string];
const FE: Row = ["listener_8080", "FRONTEND", "OPEN", 0, 0, "", "", ""];
const BE: Row = ["tg_web", "BACKEND", "UP", 0, 1, "", "", ""];
const now = new Date("2026-01-01T00:00:00Z");

const plan = (desired: DesiredState, rows: Row[], loaded?: string) => {
  const structure = renderConfig(desired, { dir: "/d", servers: false });
  return reconcile({
    desired,
    observed: parseShowStat(showStatCsv([FE, ...rows, BE])),
    structure,
    loadedStructure: loaded ?? structure,
    now,
  });
};

describe("reconcile", () => {
  it("given a new target, adds its server DOWN, then enables it; reports initial", () => {
    const p = plan(desiredWith([target("i-1", 1000, { state: "initial" })]), []);
    expect(p.reload).toBe(false);
    expect(p.commands.map((c) => c.line)).toEqual([
      "add server tg_web/i-1_1000 127.0.0.1:1000 check inter 5s fall 2 rise 3; enable health tg_web/i-1_1000; enable server tg_web/i-1_1000; set server tg_web/i-1_1000 health down",
    ]);
    // Already recorded initial: nothing to report.
    expect(p.health).toEqual([]);
  });

  it("reports UP healthy, DOWN after a failed check unhealthy, rising initial — only changes", () => {
    const d = desiredWith([
      target("i-1", 1, { state: "initial" }),
      target("i-2", 2, { state: "healthy" }),
      target("i-3", 3, { state: "initial" }),
      target("i-4", 4, { state: "unhealthy", reason: "Target.FailedHealthChecks" }),
    ]);
    const p = plan(d, [
      ["tg_web", "i-1_1", "UP", 0, 1, "L7OK", "200", ""],
      ["tg_web", "i-2_2", "DOWN", 0, 1, "L7STS", "500", ""],
      ["tg_web", "i-3_3", "DOWN 1/3", 0, 1, "L7OK", "200", ""],
      ["tg_web", "i-4_4", "DOWN 1/3", 0, 1, "L7OK", "200", ""],
    ]);
    expect(p.commands).toEqual([]);
    expect(p.health).toEqual([
      {
        targetGroupArn: TG,
        observations: [
          { target: { id: "i-1", port: 1 }, state: "healthy" },
          {
            target: { id: "i-2", port: 2 },
            state: "unhealthy",
            reason: "Target.ResponseCodeMismatch",
            description: "Health checks failed with these codes: [500]",
          },
        ],
      },
    ]);
  });

  it("a refused connection is Target.FailedHealthChecks, a timeout Target.Timeout", () => {
    const d = desiredWith([target("i-1", 1), target("i-2", 2)]);
    const p = plan(d, [
      ["tg_web", "i-1_1", "DOWN", 0, 1, "L4CON", "", "Connection refused"],
      ["tg_web", "i-2_2", "DOWN", 0, 1, "L4TOUT", "", ""],
    ]);
    expect(p.health[0]?.observations.map((o) => o.reason)).toEqual([
      "Target.FailedHealthChecks",
      "Target.Timeout",
    ]);
  });

  it("drains a draining target's server; drained once it is idle", () => {
    const draining = { state: "draining" as const, deregisteredAt: new Date(now.getTime() - 1000) };
    const d = desiredWith([target("i-1", 1, draining)]);
    const serving = plan(d, [["tg_web", "i-1_1", "UP", 1, 1, "L7OK", "200", ""]]);
    expect(serving.commands.map((c) => c.line)).toEqual(["set server tg_web/i-1_1 state drain"]);
    expect(serving.drained).toEqual([]);
    const busy = plan(d, [["tg_web", "i-1_1", "DRAIN", 1, 0, "L7OK", "200", ""]]);
    expect(busy.commands).toEqual([]);
    expect(busy.drained).toEqual([]);
    const idle = plan(d, [["tg_web", "i-1_1", "DRAIN", 0, 0, "L7OK", "200", ""]]);
    expect(idle.drained).toEqual([{ targetGroupArn: TG, targets: [{ id: "i-1", port: 1 }] }]);
  });

  it("drained when the deregistration delay passed, connections or not", () => {
    const d = desiredWith([
      target("i-1", 1, { state: "draining", deregisteredAt: new Date(now.getTime() - 31_000) }),
    ]);
    const p = plan(d, [["tg_web", "i-1_1", "DRAIN", 5, 0, "L7OK", "200", ""]]);
    expect(p.drained).toEqual([{ targetGroupArn: TG, targets: [{ id: "i-1", port: 1 }] }]);
  });

  it("deletes a server whose target is gone: maint, shut its sessions, del", () => {
    const p = plan(desiredWith([]), [["tg_web", "i-9_9", "DRAIN", 0, 0, "L7OK", "200", ""]]);
    expect(p.commands.map((c) => c.line)).toEqual([
      "set server tg_web/i-9_9 state maint; shutdown sessions server tg_web/i-9_9; del server tg_web/i-9_9",
    ]);
  });

  it("reloads when frontends or backends differ, and runs no server commands then", () => {
    const d = desiredWith([target("i-1", 1, { state: "initial" })]);
    const structure = renderConfig(d, { dir: "/d", servers: false });
    const p = reconcile({
      desired: d,
      observed: parseShowStat(showStatCsv([])),
      structure,
      loadedStructure: structure,
      now,
    });
    expect(p.reload).toBe(true);
    expect(p.commands).toEqual([]);
    const changedCheck = plan(
      d,
      [["tg_web", "i-1_1", "UP", 0, 1, "L7OK", "200", ""]],
      "old structure",
    );
    expect(changedCheck.reload).toBe(true);
  });

  it("enables a registered server left in maintenance, DOWN first", () => {
    const p = plan(desiredWith([target("i-1", 1, { state: "initial" })]), [
      ["tg_web", "i-1_1", "MAINT", 0, 1, "INI", "", ""],
    ]);
    expect(p.commands.map((c) => c.line)).toEqual([
      "enable health tg_web/i-1_1; enable server tg_web/i-1_1; set server tg_web/i-1_1 health down",
    ]);
  });
});
