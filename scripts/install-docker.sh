#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`: installs Debian's docker.io when dockerd is
# missing (needs root and apt-get), then starts dockerd in the background with its log in
# /var/log/dockerd.log, trying the overlay2 storage driver first and vfs when overlay2 fails.
# Idempotent: when `docker info` already works it does nothing.
#
# Environment:
#   FLOTILLA_APT_UPDATED=1      skip `apt-get update` (the caller already ran it)
#   DOCKERD_LOG                 dockerd's log file (default /var/log/dockerd.log)
#   DOCKERD_STORAGE_DRIVER      force one storage driver instead of trying overlay2 then vfs
#   DOCKERD_START_TIMEOUT       seconds to wait for each start attempt (default 60)
set -euo pipefail

say() { echo "[docker] $*"; }
fail() {
  echo "[docker] FAILED: $*" >&2
  exit 1
}

if docker info >/dev/null 2>&1; then
  say "engine already running ($(docker info --format '{{.ServerVersion}}, storage driver {{.Driver}}' 2>/dev/null))"
  exit 0
fi

is_root() { [ "$(id -u)" = 0 ]; }

if ! command -v dockerd >/dev/null 2>&1; then
  if is_root && command -v apt-get >/dev/null 2>&1; then
    say "dockerd not found: installing Debian's docker.io with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if [ "${FLOTILLA_APT_UPDATED:-}" != 1 ]; then
      apt-get update -qq >/dev/null || fail "apt-get update failed; check the machine's apt sources"
    fi
    apt-get install -y -qq docker.io >/dev/null ||
      fail "apt-get install docker.io failed; run 'apt-get install -y docker.io' by hand to see why"
  else
    fail "no Docker engine: dockerd is not installed and this is not a root Debian machine; install Docker Engine (Debian: 'apt-get install docker.io') and start it"
  fi
  # The package's own init script may have started it already.
  if docker info >/dev/null 2>&1; then
    say "engine started by the package"
    exit 0
  fi
fi

command -v docker >/dev/null 2>&1 ||
  fail "the docker client is missing (dockerd is at $(command -v dockerd)); install docker.io"

if ! is_root; then
  fail "dockerd is installed but not answering, and starting it needs root; start it (e.g. 'sudo dockerd &') or add your user to the docker group"
fi

LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
TIMEOUT="${DOCKERD_START_TIMEOUT:-60}"
mkdir -p "$(dirname "$LOG")"

# A dockerd killed without cleaning up leaves its pid file behind, and then refuses to start.
for pidfile in /var/run/docker.pid /run/docker.pid; do
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
    fi
  fi
done

# Pids of dockerd processes that are alive (not zombies waiting to be reaped).
live_dockerd() {
  local pid state
  for pid in $(pgrep -x dockerd 2>/dev/null || true); do
    state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
    [ -n "$state" ] && [ "$state" != Z ] && echo "$pid"
  done
  return 0
}

# If a dockerd is alive but not answering yet (e.g. started a moment ago), give it a chance first.
if [ -n "$(live_dockerd)" ]; then
  say "dockerd is running but not answering yet; waiting up to ${TIMEOUT}s"
  for _ in $(seq "$TIMEOUT"); do
    if docker info >/dev/null 2>&1; then
      say "engine ready"
      exit 0
    fi
    [ -n "$(live_dockerd)" ] || break
    sleep 1
  done
  pids="$(live_dockerd | tr '\n' ' ')"
  [ -z "$pids" ] ||
    fail "dockerd (pid $pids) is running but 'docker info' does not answer; see $LOG, or stop it (kill $pids) and run this again"
  say "that dockerd has exited; starting a new one"
fi

# Starts dockerd with one storage driver; returns 0 once `docker info` answers, 1 if dockerd died
# or did not answer in time (and is then stopped again).
try_driver() {
  local driver="$1" pid
  say "starting dockerd (storage driver $driver, log $LOG)"
  echo "=== $(date -u +%FT%TZ) starting dockerd --storage-driver=$driver" >>"$LOG"
  # Its own session: a Ctrl-C meant for the caller (e.g. `npm start`) must not stop the engine.
  setsid dockerd --storage-driver="$driver" >>"$LOG" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq $((TIMEOUT * 2))); do
    if docker info >/dev/null 2>&1; then
      say "engine ready (dockerd pid $pid, storage driver $driver)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null && [ -z "$(live_dockerd)" ]; then
      say "dockerd exited with storage driver $driver: $(tail -n 3 "$LOG" | tr '\n' ' ' | cut -c1-400)"
      return 1
    fi
    sleep 0.5
  done
  say "dockerd did not answer within ${TIMEOUT}s with storage driver $driver; stopping it"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f /var/run/docker.pid
  return 1
}

if [ -n "${DOCKERD_STORAGE_DRIVER:-}" ]; then
  drivers=("$DOCKERD_STORAGE_DRIVER")
else
  drivers=(overlay2 vfs)
fi
for driver in "${drivers[@]}"; do
  if try_driver "$driver"; then
    exit 0
  fi
done
fail "could not start dockerd with storage driver(s) ${drivers[*]}; read $LOG for the reason"
