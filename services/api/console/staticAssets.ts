import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface StaticAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

/** `/console/<name>` → the file: the front-end in static/, its two libraries from node_modules. */
const SOURCES: Record<string, string> = {
  "index.html": new URL("./static/index.html", import.meta.url).href,
  "app.js": new URL("./static/app.js", import.meta.url).href,
  "api.js": new URL("./static/api.js", import.meta.url).href,
  "pages.js": new URL("./static/pages.js", import.meta.url).href,
  "charts.js": new URL("./static/charts.js", import.meta.url).href,
  "format.js": new URL("./static/format.js", import.meta.url).href,
  "style.css": new URL("./static/style.css", import.meta.url).href,
  "vendor/preact-htm.js": import.meta.resolve("htm/preact/standalone"),
  "vendor/uPlot.js": import.meta.resolve("uplot/dist/uPlot.iife.min.js"),
  "vendor/uPlot.css": import.meta.resolve("uplot/dist/uPlot.min.css"),
};

/** Every asset read once, at start: a page load is answered from memory, revalidated by ETag. */
export const loadStaticAssets = (): ReadonlyMap<string, StaticAsset> =>
  new Map(
    Object.entries(SOURCES).map(([name, url]) => {
      const body = readFileSync(fileURLToPath(url));
      const ext = name.slice(name.lastIndexOf(".") + 1);
      return [
        name,
        {
          body,
          contentType: TYPES[ext] ?? "application/octet-stream",
          etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
        },
      ];
    }),
  );
