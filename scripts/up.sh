#!/usr/bin/env bash
# `npm start`: gets a machine ready to run Flotilla and then runs it in the foreground.
#   1. npm ci when node_modules is missing or older than package-lock.json
#   2. PostgreSQL, NATS (with JetStream) and the Docker engine: when one is not answering and this
#      is a root Debian machine, installs it with apt-get and starts it (one line each); elsewhere
#      stops with one line naming what to install
#   3. HAProxy for load balancing, the same way (LB_HAPROXY=off skips it)
#   4. creates the database named in DATABASE_URL when it is missing
#   5. compiles the services into dist/ (npm run build) and runs them from there
#   6. exec the foreground supervisor, scripts/supervise.ts (what `npm run start:services` runs)
# Settings: the services' environment (DATABASE_URL, NATS_URL, PORT, ...; docs/operations.md),
# FLOTILLA_SKIP_DOCKER=1 to start without checking the Docker engine, and FLOTILLA_NATS_USERS=<file>
# to give each service and the agent a NATS user of its own (docs/security.md, "NATS"): the file
# is created with random passwords when missing, the NATS config is generated beside it
# (FLOTILLA_NATS_CONF, default <its directory>/nats-server.conf) and a nats-server this script
# starts uses it. A NATS server that already runs is not changed: start it with that config.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "flotilla: $*"; }
fail() {
  echo "flotilla: FAILED: $*" >&2
  exit 1
}
trap 'fail "unexpected error in scripts/up.sh line $LINENO (command: $BASH_COMMAND)"' ERR

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flotilla}"
export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"

is_root() { [ "$(id -u)" = 0 ]; }
have_apt() { is_root && command -v apt-get >/dev/null 2>&1; }
apt_updated=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq >/dev/null || fail "apt-get update failed; check this machine's apt sources and network"
    apt_updated=1
    export FLOTILLA_APT_UPDATED=1
  fi
  apt-get install -y -qq "$@" >/dev/null ||
    fail "apt-get install $* failed; run 'apt-get install -y $*' by hand to see why"
}
# tcp_open HOST PORT: whether something accepts TCP connections there (2 s at most).
tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
is_local() { case "$1" in 127.* | localhost | ::1 | "[::1]") return 0 ;; *) return 1 ;; esac; }
wait_tcp() {
  local host="$1" port="$2" seconds="$3"
  for _ in $(seq $((seconds * 4))); do
    tcp_open "$host" "$port" && return 0
    sleep 0.25
  done
  return 1
}

# --- Node.js and node_modules ---------------------------------------------------------------
command -v node >/dev/null 2>&1 ||
  fail "node not found on PATH; install Node.js 20.19 or newer (it brings npm)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  fail "Node.js $(node --version) is too old; Flotilla needs Node.js 20.19 or newer"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null ||
    fail "npm ci failed in $(pwd); run 'npm ci' to see why"
fi

