import { z } from "zod";
import { EcsError } from "../../../shared/domain/errors.js";
import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import {
  Resource,
  capacityFromResources,
  type Capacity,
} from "../../../shared/domain/resources.js";
import { Tag, validateTags } from "../../../shared/domain/tags/tag.js";
import { Attribute, VersionInfo } from "../../../shared/events/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { isRegistered, type InstanceState } from "./instanceState.js";

/** What a host registers with (the ECS request, with the identity document parsed). */
export const InstanceRegistration = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  ec2InstanceId: z.string(),
  availabilityZone: z.string().optional(),
  instanceType: z.string().optional(),
  totalResources: z.array(Resource),
  attributes: z.array(Attribute),
  versionInfo: VersionInfo,
  tags: z.array(Tag),
});
export type InstanceRegistration = z.infer<typeof InstanceRegistration>;

const sorted = (ports: readonly number[]) => [...ports].sort((a, b) => a - b);
const sameCapacity = (a: Capacity, b: Capacity): boolean =>
  canonicalJson({ ...a, tcpPorts: sorted(a.tcpPorts), udpPorts: sorted(a.udpPorts) }) ===
  canonicalJson({ ...b, tcpPorts: sorted(b.tcpPorts), udpPorts: sorted(b.udpPorts) });

/**
 * RegisterContainerInstance. A new or INACTIVE instance becomes ACTIVE; an
 * ACTIVE or DRAINING one that registers again (an agent restart) is recorded
 * again only when its resources or zone changed (attributes and versions ride
 * along then), and keeps its status: a DRAINING instance stays DRAINING.
 */
export const decideRegisterContainerInstance = (
  reg: InstanceRegistration,
  state: InstanceState,
  ctx: DecisionContext,
): DomainEvent[] => {
  const capacity = capacityFromResources(reg.totalResources);
  if (capacity.cpu <= 0 || capacity.memory <= 0) {
    throw new EcsError(
      "InvalidParameterException",
      "totalResources: CPU and MEMORY must be registered as positive integers.",
    );
  }
  validateTags(reg.tags);
  const attributes = [...reg.attributes];
  const setAttribute = (name: string, value: string | undefined) => {
    if (value === undefined || attributes.some((a) => a.name === name)) return;
    attributes.push({ name, value });
  };
  setAttribute("ecs.availability-zone", reg.availabilityZone);
  setAttribute("ecs.instance-type", reg.instanceType);
  if (
    isRegistered(state.status) &&
    sameCapacity(state.registered, capacity) &&
    state.availabilityZone === reg.availabilityZone
  ) {
    // Re-registration of an unchanged host: nothing new to record.
    return state.agentConnected
      ? []
      : [
          {
            type: "ContainerInstanceConnectivityChanged",
            data: {
              clusterName: reg.clusterName,
              containerInstanceArn: reg.containerInstanceArn,
              agentConnected: true,
              at: ctx.now.getTime() / 1000,
            },
          },
        ];
  }
  return [
    {
      type: "ContainerInstanceRegistered",
      data: {
        clusterName: reg.clusterName,
        containerInstanceArn: reg.containerInstanceArn,
        ec2InstanceId: reg.ec2InstanceId,
        ...(reg.availabilityZone === undefined ? {} : { availabilityZone: reg.availabilityZone }),
        registeredResources: reg.totalResources,
        attributes: attributes.map((a) => ({
          name: a.name,
          ...(a.value === undefined ? {} : { value: a.value }),
        })),
        versionInfo: reg.versionInfo,
        tags: reg.tags,
        registeredAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};
