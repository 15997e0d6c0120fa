/**
 * The benchmark's hollow fleet: FLOTILLA_HOLLOW_AGENTS hollow agents in one process,
 * as services/agent/hollowFleetMain.ts runs them, and one thing more: with
 * FLOTILLA_HOLLOW_STATE_FILE set, a graceful stop (SIGTERM) writes each hollow host's
 * running containers there, and the next start restores them before its agents
 * start, so a restart of the process is an agent restart under a surviving engine
 * (hollowState.ts). A SIGKILL writes nothing: the hosts are lost.
 */
import { agentSettingsFromConfig, startAgent } from "../../../services/agent/agent.js";
import { hollowAgentId } from "../../../services/agent/hollowFleet.js";
import { runAgentProcess } from "../../../services/agent/runAgentProcess.js";
import { HollowRuntime } from "../../../services/agent/runtime/hollowRuntime.js";
import { natsSchedulerLink } from "../../../services/agent/scheduler/natsSchedulerLink.js";
import {
  readFleetState,
  restoreContainers,
  runningContainers,
  writeFleetState,
  type HollowFleetState,
} from "./hollowState.js";

await runAgentProcess("hollow-fleet", true, async (nc, config, log) => {
  const stateFile = process.env.FLOTILLA_HOLLOW_STATE_FILE;
  const saved = stateFile ? await readFleetState(stateFile) : {};
  const settings = agentSettingsFromConfig(config);
  const region = config.FLOTILLA_REGION;
  const zones = [`${region}a`, `${region}b`, `${region}c`];
  const runtimes: HollowRuntime[] = [];
  for (let i = 0; i < config.FLOTILLA_HOLLOW_AGENTS; i++) {
    const runtime = new HollowRuntime({
      cpus: config.FLOTILLA_HOLLOW_CPUS,
      memoryMiB: config.FLOTILLA_HOLLOW_MEMORY_MIB,
      startLatencyMs: config.FLOTILLA_HOLLOW_START_LATENCY_MS,
      failureRate: config.FLOTILLA_HOLLOW_FAILURE_RATE,
    });
    await restoreContainers(runtime, saved[i] ?? []);
    runtimes.push(runtime);
  }
  const agents = runtimes.map((runtime, i) => {
    const agentId = hollowAgentId(settings.agentId, i);
    return startAgent({
      settings: { ...settings, agentId, availabilityZone: zones[i % zones.length]! },
      runtime,
      link: natsSchedulerLink({
        nc,
        prefix: config.FLOTILLA_PREFIX,
        agentId,
        timeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
        log,
      }),
      log: log.child({ hollow: i }),
    });
  });
  log.info({ agents: agents.length }, "hollow fleet starting");
  return {
    async stop() {
      await Promise.all(agents.map((a) => a.stop()));
      if (stateFile) {
        const state: HollowFleetState = {};
        for (const [i, runtime] of runtimes.entries()) state[i] = await runningContainers(runtime);
        await writeFleetState(stateFile, state);
      }
      for (const r of runtimes) r.dispose();
    },
    async ready() {
      const states = await Promise.all(agents.map((a) => a.ready()));
      const registered = states.filter((s) => s.ready).length;
      return {
        ready: registered === states.length,
        checks: { allRegistered: registered === states.length, nats: !nc.isClosed() },
      };
    },
  };
});
