import { clusterNotFound } from "../../../shared/domain/errors.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import { mergeTags, validateTagKeys, validateTags } from "../../../shared/domain/tags/tag.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { CapacityProviderState } from "../capacityProviders/capacityProviderState.js";
import type { ClusterState } from "../clusters/clusterState.js";
import type { FamilyState } from "../taskDefinitions/familyState.js";
import { resourceNotFound, type TaggableResource } from "./taggableResource.js";
import type { TaggedServiceState } from "./taggedService.js";

/** The folded stream a taggable resource lives on. */
export type TaggableState = ClusterState | FamilyState | TaggedServiceState | CapacityProviderState;

export type TaggingCommand =
  | { readonly op: "tag"; readonly resourceArn: string; readonly tags: readonly Tag[] }
  | { readonly op: "untag"; readonly resourceArn: string; readonly tagKeys: readonly string[] };

/** The resource's current tags, or a not-found error when it is gone. */
const currentTags = (resource: TaggableResource, state: TaggableState): readonly Tag[] => {
  switch (resource.kind) {
    case "cluster": {
      const s = state as ClusterState;
      if (s.status !== "ACTIVE") throw clusterNotFound();
      return s.tags;
    }
    case "taskDefinition": {
      const revision = (state as FamilyState).revisions.get(resource.revision);
      if (!revision) throw resourceNotFound();
      return revision.tags;
    }
    case "service": {
      // ACTIVE or DRAINING (deleted, stopping its tasks) services keep their tags.
      const s = state as TaggedServiceState;
      if (s.service.status === "NONE" || s.service.status === "INACTIVE") throw resourceNotFound();
      return s.tags;
    }
    case "capacityProvider": {
      const s = state as CapacityProviderState;
      if (s.status !== "ACTIVE") throw resourceNotFound();
      return s.tags;
    }
    default: {
      const _exhaustive: never = resource;
      throw resourceNotFound();
    }
  }
};

/** TagResource / UntagResource on the resource's own stream; at most 50 tags in all. */
export const decideTagging = (
  command: TaggingCommand,
  resource: TaggableResource,
  state: TaggableState,
): DomainEvent[] => {
  const existing = currentTags(resource, state);
  const clusterName =
    resource.kind === "taskDefinition" || resource.kind === "capacityProvider"
      ? {}
      : { clusterName: resource.clusterName };
  if (command.op === "tag") {
    validateTags(command.tags);
    validateTags(mergeTags(existing, command.tags), "tags (existing and new)");
    if (command.tags.length === 0) return [];
    return [
      {
        type: "ResourceTagged",
        data: {
          resourceArn: command.resourceArn,
          ...clusterName,
          tags: command.tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
        },
      },
    ];
  }
  validateTagKeys(command.tagKeys);
  const present = [...new Set(command.tagKeys)].filter((k) => existing.some((t) => t.key === k));
  if (present.length === 0) return [];
  return [
    {
      type: "ResourceUntagged",
      data: { resourceArn: command.resourceArn, ...clusterName, tagKeys: present },
    },
  ];
};
