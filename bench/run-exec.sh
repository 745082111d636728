#!/bin/sh
# `run --rm IMG true` and `exec CTR true`, side by side in one hyperfine run each: slipway's
# CLI (on the machine's Node and, when present, on Node 24 — SLIPWAY_NODE), the stock docker
# CLI against the Slipway service, runc and crun on an OCI bundle of the same busybox rootfs,
# podman when it works here and dockerd 20.10 (bench/peers.sh) when installed. Also the
# service's idle RSS. Needs root, `npm run build`, busybox-static, hyperfine; everything it
# makes lives under one temp dir, removed at the end.
#
#   sh bench/run-exec.sh [RUNS]        (default 20 runs per command)
set -eu
RUNS=${1:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
SLIPWAY="$here/bin/slipway"
DOCKER=/usr/local/bin/docker
NODE24=${SLIPWAY_CACHE:-$HOME/.cache/slipway}/node24/bin/node
work=$(mktemp -d /tmp/slipway-bench-XXXXXX)
export SLIPWAY_ROOT="$work/state" SLIPWAY_SOCKET="$work/run/slipway.sock" DOCKER_HOST="unix://$work/run/slipway.sock"
export DOCKER_CONFIG="$work/docker-config"
mkdir -p "$DOCKER_CONFIG" && echo "{}" >"$DOCKER_CONFIG/config.json"
IMG=slipway-bench/busybox:latest
RESULTS="$work/results"
mkdir -p "$RESULTS"

note() { printf '%s\n' "$*" >&2; }
# The 1-minute load average before each table: on this shared 2-core machine anything above 2
# means other work competed for the CPUs (compare rows within a table only).
LOADS="$work/loads"
load_mark() { printf '%s: load %s\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$LOADS"; }

cleanup() {
  set +e
  ids=$("$SLIPWAY" ps -aq 2>/dev/null); [ -n "$ids" ] && "$SLIPWAY" rm -f $ids >/dev/null 2>&1
  "$SLIPWAY" service stop >/dev/null 2>&1
  runc kill bench-runc-exec KILL >/dev/null 2>&1; sleep 0.2; runc delete -f bench-runc-exec >/dev/null 2>&1
  crun kill bench-crun-exec KILL >/dev/null 2>&1; sleep 0.2; crun delete -f bench-crun-exec >/dev/null 2>&1
  if [ -n "${PODMAN_OK:-}" ]; then podman $PODMAN_ARGS rm -af >/dev/null 2>&1; podman $PODMAN_ARGS system reset -f >/dev/null 2>&1; fi
  [ -z "${PEERS:-}" ] || SLIPWAY_PEERS_DIR=$PEERS "$here/bench/peers.sh" stop >/dev/null 2>&1
  grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# ---- the rootfs, as an image in Slipway's store and as an OCI bundle ----------------------
rootfs="$work/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp" "$rootfs/root"
cp /bin/busybox "$rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
tar -C "$rootfs" -cf "$work/rootfs.tar" .

"$SLIPWAY" service start </dev/null >/dev/null 2>&1
"$SLIPWAY" import "$work/rootfs.tar" "$IMG" >/dev/null
svc_pid=$(jq -r .pid "$SLIPWAY_ROOT/service.lock")
sleep 1
idle_rss=$(grep VmRSS /proc/$svc_pid/status | awk '{print $2/1024 " MB"}')

bundle() { # DIR ARGS-JSON
  mkdir -p "$1"
  (cd "$1" && runc spec)
  jq --arg root "$rootfs" --argjson args "$2" '.root = {path: $root, readonly: true} | .process.terminal = false | .process.args = $args' \
    "$1/config.json" >"$1/config.json.new" && mv "$1/config.json.new" "$1/config.json"
}
bundle "$work/bundle-true" '["true"]'
bundle "$work/bundle-sleep" '["sleep","1000"]'

# ---- long-running containers for exec ------------------------------------------------------
"$SLIPWAY" run -d --name bench-exec "$IMG" sleep 1000 >/dev/null </dev/null
runc run -d --bundle "$work/bundle-sleep" bench-runc-exec </dev/null >/dev/null 2>&1
# crun 1.8 refuses the hybrid cgroup layout here: run it where cgroup2 is not mounted.
CRUN_NS="unshare -m --propagation private sh -c"
$CRUN_NS "umount /sys/fs/cgroup/unified 2>/dev/null; crun run -d --bundle '$work/bundle-sleep' bench-crun-exec </dev/null >/dev/null 2>&1"

# ---- podman, when it runs here (containers.conf as DESIGN.md says; runc, as its crun refuses hybrid cgroups)
PODMAN_OK=
PODMAN_ARGS="--runtime runc --root $work/podman/root --runroot $work/podman/run --cgroup-manager cgroupfs --events-backend file"
if command -v podman >/dev/null 2>&1; then
  mkdir -p "$work/podman"
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000","nproc=32768:32768"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' >"$work/podman/containers.conf"
  export CONTAINERS_CONF="$work/podman/containers.conf"
  if podman $PODMAN_ARGS import "$work/rootfs.tar" bench-busybox >/dev/null 2>"$work/podman/err" &&
     podman $PODMAN_ARGS run --rm --network none bench-busybox true >/dev/null 2>>"$work/podman/err" &&
     podman $PODMAN_ARGS run -d --network none --name bench-podman-exec bench-busybox sleep 1000 >/dev/null 2>>"$work/podman/err"; then
    PODMAN_OK=1
  else
    note "podman: does not run here, skipped ($(tail -1 "$work/podman/err"))"
  fi
else
  note "podman: not installed, skipped"
fi
# ---- dockerd 20.10 through bench/peers.sh (own data/exec root, no iptables; stop restores the host)
PEERS=
if command -v dockerd >/dev/null 2>&1 && command -v podman >/dev/null 2>&1; then
  PEERS=$(mktemp -d /tmp/peers-XXXXXX) # short: podman (in peers.sh) refuses a runroot over 50 characters
  if SLIPWAY_PEERS_DIR=$PEERS "$here/bench/peers.sh" start >"$work/peers.log" 2>&1; then
    PEER_DOCKER=$(. "$PEERS/env"; echo "$PEER_DOCKER")
    $PEER_DOCKER run -d --network none --name bench-docker-exec slipway/busybox:demo sleep 1000 >/dev/null
  else
    note "dockerd: did not start, skipped ($(tail -1 "$work/peers.log"))"; PEER_DOCKER=
  fi
else
  note "dockerd: not installed (apt-get install -y docker.io podman), skipped"; PEER_DOCKER=
fi

# ---- run ------------------------------------------------------------------------------------
set -- \
  -n "slipway run (node $(node -v))" "$SLIPWAY run --rm $IMG true" \
  -n "docker CLI -> slipway run" "$DOCKER run --rm $IMG true" \
  -n "runc run" "runc run --bundle $work/bundle-true bench-runc-run"
if [ -x "$NODE24" ]; then set -- "$@" -n "slipway run (node $("$NODE24" -v) CLI)" "env SLIPWAY_NODE=$NODE24 $SLIPWAY run --rm $IMG true"; fi
if [ -n "$PODMAN_OK" ]; then set -- "$@" -n "podman run" "podman $PODMAN_ARGS run --rm --network none bench-busybox true"; fi
if [ -n "$PEER_DOCKER" ]; then set -- "$@" -n "docker run (dockerd 20.10)" "$PEER_DOCKER run --rm --network none slipway/busybox:demo true"; fi
load_mark "run table"
hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-json "$RESULTS/run.json" "$@"
$CRUN_NS "umount /sys/fs/cgroup/unified 2>/dev/null; hyperfine -N --style basic --warmup 2 --runs $RUNS --export-json $RESULTS/run-crun.json -n 'crun run' 'crun run --bundle $work/bundle-true bench-crun-run'"

# ---- exec -----------------------------------------------------------------------------------
set -- \
  -n "slipway exec (node $(node -v))" "$SLIPWAY exec bench-exec true" \
  -n "docker CLI -> slipway exec" "$DOCKER exec bench-exec true" \
  -n "runc exec" "runc exec bench-runc-exec true"
if [ -x "$NODE24" ]; then set -- "$@" -n "slipway exec (node $("$NODE24" -v) CLI)" "env SLIPWAY_NODE=$NODE24 $SLIPWAY exec bench-exec true"; fi
if [ -n "$PODMAN_OK" ]; then set -- "$@" -n "podman exec" "podman $PODMAN_ARGS exec bench-podman-exec true"; fi
if [ -n "$PEER_DOCKER" ]; then set -- "$@" -n "docker exec (dockerd 20.10)" "$PEER_DOCKER exec bench-docker-exec true"; fi
load_mark "exec table"
hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-json "$RESULTS/exec.json" "$@"
$CRUN_NS "umount /sys/fs/cgroup/unified 2>/dev/null; hyperfine -N --style basic --warmup 2 --runs $RUNS --export-json $RESULTS/exec-crun.json -n 'crun exec' 'crun exec bench-crun-exec true'"

# ---- the same operations through a client that is already running (the extension host's
# case: no Node start-up per command), the CLI's command code in one process ----------------
load_mark "in-process client"
(cd "$here" && node --import tsx bench/api-latency.ts "$IMG" bench-exec "$RUNS") >"$RESULTS/api-latency.txt" 2>&1 || note "api-latency: failed ($(tail -1 "$RESULTS/api-latency.txt"))"

# ---- the service itself on Node 24 (what VS Code's Node 22 extension host gives it) --------
if [ -x "$NODE24" ]; then
  idle_rss20=$idle_rss
  rss20=$(grep VmRSS /proc/$svc_pid/status | awk '{print $2/1024 " MB"}')
  "$SLIPWAY" service stop >/dev/null 2>&1
  env SLIPWAY_NODE="$NODE24" "$SLIPWAY" service start </dev/null >/dev/null 2>&1
  svc_pid=$(jq -r .pid "$SLIPWAY_ROOT/service.lock")
  sleep 1
  idle_rss=$(grep VmRSS /proc/$svc_pid/status | awk '{print $2/1024 " MB"}')
  load_mark "node 24 table"
  hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-json "$RESULTS/node24.json" \
    -n "docker CLI -> slipway run (service node 24)" "$DOCKER run --rm $IMG true" \
    -n "slipway run (CLI+service node 24)" "env SLIPWAY_NODE=$NODE24 $SLIPWAY run --rm $IMG true" \
    -n "docker CLI -> slipway exec (service node 24)" "$DOCKER exec bench-exec true" \
    -n "slipway exec (CLI+service node 24)" "env SLIPWAY_NODE=$NODE24 $SLIPWAY exec bench-exec true"
fi

# ---- summary: medians and ratios to the first row of each table ----------------------------
summary() { # TITLE FILES...
  title=$1; shift
  printf '\n%s (median ms, ratio to the first row)\n' "$title"
  jq -s -r '[.[].results[]] as $r | ($r[0].median) as $base | $r[] | "  \(.command | .[0:44] | . + " " * (44 - length)) \((.median * 1000 * 10 | round) / 10) ms   x\((.median / $base * 100 | round) / 100)"' "$@"
}
printf '\n%s\n' "$(cat "$LOADS")"
ca=unset; [ -z "${NODE_EXTRA_CA_CERTS:-}" ] || ca="set (bin/slipway keeps it from the CLI's Node)"
printf 'commit %s; NODE_EXTRA_CA_CERTS %s\n' "$(git -C "$here" rev-parse --short HEAD 2>/dev/null)" "$ca"
summary "run --rm IMG true" "$RESULTS/run.json" "$RESULTS/run-crun.json"
summary "exec CTR true" "$RESULTS/exec.json" "$RESULTS/exec-crun.json"
printf '\nthrough a running client (bench/api-latency.ts, Node %s service)\n%s\n' "$(node -v)" "$(cat "$RESULTS/api-latency.txt")"
if [ -x "$NODE24" ]; then
  summary "service on node 24 (ratios to its first row)" "$RESULTS/node24.json"
  printf '\nslipway service RSS: node %s idle %s, after the benchmark %s; node %s idle %s, after %s\n' "$(node -v)" "$idle_rss20" "$rss20" \
    "$("$NODE24" -v)" "$idle_rss" "$(grep VmRSS /proc/$svc_pid/status | awk '{print $2/1024 " MB"}')"
else
  printf '\nslipway service (node %s) RSS: idle %s, after the benchmark %s\n' "$(node -v)" "$idle_rss" "$(grep VmRSS /proc/$svc_pid/status | awk '{print $2/1024 " MB"}')"
fi
