/**
 * The capability attributes ECS's agent registers and task definitions ask for in
 * `requiresAttributes`: the ones whose features this agent implements.
 */
const DOCKER_API_VERSIONS = [
  "1.17",
  "1.18",
  "1.19",
  "1.20",
  "1.21",
  "1.22",
  "1.23",
  "1.24",
  "1.25",
  "1.26",
  "1.27",
  "1.28",
  "1.29",
  "1.30",
  "1.31",
  "1.32",
  "1.33",
  "1.34",
  "1.35",
  "1.36",
  "1.37",
  "1.38",
  "1.39",
  "1.40",
  "1.41",
  "1.42",
  "1.43",
  "1.44",
];

export const CAPABILITY_ATTRIBUTES: readonly string[] = [
  ...DOCKER_API_VERSIONS.map((v) => `com.amazonaws.ecs.capability.docker-remote-api.${v}`),
  "com.amazonaws.ecs.capability.logging-driver.json-file",
  "com.amazonaws.ecs.capability.logging-driver.none",
  "ecs.capability.container-health-check",
  "ecs.capability.container-ordering",
  "ecs.capability.task-eni",
];
