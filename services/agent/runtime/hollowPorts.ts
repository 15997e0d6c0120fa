/**
 * The host ports of one hollow host. A port is taken per protocol, whatever the host
 * address (stricter than Docker, which lets 127.0.0.1:80 and 127.0.0.2:80 coexist;
 * Flotilla binds everything to one address). Dynamic ports are handed out round-robin
 * from a range, as Docker's allocator does from 32768–60999, skipping taken ones.
 */
export class HollowPortPool {
  private readonly taken = new Set<string>();
  private cursor: number;

  constructor(
    readonly min = 32768,
    readonly max = 60999,
  ) {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
      throw new RangeError(`invalid port range ${min}-${max}`);
    }
    this.cursor = min;
  }

  /** Ports in use now. */
  get size(): number {
    return this.taken.size;
  }

  isTaken(protocol: string, port: number): boolean {
    return this.taken.has(key(protocol, port));
  }

  /** Takes a fixed port; false when it is already taken. */
  take(protocol: string, port: number): boolean {
    const k = key(protocol, port);
    if (this.taken.has(k)) return false;
    this.taken.add(k);
    return true;
  }

  /** Takes the next free port of the range; undefined when all are taken. */
  takeDynamic(protocol: string): number | undefined {
    const span = this.max - this.min + 1;
    for (let i = 0; i < span; i++) {
      const port = this.cursor;
      this.cursor = port === this.max ? this.min : port + 1;
      if (this.take(protocol, port)) return port;
    }
    return undefined;
  }

  release(protocol: string, port: number): void {
    this.taken.delete(key(protocol, port));
  }
}

const key = (protocol: string, port: number): string => `${protocol}/${port}`;
