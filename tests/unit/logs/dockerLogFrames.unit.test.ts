import { describe, expect, it } from "vitest";
import {
  DockerLogDemuxer,
  engineSince,
  parseEngineTimestamp,
  toLogLine,
} from "../../../services/agent/logs/dockerLogFrames.js";

const frame = (type: number, text: string | Buffer): Buffer => {
  const payload = typeof text === "string" ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("Docker's log stream", () => {
  it("parses the engine's nanosecond time stamps", () => {
    expect(parseEngineTimestamp("2026-11-27T00:31:02.123456789Z")).toBe(
      BigInt(Date.UTC(2026, 10, 27, 0, 31, 2)) * 1_000_000n + 123_456_789n,
    );
    expect(parseEngineTimestamp("2026-11-27T00:31:02.5Z")).toBe(
      BigInt(Date.UTC(2026, 10, 27, 0, 31, 2)) * 1_000_000n + 500_000_000n,
    );
    expect(parseEngineTimestamp("nonsense")).toBeUndefined();
    expect(engineSince(1_700_000_000_000_000_123n)).toBe("1700000000.000000123");
  });

  it("demultiplexes stdout and stderr frames into lines in order, across chunk boundaries", () => {
    const demux = new DockerLogDemuxer(true);
    const bytes = Buffer.concat([
      frame(1, "2026-11-27T00:00:00.000000001Z one\n"),
      frame(2, "2026-11-27T00:00:00.000000002Z two\n2026-11-27T00:00:00.000000003Z thr"),
      frame(2, "ee\n"),
      frame(1, Buffer.from("2026-11-27T00:00:00.000000004Z \u00e9t\u00e9\n")),
    ]);
    const lines = [];
    for (let i = 0; i < bytes.length; i += 5) lines.push(...demux.push(bytes.subarray(i, i + 5)));
    lines.push(...demux.end());
    const parsed = lines.map((l) => toLogLine(l.stream, l.text, 0n));
    expect(parsed.map((l) => [l.stream, l.message])).toEqual([
      ["stdout", "one"],
      ["stderr", "two"],
      ["stderr", "three"],
      ["stdout", "été"],
    ]);
    expect(parsed.map((l) => l.timeNs % 10n)).toEqual([1n, 2n, 3n, 4n]);
  });

  it("reads a TTY's raw stream as stdout, and keeps an unfinished last line", () => {
    const demux = new DockerLogDemuxer(false);
    const lines = [
      ...demux.push(Buffer.from("2026-11-27T00:00:00Z a\r\n2026-11-27T00:00:01Z b")),
      ...demux.end(),
    ].map((l) => toLogLine(l.stream, l.text, 7n));
    expect(lines.map((l) => [l.stream, l.message])).toEqual([
      ["stdout", "a"],
      ["stdout", "b"],
    ]);
  });
});
