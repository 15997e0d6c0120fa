import type {
  DesiredState,
  DesiredTarget,
} from "../../../../services/scheduler/loadBalancing/haproxy/desiredState.js";

export const TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123";

export const target = (
  id: string,
  port: number,
  extra: Partial<DesiredTarget> = {},
): DesiredTarget => ({
  id,
  port,
  address: "127.0.0.1",
  state: "healthy",
  ...extra,
});

export const desiredWith = (targets: DesiredTarget[], matcher = "200"): DesiredState => ({
  listeners: [{ port: 8080, targetGroupArn: TG }],
  targetGroups: [
    {
      arn: TG,
      name: "web",
      deregistrationDelaySeconds: 30,
      healthCheck: {
        protocol: "HTTP",
        path: "/health",
        port: "traffic-port",
        intervalSeconds: 5,
        timeoutSeconds: 2,
        healthyThresholdCount: 3,
        unhealthyThresholdCount: 2,
        matcher,
      },
      targets,
    },
  ],
});

const HEADER =
  "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo";

/** A `show stat` answer: rows [pxname, svname, status, scur, weight, check_status, check_code, check_desc]. */
export const showStatCsv = (
  rows: [string, string, string, number, number, string, string, string][],
): string => {
  const cols = HEADER.slice(2).split(",");
  const lines = rows.map(([px, sv, status, scur, weight, cs, cc, desc]) => {
    const f = cols.map(() => "");
    const set = (name: string, v: string) => (f[cols.indexOf(name)] = v);
    set("pxname", px);
    set("svname", sv);
    set("status", status);
    set("scur", String(scur));
    set("weight", String(weight));
    set("check_status", cs);
    set("check_code", cc);
    set("check_desc", desc.includes(",") ? `"${desc}"` : desc);
    return f.join(",");
  });
  return [HEADER, ...lines, ""].join("\n");
};