# Host, port and database name of a URL, via Node's URL parser.
url_part() {
  node -e '
    const u = new URL(process.argv[1]);
    const part = process.argv[2];
    if (part === "host") console.log(u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1");
    else if (part === "port") console.log(u.port || process.argv[3]);
    else console.log(decodeURIComponent(u.pathname.slice(1)));
  ' "$1" "$2" "${3:-}" 2>/dev/null || fail "cannot parse the URL '$1'; check DATABASE_URL / NATS_URL"
}

# --- PostgreSQL -----------------------------------------------------------------------------
pg_host="$(url_part "$DATABASE_URL" host)"
pg_port="$(url_part "$DATABASE_URL" port 5432)"
pg_db="$(url_part "$DATABASE_URL" db)"
[ -n "$pg_db" ] || fail "DATABASE_URL ($DATABASE_URL) names no database; add one, e.g. .../flotilla"

start_postgres() {
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$version" ] || return 1
  setsid -w pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  wait_tcp "$pg_host" "$pg_port" 30
}

if ! tcp_open "$pg_host" "$pg_port"; then
  if ! is_local "$pg_host"; then
    fail "PostgreSQL does not answer at $pg_host:$pg_port (from DATABASE_URL); start it or point DATABASE_URL at a running server"
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && is_root; then
    say "PostgreSQL is not running on $pg_host:$pg_port: starting it (pg_ctlcluster)"
    start_postgres ||
      fail "PostgreSQL did not start on $pg_host:$pg_port; see /var/log/postgresql/ and check its port in /etc/postgresql/*/main/postgresql.conf"
  elif have_apt; then
    say "PostgreSQL is not installed: installing Debian's postgresql with apt-get and starting it (trust auth on 127.0.0.1)"
    apt_install postgresql
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      # Local development set-up: the default DATABASE_URL connects as postgres without a password.
      grep -q '^host all all 127.0.0.1/32 trust' "$hba" ||
        sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    done
    setsid -w pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main restart >/dev/null 2>&1 || true
    wait_tcp "$pg_host" "$pg_port" 30 ||
      fail "PostgreSQL was installed but does not answer on $pg_host:$pg_port; see /var/log/postgresql/"
  else
    fail "PostgreSQL does not answer at $pg_host:$pg_port and cannot be installed here (needs root and apt-get); install PostgreSQL 15+ and start it, or set DATABASE_URL"
  fi
fi

# --- NATS with JetStream --------------------------------------------------------------------
nats_host="$(url_part "$NATS_URL" host)"
nats_port="$(url_part "$NATS_URL" port 4222)"
nats_conf=""
if [ -n "${FLOTILLA_NATS_USERS:-}" ]; then
  nats_conf="${FLOTILLA_NATS_CONF:-$(dirname "$FLOTILLA_NATS_USERS")/nats-server.conf}"
  node --import tsx scripts/natsConfig.ts --init --users "$FLOTILLA_NATS_USERS" --out "$nats_conf" \
    --prefix "${FLOTILLA_PREFIX:-flotilla}" --listen "$nats_host:$nats_port" ||
    fail "cannot write the NATS config from FLOTILLA_NATS_USERS ($FLOTILLA_NATS_USERS); fix the file named above"
fi
start_nats() {
  mkdir -p /var/lib/nats-server
  # start-stop-daemon --background detaches it into its own session. The flags override the
  # config's listen address; its store directory would clash with -sd, so it has none.
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    ${nats_conf:+-c "$nats_conf"} \
    -a "$nats_host" -p "$nats_port" -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_tcp "$nats_host" "$nats_port" 20
}
# Whether the server's greeting (its INFO line) says it checks users.
nats_requires_auth() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$nats_host/$nats_port; head -n 1 <&3" 2>/dev/null |
    grep -q '"auth_required":true'
}
if ! tcp_open "$nats_host" "$nats_port"; then
  if ! is_local "$nats_host"; then
    fail "NATS does not answer at $nats_host:$nats_port (from NATS_URL); start it (with JetStream, -js) or point NATS_URL at a running server"
  fi
  if [ -x /usr/sbin/nats-server ] && is_root; then
    say "NATS is not running on $nats_host:$nats_port: starting nats-server with JetStream"
    start_nats || fail "nats-server did not start on $nats_host:$nats_port; see /var/log/nats-server.log"
  elif have_apt; then
    say "NATS is not installed: installing Debian's nats-server with apt-get and starting it with JetStream"
    apt_install nats-server
    start_nats || fail "nats-server was installed but does not answer on $nats_host:$nats_port; see /var/log/nats-server.log"
  else
    fail "NATS does not answer at $nats_host:$nats_port and cannot be installed here (needs root and apt-get); install nats-server and run 'nats-server -js', or set NATS_URL"
  fi
elif [ -n "$nats_conf" ] && ! nats_requires_auth; then
  say "WARNING: NATS at $nats_host:$nats_port already runs and accepts anyone: the users in $FLOTILLA_NATS_USERS are not enforced; restart it with 'nats-server -c $nats_conf' (docs/security.md, \"NATS\")"
fi

# --- Docker engine (the agent runs tasks' containers there) ----------------------------------
if [ "${FLOTILLA_SKIP_DOCKER:-}" != 1 ] && ! docker info >/dev/null 2>&1; then
  # install-docker.sh says in one line what it installs or starts, or why it cannot.
  bash scripts/install-docker.sh || exit 1
fi

# --- HAProxy (the scheduler runs it as its child for load balancing) -------------------------
if [ "${LB_HAPROXY:-}" != off ] && [ ! -x "${LB_HAPROXY_BIN:-/usr/sbin/haproxy}" ]; then
  if have_apt; then
    say "HAProxy is not installed: installing Debian's haproxy with apt-get (the scheduler runs it; LB_HAPROXY=off skips this)"
    apt_install haproxy
    # The package starts its own instance from /etc/haproxy; the scheduler runs the one it needs.
    { service haproxy stop || pkill -x haproxy || true; } >/dev/null 2>&1
  else
    say "HAProxy is not installed, so load balancers have no listeners; install haproxy (2.6+) or set LB_HAPROXY=off to silence this"
  fi
fi

# --- the database -----------------------------------------------------------------------------
# Connects to the server's maintenance database and creates $pg_db when it is missing.
node --input-type=module -e '
  import pg from "pg";
  const target = new URL(process.env.DATABASE_URL);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(target);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 10000 });
  try {
    await client.connect();
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name.replace(/"/g, "\"\"")}"`);
      console.log(`flotilla: created the database ${name}`);
    }
  } catch (error) {
    console.error(`flotilla: FAILED: cannot create or check the database ${name} at ${admin.host}: ${error.message}; check DATABASE_URL and that its user may create databases`);
    process.exit(1);
  } finally {
    await client.end().catch(() => undefined);
  }
' || exit 1

# The services run compiled (scripts/buildServices.ts): they start in a third of the time tsx takes.
say "compiling the services into dist/"
node --import tsx scripts/buildServices.ts dist >/dev/null ||
  fail "compiling the services failed; run 'npm run build' to see why"
export FLOTILLA_SERVICES_BUILD=dist

trap - ERR
# The same as `npm run start:services`, without the npm, sh and tsx processes in between: a signal
# sent to `npm start` reaches only its direct child, and the supervisor notices when that dies.
exec node --import tsx scripts/supervise.ts
