import { access, mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../../shared/log/index.js";
import {
  cgroupV1Files,
  cgroupV2Files,
  oomKillsIn,
  v1OomEvidence,
  type TaskLimits,
} from "../tasks/taskLimits.js";

/**
 * Task cgroups (I/O): one cgroup per task with task-level cpu/memory, created by the agent
 * before the task's first container, its limits written, and given to every container of
 * the task (the pause container too) as Docker's CgroupParent, so the kernel enforces the
 * limits on the whole task. For Docker's cgroupfs driver, on cgroup v1 (memory and cpu
 * hierarchies) or v2 (the unified one). Where the agent cannot write cgroups (inside a
 * container, the systemd driver, a read-only /sys/fs/cgroup) it says so once in the log and
 * tasks run with per-container limits only.
 */
export interface TaskCgroupsOptions {
  /** Where the cgroup hierarchies are mounted; /sys/fs/cgroup. */
  readonly root?: string;
  /** Docker's cgroup driver (`docker info`): only cgroupfs parents are paths. */
  readonly driver: string;
  readonly log: Logger;
}

type Layout = { readonly version: 1 } | { readonly version: 2 } | { readonly unusable: string };

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

export class TaskCgroups {
  private readonly root: string;
  private layout: Promise<Layout> | undefined;
  private warned = false;

  constructor(private readonly options: TaskCgroupsOptions) {
    this.root = options.root ?? "/sys/fs/cgroup";
  }

  /**
   * Creates the task's cgroup (`name`, e.g. `flotilla/<taskId>`) with its limits; returns
   * the CgroupParent for its containers, or undefined when task cgroups are unavailable.
   * Idempotent: an existing cgroup gets the limits written again.
   */
  async prepare(name: string, limits: TaskLimits): Promise<string | undefined> {
    const layout = await this.detect();
    if ("unusable" in layout) {
      this.degrade(layout.unusable);
      return undefined;
    }
    try {
      if (layout.version === 1) {
        for (const controller of ["memory", "cpu"] as const) {
          await mkdir(join(this.root, controller, name), { recursive: true });
        }
        for (const { controller, file, value } of cgroupV1Files(limits)) {
          await this.write(join(this.root, controller, name, file), value, file.includes("memsw"));
        }
      } else {
        await this.enableV2Controllers(name);
        for (const { file, value } of cgroupV2Files(limits)) {
          await this.write(join(this.root, name, file), value, file === "memory.swap.max");
        }
      }
    } catch (err) {
      this.degrade(`cannot write the task cgroup ${name}: ${messageOf(err)}`);
      return undefined;
    }
    return `/${name}`;
  }

  /**
   * OOM kills in the task's cgroup so far (v1: at least 1 when it shows the kernel OOM-killed
   * inside it, see v1OomEvidence); 0 when it has none or cannot be read.
   */
  async oomKills(name: string): Promise<number> {
    const layout = await this.detect();
    if ("unusable" in layout) return 0;
    try {
      if (layout.version === 2) {
        return oomKillsIn(await readFile(join(this.root, name, "memory.events"), "utf8"));
      }
      const dir = join(this.root, "memory", name);
      const read = (file: string) => readFile(join(dir, file), "utf8");
      return v1OomEvidence({
        oomControl: await read("memory.oom_control"),
        maxUsageBytes: await read("memory.max_usage_in_bytes"),
        limitBytes: await read("memory.limit_in_bytes"),
      });
    } catch {
      return 0;
    }
  }

  /** Removes the task's cgroup once its containers are gone; a missing one is not an error. */
  async remove(name: string): Promise<void> {
    const layout = await this.detect();
    if ("unusable" in layout) return;
    // v1: runc made the task's directory in every hierarchy it put a container in.
    const dirs =
      layout.version === 1
        ? (await readdir(this.root)).map((hierarchy) => join(this.root, hierarchy, name))
        : [join(this.root, name)];
    for (const dir of dirs) {
      try {
        await rmdir(dir);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "ENOTDIR") throw err;
      }
    }
  }

  private detect(): Promise<Layout> {
    this.layout ??= (async (): Promise<Layout> => {
      if (this.options.driver !== "cgroupfs") {
        return { unusable: `Docker's cgroup driver is ${this.options.driver}, not cgroupfs` };
      }
      if (await exists(join(this.root, "cgroup.controllers"))) return { version: 2 };
      if (await exists(join(this.root, "memory", "memory.limit_in_bytes"))) return { version: 1 };
      return { unusable: `no cgroup v1 or v2 hierarchy at ${this.root}` };
    })();
    return this.layout;
  }

  /** v2: memory and cpu must be enabled in every ancestor's subtree_control. */
  private async enableV2Controllers(name: string): Promise<void> {
    const parts = name.split("/").filter((p) => p !== "");
    let dir = this.root;
    for (const part of parts) {
      await writeFile(join(dir, "cgroup.subtree_control"), "+memory +cpu").catch((err: unknown) => {
        // Already enabled is fine; anything else shows when the limits are written.
        this.options.log.debug({ err, dir }, "enabling cgroup controllers");
      });
      dir = join(dir, part);
      await mkdir(dir, { recursive: true });
    }
  }

  private async write(path: string, value: string, optional: boolean): Promise<void> {
    try {
      await writeFile(path, value);
    } catch (err) {
      // memsw / swap.max exist only with swap accounting: without it there is no swap to limit.
      if (optional && (err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
  }

  private degrade(why: string): void {
    if (this.warned) return;
    this.warned = true;
    this.options.log.warn(
      { cgroupRoot: this.root },
      `task-level cpu/memory limits are not enforced on whole tasks (${why}); each container keeps the task's memory as its own limit`,
    );
  }
}
