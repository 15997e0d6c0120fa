import Docker from "dockerode";

/**
 * The addresses of a task's containers on their Docker networks, or `any`
 * when one of them uses the host's network: the container credentials endpoint
 * accepts a task's requests only from there. An awsvpc task's containers join
 * its pause container's network namespace (`container:<pause>`): the pause
 * container carries the task's label too, so its address is the task's.
 * Each container is inspected (a listing can lag behind a container that has
 * just started, and its first act may be to fetch its credentials).
 */
export const dockerTaskAddresses =
  (socketPath: string) =>
  async (taskArn: string): Promise<ReadonlySet<string> | "any"> => {
    const docker = new Docker({ socketPath });
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`com.flotilla.task-arn=${taskArn}`] },
    });
    const addresses = new Set<string>();
    for (const c of containers) {
      const info = await docker
        .getContainer(c.Id)
        .inspect()
        .catch(() => undefined);
      if (!info?.State.Running) continue;
      const mode = info.HostConfig.NetworkMode ?? "";
      if (mode === "host") return "any";
      if (mode.startsWith("container:")) {
        // Its address is its namespace owner's: the task's pause container, listed here
        // too. A namespace owned by a container outside the task could be anyone's.
        const owner = mode.slice("container:".length);
        const inTask = containers.some(
          (o) => o.Id === owner || o.Id.startsWith(owner) || o.Names.includes(`/${owner}`),
        );
        if (inTask) continue;
        return "any";
      }
      for (const network of Object.values(info.NetworkSettings.Networks ?? {})) {
        if (network.IPAddress) addresses.add(network.IPAddress);
        if (network.GlobalIPv6Address) addresses.add(network.GlobalIPv6Address);
      }
    }
    return addresses;
  };
