import { CommandClient } from "../../shared/bus/index.js";
import { dependencyChecks, runService } from "../../shared/service/index.js";
import { loadApiConfig } from "./config.js";
import { buildApiServer } from "./server.js";

/** The stateless HTTP gateway: reads from projections, writes as commands over NATS. */
await runService({
  name: "api",
  loadConfig: loadApiConfig,
  async start({ db, nc, log }, config) {
    const app = buildApiServer({
      db,
      commands: new CommandClient(nc, config.FLOTILLA_PREFIX, config.COMMAND_TIMEOUT_MS),
      arn: { region: config.FLOTILLA_REGION, accountId: config.FLOTILLA_ACCOUNT_ID },
      log,
      maxBodyBytes: config.MAX_BODY_BYTES,
      ready: () => dependencyChecks(db, nc),
    });
    await app.listen({ host: config.HOST, port: config.PORT });
    log.info({ endpoint: `http://${config.HOST}:${config.PORT}` }, "ECS API listening");
    return { stop: () => app.close() };
  },
});
