/**
 * The pause image: what an awsvpc task's pause container runs (docs/fargate.md, "Task
 * networking"). It holds the task's network namespace while the task's containers come and
 * go, and exits at once on SIGTERM. No registry is needed: the agent builds it on first need,
 * FROM scratch, from a static busybox on the host (Debian's busybox-static). PURE: the
 * build context, as a tar made in memory.
 */

/** The tag the agent builds (FLOTILLA_PAUSE_IMAGE overrides it). */
export const DEFAULT_PAUSE_IMAGE = "flotilla/pause:1";
/** Where the static busybox is read from (FLOTILLA_PAUSE_BINARY overrides it). */
export const DEFAULT_PAUSE_BINARY = "/bin/busybox";

/**
 * PID 1 ignores signals it has no handler for, so the shell traps TERM and INT; `wait` is
 * interrupted by the trap. busybox picks its applet from argv[0]: /bin/sh and /bin/sleep
 * are links to it.
 */
export const PAUSE_COMMAND: readonly string[] = [
  "/bin/sh",
  "-c",
  "trap 'exit 0' TERM INT; sleep infinity & wait",
];

export const PAUSE_DOCKERFILE = `FROM scratch
COPY bin /bin
LABEL com.flotilla.role="pause"
ENTRYPOINT ${JSON.stringify(PAUSE_COMMAND)}
`;

export type TarEntry =
  | {
      readonly type: "file";
      readonly path: string;
      readonly content: Buffer;
      readonly mode: number;
    }
  | { readonly type: "directory"; readonly path: string }
  | { readonly type: "symlink"; readonly path: string; readonly target: string };

const BLOCK = 512;

const octal = (value: number, width: number): string =>
  value.toString(8).padStart(width - 1, "0") + "\0";

/** One ustar header block. */
const header = (entry: TarEntry, size: number): Buffer => {
  const block = Buffer.alloc(BLOCK);
  const name = entry.type === "directory" ? `${entry.path.replace(/\/$/, "")}/` : entry.path;
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: path too long: ${name}`);
  block.write(name, 0, 100, "utf8");
  const mode = entry.type === "file" ? entry.mode : entry.type === "directory" ? 0o755 : 0o777;
  block.write(octal(mode, 8), 100, 8, "ascii");
  block.write(octal(0, 8), 108, 8, "ascii"); // uid
  block.write(octal(0, 8), 116, 8, "ascii"); // gid
  block.write(octal(size, 12), 124, 12, "ascii");
  block.write(octal(0, 12), 136, 12, "ascii"); // mtime: fixed, so the same input builds the same layer
  block.write("        ", 148, 8, "ascii"); // checksum placeholder: spaces
  block.write(
    entry.type === "file" ? "0" : entry.type === "directory" ? "5" : "2",
    156,
    1,
    "ascii",
  );
  if (entry.type === "symlink") block.write(entry.target, 157, 100, "utf8");
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
};

/** A ustar archive of the entries (enough for a Docker build context). */
export const tarArchive = (entries: readonly TarEntry[]): Buffer => {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === "file" ? entry.content : Buffer.alloc(0);
    parts.push(header(entry, content.length), content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // two zero blocks end the archive
  return Buffer.concat(parts);
};

/** The pause image's build context: the Dockerfile and bin/{busybox,sh,sleep}. */
export const pauseBuildContext = (busybox: Buffer): Buffer =>
  tarArchive([
    { type: "file", path: "Dockerfile", content: Buffer.from(PAUSE_DOCKERFILE), mode: 0o644 },
    { type: "directory", path: "bin" },
    { type: "file", path: "bin/busybox", content: busybox, mode: 0o755 },
    { type: "symlink", path: "bin/sh", target: "busybox" },
    { type: "symlink", path: "bin/sleep", target: "busybox" },
  ]);
