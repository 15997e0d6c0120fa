import { createHash } from "node:crypto";
import type { TaskAttachment, TaskStatus } from "../../../shared/events/index.js";
import { taskNetworkName } from "./labels.js";

/**
 * An awsvpc task's network namespace and address, reported as ECS reports the task's ENI
 * (docs/fargate.md, "Task networking"). PURE. The ids are derived from the task ARN, so
 * every report of a task (and every agent that adopts it) names the same interface.
 */

const hex = (text: string, length: number): string =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

/** A UUID-shaped id, stable for the task: the attachment's `id`. */
export const attachmentIdOf = (taskArn: string): string => {
  const h = hex(`${taskArn}/attachment`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** `eni-` + 17 hex digits, as EC2 spells an ENI id. */
export const networkInterfaceIdOf = (taskArn: string): string => `eni-${hex(`${taskArn}/eni`, 17)}`;

/** `subnet-` + 17 hex digits: each awsvpc task has a network (a subnet) of its own. */
export const subnetIdOf = (taskArn: string): string =>
  `subnet-${hex(taskNetworkName(taskArn), 17)}`;

/** EC2's private DNS name of an address: `ip-10-0-0-5.ec2.internal` in us-east-1. */
export const privateDnsNameOf = (ip: string, region: string): string => {
  const host = `ip-${ip.replace(/[.:]/g, "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
};

/** ECS's attachment status for a task status: DELETED once stopped, ATTACHED once addressed. */
export const attachmentStatusOf = (
  status: TaskStatus,
  ip: string | undefined,
): TaskAttachment["status"] =>
  status === "STOPPED" ? "DELETED" : ip === undefined ? "PRECREATED" : "ATTACHED";

export interface EniAddress {
  readonly privateIPv4Address: string;
  readonly macAddress?: string;
}

/** The task's ENI attachment: details as ECS lists them, the address ones once known. */
export const eniAttachment = (
  taskArn: string,
  status: TaskStatus,
  address: EniAddress | undefined,
  region: string,
): TaskAttachment => ({
  id: attachmentIdOf(taskArn),
  type: "ElasticNetworkInterface",
  status: attachmentStatusOf(status, address?.privateIPv4Address),
  details: [
    { name: "subnetId", value: subnetIdOf(taskArn) },
    { name: "networkInterfaceId", value: networkInterfaceIdOf(taskArn) },
    ...(address?.macAddress !== undefined
      ? [{ name: "macAddress", value: address.macAddress }]
      : []),
    ...(address !== undefined
      ? [
          {
            name: "privateDnsName",
            value: privateDnsNameOf(address.privateIPv4Address, region),
          },
          { name: "privateIPv4Address", value: address.privateIPv4Address },
        ]
      : []),
  ],
});
