import { describe, it } from "vitest";
import {
  decideCreateWebhookSubscription,
  decideDeleteWebhookSubscription,
  decidePauseWebhookSubscription,
  decideResumeWebhookSubscription,
  type CreateWebhookSubscriptionCommand,
} from "../../../services/scheduler/webhooks/decideWebhooks.js";
import { webhookSubscriptionAggregate } from "../../../services/scheduler/webhooks/webhookState.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { deciderSpec, NOW_ISO } from "../scheduler/givenWhenThen.js";

const ID = "00000000-0000-4000-8000-000000000001";
const ID2 = "00000000-0000-4000-8000-000000000002";
const SHA = "a".repeat(64);

const create: CreateWebhookSubscriptionCommand = {
  name: "ops",
  targetUrl: "https://hooks.example.test/flotilla",
  subjectFilter: "*.task.>",
  subscriptionId: ID,
  secretSha256: SHA,
};

const created = (subscriptionId = ID): DomainEvent => ({
  type: "WebhookSubscriptionCreated",
  data: {
    name: "ops",
    subscriptionId,
    targetUrl: create.targetUrl,
    subjectFilter: create.subjectFilter,
    secretSha256: SHA,
    createdAt: NOW_ISO,
  },
});
const paused: DomainEvent = {
  type: "WebhookSubscriptionPaused",
  data: { name: "ops", subscriptionId: ID, reason: "r", consecutiveFailures: 3, pausedAt: NOW_ISO },
};
const deleted: DomainEvent = {
  type: "WebhookSubscriptionDeleted",
  data: { name: "ops", subscriptionId: ID, deletedAt: NOW_ISO },
};

const createSpec = deciderSpec(webhookSubscriptionAggregate, decideCreateWebhookSubscription);
const deleteSpec = deciderSpec(webhookSubscriptionAggregate, decideDeleteWebhookSubscription);
const resumeSpec = deciderSpec(webhookSubscriptionAggregate, decideResumeWebhookSubscription);
const pauseSpec = deciderSpec(webhookSubscriptionAggregate, decidePauseWebhookSubscription);

describe("CreateWebhookSubscription", () => {
  it("creates a subscription with the secret's hash only", () => {
    createSpec.given([]).when(create).then([created()]);
  });
  it("refuses a name in use, paused or not", () => {
    createSpec
      .given([created()])
      .when(create)
      .thenThrows("ResourceInUseException", /already exists/);
    createSpec.given([created(), paused]).when(create).thenThrows("ResourceInUseException");
  });
  it("reuses a deleted name with a new id", () => {
    createSpec
      .given([created(), deleted])
      .when({ ...create, subscriptionId: ID2 })
      .then([created(ID2)]);
  });
  it("refuses a target that is not http(s), naming the field", () => {
    createSpec
      .given([])
      .when({ ...create, targetUrl: "ftp://x.test/" })
      .thenThrows("InvalidParameterException", /^targetUrl: must be http or https/);
    createSpec
      .given([])
      .when({ ...create, targetUrl: "not a url" })
      .thenThrows("InvalidParameterException", /^targetUrl:/);
  });
  it("refuses a malformed filter or name", () => {
    createSpec
      .given([])
      .when({ ...create, subjectFilter: "a.>.b" })
      .thenThrows("InvalidParameterException", /^subjectFilter:/);
    createSpec
      .given([])
      .when({ ...create, name: "has space" })
      .thenThrows("InvalidParameterException", /^name:/);
  });
});

describe("DeleteWebhookSubscription", () => {
  it("deletes an active or paused subscription", () => {
    deleteSpec.given([created()]).when({ name: "ops" }).then([deleted]);
    deleteSpec.given([created(), paused]).when({ name: "ops" }).then([deleted]);
  });
  it("refuses an unknown or deleted one", () => {
    deleteSpec
      .given([])
      .when({ name: "ops" })
      .thenThrows("ResourceNotFoundException", /^name:/);
    deleteSpec
      .given([created(), deleted])
      .when({ name: "ops" })
      .thenThrows("ResourceNotFoundException");
  });
});

describe("pause and resume", () => {
  const pause = { name: "ops", subscriptionId: ID, consecutiveFailures: 3, reason: "r" };
  it("the deliverer pauses an active subscription", () => {
    pauseSpec.given([created()]).when(pause).then([paused]);
  });
  it("pausing twice, or pausing a newer subscription of the same name, does nothing", () => {
    pauseSpec.given([created(), paused]).when(pause).thenNothing();
    pauseSpec
      .given([created(), deleted, created(ID2)])
      .when(pause)
      .thenNothing();
  });
  it("resume turns a paused subscription active; an active one is left alone", () => {
    resumeSpec
      .given([created(), paused])
      .when({ name: "ops" })
      .then([
        {
          type: "WebhookSubscriptionResumed",
          data: { name: "ops", subscriptionId: ID, resumedAt: NOW_ISO },
        },
      ]);
    resumeSpec.given([created()]).when({ name: "ops" }).thenNothing();
    resumeSpec.given([]).when({ name: "ops" }).thenThrows("ResourceNotFoundException");
  });
});
