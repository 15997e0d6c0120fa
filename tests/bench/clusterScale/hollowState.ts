import { readFile, rename, writeFile } from "node:fs/promises";
import type {
  ContainerRuntime,
  ContainerState,
} from "../../../services/agent/runtime/containerRuntime.js";

/**
 * What a hollow host's engine holds across a restart of its agent process: the
 * running containers, by the name, image and labels the agent gave them. A real
 * Docker engine outlives its agent; a hollow one lives in the agent's process, so
 * the benchmark's fleet writes this down on a graceful stop and starts the
 * containers again before its agents come back, for them to adopt by their labels.
 * The program restored is the image's default, a service that runs until stopped,
 * which is what the benchmark's tasks run.
 */
export interface HollowContainerRecord {
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One record per agent index: that hollow host's running containers. */
export type HollowFleetState = Record<number, readonly HollowContainerRecord[]>;

const recordOf = (c: ContainerState): HollowContainerRecord => ({
  name: c.name,
  image: c.image,
  labels: c.labels,
});

/** The running containers of one hollow host. */
export const runningContainers = async (
  runtime: ContainerRuntime,
): Promise<HollowContainerRecord[]> =>
  (await runtime.list({})).filter((c) => c.status === "running").map(recordOf);

/** Creates and starts each recorded container again (host ports and commands are not kept). */
export const restoreContainers = async (
  runtime: ContainerRuntime,
  records: readonly HollowContainerRecord[],
): Promise<void> => {
  for (const r of records) {
    await runtime.ensureImage(r.image);
    const id = await runtime.createContainer({
      name: r.name,
      image: r.image,
      labels: r.labels,
      environment: {},
      cpuShares: 2,
      memoryMiB: 64,
      network: { mode: "bridge" },
      portBindings: [],
      links: [],
      mounts: [],
      volumesFrom: [],
      readonlyRootFilesystem: false,
      privileged: false,
      capAdd: [],
      capDrop: [],
      init: false,
      ulimits: [],
      pidsLimit: 4096,
      stopTimeoutSeconds: 1,
      dnsServers: [],
      dnsSearchDomains: [],
      extraHosts: [],
      securityOptions: [],
    });
    await runtime.startContainer(id);
  }
};

export const readFleetState = async (file: string): Promise<HollowFleetState> => {
  try {
    return JSON.parse(await readFile(file, "utf8")) as HollowFleetState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
};

/** Written whole or not at all (a temporary file renamed over the old one). */
export const writeFleetState = async (file: string, state: HollowFleetState): Promise<void> => {
  await writeFile(`${file}.tmp`, JSON.stringify(state));
  await rename(`${file}.tmp`, file);
};
