import { describe, expect, it } from "vitest";
import {
  decideCreateService,
  type CreateServiceCommand,
  type CreateServiceInputs,
} from "../../../services/scheduler/ecsServices/createService.js";
import { decideDeleteService } from "../../../services/scheduler/ecsServices/deleteService.js";
import {
  validateDeploymentConfiguration,
  withDefaults,
} from "../../../services/scheduler/ecsServices/deploymentConfiguration.js";
import {
  primaryDeployment,
  serviceAggregate,
  type ServiceState,
} from "../../../services/scheduler/ecsServices/serviceState.js";
import {
  decideUpdateService,
  type UpdateServiceCommand,
} from "../../../services/scheduler/ecsServices/updateService.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { catchEcsError, deciderSpec, NOW_EPOCH_SECONDS } from "./givenWhenThen.js";
import {
  arnOfRevision,
  DEPLOYMENT_1,
  DEPLOYMENT_2,
  DEPLOYMENT_3,
  REQUEST_DIGEST,
  SERVICE_ARN,
  serviceCreated,
  serviceCreatedData,
  serviceDeleted,
  serviceDeploymentCompleted,
  serviceDeploymentFailed,
  serviceDeploymentsRetired,
  serviceInactivated,
  serviceRedeployed,
  serviceSteadyStateReached,
  serviceTaskLaunchThrottled,
  serviceTaskPlacementFailed,
  serviceTasksStarted,
  serviceTasksStopped,
  serviceUpdated,
} from "./schedulerFixtures.js";

const WEB_1 = arnOfRevision("web", 1);
const WEB_2 = arnOfRevision("web", 2);

const createInputs = (overrides: Partial<CreateServiceInputs> = {}): CreateServiceInputs => ({
  clusterName: "demo",
  taskDefinitionArn: WEB_1,
  requestDigest: REQUEST_DIGEST,
  deploymentId: DEPLOYMENT_1,
  ...overrides,
});

const createWith = (inputs: CreateServiceInputs = createInputs()) =>
  deciderSpec<CreateServiceCommand, ServiceState>(serviceAggregate, (cmd, state, c) =>
    decideCreateService(cmd, state, inputs, c),
  );
const createService = createWith();

const updateWith = (taskDefinitionArn?: string, deploymentId = DEPLOYMENT_2) =>
  deciderSpec<UpdateServiceCommand, ServiceState>(serviceAggregate, (cmd, state, c) =>
    decideUpdateService(cmd, state, { taskDefinitionArn, deploymentId }, c),
  );
const updateService = updateWith();

const deleteService = deciderSpec<boolean, ServiceState>(serviceAggregate, decideDeleteService);

/** A CreateService request for `web` of `web:1` with 2 tasks. */
const create = (overrides: Partial<CreateServiceCommand> = {}): CreateServiceCommand => ({
  serviceName: "web",
  taskDefinition: "web:1",
  desiredCount: 2,
  ...overrides,
});

const REPLICA_DEFAULTS = {
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  deploymentCircuitBreaker: { enable: false, rollback: false },
};

const DAEMON_DEFAULTS = {
  minimumHealthyPercent: 0,
  maximumPercent: 100,
  deploymentCircuitBreaker: { enable: false, rollback: false },
};

