/** Past events for the scheduler's given / when / then tests, built the way the deciders build them. */
import { clusterArn, taskDefinitionArn } from "../../../shared/domain/arn.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import {
  buildTaskDefinition,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { ctx, NOW_EPOCH_SECONDS, NOW_ISO } from "./givenWhenThen.js";

export const ACCOUNT = ctx.arn.accountId;
export const REGION = ctx.arn.region;
export const PRINCIPAL_ARN = `arn:aws:iam::${ACCOUNT}:user/${ctx.actor}`;

export const arnOfCluster = (name: string): string => clusterArn(ctx.arn, name);
export const arnOfRevision = (family: string, revision: number): string =>
  taskDefinitionArn(ctx.arn, family, revision);

export const clusterCreated = (name = "demo", tags: readonly Tag[] = []): DomainEvent => ({
  type: "ClusterCreated",
  data: {
    clusterName: name,
    clusterArn: arnOfCluster(name),
    settings: [{ name: "containerInsights", value: "disabled" }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
    tags: tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
    createdAt: "2025-12-01T00:00:00.000Z",
  },
});

export const clusterDeleted = (name = "demo"): DomainEvent => ({
  type: "ClusterDeleted",
  data: { clusterName: name, clusterArn: arnOfCluster(name), deletedAt: NOW_ISO },
});

/** A valid EC2 task definition request with one container. */
export const taskDefinitionInput = (
  overrides: Partial<RegisterTaskDefinitionInput> = {},
): RegisterTaskDefinitionInput => ({
  family: "web",
  containerDefinitions: [{ name: "web", image: "nginx:1.27", memory: 512 }],
  ...overrides,
});

export const taskDefinitionRegistered = (
  family: string,
  revision: number,
  tags: readonly Tag[] = [],
): DomainEvent => {
  const arn = arnOfRevision(family, revision);
  return {
    type: "TaskDefinitionRegistered",
    data: {
      family,
      revision,
      taskDefinitionArn: arn,
      taskDefinition: buildTaskDefinition(taskDefinitionInput({ family }), {
        arn,
        revision,
        registeredAt: NOW_EPOCH_SECONDS - 3600,
        registeredBy: PRINCIPAL_ARN,
      }),
      tags: tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
    },
  };
};

export const taskDefinitionDeregistered = (family: string, revision: number): DomainEvent => ({
  type: "TaskDefinitionDeregistered",
  data: {
    family,
    revision,
    taskDefinitionArn: arnOfRevision(family, revision),
    deregisteredAt: NOW_EPOCH_SECONDS - 60,
  },
});

export const resourceTagged = (
  resourceArn: string,
  tags: readonly Tag[],
  clusterName?: string,
): DomainEvent => ({
  type: "ResourceTagged",
  data: {
    resourceArn,
    ...(clusterName === undefined ? {} : { clusterName }),
    tags: tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
  },
});

export const resourceUntagged = (
  resourceArn: string,
  tagKeys: readonly string[],
  clusterName?: string,
): DomainEvent => ({
  type: "ResourceUntagged",
  data: {
    resourceArn,
    ...(clusterName === undefined ? {} : { clusterName }),
    tagKeys: [...tagKeys],
  },
});

/** `count` distinct tags `k0=v0`, `k1=v1`, … */
export const manyTags = (count: number, prefix = "k"): Tag[] =>
  Array.from({ length: count }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));
