import { EcsError } from "../../../../shared/domain/errors.js";
import type { PlacementStrategy } from "../types.js";
import { binpack } from "./binpack.js";
import { random } from "./random.js";
import { spread } from "./spread.js";
import type { RankingStrategy } from "./strategy.js";

export type {
  BoardContext,
  RankingStrategy,
  ScoreBoard,
  StopCandidate,
  StrategyContext,
} from "./strategy.js";

/**
 * A service's default when it names no strategy: spread over availability
 * zones (ECS's documented default), ties broken by spreading over instances
 * (the console's "AZ balanced spread"), so two instances in one zone share.
 */
export const DEFAULT_SERVICE_STRATEGIES: readonly PlacementStrategy[] = [
  { type: "spread", field: "attribute:ecs.availability-zone" },
  { type: "spread", field: "instanceId" },
];

const invalid = (index: number, why: string): EcsError =>
  new EcsError("InvalidParameterException", `placementStrategy[${index}]: ${why}`);

/** Turns an ECS PlacementStrategy into a ranking; a bad field is an InvalidParameterException. */
export const rankingOf = (s: PlacementStrategy, index = 0): RankingStrategy => {
  switch (s.type) {
    case "binpack": {
      const field = s.field?.toLowerCase();
      if (field !== "cpu" && field !== "memory") {
        throw invalid(index, `binpack needs the field cpu or memory, not '${s.field ?? ""}'.`);
      }
      return binpack(field);
    }
    case "spread": {
      const field = s.field ?? "";
      const lower = field.toLowerCase();
      if (lower === "instanceid" || lower === "host") return spread({ kind: "instanceId" });
      if (lower.startsWith("attribute:") && field.length > "attribute:".length) {
        return spread({ kind: "attribute", name: field.slice("attribute:".length) });
      }
      throw invalid(
        index,
        `spread needs the field instanceId, host or attribute:<name>, not '${field}'.`,
      );
    }
    case "random":
      return random;
    default: {
      const _exhaustive: never = s.type;
      throw invalid(index, "unknown strategy type.");
    }
  }
};

/** Lexicographic comparison of score vectors; equal vectors compare 0. */
export const compareScores = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};
