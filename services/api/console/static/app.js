// The console's shell: the session, the live feed, the navigation and the router (hash routes).
import { html, render, useEffect, useState } from "./vendor/preact-htm.js";
import { get, onLive, post, startLive, stopLive, whenUnauthenticated } from "./api.js";
import {
  ClustersPage,
  EventsPage,
  LoginPage,
  ServicePage,
  ServicesPage,
  TasksPage,
} from "./pages.js";

const parseRoute = (hash) => {
  const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  switch (parts[0]) {
    case "services":
      return { page: "services", cluster: parts[1] };
    case "service":
      return { page: "service", cluster: parts[1], service: parts[2] };
    case "tasks":
      return { page: "tasks", cluster: parts[1] };
    case "events":
      return { page: "events" };
    default:
      return { page: "clusters" };
  }
};

const useRoute = () => {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
};

const LiveIndicator = () => {
  const [live, setLive] = useState(false);
  useEffect(() => onLive((m) => m.kind === "state" && setLive(m.live)), []);
  return html`<span
    class=${`live ${live ? "on" : "off"}`}
    data-testid="live"
    data-live=${String(live)}
    >${live ? "live" : "offline"}</span
  >`;
};

const Nav = ({ route, session, cluster, onLogout }) => {
  const link = (href, label, active) =>
    html`<a href=${href} class=${active ? "active" : ""}>${label}</a>`;
  const c = encodeURIComponent(cluster);
  return html`<header class="top">
    <span class="brand">Flotilla</span>
    ${link("#/clusters", "Clusters", route.page === "clusters")}
    ${link(`#/services/${c}`, "Services", route.page === "services" || route.page === "service")}
    ${link(`#/tasks/${c}`, "Tasks", route.page === "tasks")}
    ${link("#/events", "Events", route.page === "events")}
    <span class="who">
      <${LiveIndicator} />
      <span data-testid="principal" title=${session.principal.arn}
        >${session.principal.name}${session.canUpdateServices ? "" : " (read-only)"}</span
      >
      <button class="plain" onClick=${onLogout}>Log out</button>
    </span>
  </header>`;
};

const App = () => {
  const [session, setSession] = useState(undefined); // undefined: checking; null: logged out
  const route = useRoute();
  const [defaultCluster, setDefaultCluster] = useState("default");

  useEffect(() => {
    whenUnauthenticated(() => {
      stopLive();
      setSession(null);
    });
    get("/session").then(setSession, () => setSession(null));
  }, []);
  useEffect(() => {
    if (session) startLive();
  }, [session]);
  useEffect(() => {
    if (route.cluster) setDefaultCluster(route.cluster);
  }, [route.cluster]);

  if (session === undefined) return html`<p class="muted pad">Loading…</p>`;
  if (session === null) return html`<${LoginPage} onLogin=${setSession} />`;
  const logout = async () => {
    await post("/logout").catch(() => undefined);
    stopLive();
    setSession(null);
  };
  const cluster = route.cluster ?? defaultCluster;
  let page;
  switch (route.page) {
    case "services":
      page = html`<${ServicesPage} cluster=${cluster} />`;
      break;
    case "service":
      page = html`<${ServicePage}
        cluster=${cluster}
        service=${route.service}
        session=${session}
      />`;
      break;
    case "tasks":
      page = html`<${TasksPage} cluster=${cluster} />`;
      break;
    case "events":
      page = html`<${EventsPage} />`;
      break;
    default:
      page = html`<${ClustersPage} />`;
  }
  return html`<${Nav} route=${route} session=${session} cluster=${cluster} onLogout=${logout} />
    <main>${page}</main>`;
};

render(html`<${App} />`, document.getElementById("app"));
