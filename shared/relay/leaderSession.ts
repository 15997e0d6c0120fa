import pg from "pg";

/** The leader's Postgres session ended; whatever it was doing must stop. */
export class LeadershipLostError extends Error {
  override readonly name = "LeadershipLostError";
  readonly retryable = true;
}

/**
 * One dedicated Postgres connection that holds a session-level advisory lock.
 * Holding the lock is being the leader; Postgres releases it the moment the
 * session ends (crash, kill, network loss, `pg_terminate_backend`), and from
 * then on `lost` is true and every query on the session fails. The leader
 * therefore runs its checkpoint writes on this same session: a leader that
 * lost its lock can no longer move the checkpoint.
 */
export class LeaderSession {
  private lostReason: unknown;
  private closing = false;
  private readonly lostListeners = new Set<() => void>();

  private constructor(private readonly client: pg.Client) {
    client.on("error", (err) => this.markLost(err));
    client.on("end", () => this.markLost(new Error("session ended")));
  }

  static async open(connectionString: string, applicationName: string): Promise<LeaderSession> {
    const client = new pg.Client({
      connectionString,
      application_name: applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
    });
    const session = new LeaderSession(client);
    try {
      await client.connect();
    } catch (err) {
      session.closing = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    return session;
  }

  get lost(): boolean {
    return this.lostReason !== undefined;
  }

  /** Runs `fn` once when the session is lost (immediately if it already is). */
  onLost(fn: () => void): void {
    if (this.lost) fn();
    else this.lostListeners.add(fn);
  }

  assertAlive(): void {
    if (this.lost) {
      throw new LeadershipLostError("leader session lost", { cause: this.lostReason });
    }
  }

  /** The connection, for queries that must run inside the lock's session. */
  get connection(): pg.ClientBase {
    this.assertAlive();
    return this.client;
  }

  /** Tries once to take the lock named by `key`; true when this session now holds it. */
  async tryLock(key: string): Promise<boolean> {
    const result = await this.connection.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
      [key],
    );
    return result.rows[0]?.locked === true;
  }

  async listen(channel: string, onNotify: () => void): Promise<void> {
    this.client.on("notification", (n) => {
      if (n.channel === channel) onNotify();
    });
    await this.connection.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  }

  /** A round trip, to notice a dead session while there is nothing else to do. */
  async ping(): Promise<void> {
    await this.connection.query("SELECT 1");
  }

  /** Ends the session, which releases its locks. */
  async close(): Promise<void> {
    this.closing = true;
    await this.client.end().catch(() => undefined);
  }

  private markLost(reason: unknown): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = this.closing ? new Error("session closed") : reason;
    if (this.closing) return;
    const listeners = [...this.lostListeners];
    this.lostListeners.clear();
    for (const fn of listeners) fn();
  }
}