describe("CreateService", () => {
  it("given no service, creates it with its ARN, first deployment and ECS's REPLICA defaults", () => {
    createService
      .given([])
      .when(create({ clientToken: "tok-1" }))
      .then([
        {
          type: "ServiceCreated",
          data: serviceCreatedData({ clientToken: "tok-1", createdAt: NOW_EPOCH_SECONDS }),
        },
      ]);
  });

  it("the created service is ACTIVE with one PRIMARY deployment IN_PROGRESS", () => {
    const state = createService.given([]).when(create()).thenState();
    expect(state.status).toBe("ACTIVE");
    expect(state.created?.serviceArn).toBe(SERVICE_ARN);
    expect(state.deployments).toEqual([
      {
        id: DEPLOYMENT_1,
        status: "PRIMARY",
        taskDefinitionArn: WEB_1,
        rolloutState: "IN_PROGRESS",
        createdAt: NOW_EPOCH_SECONDS,
      },
    ]);
    expect(state.steady).toBe(false);
  });

  it("a DAEMON service defaults to 0/100, desiredCount 0, and takes no desiredCount", () => {
    const [event] = createService
      .given([])
      .when(create({ schedulingStrategy: "DAEMON", desiredCount: undefined }))
      .events();
    expect(event?.data).toMatchObject({
      schedulingStrategy: "DAEMON",
      desiredCount: 0,
      deploymentConfiguration: DAEMON_DEFAULTS,
    });
    createService
      .given([])
      .when(create({ schedulingStrategy: "DAEMON", desiredCount: 3 }))
      .thenThrows("InvalidParameterException", /^desiredCount: /);
  });

  it("fills in only the deployment configuration fields not given", () => {
    const [event] = createService
      .given([])
      .when(
        create({
          deploymentConfiguration: {
            minimumHealthyPercent: 50,
            deploymentCircuitBreaker: { enable: true, rollback: true },
          },
        }),
      )
      .events();
    expect(event?.data).toMatchObject({
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
  });

  describe("clientToken idempotency", () => {
    const existing = serviceCreated({ clientToken: "tok-1" });

    it("the same token and the same request: no events, the service unchanged", () => {
      createService
        .given([existing])
        .when(create({ clientToken: "tok-1" }))
        .thenNothing();
    });

    it("the same token with another request is a ConflictException", () => {
      createWith(createInputs({ requestDigest: "b".repeat(64) }))
        .given([existing])
        .when(create({ clientToken: "tok-1", desiredCount: 3 }))
        .thenThrows("ConflictException", /clientToken was already used/);
    });

    it("no token on an existing ACTIVE service is not idempotent", () => {
      createService
        .given([existing])
        .when(create())
        .thenThrows("InvalidParameterException", "Creation of service was not idempotent.");
    });

    it("another token on an existing ACTIVE service is not idempotent either", () => {
      createService
        .given([existing])
        .when(create({ clientToken: "tok-2" }))
        .thenThrows("InvalidParameterException", "Creation of service was not idempotent.");
    });

    it("a token on a service created without one is not idempotent", () => {
      createService
        .given([serviceCreated()])
        .when(create({ clientToken: "tok-1" }))
        .thenThrows("InvalidParameterException", "Creation of service was not idempotent.");
    });
  });

  it("refuses to reuse the name of a DRAINING service, even with the same token", () => {
    createService
      .given([serviceCreated({ clientToken: "tok-1" }), serviceDeleted(true)])
      .when(create({ clientToken: "tok-1" }))
      .thenThrows(
        "InvalidParameterException",
        "Unable to Start a service that is still Draining: web.",
      );
  });

  it("reuses the name of an INACTIVE service with a new deployment and fresh state", () => {
    const state = createWith(createInputs({ deploymentId: DEPLOYMENT_3, taskDefinitionArn: WEB_2 }))
      .given([
        serviceCreated({ clientToken: "tok-1" }),
        serviceDeploymentCompleted(DEPLOYMENT_1),
        serviceSteadyStateReached(),
        serviceDeleted(true),
        serviceInactivated(),
      ])
      .when(create({ clientToken: "tok-1", taskDefinition: "web:2", desiredCount: 1 }))
      .thenState();
    expect(state.status).toBe("ACTIVE");
    expect(state.desiredCount).toBe(1);
    expect(state.taskDefinitionArn).toBe(WEB_2);
    expect(state.deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [DEPLOYMENT_3, "PRIMARY", "IN_PROGRESS"],
    ]);
    expect(state.lastCompleted).toBeUndefined();
    expect(state.steady).toBe(false);
  });

  describe("validation names the field", () => {
    it.each<[string, Partial<CreateServiceCommand>, RegExp]>([
      ["a bad name", { serviceName: "web.app" }, /^serviceName: /],
      ["a REPLICA without desiredCount", { desiredCount: undefined }, /^desiredCount: .*REPLICA/],
      [
        "a DAEMON with a placementStrategy",
        {
          schedulingStrategy: "DAEMON",
          desiredCount: undefined,
          placementStrategy: [{ type: "spread", field: "instanceId" }],
        },
        /^placementStrategy: /,
      ],
      [
        "a DAEMON with maximumPercent 200",
        {
          schedulingStrategy: "DAEMON",
          desiredCount: undefined,
          deploymentConfiguration: { maximumPercent: 200 },
        },
        /^deploymentConfiguration\.maximumPercent: /,
      ],
      [
        "a REPLICA with maximumPercent below 100",
        { deploymentConfiguration: { maximumPercent: 99 } },
        /^deploymentConfiguration\.maximumPercent: 99 is below 100/,
      ],
      [
        "desired 3 at 75/125: no task could ever be replaced",
        {
          desiredCount: 3,
          deploymentConfiguration: { minimumHealthyPercent: 75, maximumPercent: 125 },
        },
        /^deploymentConfiguration\.maximumPercent: with desiredCount 3/,
      ],
      [
        "desired 1 at 100/100",
        { desiredCount: 1, deploymentConfiguration: { maximumPercent: 100 } },
        /^deploymentConfiguration\.maximumPercent: /,
      ],
      [
        "a bad binpack field",
        { placementStrategy: [{ type: "binpack", field: "disk" }] },
        /^placementStrategy\[0\]: /,
      ],
      [
        "a memberOf without expression",
        { placementConstraints: [{ type: "memberOf" }] },
        /^placementConstraints\[0\]: /,
      ],
      ["an EXTERNAL launch type", { launchType: "EXTERNAL" }, /^launchType: /],
      [
        "a DAEMON service on FARGATE",
        { launchType: "FARGATE", schedulingStrategy: "DAEMON", desiredCount: undefined },
        /^launchType: /,
      ],
      [
        "a DAEMON service with a capacity provider strategy",
        {
          capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
          schedulingStrategy: "DAEMON",
          desiredCount: undefined,
        },
        /^capacityProviderStrategy: /,
      ],
      [
        "both a launch type and a strategy",
        {
          launchType: "EC2",
          capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        },
        /launch type and capacity provider strategy/,
      ],
    ])("refuses %s", (_name, overrides, message) => {
      createService
        .given([])
        .when(create(overrides))
        .thenThrows("InvalidParameterException", message);
    });

    it("desired 4 at 75/125 can progress (min 3, max 5) and is accepted", () => {
      const [event] = createService
        .given([])
        .when(
          create({
            desiredCount: 4,
            deploymentConfiguration: { minimumHealthyPercent: 75, maximumPercent: 125 },
          }),
        )
        .events();
      expect(event?.type).toBe("ServiceCreated");
    });

    it("desired 0 at 100/100 is accepted: nothing to replace yet", () => {
      const [event] = createService
        .given([])
        .when(create({ desiredCount: 0, deploymentConfiguration: { maximumPercent: 100 } }))
        .events();
      expect(event?.type).toBe("ServiceCreated");
    });
  });
});

describe("deployment configuration", () => {
  it("defaults per scheduling strategy, and an update's base keeps what is not given", () => {
    expect(withDefaults(undefined, "REPLICA")).toEqual(REPLICA_DEFAULTS);
    expect(withDefaults(undefined, "DAEMON")).toEqual(DAEMON_DEFAULTS);
    expect(
      withDefaults({ maximumPercent: 150 }, "REPLICA", {
        ...REPLICA_DEFAULTS,
        minimumHealthyPercent: 50,
      }),
    ).toEqual({ ...REPLICA_DEFAULTS, minimumHealthyPercent: 50, maximumPercent: 150 });
  });

  it.each<[number, number, number, boolean]>([
    [3, 75, 125, false],
    [4, 75, 125, true],
    [2, 75, 200, true],
    [2, 100, 100, false],
    [2, 50, 100, true],
    [1, 0, 100, true],
    [0, 100, 100, true],
  ])("desired %d at %d/%d valid: %s", (desired, min, max, valid) => {
    const run = () =>
      validateDeploymentConfiguration(
        { ...REPLICA_DEFAULTS, minimumHealthyPercent: min, maximumPercent: max },
        "REPLICA",
        desired,
      );
    if (valid) expect(run).not.toThrow();
    else expect(catchEcsError(run).type).toBe("InvalidParameterException");
  });
});

describe("UpdateService", () => {
  const active = [serviceCreated({ desiredCount: 2 }), serviceDeploymentCompleted(DEPLOYMENT_1)];

  it("a new task definition starts a new PRIMARY deployment", () => {
    const when = updateWith(WEB_2).given(active).when({ service: "web", taskDefinition: "web:2" });
    when.then([
      {
        type: "ServiceUpdated",
        data: {
          clusterName: "demo",
          serviceArn: SERVICE_ARN,
          taskDefinitionArn: WEB_2,
          deploymentId: DEPLOYMENT_2,
          updatedAt: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    const state = when.thenState();
    expect(state.taskDefinitionArn).toBe(WEB_2);
    expect(
      state.deployments.map((d) => [d.id, d.status, d.rolloutState, d.taskDefinitionArn]),
    ).toEqual([
      [DEPLOYMENT_2, "PRIMARY", "IN_PROGRESS", WEB_2],
      [DEPLOYMENT_1, "ACTIVE", "COMPLETED", WEB_1],
    ]);
  });

  it("the same task definition again changes nothing", () => {
    updateWith(WEB_1).given(active).when({ service: "web", taskDefinition: "web:1" }).thenNothing();
  });

  it("forceNewDeployment starts a new deployment of the same task definition, naming it", () => {
    const [event] = updateService
      .given(active)
      .when({ service: "web", forceNewDeployment: true })
      .events();
    expect(event?.data).toEqual({
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      taskDefinitionArn: WEB_1,
      deploymentId: DEPLOYMENT_2,
      updatedAt: NOW_EPOCH_SECONDS,
    });
  });

  it("new placement starts a new deployment", () => {
    const strategy = [{ type: "binpack" as const, field: "memory" }];
    const constraints = [{ type: "distinctInstance" as const }];
    for (const cmd of [
      { service: "web", placementStrategy: strategy },
      { service: "web", placementConstraints: constraints },
    ]) {
      const [event] = updateService.given(active).when(cmd).events();
      expect(event?.data).toMatchObject({ deploymentId: DEPLOYMENT_2, taskDefinitionArn: WEB_1 });
    }
  });

  it("the same placement again changes nothing", () => {
    updateService
      .given([serviceCreated({ placementStrategy: [{ type: "spread", field: "instanceId" }] })])
      .when({ service: "web", placementStrategy: [{ type: "spread", field: "instanceId" }] })
      .thenNothing();
  });

  it("a desiredCount-only change scales the current deployment: no deploymentId", () => {
    const when = updateService.given(active).when({ service: "web", desiredCount: 5 });
    when.then([
      {
        type: "ServiceUpdated",
        data: {
          clusterName: "demo",
          serviceArn: SERVICE_ARN,
          desiredCount: 5,
          updatedAt: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    const state = when.thenState();
    expect(state.desiredCount).toBe(5);
    expect(state.deployments.map((d) => d.id)).toEqual([DEPLOYMENT_1]);
    expect(primaryDeployment(state)?.rolloutState).toBe("COMPLETED");
  });

  it("deploymentConfiguration and grace-period changes start no deployment", () => {
    const [event] = updateService
      .given(active)
      .when({
        service: "web",
        deploymentConfiguration: { minimumHealthyPercent: 50 },
        healthCheckGracePeriodSeconds: 60,
      })
      .events();
    expect(event?.data).toEqual({
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      deploymentConfiguration: { ...REPLICA_DEFAULTS, minimumHealthyPercent: 50 },
      healthCheckGracePeriodSeconds: 60,
      updatedAt: NOW_EPOCH_SECONDS,
    });
  });

  it("a no-op update (every field as it is) records nothing", () => {
    updateWith(WEB_1)
      .given(active)
      .when({
        service: "web",
        desiredCount: 2,
        taskDefinition: "web:1",
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
        placementStrategy: [],
        placementConstraints: [],
        forceNewDeployment: false,
      })
      .thenNothing();
    updateService.given(active).when({ service: "web" }).thenNothing();
  });

  it("checks a new desiredCount against the configuration: desired 3 at 75/125 is stuck", () => {
    const at75125 = [
      serviceCreated({
        desiredCount: 4,
        deploymentConfiguration: {
          ...REPLICA_DEFAULTS,
          minimumHealthyPercent: 75,
          maximumPercent: 125,
        },
      }),
    ];
    updateService
      .given(at75125)
      .when({ service: "web", desiredCount: 3 })
      .thenThrows("InvalidParameterException", /^deploymentConfiguration\.maximumPercent: /);
    expect(
      updateService.given(at75125).when({ service: "web", desiredCount: 8 }).events(),
    ).toHaveLength(1);
  });

  it("refuses maximumPercent below 100 for a REPLICA service", () => {
    updateService
      .given(active)
      .when({ service: "web", deploymentConfiguration: { maximumPercent: 50 } })
      .thenThrows("InvalidParameterException", /maximumPercent: 50 is below 100/);
  });

  it("refuses a desiredCount for a DAEMON service", () => {
    updateService
      .given([
        serviceCreated({
          schedulingStrategy: "DAEMON",
          desiredCount: 0,
          deploymentConfiguration: DAEMON_DEFAULTS,
        }),
      ])
      .when({ service: "web", desiredCount: 2 })
      .thenThrows("InvalidParameterException", /^desiredCount: /);
  });

  it("a missing service is ServiceNotFoundException; a DRAINING or INACTIVE one is not ACTIVE", () => {
    updateService
      .given([])
      .when({ service: "web", desiredCount: 1 })
      .thenThrows("ServiceNotFoundException");
    updateService
      .given([...active, serviceDeleted(true)])
      .when({ service: "web", desiredCount: 1 })
      .thenThrows("ServiceNotActiveException");
    updateService
      .given([...active, serviceDeleted(true), serviceInactivated()])
      .when({ service: "web", desiredCount: 1 })
      .thenThrows("ServiceNotActiveException");
  });

  it("a new deployment clears the throttle and the steady flag", () => {
    const state = updateWith(WEB_2)
      .given([...active, serviceSteadyStateReached(), serviceTaskLaunchThrottled()])
      .when({ service: "web", taskDefinition: "web:2" })
      .thenState();
    expect(state.throttledAt).toBeUndefined();
    expect(state.steady).toBe(false);
  });
});

describe("DeleteService", () => {
  it("is refused while a REPLICA service is scaled above 0", () => {
    deleteService
      .given([serviceCreated({ desiredCount: 2 })])
      .when(false)
      .thenThrows(
        "InvalidParameterException",
        "The service cannot be stopped while it is scaled above 0.",
      );
  });

  it("with force, or at desiredCount 0, the service goes DRAINING at desiredCount 0", () => {
    for (const [history, force] of [
      [[serviceCreated({ desiredCount: 2 })], true],
      [[serviceCreated({ desiredCount: 2 }), serviceUpdated({ desiredCount: 0 })], false],
    ] as const) {
      const when = deleteService.given(history).when(force);
      when.then([
        {
          type: "ServiceDeleted",
          data: { clusterName: "demo", serviceArn: SERVICE_ARN, force, at: NOW_EPOCH_SECONDS },
        },
      ]);
      const state = when.thenState();
      expect(state.status).toBe("DRAINING");
      expect(state.desiredCount).toBe(0);
    }
  });

  it("a DAEMON service is deleted without force", () => {
    const daemon = serviceCreated({
      schedulingStrategy: "DAEMON",
      desiredCount: 0,
      deploymentConfiguration: DAEMON_DEFAULTS,
    });
    const [event] = deleteService
      .given([daemon, serviceUpdated({ desiredCount: 3 })])
      .when(false)
      .events();
    expect(event?.type).toBe("ServiceDeleted");
  });

  it("deleting a DRAINING service again changes nothing; a gone one is not found", () => {
    deleteService
      .given([serviceCreated(), serviceDeleted(true)])
      .when(true)
      .thenNothing();
    deleteService.given([]).when(true).thenThrows("ServiceNotFoundException");
    deleteService
      .given([serviceCreated(), serviceDeleted(true), serviceInactivated()])
      .when(true)
      .thenThrows("ServiceNotFoundException");
  });
});

describe("evolve", () => {
  const rolledOut = [
    serviceCreated(),
    serviceDeploymentCompleted(DEPLOYMENT_1),
    serviceRedeployed(DEPLOYMENT_2, 2),
  ];

  it("a rollback makes the last COMPLETED deployment PRIMARY again, with the same id", () => {
    const state = fold(serviceAggregate, [
      ...rolledOut,
      serviceDeploymentFailed(DEPLOYMENT_2, {
        deploymentId: DEPLOYMENT_1,
        taskDefinitionArn: WEB_1,
      }),
    ]);
    expect(state.taskDefinitionArn).toBe(WEB_1);
    expect(state.deployments).toEqual([
      {
        id: DEPLOYMENT_1,
        status: "PRIMARY",
        taskDefinitionArn: WEB_1,
        rolloutState: "IN_PROGRESS",
        createdAt: NOW_EPOCH_SECONDS - 3600,
      },
      {
        id: DEPLOYMENT_2,
        status: "ACTIVE",
        taskDefinitionArn: WEB_2,
        rolloutState: "FAILED",
        createdAt: NOW_EPOCH_SECONDS - 1800,
      },
    ]);
    expect(state.lastCompleted).toEqual({ deploymentId: DEPLOYMENT_1, taskDefinitionArn: WEB_1 });
  });

  it("a rollback to a deployment already retired brings it back under its id", () => {
    const state = fold(serviceAggregate, [
      ...rolledOut,
      serviceDeploymentsRetired([DEPLOYMENT_1]),
      serviceDeploymentFailed(DEPLOYMENT_2, {
        deploymentId: DEPLOYMENT_1,
        taskDefinitionArn: WEB_1,
      }),
    ]);
    expect(state.deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [DEPLOYMENT_1, "PRIMARY", "IN_PROGRESS"],
      [DEPLOYMENT_2, "ACTIVE", "FAILED"],
    ]);
  });

  it("a failure without rollback leaves the FAILED deployment PRIMARY", () => {
    const state = fold(serviceAggregate, [...rolledOut, serviceDeploymentFailed(DEPLOYMENT_2)]);
    expect(state.taskDefinitionArn).toBe(WEB_2);
    expect(state.deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [DEPLOYMENT_2, "PRIMARY", "FAILED"],
      [DEPLOYMENT_1, "ACTIVE", "COMPLETED"],
    ]);
  });

  it("steady is set by the steady-state event and cleared by tasks started or stopped", () => {
    const steady = fold(serviceAggregate, [serviceCreated(), serviceSteadyStateReached()]);
    expect(steady.steady).toBe(true);
    for (const e of [
      serviceTasksStarted(DEPLOYMENT_1, ["t1"]),
      serviceTasksStopped("scale-in", ["t1"]),
      serviceUpdated({ desiredCount: 3 }),
    ]) {
      expect(serviceAggregate.evolve(steady, e).steady).toBe(false);
    }
  });

  it("remembers the last placement failure and throttle it recorded", () => {
    const state = fold(serviceAggregate, [
      serviceCreated(),
      serviceTaskPlacementFailed("no room"),
      serviceTaskLaunchThrottled(4, 20, 1000),
    ]);
    expect(state.lastPlacementFailure).toEqual({ message: "no room", at: NOW_EPOCH_SECONDS - 200 });
    expect(state.throttledAt).toEqual({ consecutiveFailures: 4, until: 1020 });
  });

  it("retired deployments leave the list", () => {
    const state = fold(serviceAggregate, [...rolledOut, serviceDeploymentsRetired([DEPLOYMENT_1])]);
    expect(state.deployments.map((d) => d.id)).toEqual([DEPLOYMENT_2]);
  });
});

describe("services through capacity providers", () => {
  const STRATEGY = [
    { capacityProvider: "FARGATE", weight: 1, base: 1 },
    { capacityProvider: "FARGATE_SPOT", weight: 3 },
  ];
  const NORMALISED = [
    { capacityProvider: "FARGATE", weight: 1, base: 1 },
    { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
  ];

  it("records the resolved strategy (ECS's shape, base and weight filled) and no launch type", () => {
    const [event] = createWith(
      createInputs({ resolved: { kind: "strategy", strategy: STRATEGY, source: "request" } }),
    )
      .given([])
      .when(create({ capacityProviderStrategy: STRATEGY }))
      .events();
    expect(event?.data).toMatchObject({ capacityProviderStrategy: NORMALISED });
    expect(event?.data).not.toHaveProperty("launchType");
  });

  it("records the cluster's default strategy when the request names neither", () => {
    const when = createWith(
      createInputs({
        resolved: { kind: "strategy", strategy: STRATEGY, source: "clusterDefault" },
      }),
    )
      .given([])
      .when(create());
    expect(when.events()[0]?.data).toMatchObject({ capacityProviderStrategy: NORMALISED });
    expect(when.thenState().capacityProviderStrategy).toEqual(NORMALISED);
    expect(when.thenState().launchType).toBeUndefined();
  });

  it("a DAEMON service ignores the cluster's default strategy: EC2", () => {
    const [event] = createWith(
      createInputs({
        resolved: { kind: "strategy", strategy: STRATEGY, source: "clusterDefault" },
      }),
    )
      .given([])
      .when(create({ schedulingStrategy: "DAEMON", desiredCount: undefined }))
      .events();
    expect(event?.data).toMatchObject({ launchType: "EC2" });
    expect(event?.data).not.toHaveProperty("capacityProviderStrategy");
  });

  it("records launchType FARGATE", () => {
    const when = createWith(
      createInputs({ resolved: { kind: "launchType", launchType: "FARGATE" } }),
    )
      .given([])
      .when(create({ launchType: "FARGATE" }));
    expect(when.events()[0]?.data).toMatchObject({ launchType: "FARGATE" });
    expect(when.thenState().launchType).toBe("FARGATE");
  });

  const onLaunchType = [
    serviceCreated({ desiredCount: 2 }),
    serviceDeploymentCompleted(DEPLOYMENT_1),
  ];
  const onStrategy = [
    serviceCreated({
      desiredCount: 2,
      launchType: undefined,
      capacityProviderStrategy: NORMALISED,
    }),
    serviceDeploymentCompleted(DEPLOYMENT_1),
  ];

  it("switching from the launch type to a strategy without forceNewDeployment is refused", () => {
    updateService
      .given(onLaunchType)
      .when({ service: "web", capacityProviderStrategy: STRATEGY })
      .thenThrows("InvalidParameterException", /you must force a new deployment/);
  });

  it("a changed strategy with forceNewDeployment starts a deployment with it", () => {
    const when = updateService.given(onStrategy).when({
      service: "web",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
      forceNewDeployment: true,
    });
    expect(when.events()[0]?.data).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      deploymentId: DEPLOYMENT_2,
    });
    const state = when.thenState();
    expect(state.capacityProviderStrategy).toEqual([
      { capacityProvider: "FARGATE", weight: 1, base: 0 },
    ]);
    expect(primaryDeployment(state)?.id).toBe(DEPLOYMENT_2);
  });

  it("the same strategy again changes nothing, even in another order of fields", () => {
    updateService
      .given(onStrategy)
      .when({ service: "web", capacityProviderStrategy: STRATEGY })
      .thenNothing();
  });

  it("an empty strategy takes the service back to a launch type (FARGATE from Fargate providers)", () => {
    const when = updateService
      .given(onStrategy)
      .when({ service: "web", capacityProviderStrategy: [], forceNewDeployment: true });
    expect(when.events()[0]?.data).toMatchObject({
      capacityProviderStrategy: [],
      launchType: "FARGATE",
    });
    expect(when.thenState().launchType).toBe("FARGATE");
    expect(when.thenState().capacityProviderStrategy).toEqual([]);
  });

  it("a DAEMON service cannot take a strategy", () => {
    updateService
      .given([serviceCreated({ schedulingStrategy: "DAEMON", desiredCount: 0 })])
      .when({ service: "web", capacityProviderStrategy: STRATEGY, forceNewDeployment: true })
      .thenThrows("InvalidParameterException", /^capacityProviderStrategy: /);
  });
});
