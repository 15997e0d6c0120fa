/**
 * HAProxy object names for Flotilla's objects. HAProxy allows letters,
 * digits, `-`, `_`, `.` and `:` in proxy and server names; anything else
 * becomes `_`. Target group names are unique (ELBv2 rule), so the backend
 * name is derived from the name alone.
 */
const clean = (s: string): string => s.replace(/[^A-Za-z0-9_.:-]/g, "_");

export const backendName = (targetGroupName: string): string => `tg_${clean(targetGroupName)}`;

export const frontendName = (port: number): string => `listener_${port}`;

/** One server per target: `<instanceId>_<port>`. */
export const serverName = (target: { readonly id: string; readonly port: number }): string =>
  `${clean(target.id)}_${target.port}`;
