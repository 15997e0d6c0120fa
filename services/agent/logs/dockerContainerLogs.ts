import type Docker from "dockerode";
import type { LogLine, LogReadOptions } from "../runtime/containerRuntime.js";
import { DockerLogDemuxer, engineSince, toLogLine } from "./dockerLogFrames.js";

/**
 * A container's log lines from the Docker engine (`GET /containers/{id}/logs`
 * with timestamps, stdout and stderr, following): the engine reads them from
 * its own log file, so a slow reader never blocks the container. Ends when the
 * container stops (when following) or the signal aborts; a missing container ends at once.
 */
export async function* dockerContainerLogs(
  docker: Docker,
  id: string,
  options: LogReadOptions,
): AsyncIterable<LogLine> {
  const container = docker.getContainer(id);
  let tty: boolean;
  try {
    tty = Boolean(((await container.inspect()) as { Config?: { Tty?: boolean } }).Config?.Tty);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return;
    throw err;
  }
  const query = {
    stdout: true,
    stderr: true,
    timestamps: true,
    ...(options.sinceNs === undefined ? {} : { since: engineSince(options.sinceNs) }),
    abortSignal: options.signal,
  };
  let stream: NodeJS.ReadableStream;
  try {
    stream = options.follow
      ? await container.logs({ ...query, follow: true })
      : ((await container.logs({ ...query, follow: false })) as unknown as NodeJS.ReadableStream);
  } catch (err) {
    if (options.signal.aborted || (err as { statusCode?: number }).statusCode === 404) return;
    throw err;
  }
  const demux = new DockerLogDemuxer(!tty);
  const now = () => BigInt(Date.now()) * 1_000_000n;
  if (Buffer.isBuffer(stream)) {
    // Without follow the engine answers with the whole log at once.
    for (const l of [...demux.push(stream), ...demux.end()])
      yield toLogLine(l.stream, l.text, now());
    return;
  }
  const readable = stream as NodeJS.ReadableStream & { destroy(): void };
  const onAbort = () => readable.destroy();
  options.signal.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of readable) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      for (const l of demux.push(bytes)) yield toLogLine(l.stream, l.text, now());
    }
    for (const l of demux.end()) yield toLogLine(l.stream, l.text, now());
  } catch (err) {
    if (options.signal.aborted) return;
    throw err;
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    readable.destroy();
  }
}
