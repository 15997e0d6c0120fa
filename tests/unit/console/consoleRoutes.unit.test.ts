import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { CommandClient } from "../../../shared/bus/index.js";
import { createDb } from "../../../shared/db/index.js";
import { buildApiServer } from "../../../services/api/server.js";
import { READ_ONLY_KEY, testPrincipalDirectory } from "../../fixtures/iam.js";

interface ConsoleError {
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * The console's routes that need neither Postgres nor NATS: the static
 * front-end, login, the session cookie and the checks in front of every view.
 * (The views themselves run against a real system in tests/e2e/console.e2e.test.ts.)
 */
describe("console routes", () => {
  // Never connected: no route under test reads the database or sends a command.
  const db = createDb("postgres://nobody@127.0.0.1:1/none");
  const app = buildApiServer({
    db,
    commands: {} as CommandClient,
    arn: { region: "us-east-1", accountId: "000000000000" },
    log: pino({ level: "silent" }),
    maxBodyBytes: 1024 * 1024,
    ready: () => Promise.resolve({ ready: true, checks: {} }),
    iam: testPrincipalDirectory(),
  });
  beforeAll(() => app.ready());
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  const loginAs = (
    accessKeyId: string,
    secretAccessKey: string,
    headers = { "x-flotilla-console": "1" },
  ) =>
    app.inject({
      method: "POST",
      url: "/console/api/login",
      headers: { "content-type": "application/json", ...headers },
      payload: JSON.stringify({ accessKeyId, secretAccessKey }),
    });

  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    String(res.headers["set-cookie"]).split(";")[0]!;

  it("serves the front-end and its libraries, with a content security policy and ETags", async () => {
    const page = await app.inject({ method: "GET", url: "/console/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.body).toContain('src="/console/app.js"');
    for (const asset of [
      "app.js",
      "api.js",
      "pages.js",
      "charts.js",
      "format.js",
      "style.css",
      "vendor/preact-htm.js",
      "vendor/uPlot.js",
      "vendor/uPlot.css",
    ]) {
      const res = await app.inject({ method: "GET", url: `/console/${asset}` });
      expect(res.statusCode, asset).toBe(200);
      expect(res.body.length, asset).toBeGreaterThan(100);
      const again = await app.inject({
        method: "GET",
        url: `/console/${asset}`,
        headers: { "if-none-match": String(res.headers.etag) },
      });
      expect(again.statusCode, asset).toBe(304);
    }
    expect((await app.inject({ method: "GET", url: "/console/../server.ts" })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ method: "GET", url: "/console/nope.js" })).statusCode).toBe(404);
    const bare = await app.inject({ method: "GET", url: "/console" });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe("/console/");
  });

  it("answers every view 401 without a session", async () => {
    for (const url of [
      "/console/api/session",
      "/console/api/clusters",
      "/console/api/clusters/default/services",
      "/console/api/clusters/default/tasks",
      "/console/api/clusters/default/services/web/metrics",
      "/console/api/events",
      "/console/api/live",
    ]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toEqual({
        error: { code: "Unauthenticated", message: "Log in to use the console." },
      });
    }
  });

  it("refuses a wrong secret, an unknown key, a bad body and a login without the console header", async () => {
    const wrong = await loginAs(READ_ONLY_KEY, "wrong");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json<ConsoleError>().error.code).toBe("InvalidCredentials");
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    expect((await loginAs("AKIDNOBODY", "test")).statusCode).toBe(401);
    expect((await loginAs(READ_ONLY_KEY, "test", {} as never)).statusCode).toBe(403);
    const bad = await app.inject({
      method: "POST",
      url: "/console/api/login",
      headers: { "x-flotilla-console": "1" },
      payload: "{not json",
    });
    expect(bad.statusCode).toBe(400);
    const missing = await app.inject({
      method: "POST",
      url: "/console/api/login",
      headers: { "x-flotilla-console": "1" },
      payload: JSON.stringify({ accessKeyId: "AKIDALICE" }),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ConsoleError>().error.message).toContain("body.secretAccessKey");
  });

  it("logs in with the API's credentials: an HttpOnly SameSite=Strict cookie that names the principal", async () => {
    const res = await loginAs(READ_ONLY_KEY, "test");
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(
      /^flotilla_console=[\w-]+\.[\w-]+; Path=\/console; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
    expect(res.json()).toMatchObject({
      principal: { name: "readonly", arn: "arn:aws:iam::000000000000:user/readonly" },
      accessKeyId: READ_ONLY_KEY,
      canUpdateServices: false,
    });
    const session = await app.inject({
      method: "GET",
      url: "/console/api/session",
      headers: { cookie: cookieOf(res) },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json<{ principal: { name: string } }>().principal.name).toBe("readonly");

    const admin = await loginAs("AKIDALICE", "test");
    expect(admin.json<{ canUpdateServices: boolean }>().canUpdateServices).toBe(true);
  });

  it("refuses a forged cookie", async () => {
    const res = await loginAs("AKIDALICE", "test");
    const [name, token] = cookieOf(res).split("=");
    const [payload] = token!.split(".");
    const session = await app.inject({
      method: "GET",
      url: "/console/api/session",
      headers: { cookie: `${name}=${payload}.${"A".repeat(43)}` },
    });
    expect(session.statusCode).toBe(401);
  });

  it("refuses a state change without the console header, even with a session", async () => {
    const cookie = cookieOf(await loginAs("AKIDALICE", "test"));
    const scale = await app.inject({
      method: "POST",
      url: "/console/api/clusters/default/services/web/scale",
      headers: { cookie, "content-type": "application/json" },
      payload: JSON.stringify({ desiredCount: 2 }),
    });
    expect(scale.statusCode).toBe(403);
    expect(scale.json<ConsoleError>().error.code).toBe("CsrfCheckFailed");
    const logout = await app.inject({
      method: "POST",
      url: "/console/api/logout",
      headers: { cookie },
    });
    expect(logout.statusCode).toBe(403);
    const ok = await app.inject({
      method: "POST",
      url: "/console/api/logout",
      headers: { cookie, "x-flotilla-console": "1" },
    });
    expect(ok.statusCode).toBe(200);
    expect(String(ok.headers["set-cookie"])).toContain("Max-Age=0");
  });
});
