// The console's pages. Each loads one JSON view and loads it again when the
// live feed reports a change that concerns it.
import { html, useCallback, useEffect, useRef, useState } from "./vendor/preact-htm.js";
import { get, onLive, paths, post } from "./api.js";
import { UtilisationChart } from "./charts.js";
import {
  ago,
  attribute,
  dateTime,
  lastPart,
  resource,
  shortId,
  statusClass,
  time,
} from "./format.js";

const enc = encodeURIComponent;

/** Loads `load()` now, again when `deps` change, and when a live message passes `relevant`. */
export const useView = (load, deps, relevant) => {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const timer = useRef(undefined);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (data) => mine === generation.current && setState({ data, error: undefined }),
      (error) => mine === generation.current && setState((s) => ({ data: s.data, error })),
    );
  }, deps);
  useEffect(() => {
    setState({ data: undefined, error: undefined });
    reload();
    const off = onLive((m) => {
      // (Re)connected to the live feed: what happened while it was not there is read now.
      if (!(relevant(m) || (m.kind === "state" && m.live))) return;
      // Several events of one change arrive together: one reload for the burst.
      clearTimeout(timer.current);
      timer.current = setTimeout(reload, 250);
    });
    return () => {
      off();
      clearTimeout(timer.current);
    };
  }, [reload]);
  return { ...state, reload };
};

const concerns = (cluster, kinds) => (m) =>
  m.kind === "change" &&
  (cluster === undefined || m.entry.cluster === undefined || m.entry.cluster === cluster) &&
  kinds.some((k) => m.entry.streamId.startsWith(`${k}:`));

const clusterSummary = (c) =>
  ` · ${c.registeredContainerInstancesCount} instances · ${c.runningTasksCount} running, ` +
  `${c.pendingTasksCount} pending tasks · ${c.activeServicesCount} services · `;

const serviceSummary = (s) =>
  ` · desired ${s.desiredCount}, running ${s.runningCount}, pending ${s.pendingCount}` +
  (s.schedulingStrategy ? ` · ${s.schedulingStrategy}` : "");

const Pill = ({ value }) =>
  value ? html`<span class=${`pill ${statusClass(value)}`}>${value}</span>` : null;

const Loading = ({ view }) =>
  view.error
    ? html`<p class="error" data-testid="error">${view.error.code}: ${view.error.message}</p>`
    : view.data === undefined
      ? html`<p class="muted">Loading…</p>`
      : null;

const UsageBar = ({ used, total, unit, testid }) => {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return html`<div
    class="bar"
    data-testid=${testid}
    title=${`${used} of ${total} ${unit} reserved`}
  >
    <span style=${`width:${pct.toFixed(1)}%`}></span>
    <em>${used} / ${total} ${unit}</em>
  </div>`;
};

