// The console's calls to its api: JSON over the session cookie, and the live feed.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthenticated = () => {};
export const whenUnauthenticated = (fn) => {
  onUnauthenticated = fn;
};

const request = async (method, path, body) => {
  const res = await fetch(`/console/api${path}`, {
    method,
    credentials: "same-origin",
    headers: {
      "x-flotilla-console": "1",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new ApiError(
      res.status,
      json.error?.code ?? "Error",
      json.error?.message ?? res.statusText,
    );
    if (res.status === 401 && path !== "/login") onUnauthenticated(err);
    throw err;
  }
  return json;
};

export const get = (path) => request("GET", path);
export const post = (path, body) => request("POST", path, body ?? {});

export const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
};

const enc = encodeURIComponent;
export const paths = {
  clusters: () => "/clusters",
  services: (cluster, service) => `/clusters/${enc(cluster)}/services${query({ service })}`,
  tasks: (cluster, service) => `/clusters/${enc(cluster)}/tasks${query({ service })}`,
  metrics: (cluster, service, minutes, period) =>
    `/clusters/${enc(cluster)}/services/${enc(service)}/metrics${query({ minutes, period })}`,
  scale: (cluster, service) => `/clusters/${enc(cluster)}/services/${enc(service)}/scale`,
  events: (filters) => `/events${query(filters)}`,
};

// The live feed: one EventSource for the page; views subscribe to its messages.
const listeners = new Set();
let source;

/** fn({ kind: "change", entry } | { kind: "tick" } | { kind: "state", live }) */
export const onLive = (fn) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

const emit = (message) => {
  for (const fn of listeners) fn(message);
};

let retry;

export const startLive = () => {
  if (source) return;
  source = new EventSource("/console/api/live");
  source.addEventListener("open", () => emit({ kind: "state", live: true }));
  source.addEventListener("error", () => {
    emit({ kind: "state", live: false });
    // The browser reconnects a dropped stream by itself, but not one refused (401, 503): retry.
    if (source?.readyState === EventSource.CLOSED) {
      source = undefined;
      retry = setTimeout(() => get("/session").then(startLive, () => undefined), 3_000);
    }
  });
  source.addEventListener("change", (e) => emit({ kind: "change", entry: JSON.parse(e.data) }));
  source.addEventListener("tick", () => emit({ kind: "tick" }));
  source.addEventListener("expired", () => {
    stopLive();
    onUnauthenticated(new ApiError(401, "Unauthenticated", "The session expired."));
  });
};

export const stopLive = () => {
  clearTimeout(retry);
  source?.close();
  source = undefined;
  emit({ kind: "state", live: false });
};
