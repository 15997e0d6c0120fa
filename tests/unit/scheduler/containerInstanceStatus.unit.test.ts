import { describe, expect, it } from "vitest";
import {
  decideConnectivity,
  decideDeregisterContainerInstance,
} from "../../../services/scheduler/containerInstances/deregisterContainerInstance.js";
import {
  instanceAggregate,
  type InstanceState,
} from "../../../services/scheduler/containerInstances/instanceState.js";
import {
  decideRegisterContainerInstance,
  type InstanceRegistration,
} from "../../../services/scheduler/containerInstances/registerContainerInstance.js";
import {
  InstanceStatusRefused,
  decideUpdateContainerInstanceState,
} from "../../../services/scheduler/containerInstances/updateContainerInstanceState.js";
import { cannotPlace } from "../../../services/scheduler/tasks/placeTask.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { resourcesFromCapacity } from "../../../shared/domain/resources.js";
import type { SettableInstanceStatus } from "../../../shared/events/index.js";
import { deciderSpec, NOW_EPOCH_SECONDS } from "./givenWhenThen.js";
import {
  arnOfInstance,
  capacity,
  connectivityChanged,
  containerInstanceDeregistered,
  containerInstanceRegistered,
  instanceRegistration,
  statusChanged,
  taskPlaced,
} from "./schedulerFixtures.js";

/** UpdateContainerInstancesState for one instance; the command is the status asked for. */
const update = deciderSpec<SettableInstanceStatus, InstanceState>(
  instanceAggregate,
  decideUpdateContainerInstanceState,
);
const register = deciderSpec<InstanceRegistration, InstanceState>(
  instanceAggregate,
  decideRegisterContainerInstance,
);
const deregister = deciderSpec<boolean, InstanceState>(
  instanceAggregate,
  decideDeregisterContainerInstance,
);
const connectivity = deciderSpec<boolean, InstanceState>(instanceAggregate, decideConnectivity);

const changedTo = (status: SettableInstanceStatus) => ({
  type: "ContainerInstanceStatusChanged" as const,
  data: {
    clusterName: "demo",
    containerInstanceArn: arnOfInstance(),
    status,
    at: NOW_EPOCH_SECONDS,
  },
});

describe("UpdateContainerInstancesState", () => {
  it("given an ACTIVE instance, DRAINING records the change", () => {
    update
      .given([containerInstanceRegistered()])
      .when("DRAINING")
      .then([changedTo("DRAINING")]);
  });

  it("the instance is then DRAINING, its tasks still reserved on it", () => {
    const state = update
      .given([containerInstanceRegistered(), taskPlaced("t1", capacity(256, 512))])
      .when("DRAINING")
      .thenState();
    expect(state.status).toBe("DRAINING");
    expect([...state.tasks.keys()]).toHaveLength(1);
  });

  it("given a DRAINING instance, ACTIVE brings it back", () => {
    const state = update
      .given([containerInstanceRegistered(), statusChanged("DRAINING")])
      .when("ACTIVE");
    state.then([changedTo("ACTIVE")]);
    expect(state.thenState().status).toBe("ACTIVE");
  });

  it("asking for the status the instance already has changes nothing", () => {
    update.given([containerInstanceRegistered()]).when("ACTIVE").thenNothing();
    update
      .given([containerInstanceRegistered(), statusChanged("DRAINING")])
      .when("DRAINING")
      .thenNothing();
  });

  it("an instance never registered is refused as MISSING", () => {
    const error = update
      .given([])
      .when("DRAINING")
      .thenThrows("InvalidParameterException", "The referenced container instance was not found.");
    expect(error).toBeInstanceOf(InstanceStatusRefused);
    expect((error as InstanceStatusRefused).reason).toBe("MISSING");
  });

  it("a deregistered instance is refused as INACTIVE", () => {
    const error = update
      .given([containerInstanceRegistered(), containerInstanceDeregistered()])
      .when("ACTIVE")
      .thenThrows("InvalidParameterException", /INACTIVE/);
    expect((error as InstanceStatusRefused).reason).toBe("INACTIVE");
  });
});

describe("a DRAINING instance", () => {
  const draining = [containerInstanceRegistered(), statusChanged("DRAINING")];

  it("takes no new tasks", () => {
    const state = fold(instanceAggregate, draining);
    expect(cannotPlace(capacity(1, 1), state)).toBe("is not ACTIVE");
  });

  it("stays DRAINING when its agent registers again unchanged (nothing recorded)", () => {
    register.given(draining).when(instanceRegistration()).thenNothing();
  });

  it("stays DRAINING when it registers again with changed resources", () => {
    const state = register
      .given(draining)
      .when(instanceRegistration({ totalResources: resourcesFromCapacity(capacity(4096, 8192)) }))
      .thenState();
    expect(state.status).toBe("DRAINING");
    expect(state.registered.cpu).toBe(4096);
  });

  it("records its agent reconnecting after a restart", () => {
    register
      .given([...draining, connectivityChanged(false)])
      .when(instanceRegistration())
      .then([
        {
          type: "ContainerInstanceConnectivityChanged",
          data: {
            clusterName: "demo",
            containerInstanceArn: arnOfInstance(),
            agentConnected: true,
            at: NOW_EPOCH_SECONDS,
          },
        },
      ]);
  });

  it("still has its connectivity watched", () => {
    connectivity
      .given(draining)
      .when(false)
      .then([
        {
          type: "ContainerInstanceConnectivityChanged",
          data: {
            clusterName: "demo",
            containerInstanceArn: arnOfInstance(),
            agentConnected: false,
            at: NOW_EPOCH_SECONDS,
          },
        },
      ]);
  });

  it("can be deregistered, and is INACTIVE after", () => {
    expect(deregister.given(draining).when(false).thenState().status).toBe("INACTIVE");
  });

  it("registers as ACTIVE again once deregistered", () => {
    const state = register
      .given([...draining, containerInstanceDeregistered()])
      .when(instanceRegistration())
      .thenState();
    expect(state.status).toBe("ACTIVE");
  });
});
