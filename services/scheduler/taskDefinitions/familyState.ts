import type { Tag } from "../../../shared/domain/tags/tag.js";
import { mergeTags } from "../../../shared/domain/tags/tag.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

export interface RevisionState {
  readonly arn: string;
  readonly status: "ACTIVE" | "INACTIVE";
  readonly tags: readonly Tag[];
}

/** A task definition family: its revisions, numbered from 1, never reused. */
export interface FamilyState {
  readonly latestRevision: number;
  readonly revisions: ReadonlyMap<number, RevisionState>;
}

const revisionOfArn = (arn: string): number => Number(arn.slice(arn.lastIndexOf(":") + 1));

const withRevision = (
  state: FamilyState,
  revision: number,
  change: (r: RevisionState) => RevisionState,
): FamilyState => {
  const current = state.revisions.get(revision);
  if (!current) return state;
  const revisions = new Map(state.revisions);
  revisions.set(revision, change(current));
  return { ...state, revisions };
};

const isFamilyEvent = eventsOfTypes(
  "TaskDefinitionRegistered",
  "TaskDefinitionDeregistered",
  "ResourceTagged",
  "ResourceUntagged",
);

export const familyAggregate: Aggregate<FamilyState> = {
  initialState: { latestRevision: 0, revisions: new Map() },
  evolve(state, event: DomainEvent): FamilyState {
    if (!isFamilyEvent(event)) return state;
    switch (event.type) {
      case "TaskDefinitionRegistered": {
        const revisions = new Map(state.revisions);
        revisions.set(event.data.revision, {
          arn: event.data.taskDefinitionArn,
          status: "ACTIVE",
          tags: event.data.tags,
        });
        return { latestRevision: Math.max(state.latestRevision, event.data.revision), revisions };
      }
      case "TaskDefinitionDeregistered":
        return withRevision(state, event.data.revision, (r) => ({ ...r, status: "INACTIVE" }));
      case "ResourceTagged":
        return withRevision(state, revisionOfArn(event.data.resourceArn), (r) => ({
          ...r,
          tags: mergeTags(r.tags, event.data.tags),
        }));
      case "ResourceUntagged":
        return withRevision(state, revisionOfArn(event.data.resourceArn), (r) => ({
          ...r,
          tags: r.tags.filter((t) => !event.data.tagKeys.includes(t.key)),
        }));
      default: {
        // Compile time: every known type is handled above. Run time: a type this
        // version does not know (written by a newer one) leaves the state alone.
        const _unknown: never = event;
        return state;
      }
    }
  },
};