export const LoginPage = ({ onLogin }) => {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    setBusy(true);
    setError("");
    try {
      const who = await post("/login", {
        accessKeyId: String(form.get("accessKeyId") ?? "").trim(),
        secretAccessKey: String(form.get("secretAccessKey") ?? ""),
      });
      onLogin(who);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="card login">
    <h1>Flotilla console</h1>
    <p class="muted">Log in with an access key of the API (the same key the AWS CLI signs with).</p>
    <form onSubmit=${submit} data-testid="login-form">
      <label
        >Access key id<input name="accessKeyId" autocomplete="username" required autofocus
      /></label>
      <label
        >Secret access key<input
          name="secretAccessKey"
          type="password"
          autocomplete="current-password"
          required
      /></label>
      <button type="submit" disabled=${busy}>Log in</button>
      ${error && html`<p class="error" data-testid="login-error">${error}</p>`}
    </form>
  </div>`;
};

export const ClustersPage = () => {
  const view = useView(
    () => get(paths.clusters()),
    [],
    concerns(undefined, ["cluster", "instance", "task"]),
  );
  const clusters = view.data?.clusters ?? [];
  return html`<section data-testid="clusters-page">
    <h1>Clusters and instances</h1>
    <${Loading} view=${view} />
    ${view.data && clusters.length === 0 && html`<p class="muted">No clusters yet.</p>`}
    ${clusters.map(
      (c) =>
        html`<div class="card" data-testid=${`cluster-${c.clusterName}`}>
          <h2>
            ${c.clusterName} <${Pill} value=${c.status} />
            <span class="muted">${clusterSummary(c)}</span>
            <a href=${`#/services/${enc(c.clusterName)}`}>services</a>${" · "}
            <a href=${`#/tasks/${enc(c.clusterName)}`}>tasks</a>
          </h2>
          <table>
            <thead>
              <tr>
                <th>Instance</th>
                <th>Zone</th>
                <th>Agent</th>
                <th>Status</th>
                <th>CPU (units)</th>
                <th>Memory (MiB)</th>
                <th>Tasks</th>
              </tr>
            </thead>
            <tbody>
              ${c.containerInstances.map((i) => {
                const cpu = resource(i.registeredResources, "CPU");
                const mem = resource(i.registeredResources, "MEMORY");
                const cpuLeft = resource(i.remainingResources, "CPU");
                const memLeft = resource(i.remainingResources, "MEMORY");
                return html`<tr data-testid="instance-row">
                  <td class="mono" title=${i.containerInstanceArn}>
                    ${i.ec2InstanceId ?? lastPart(i.containerInstanceArn)}
                  </td>
                  <td>${attribute(i.attributes, "ecs.availability-zone") ?? ""}</td>
                  <td>
                    ${i.agentConnected ? html`<span class="pill ok">connected</span>` : html`<span class="pill bad">disconnected</span>`}
                  </td>
                  <td><${Pill} value=${i.status} /></td>
                  <td>
                    <${UsageBar} used=${cpu - cpuLeft} total=${cpu} unit="" testid="cpu-bar" />
                  </td>
                  <td>
                    <${UsageBar} used=${mem - memLeft} total=${mem} unit="" testid="memory-bar" />
                  </td>
                  <td>${`${i.runningTasksCount} running, ${i.pendingTasksCount} pending`}</td>
                </tr>`;
              })}
            </tbody>
          </table>
        </div>`,
    )}
  </section>`;
};

const DeploymentProgress = ({ d }) => {
  const total = Math.max(d.desiredCount, d.runningCount + d.pendingCount, 1);
  const w = (n) => `width:${((n / total) * 100).toFixed(1)}%`;
  return html`<div
    class="progress"
    title=${`${d.runningCount} running, ${d.pendingCount} pending of ${d.desiredCount} desired; ${d.failedTasks ?? 0} failed`}
  >
    <span class="running" style=${w(d.runningCount)}></span>
    <span class="pending" style=${w(d.pendingCount)}></span>
  </div>`;
};

const Deployments = ({ deployments }) =>
  html`<table>
    <thead>
      <tr>
        <th>Deployment</th>
        <th>Status</th>
        <th>Rollout</th>
        <th>Task definition</th>
        <th>Progress</th>
        <th>Desired / running / pending / failed</th>
        <th>Updated</th>
      </tr>
    </thead>
    <tbody>
      ${(deployments ?? []).map(
        (d) =>
          html`<tr data-testid="deployment-row">
            <td class="mono">${shortId(lastPart(d.id))}</td>
            <td><${Pill} value=${d.status} /></td>
            <td><${Pill} value=${d.rolloutState} /></td>
            <td>${lastPart(d.taskDefinition)}</td>
            <td><${DeploymentProgress} d=${d} /></td>
            <td>
              ${`${d.desiredCount} / ${d.runningCount} / ${d.pendingCount} / ${d.failedTasks ?? 0}`}
            </td>
            <td>${ago(d.updatedAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;

export const ServicesPage = ({ cluster }) => {
  const view = useView(
    () => get(paths.services(cluster)),
    [cluster],
    concerns(cluster, ["service", "task"]),
  );
  const services = view.data?.services ?? [];
  return html`<section data-testid="services-page">
    <h1>Services in ${cluster}</h1>
    <${Loading} view=${view} />
    ${view.data && services.length === 0 && html`<p class="muted">No services in this cluster.</p>`}
    ${services.map(
      (s) =>
        html`<div class="card" data-testid=${`service-${s.serviceName}`}>
          <h2>
            <a href=${`#/service/${enc(cluster)}/${enc(s.serviceName)}`}>${s.serviceName}</a>
            ${" "}<${Pill} value=${s.status} />
            <span class="muted">${serviceSummary(s)}</span>
          </h2>
          <${Deployments} deployments=${s.deployments} />
          ${s.events?.[0] && html`<p class="muted">${time(s.events[0].createdAt)} ${s.events[0].message}</p>`}
        </div>`,
    )}
  </section>`;
};

const TasksTable = ({ tasks }) =>
  html`<table data-testid="tasks-table">
    <thead>
      <tr>
        <th>Task</th>
        <th>Group</th>
        <th>Last status</th>
        <th>Desired</th>
        <th>Health</th>
        <th>Zone</th>
        <th>Instance</th>
        <th>Started</th>
        <th>Stopped reason</th>
      </tr>
    </thead>
    <tbody>
      ${tasks.map(
        (t) =>
          html`<tr data-testid="task-row">
            <td class="mono" title=${t.taskArn}>${shortId(lastPart(t.taskArn))}</td>
            <td>${t.group}</td>
            <td><${Pill} value=${t.lastStatus} /></td>
            <td>${t.desiredStatus}</td>
            <td><${Pill} value=${t.healthStatus} /></td>
            <td>${t.availabilityZone ?? ""}</td>
            <td class="mono">${shortId(lastPart(t.containerInstanceArn))}</td>
            <td>${ago(t.startedAt)}</td>
            <td class="muted">${t.stoppedReason ?? ""}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;

export const TasksPage = ({ cluster }) => {
  const view = useView(() => get(paths.tasks(cluster)), [cluster], concerns(cluster, ["task"]));
  const tasks = view.data?.tasks ?? [];
  return html`<section data-testid="tasks-page">
    <h1>Tasks in ${cluster}</h1>
    <${Loading} view=${view} />
    ${view.data && (tasks.length ? html`<${TasksTable} tasks=${tasks} />` : html`<p class="muted">No tasks.</p>`)}
  </section>`;
};

const WINDOWS = [
  { label: "15 min", minutes: 15, period: 10 },
  { label: "1 hour", minutes: 60, period: 60 },
  { label: "6 hours", minutes: 360, period: 300 },
];

const ScaleForm = ({ cluster, service, session, desiredCount }) => {
  const [value, setValue] = useState(String(desiredCount));
  const [message, setMessage] = useState("");
  useEffect(() => setValue(String(desiredCount)), [desiredCount]);
  const allowed = session.canUpdateServices;
  const submit = async (e) => {
    e.preventDefault();
    setMessage("");
    try {
      await post(paths.scale(cluster, service), { desiredCount: Number(value) });
      setMessage(`Desired count set to ${value}.`);
    } catch (err) {
      setMessage(`${err.code}: ${err.message}`);
    }
  };
  return html`<form class="toolbar" onSubmit=${submit} data-testid="scale-form">
    <label
      >Desired count<input
        type="number"
        min="0"
        name="desiredCount"
        value=${value}
        onInput=${(e) => setValue(e.target.value)}
        disabled=${!allowed}
    /></label>
    <button
      type="submit"
      disabled=${!allowed}
      title=${allowed ? "" : "Your policies do not allow ecs:UpdateService"}
    >
      Scale
    </button>
    ${!allowed && html`<span class="muted" data-testid="read-only-note">Read-only: your policies do not allow ecs:UpdateService.</span>`}
    ${message && html`<span data-testid="scale-message">${message}</span>`}
  </form>`;
};

export const ServicePage = ({ cluster, service, session }) => {
  const [windowIdx, setWindowIdx] = useState(0);
  const win = WINDOWS[windowIdx];
  const services = useView(
    () =>
      get(paths.services(cluster, service)).then((v) =>
        v.services.find((s) => s.serviceName === service),
      ),
    [cluster, service],
    (m) =>
      m.kind === "change" &&
      (m.entry.streamId === `service:${cluster}/${service}` ||
        m.entry.streamId.startsWith(`task:${cluster}/`)),
  );
  const tasks = useView(
    () => get(paths.tasks(cluster, service)),
    [cluster, service],
    concerns(cluster, ["task"]),
  );
  const metrics = useView(
    () => get(paths.metrics(cluster, service, win.minutes, win.period)),
    [cluster, service, win.minutes, win.period],
    (m) =>
      m.kind === "tick" ||
      (m.kind === "change" &&
        (m.entry.streamId.startsWith("alarm:") ||
          m.entry.streamId === `scalabletarget:ecs/service/${cluster}/${service}`)),
  );
  const s = services.data;
  return html`<section data-testid="service-page">
    <h1>
      <a href=${`#/services/${enc(cluster)}`}>${cluster}</a> / ${service}
      ${s && html`<${Pill} value=${s.status} />`}
    </h1>
    <${Loading} view=${services} />
    ${
      services.data === undefined && !services.error
        ? null
        : !s
          ? html`<p class="muted">No service ${service} in ${cluster}.</p>`
          : html` <div class="card">
              <p>
                ${"Desired "}<strong data-testid="desired-count">${s.desiredCount}</strong>
                ${", running "}<strong data-testid="running-count">${s.runningCount}</strong>
                ${`, pending ${s.pendingCount} · ${lastPart(s.taskDefinition)} · ${[s.launchType, s.schedulingStrategy].filter(Boolean).join(" ")}`}
              </p>
              <${ScaleForm}
                cluster=${cluster}
                service=${service}
                session=${session}
                desiredCount=${s.desiredCount}
              />
              <${Deployments} deployments=${s.deployments} />
            </div>`
    }
    <h2>
      Utilisation
      ${WINDOWS.map(
        (w, i) =>
          html` <button class=${i === windowIdx ? "" : "plain"} onClick=${() => setWindowIdx(i)}>
            ${w.label}
          </button>`,
      )}
    </h2>
    <${Loading} view=${metrics} />
    ${
      metrics.data &&
      html`<div class="charts">
          ${metrics.data.metrics.map(
            (m) =>
              html`<${UtilisationChart}
                title=${m.metricName === "CPUUtilization" ? "CPU utilisation (%)" : "Memory utilisation (%)"}
                metric=${m}
                activities=${metrics.data.scalingActivities}
                startTime=${metrics.data.startTime}
                endTime=${metrics.data.endTime}
              />`,
          )}
        </div>
        ${
          metrics.data.scalingActivities.length > 0 &&
          html`<table>
            <thead>
              <tr>
                <th>Scaling activity</th>
                <th>Status</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              ${metrics.data.scalingActivities.map(
                (a) =>
                  html`<tr data-testid="scaling-activity">
                    <td>${a.description}</td>
                    <td><${Pill} value=${a.statusCode} /></td>
                    <td>${dateTime(a.startTime)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        }
        ${metrics.data.denied.length > 0 && html`<p class="muted">Not shown (not allowed): ${metrics.data.denied.join(", ")}</p>`}`
    }
    <h2>Tasks</h2>
    <${Loading} view=${tasks} />
    ${tasks.data && html`<${TasksTable} tasks=${tasks.data.tasks} />`}
    ${
      s?.events?.length > 0 &&
      html`<h2>Service events</h2>
        <table>
          <tbody>
            ${s.events.slice(0, 10).map(
              (e) =>
                html`<tr>
                  <td class="muted">${dateTime(e.createdAt)}</td>
                  <td>${e.message}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
};

const matchesFilters = (entry, f) =>
  (!f.actor || entry.metadata.actor === f.actor) &&
  (!f.resourceArn || entry.resourceArn === f.resourceArn) &&
  (!f.eventTypes ||
    f.eventTypes
      .split(",")
      .map((t) => t.trim())
      .includes(entry.eventType));

export const EventsPage = () => {
  const [filters, setFilters] = useState({
    resourceArn: "",
    actor: "",
    eventTypes: "",
    minutes: "",
  });
  const [entries, setEntries] = useState([]);
  const [nextToken, setNextToken] = useState(undefined);
  const [error, setError] = useState(undefined);
  const [fresh, setFresh] = useState(new Set());
  const query = (f, token) => ({
    resourceArn: f.resourceArn,
    actor: f.actor,
    eventTypes: f.eventTypes,
    startTime: f.minutes
      ? String(Math.floor(Date.now() / 1000) - Number(f.minutes) * 60)
      : undefined,
    maxResults: 100,
    nextToken: token,
  });
  const load = async (f, token) => {
    try {
      const page = await get(paths.events(query(f, token)));
      setEntries((old) => (token ? [...old, ...page.events] : page.events));
      setNextToken(page.nextToken);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    void load(filters);
  }, []);
  useEffect(
    () =>
      onLive((m) => {
        if (m.kind !== "change" || !matchesFilters(m.entry, filters)) return;
        setEntries((old) =>
          old.some((e) => e.eventId === m.entry.eventId) ? old : [m.entry, ...old],
        );
        setFresh((old) => new Set(old).add(m.entry.eventId));
      }),
    [filters],
  );
  const apply = (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const f = Object.fromEntries(
      ["resourceArn", "actor", "eventTypes", "minutes"].map((k) => [
        k,
        String(form.get(k) ?? "").trim(),
      ]),
    );
    setFilters(f);
    setFresh(new Set());
    void load(f);
  };
  return html`<section data-testid="events-page">
    <h1>Event timeline</h1>
    <form class="toolbar" onSubmit=${apply}>
      <label>Resource ARN<input name="resourceArn" size="50" value=${filters.resourceArn} /></label>
      <label>Actor<input name="actor" value=${filters.actor} /></label>
      <label
        >Event types (comma-separated)<input
          name="eventTypes"
          size="30"
          value=${filters.eventTypes}
      /></label>
      <label
        >Last<select name="minutes" value=${filters.minutes}>
          <option value="">all time</option>
          <option value="15">15 min</option>
          <option value="60">1 hour</option>
          <option value="1440">1 day</option>
        </select></label
      >
      <button type="submit">Filter</button>
    </form>
    ${error && html`<p class="error">${error.code}: ${error.message}</p>`}
    <table class="timeline">
      <thead>
        <tr>
          <th>#</th>
          <th>Time</th>
          <th>Event</th>
          <th>Resource</th>
          <th>Actor</th>
          <th>Data</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (e) =>
            html`<tr
              key=${e.eventId}
              class=${fresh.has(e.eventId) ? "fresh" : ""}
              data-testid="event-row"
            >
              <td class="mono">${e.position}</td>
              <td>${dateTime(e.recordedAt)}</td>
              <td>${e.eventType}</td>
              <td class="mono" title=${e.resourceArn ?? e.streamId}>${e.streamId}</td>
              <td>${e.metadata.actor}</td>
              <td class="mono data" title=${JSON.stringify(e.data)}>${JSON.stringify(e.data)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${nextToken && html`<p><button class="plain" onClick=${() => load(filters, nextToken)}>Older events</button></p>`}
  </section>`;
};
