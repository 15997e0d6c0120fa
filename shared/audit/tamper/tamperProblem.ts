/** What verify found wrong, and where. */
export type TamperKind =
  /** The row's content no longer matches its hash, or its hash differs from the signed one. */
  | "changed"
  /** A row the chain or a signed digest says existed is gone. */
  | "removed"
  /** A row no chain link or signed digest accounts for. */
  | "inserted"
  /** The rows a digest covers are all there, in another order. */
  | "reordered"
  /** A digest's signature does not verify, or names an unknown key. */
  | "digest-signature-bad"
  /** A digest does not follow the one before it (hash, range or sequence), or its entries were edited. */
  | "digest-chain-broken";

export interface TamperProblem {
  readonly kind: TamperKind;
  /** Which check found it: a stream's hash chain or a signed digest. */
  readonly source: "chain" | "digest";
  readonly position?: number;
  readonly streamId?: string;
  readonly streamVersion?: number;
  /** The digest sequence number, for digest findings. */
  readonly digest?: number;
  readonly detail: string;
}

/** One line for people: `changed  position 42  stream cluster-a v3  (chain: …)`. */
export const describeProblem = (p: TamperProblem): string =>
  [
    `${p.kind.padEnd(20)} `,
    p.position === undefined ? "" : `position ${p.position} `,
    p.streamId === undefined ? "" : `stream ${p.streamId} `,
    p.streamVersion === undefined ? "" : `v${p.streamVersion} `,
    p.digest === undefined ? "" : `digest #${p.digest} `,
    `(${p.source}: ${p.detail})`,
  ].join("");
