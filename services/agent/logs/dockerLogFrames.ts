import type { LogLine } from "../runtime/containerRuntime.js";

/**
 * RFC 3339 with nanoseconds (`2026-11-27T00:31:02.123456789Z`, Docker's
 * `timestamps=true` prefix) → nanoseconds since the epoch; undefined when it is not one.
 */
export const parseEngineTimestamp = (text: string): bigint | undefined => {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3] === "Z" ? "Z" : m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = BigInt((m[2] ?? "").padEnd(9, "0"));
  return BigInt(seconds) * 1_000_000n + fraction;
};

/** `ns` as Docker's `since` parameter: `<seconds>.<nanoseconds>`. */
export const engineSince = (ns: bigint): string =>
  `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, "0")}`;

/** A time-stamped line (`<timestamp> <message>`) → a LogLine; an unstamped one gets `fallbackNs`. */
export const toLogLine = (stream: LogLine["stream"], text: string, fallbackNs: bigint): LogLine => {
  const space = text.indexOf(" ");
  const stamp = space === -1 ? undefined : parseEngineTimestamp(text.slice(0, space));
  const raw = stamp === undefined ? text : text.slice(space + 1);
  const message = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  return { stream, timeNs: stamp ?? fallbackNs, message };
};

/**
 * Splits Docker's log stream into lines (PURE state machine, fed chunk by
 * chunk). Without a TTY the stream is multiplexed: frames of an 8-byte header
 * (stream type 1 = stdout, 2 = stderr; payload length, big-endian) and the
 * payload; with a TTY it is raw stdout. Each stream keeps its own unfinished line.
 */
export class DockerLogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  /** Each stream's unfinished line, as bytes: a character may be split across frames. */
  private readonly partial: Record<LogLine["stream"], Buffer> = {
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
  };

  constructor(private readonly multiplexed: boolean) {}

  /** The complete lines (without their newline) this chunk finished, in order. */
  push(chunk: Buffer): { stream: LogLine["stream"]; text: string }[] {
    const out: { stream: LogLine["stream"]; text: string }[] = [];
    if (!this.multiplexed) {
      this.append("stdout", chunk, out);
      return out;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= 8) {
      const type = this.pending[offset]!;
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - 8 < size) break;
      const payload = this.pending.subarray(offset + 8, offset + 8 + size);
      offset += 8 + size;
      if (type === 1 || type === 2) this.append(type === 1 ? "stdout" : "stderr", payload, out);
    }
    this.pending = this.pending.subarray(offset);
    return out;
  }

  /** What is left unfinished when the stream ends, as lines. */
  end(): { stream: LogLine["stream"]; text: string }[] {
    const out: { stream: LogLine["stream"]; text: string }[] = [];
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream].length > 0) {
        out.push({ stream, text: this.partial[stream].toString("utf8") });
      }
      this.partial[stream] = Buffer.alloc(0);
    }
    return out;
  }

  private append(
    stream: LogLine["stream"],
    bytes: Buffer,
    out: { stream: LogLine["stream"]; text: string }[],
  ): void {
    let rest =
      this.partial[stream].length === 0 ? bytes : Buffer.concat([this.partial[stream], bytes]);
    for (let nl = rest.indexOf(0x0a); nl !== -1; nl = rest.indexOf(0x0a)) {
      out.push({ stream, text: rest.subarray(0, nl).toString("utf8") });
      rest = rest.subarray(nl + 1);
    }
    this.partial[stream] = Buffer.from(rest);
  }
}
