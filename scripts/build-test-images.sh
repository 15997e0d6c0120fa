#!/usr/bin/env bash
# Builds the test images in tests/fixtures/images/<name>/ as flotilla-test/<name>:latest.
# Every image is FROM scratch; Debian's static busybox is copied into each build context as
# `busybox`, and the programs an image's `host-binaries` lists (with their shared libraries) as
# `rootfs/`. Idempotent and fast: an image whose inputs (Dockerfile, context files, busybox) are
# unchanged is not rebuilt (the inputs' hash is kept in the image label flotilla.fixture.hash).
#
# Usage: scripts/build-test-images.sh [name ...]     (default: every folder)
# Environment: BUSYBOX (default /bin/busybox), FLOTILLA_APT_UPDATED=1 to skip `apt-get update`.
set -euo pipefail

say() { echo "[test-images] $*"; }
fail() {
  echo "[test-images] FAILED: $*" >&2
  exit 1
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGES_DIR="$ROOT/tests/fixtures/images"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

is_static() { [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1; }

if ! is_static "$BUSYBOX"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "no static busybox at $BUSYBOX: installing Debian's busybox-static"
    export DEBIAN_FRONTEND=noninteractive
    if [ "${FLOTILLA_APT_UPDATED:-}" != 1 ]; then
      apt-get update -qq >/dev/null || fail "apt-get update failed; check the machine's apt sources"
    fi
    apt-get install -y -qq busybox-static >/dev/null ||
      fail "apt-get install busybox-static failed; run it by hand to see why"
  fi
  is_static "$BUSYBOX" ||
    fail "no statically linked busybox at $BUSYBOX; install Debian's busybox-static (apt-get install busybox-static) or set BUSYBOX=/path/to/static/busybox"
fi

if ! docker info >/dev/null 2>&1; then
  bash "$ROOT/scripts/install-docker.sh"
fi

if [ "$#" -gt 0 ]; then
  names=("$@")
else
  names=()
  for dir in "$IMAGES_DIR"/*/; do
    [ -f "$dir/Dockerfile" ] && names+=("$(basename "$dir")")
  done
fi
[ "${#names[@]}" -gt 0 ] || fail "no image folders with a Dockerfile in $IMAGES_DIR"

busybox_sum="$(sha256sum "$BUSYBOX" | cut -d' ' -f1)"

for name in "${names[@]}"; do
  dir="$IMAGES_DIR/$name"
  [ -f "$dir/Dockerfile" ] || fail "no Dockerfile in $dir"
  image="flotilla-test/$name:latest"
  hash="$(
    {
      echo "busybox $busybox_sum"
      (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
      if [ -f "$dir/host-binaries" ]; then
        while read -r bin; do [ -n "$bin" ] && sha256sum "$bin"; done <"$dir/host-binaries"
      fi
    } | sha256sum | cut -c1-32
  )"
  current="$(docker image inspect --format '{{ index .Config.Labels "flotilla.fixture.hash" }}' "$image" 2>/dev/null || true)"
  if [ "$current" = "$hash" ]; then
    say "$image is up to date"
    continue
  fi
  ctx="$(mktemp -d)"
  cp -a "$dir/." "$ctx/"
  cp "$BUSYBOX" "$ctx/busybox"
  if [ -f "$dir/host-binaries" ]; then
    # Host programs (one path a line) with the shared libraries ldd lists, under rootfs/ at
    # their own paths, for a FROM scratch image to COPY (e.g. node for the node-signer image).
    rm -f "$ctx/host-binaries"
    while read -r bin; do
      [ -n "$bin" ] || continue
      [ -x "$bin" ] || fail "$dir/host-binaries: $bin is not an executable on this host"
      for file in "$bin" $(ldd "$bin" | grep -o '/[^ ]*'); do
        mkdir -p "$ctx/rootfs$(dirname "$file")"
        cp -L "$file" "$ctx/rootfs$file"
      done
    done <"$dir/host-binaries"
  fi
  say "building $image"
  if ! out="$(DOCKER_BUILDKIT=0 docker build -q --label "flotilla.fixture.hash=$hash" -t "$image" "$ctx" 2>&1)"; then
    rm -rf "$ctx"
    echo "$out" | tail -n 20 >&2
    fail "docker build of $image (from $dir) failed; output above"
  fi
  rm -rf "$ctx"
  say "built $image ($(echo "$out" | tail -n 1 | cut -c1-19))"
done
