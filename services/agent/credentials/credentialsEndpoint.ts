import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ContainerCredentials } from "../../../shared/iam/index.js";
import type { Logger } from "../../../shared/log/index.js";
import type { ContainerState } from "../runtime/containerRuntime.js";
import { SchedulerRefusal } from "../scheduler/schedulerLink.js";
import type { CredentialsSource } from "./credentialsSource.js";
import {
  CREDENTIALS_ID_LABEL,
  CREDENTIALS_PATH_PREFIX,
  type TaskCredentialsSettings,
} from "./credentialsEnvironment.js";

export interface CredentialsEndpointOptions {
  /** Address and port to listen on (the Docker bridge's gateway by default; see config). */
  readonly host: string;
  readonly port: number;
  readonly source: CredentialsSource;
  readonly log: Logger;
  /** The agent's containers, to find the endpoint ids of tasks started before a restart. */
  readonly listContainers: () => Promise<readonly ContainerState[]>;
  /** Whether the task is still meant to run; cached credentials are served only then (else the api is asked). */
  readonly isActive: (taskArn: string) => boolean;
  /**
   * Where the task's containers are: their addresses, or `any` when one of them
   * shares the host's network (its requests come from a host address). A
   * request from any other address is refused, even with the right id.
   */
  readonly addressesOf: (taskArn: string) => Promise<ReadonlySet<string> | "any">;
  /** Fetch new credentials when the cached ones expire within this long (ms). */
  readonly refreshBeforeMs?: number;
  readonly now?: () => number;
}

export interface CredentialsEndpoint extends TaskCredentialsSettings {
  /** Takes the ids of running containers' tasks (after a restart). */
  adopt(containers: readonly ContainerState[]): void;
  close(): Promise<void>;
}

/** 128 random bits, URL-safe: one task cannot guess another's path. */
const newId = (): string => randomBytes(16).toString("base64url");

const DEFAULT_REFRESH_BEFORE_MS = 15 * 60_000;

/**
 * The container credentials endpoint (docs/security.md, "Task roles"): GET
 * `/v2/credentials/<id>` answers the task's role credentials as ECS's does
 * (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`, `RoleArn`). Each
 * task has its own random id, given to its containers only, and a request
 * must come from one of the task's own containers' addresses, so a container
 * cannot read another task's credentials even if it learns the id; an
 * unknown id is refused. The
 * credentials come from the api (minted for this agent's own tasks only) and
 * are cached until `refreshBeforeMs` before they expire: the SDKs fetch again
 * before their expiry and get fresh ones.
 */
export const startCredentialsEndpoint = async (
  options: CredentialsEndpointOptions,
): Promise<CredentialsEndpoint> => {
  const now = options.now ?? Date.now;
  const refreshBefore = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  const taskOfId = new Map<string, string>();
  const idOfTask = new Map<string, string>();
  const cache = new Map<string, ContainerCredentials>();
  const inFlight = new Map<string, Promise<ContainerCredentials>>();
  const log = options.log.child({ part: "credentials" });

  const adopt = (containers: readonly ContainerState[]) => {
    for (const c of containers) {
      const id = c.labels[CREDENTIALS_ID_LABEL];
      const taskArn = c.labels["com.flotilla.task-arn"];
      if (id === undefined || taskArn === undefined) continue;
      taskOfId.set(id, taskArn);
      if (!idOfTask.has(taskArn)) idOfTask.set(taskArn, id);
    }
  };

  const idFor = (taskArn: string): string => {
    let id = idOfTask.get(taskArn);
    if (id === undefined) {
      id = newId();
      idOfTask.set(taskArn, id);
      taskOfId.set(id, taskArn);
    }
    return id;
  };

  const credentialsOf = (taskArn: string): Promise<ContainerCredentials> => {
    const cached = cache.get(taskArn);
    if (
      cached &&
      options.isActive(taskArn) &&
      Date.parse(cached.Expiration) - now() > refreshBefore
    ) {
      return Promise.resolve(cached);
    }
    let pending = inFlight.get(taskArn);
    if (!pending) {
      pending = options.source(taskArn, "task").then(
        (fresh) => {
          cache.set(taskArn, fresh);
          return fresh;
        },
        (err: unknown) => {
          cache.delete(taskArn);
          throw err;
        },
      );
      pending = pending.finally(() => inFlight.delete(taskArn));
      inFlight.set(taskArn, pending);
    }
    return pending;
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.startsWith(CREDENTIALS_PATH_PREFIX)) {
      return answer(res, 404, { code: "NotFound", message: "No such path." });
    }
    if (req.method !== "GET") {
      return answer(res, 405, { code: "MethodNotAllowed", message: "Use GET." });
    }
    const id = path.slice(CREDENTIALS_PATH_PREFIX.length);
    let taskArn = taskOfId.get(id);
    if (taskArn === undefined && /^[A-Za-z0-9_-]{22}$/.test(id)) {
      // A task started before this agent restarted: its containers carry the id.
      adopt(await options.listContainers());
      taskArn = taskOfId.get(id);
    }
    if (taskArn === undefined) {
      // Never say whose id it might have been; log no part of the path.
      log.warn({ remote: req.socket.remoteAddress }, "credentials request with an unknown id");
      return answer(res, 400, {
        code: "InvalidIdInRequest",
        message: "CredentialsV2Request: Credentials not found",
      });
    }
    const remote = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const addresses = await options.addressesOf(taskArn);
    if (addresses !== "any" && !addresses.has(remote)) {
      log.warn(
        { taskArn, remote, taskAddresses: [...addresses] },
        "credentials request from outside the task refused",
      );
      return answer(res, 403, {
        code: "AccessDenied",
        message: "These credentials belong to another task.",
      });
    }
    try {
      const credentials = await credentialsOf(taskArn);
      return answer(res, 200, credentials);
    } catch (err) {
      const refused = err instanceof SchedulerRefusal && !err.retryable;
      log.warn({ taskArn, err: String(err) }, "task role credentials unavailable");
      return answer(res, refused ? 400 : 503, {
        code: refused ? "CredentialsUnavailable" : "ServiceUnavailable",
        message: refused
          ? `Credentials of task ${taskArn} are not issued: ${(err as Error).message}`
          : "Credentials could not be fetched; retry.",
      });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, "credentials endpoint failed");
      if (!res.headersSent) answer(res, 500, { code: "ServerError", message: "internal error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const endpoint = `http://${host}:${port}`;
  log.info({ endpoint }, "container credentials endpoint listening");
  return {
    endpoint,
    idFor,
    adopt,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
