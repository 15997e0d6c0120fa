import { serveCommands } from "../../shared/bus/index.js";
import { EventStore } from "../../shared/eventstore/index.js";
import { subjectForEvent, upcastEvent } from "../../shared/events/index.js";
import { ALL_PROJECTIONS } from "../../shared/projections/index.js";
import { startRelay } from "../../shared/relay/index.js";
import { dependencyChecks, runService, startHealthServer } from "../../shared/service/index.js";
import { schedulerCommands } from "./commandHandlers.js";
import { loadSchedulerConfig } from "./config.js";

/**
 * The scheduler owns clusters, task definitions (and, with later issues,
 * instances, services, tasks and deployments): it handles their commands as
 * pure deciders over the event store, with the inline projections. It also
 * runs the relay of the log to JetStream; with several replicas one leads.
 */
await runService({
  name: "scheduler",
  loadConfig: loadSchedulerConfig,
  async start({ db, nc, log }, config) {
    const store = new EventStore(db, { projections: ALL_PROJECTIONS, upcast: upcastEvent });
    const commands = schedulerCommands({
      store,
      arn: { region: config.FLOTILLA_REGION, accountId: config.FLOTILLA_ACCOUNT_ID },
    });
    const sub = serveCommands(nc, config.FLOTILLA_PREFIX, "scheduler", commands, log);
    const relay = startRelay({
      db,
      databaseUrl: config.DATABASE_URL,
      nc,
      prefix: config.FLOTILLA_PREFIX,
      log: log.child({ component: "relay" }),
      subjectFor: subjectForEvent(config.FLOTILLA_PREFIX),
      upcast: upcastEvent,
    });
    const health = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: () => dependencyChecks(db, nc),
    });
    return {
      async stop() {
        await sub.drain();
        await relay.stop();
        await new Promise<void>((resolve) => health.close(() => resolve()));
      },
    };
  },
});
