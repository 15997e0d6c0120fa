import type { DigestEntry } from "./digestEntries.js";
import type { TamperProblem } from "./tamperProblem.js";

/**
 * Compares what a signed digest lists with the rows now in its range (both in
 * log order) and locates every difference: a signed row that is gone
 * (removed), a row the digest does not list (inserted), a row whose stream,
 * version or hash differs (changed), and rows that are all there but in
 * another order (reordered, reported at the first out-of-place row).
 */
export const compareDigestEntries = (
  digest: number,
  signed: readonly DigestEntry[],
  actual: readonly DigestEntry[],
): TamperProblem[] => {
  const problems: TamperProblem[] = [];
  const where = (e: DigestEntry) => ({
    source: "digest" as const,
    digest,
    position: e.position,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
  });
  const signedAt = new Map(signed.map((e) => [e.position, e]));
  const actualAt = new Map(actual.map((e) => [e.position, e]));
  for (const s of signed) {
    const a = actualAt.get(s.position);
    if (a === undefined) {
      problems.push({ kind: "removed", ...where(s), detail: "signed row is gone" });
    } else if (a.streamId !== s.streamId || a.streamVersion !== s.streamVersion) {
      problems.push({
        kind: "changed",
        ...where(a),
        detail: `signed as stream ${s.streamId} v${s.streamVersion}`,
      });
    } else if (a.hash !== s.hash) {
      problems.push({ kind: "changed", ...where(a), detail: "hash differs from the signed hash" });
    }
  }
  for (const a of actual) {
    if (!signedAt.has(a.position)) {
      problems.push({ kind: "inserted", ...where(a), detail: "row not in the signed digest" });
    }
  }
  const signedOrder = signed.filter((e) => actualAt.has(e.position)).map((e) => e.position);
  const actualOrder = actual.filter((e) => signedAt.has(e.position)).map((e) => e.position);
  const first = signedOrder.findIndex((p, i) => actualOrder[i] !== p);
  if (first >= 0) {
    const moved = actualAt.get(actualOrder[first]!)!;
    problems.push({
      kind: "reordered",
      ...where(moved),
      detail: `signed order has position ${signedOrder[first]} here`,
    });
  }
  return problems;
};
