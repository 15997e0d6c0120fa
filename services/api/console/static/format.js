// Small formatting helpers for the console's pages.

export const lastPart = (arn) => (arn ? String(arn).split("/").pop() : "");

export const shortId = (id) => (id && id.length > 12 ? id.slice(0, 8) : id);

export const time = (epochSeconds) =>
  epochSeconds === undefined || epochSeconds === null
    ? ""
    : new Date(epochSeconds * 1000).toLocaleTimeString([], { hour12: false });

export const dateTime = (epochSeconds) =>
  epochSeconds === undefined || epochSeconds === null
    ? ""
    : new Date(epochSeconds * 1000).toISOString().replace("T", " ").slice(0, 19);

export const ago = (epochSeconds) => {
  if (!epochSeconds) return "";
  const s = Math.max(0, Math.round(Date.now() / 1000 - epochSeconds));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
};

/** A resource amount from ECS's resource list (CPU units, memory MiB). */
export const resource = (list, name) => {
  const r = (list ?? []).find((x) => x.name === name);
  return r ? Number(r.integerValue ?? r.doubleValue ?? 0) : 0;
};

export const attribute = (list, name) => (list ?? []).find((a) => a.name === name)?.value;

export const statusClass = (status) => {
  switch (status) {
    case "ACTIVE":
    case "RUNNING":
    case "HEALTHY":
    case "COMPLETED":
    case "OK":
    case "Successful":
      return "ok";
    case "PENDING":
    case "PROVISIONING":
    case "ACTIVATING":
    case "IN_PROGRESS":
    case "DRAINING":
    case "DEACTIVATING":
    case "STOPPING":
    case "UNKNOWN":
    case "INSUFFICIENT_DATA":
    case "InProgress":
      return "warn";
    case "STOPPED":
    case "FAILED":
    case "UNHEALTHY":
    case "INACTIVE":
    case "ALARM":
    case "Failed":
      return "bad";
    default:
      return "";
  }
};
