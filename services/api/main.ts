import { CommandClient } from "../../shared/bus/index.js";
import { principalDirectory } from "../../shared/iam/index.js";
import { dependencyChecks, runService } from "../../shared/service/index.js";
import { loadApiConfig } from "./config.js";
import { buildApiServer } from "./server.js";
import { serveAgentLogs } from "./logs/ingest/serveAgentLogs.js";
import { startLogRetention } from "./logs/retention/logRetention.js";
import { serveAgentSecrets } from "./secrets/agent/serveAgentSecrets.js";
import { serveTaskCredentials } from "./taskCredentials/serveTaskCredentials.js";

/** The stateless HTTP gateway: reads from projections, writes as commands over NATS. */
await runService({
  name: "api",
  loadConfig: loadApiConfig,
  async start({ db, nc, log }, config) {
    const iam = principalDirectory(config.iam.config, config.FLOTILLA_ACCOUNT_ID);
    if (config.iam.devDefault) {
      log.warn(
        { accessKeyId: "test", secretAccessKey: "test", principal: "test" },
        "no FLOTILLA_IAM or FLOTILLA_IAM_FILE: development credentials test/test (admin) are accepted; refused when FLOTILLA_ENV=production",
      );
    } else {
      log.info(
        { source: config.iam.source, principals: iam.principals.map((p) => p.arn) },
        "IAM principals loaded",
      );
    }
    const app = buildApiServer({
      db,
      commands: new CommandClient(nc, config.FLOTILLA_PREFIX, config.COMMAND_TIMEOUT_MS),
      arn: { region: config.FLOTILLA_REGION, accountId: config.FLOTILLA_ACCOUNT_ID },
      log,
      maxBodyBytes: config.MAX_BODY_BYTES,
      ready: () => dependencyChecks(db, nc),
      iam,
      taskCredentials: config.taskCredentials.keys,
      secretsKey: config.secrets.key,
    });
    if (config.secrets.devDefault) {
      log.warn(
        "no FLOTILLA_SECRETS_KEY: secret values are encrypted with the public development key; refused when FLOTILLA_ENV=production",
      );
    }
    // Containers' `secrets`, read by the agents just before they create them (docs/secrets.md).
    const secretsService = serveAgentSecrets({
      nc,
      prefix: config.FLOTILLA_PREFIX,
      db,
      log,
      key: config.secrets.key,
      accountId: config.FLOTILLA_ACCOUNT_ID,
      principals: iam.principals,
    });
    if (config.taskCredentials.devDefault) {
      log.warn(
        "no FLOTILLA_TASK_CREDENTIALS_KEY: task role credentials use the development key; refused when FLOTILLA_ENV=production",
      );
    }
    // Task role credentials for the agents' container credentials endpoints (docs/security.md).
    const taskCredentials = serveTaskCredentials({
      nc,
      prefix: config.FLOTILLA_PREFIX,
      db,
      log,
      iam,
      keys: config.taskCredentials.keys,
      ttlSeconds: config.FLOTILLA_TASK_CREDENTIALS_TTL_SECONDS,
    });
    // Container log lines from the agents, and their retention (docs/logs.md).
    const logIngest = serveAgentLogs({ nc, prefix: config.FLOTILLA_PREFIX, db, log });
    const logRetention = startLogRetention({
      db,
      log,
      intervalMs: config.LOG_RETENTION_INTERVAL_MS,
    });
    await app.listen({ host: config.HOST, port: config.PORT });
    log.info({ endpoint: `http://${config.HOST}:${config.PORT}` }, "ECS API listening");
    return {
      stop: async () => {
        logIngest.unsubscribe();
        secretsService.unsubscribe();
        taskCredentials.unsubscribe();
        await logRetention.stop();
        await app.close();
      },
    };
  },
});
