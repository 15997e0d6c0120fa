/** A server's row of `show stat`, the fields the controller reads. */
export interface ServerStat {
  readonly backend: string;
  readonly server: string;
  /** `UP`, `UP 1/3`, `DOWN`, `DOWN 1/2`, `DRAIN`, `MAINT`, `MAINT (via …)`, `no check`, … */
  readonly status: string;
  /** Current sessions on the server. */
  readonly scur: number;
  /** `INI`, `L4OK`, `L7OK`, `L4CON`, `L4TOUT`, `L7STS`, `L7TOUT`, `L7RSP`, `SOCKERR`, … (a leading `* ` means in progress). */
  readonly checkStatus: string;
  readonly checkCode: string;
  readonly checkDesc: string;
  readonly weight: number;
  readonly address: string;
}

/** The proxies (frontends, backends) and servers of one `show stat`. */
export interface ObservedStat {
  readonly frontends: readonly string[];
  readonly backends: readonly string[];
  readonly servers: readonly ServerStat[];
}

export class StatParseError extends Error {
  override readonly name = "StatParseError";
  readonly retryable = true;
}

/** One CSV line; HAProxy quotes a string field holding a comma or a quote (`""` inside). */
export const splitCsvLine = (line: string): string[] => {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
};

/** Parses the CSV of `show stat` (header line `# pxname,svname,…`). */
export const parseShowStat = (csv: string): ObservedStat => {
  const lines = csv.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0];
  if (!header?.startsWith("# "))
    throw new StatParseError(`not a show stat output: ${csv.slice(0, 80)}`);
  const columns = header.slice(2).split(",");
  const index = (name: string): number => {
    const i = columns.indexOf(name);
    if (i < 0) throw new StatParseError(`show stat has no column ${name}`);
    return i;
  };
  const col = {
    pxname: index("pxname"),
    svname: index("svname"),
    scur: index("scur"),
    status: index("status"),
    weight: index("weight"),
    checkStatus: index("check_status"),
    checkCode: index("check_code"),
    checkDesc: columns.indexOf("check_desc"),
    addr: columns.indexOf("addr"),
  };
  const frontends: string[] = [];
  const backends: string[] = [];
  const servers: ServerStat[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith("#")) continue;
    const f = splitCsvLine(line);
    const at = (i: number): string => (i >= 0 ? (f[i] ?? "") : "");
    const px = at(col.pxname);
    const sv = at(col.svname);
    if (sv === "FRONTEND") frontends.push(px);
    else if (sv === "BACKEND") backends.push(px);
    else {
      servers.push({
        backend: px,
        server: sv,
        status: at(col.status),
        scur: Number(at(col.scur)) || 0,
        checkStatus: at(col.checkStatus),
        checkCode: at(col.checkCode),
        checkDesc: at(col.checkDesc),
        weight: Number(at(col.weight)) || 0,
        address: at(col.addr),
      });
    }
  }
  return { frontends, backends, servers };
};
