#!/bin/sh
# The service's RSS (VmRSS of its process; the pre-started init is a process of its own, listed
# apart) on the machine's Node and on Node 24 when present: 2 s after `slipway service start`,
# right after `slipway import` + one `run --rm IMG true` (the Worker pool is warm then), and
# after 30 s more of idleness (the pool is released after 15 s: runtime/service/parts/pool.ts).
# Needs root, `npm run build`, busybox-static; everything lives under one temp dir, removed.
#
#   sh bench/service-memory.sh [IDLE_SECONDS]      (default 30)
set -eu
IDLE=${1:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
SLIPWAY="$here/bin/slipway"
NODE24=${SLIPWAY_CACHE:-$HOME/.cache/slipway}/node24/bin/node
work=$(mktemp -d /tmp/slipway-mem-XXXXXX)
IMG=slipway-bench/busybox:latest

cleanup() {
  set +e
  for d in "$work"/n*; do
    [ -d "$d/state" ] || continue
    SLIPWAY_ROOT="$d/state" SLIPWAY_SOCKET="$d/run/slipway.sock" "$SLIPWAY" service stop >/dev/null 2>&1
  done
  grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

rootfs="$work/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp"
cp /bin/busybox "$rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
tar -C "$rootfs" -cf "$work/rootfs.tar" .

rss() { awk '/^VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }
inits() { # RSS of the service's children (the pre-started init), or "none"
  kids=$(ps --ppid "$1" -o rss= 2>/dev/null | awk '{s += $1; n++} END {if (n) printf "%d (%.1f MB)", n, s / 1024; else print "none"}')
  echo "$kids"
}

measure() { # NAME NODE
  d="$work/n$1"
  mkdir -p "$d"
  export SLIPWAY_ROOT="$d/state" SLIPWAY_SOCKET="$d/run/slipway.sock" SLIPWAY_NODE="$2"
  "$SLIPWAY" service start </dev/null >/dev/null
  pid=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$SLIPWAY_ROOT/service.lock")
  sleep 2
  started=$(rss "$pid")
  "$SLIPWAY" import "$work/rootfs.tar" "$IMG" >/dev/null
  "$SLIPWAY" run --rm "$IMG" true
  sleep 1
  busy=$(rss "$pid"); busy_inits=$(inits "$pid")
  sleep "$IDLE"
  idle=$(rss "$pid"); idle_inits=$(inits "$pid")
  printf '| %s (%s) | %s | %s, children %s | %s, children %s |\n' "$1" "$("$2" --version)" "$started" "$busy" "$busy_inits" "$idle" "$idle_inits"
  "$SLIPWAY" service stop >/dev/null
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| Node | 2 s after start | after import + one run --rm | after $IDLE s more idle |"
echo "|---|---|---|---|"
measure node20 "$(command -v node)"
[ -x "$NODE24" ] && measure node24 "$NODE24"
