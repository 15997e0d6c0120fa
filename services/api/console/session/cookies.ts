/** The console's session cookie: HttpOnly, SameSite=Strict, scoped to /console. */
export const SESSION_COOKIE = "flotilla_console";
export const SESSION_COOKIE_PATH = "/console";

/** `name=value` pairs of a Cookie header (the first of a repeated name wins). */
export const parseCookies = (header: string | undefined): ReadonlyMap<string, string> => {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
};

export const sessionCookie = (token: string, maxAgeSeconds: number, secure: boolean): string =>
  [
    `${SESSION_COOKIE}=${token}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
  ].join("; ");

export const clearedSessionCookie = (secure: boolean): string => sessionCookie("", 0, secure);
