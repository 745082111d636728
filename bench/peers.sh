#!/bin/sh
# The peers for side-by-side benchmarks: dockerd (docker.io 20.10, classic builder + BuildKit),
# podman and buildah, each with ALL its state under one directory so the machine is left as found.
#   bench/peers.sh start   start dockerd, write the podman/buildah config, import the base image
#   bench/peers.sh stop    kill dockerd, remove what it and podman leave, delete the directory
#   bench/peers.sh env     print the environment file (scripts source $SLIPWAY_PEERS_DIR/env)
# The directory is $SLIPWAY_PEERS_DIR (default /tmp/slipway-peers). After `start`, source
# $DIR/env: it sets PEER_DOCKER (Debian's 20.10 client with -H, which still has BuildKit without
# buildx; run it with DOCKER_CONFIG=$PEER_DOCKER_CONFIG, an empty client config), PEER_PODMAN,
# PEER_BUILDAH (with the temp containers.conf/storage.conf exported).
# The base image is the busybox-static rootfs bench/build.sh makes, tagged slipway/busybox:demo
# in both dockerd and podman's storage (buildah shares podman's), so examples/hello builds as is.
#
# dockerd runs with "iptables": false and "ip-forward": false: it shares this machine with other
# engineers' privileged tests, and its default FORWARD DROP policy would break their networking
# while it runs. `stop` still removes the docker0 bridge (and podman0), any DOCKER*/NETAVARK*/CNI-*
# chains (netavark adds them for buildah's RUN) that were not there before `start`, and puts the
# FORWARD policy and ip_forward back to what `start` recorded.
set -eu
dir=${SLIPWAY_PEERS_DIR:-/tmp/slipway-peers}
[ "$(id -u)" = 0 ] || { echo "bench/peers.sh needs root" >&2; exit 1; }

# The same base rootfs as bench/build.sh: busybox-static, its applet links, /etc/passwd and group.
make_base() {
  r="$1/rootfs"
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root"
  cp /bin/busybox "$r/bin/"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\n' > "$r/etc/group"
  tar -C "$r" --numeric-owner -cf "$1/base.tar" .
  rm -rf "$r"
}

start() {
  for t in dockerd /usr/bin/docker podman buildah /bin/busybox; do
    command -v "$t" >/dev/null || { echo "$t is missing: apt-get install -y docker.io podman buildah busybox-static" >&2; exit 1; }
  done
  [ ${#dir} -le 46 ] || { echo "SLIPWAY_PEERS_DIR is too long: podman refuses a runroot ($dir/run) over 50 characters" >&2; exit 1; }
  if [ -e "$dir/dockerd.pid" ]; then echo "peers already started in $dir (bench/peers.sh stop first)" >&2; exit 1; fi
  mkdir -p "$dir/docker" "$dir/containers" "$dir/client"
  # An empty client config: podman reads auth from DOCKER_CONFIG too, and fails if it is missing.
  echo '{}' > "$dir/client/config.json"
  # What `stop` must restore.
  cat /proc/sys/net/ipv4/ip_forward > "$dir/ip_forward.before"
  iptables -S FORWARD 2>/dev/null | sed -n 's/^-P FORWARD //p' > "$dir/forward-policy.before"
  { iptables -S; iptables -t nat -S; } 2>/dev/null | sed -n 's/^-N //p' > "$dir/chains.before"
  ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' > "$dir/links.before"

  cat > "$dir/docker/daemon.json" <<EOF
{
  "data-root": "$dir/docker/data",
  "exec-root": "$dir/docker/exec",
  "pidfile": "$dir/docker/dockerd.pid",
  "hosts": ["unix://$dir/docker/docker.sock"],
  "iptables": false,
  "ip-forward": false,
  "ip-masq": false,
  "storage-driver": "overlay2",
  "features": { "buildkit": true }
}
EOF
  # --config-file only (no /etc/docker/daemon.json), no TCP: the socket above is the only listener.
  dockerd --config-file "$dir/docker/daemon.json" > "$dir/docker/dockerd.log" 2>&1 &
  echo $! > "$dir/dockerd.pid"
  D="/usr/bin/docker -H unix://$dir/docker/docker.sock"
  i=0
  until DOCKER_CONFIG="$dir/client" $D version >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 150 ] || ! kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
      echo "dockerd did not start; its log:" >&2; tail -20 "$dir/docker/dockerd.log" >&2; exit 1
    fi
    sleep 0.2
  done

  # podman/buildah: crun 1.8 refuses the hybrid cgroup layout here, so runc; no systemd here, and root lacks CAP_SYS_RESOURCE with a hard nofile of 20000,
  # so their default ulimits fail (DESIGN.md, "The peers on this machine").
  cat > "$dir/containers/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/containers/events.log"
tmp_dir = "$dir/containers/tmp"
EOF
  cat > "$dir/containers/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$dir/containers/storage"
runroot = "$dir/run"
EOF
  cat > "$dir/env" <<EOF
export CONTAINERS_CONF="$dir/containers/containers.conf"
export CONTAINERS_STORAGE_CONF="$dir/containers/storage.conf"
export PEER_DOCKER_CONFIG="$dir/client"
PEER_DOCKER="/usr/bin/docker -H unix://$dir/docker/docker.sock"
PEER_PODMAN="podman --root $dir/containers/storage --runroot $dir/run"
PEER_BUILDAH="buildah --root $dir/containers/storage --runroot $dir/run"
EOF
  . "$dir/env"

  make_base "$dir"
  DOCKER_CONFIG="$dir/client" $PEER_DOCKER import --change 'CMD ["/bin/sh"]' "$dir/base.tar" slipway/busybox:demo >/dev/null
  $PEER_PODMAN import -q --change 'CMD ["/bin/sh"]' "$dir/base.tar" slipway/busybox:demo >/dev/null
  echo "peers started in $dir (. $dir/env)"
}

stop() {
  [ -d "$dir" ] || { echo "no peers in $dir"; return 0; }
  # podman/buildah first: their containers and overlay mounts live under $dir/containers.
  if [ -f "$dir/env" ]; then
    . "$dir/env"
    $PEER_PODMAN rm -af >/dev/null 2>&1 || true
    $PEER_BUILDAH rm -a >/dev/null 2>&1 || true
    $PEER_PODMAN system reset -f >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/dockerd.pid" ]; then
    pid=$(cat "$dir/dockerd.pid")
    if kill -0 "$pid" 2>/dev/null; then
      # Running containers first, so dockerd's shutdown does not wait on them.
      ids=$(DOCKER_CONFIG="$dir/client" /usr/bin/docker -H "unix://$dir/docker/docker.sock" ps -aq 2>/dev/null || true)
      [ -z "$ids" ] || DOCKER_CONFIG="$dir/client" /usr/bin/docker -H "unix://$dir/docker/docker.sock" rm -f $ids >/dev/null 2>&1 || true
      kill "$pid"
      i=0
      while kill -0 "$pid" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 150 ] || { kill -9 "$pid" 2>/dev/null || true; break; }
        sleep 0.2
      done
    fi
    # dockerd's own containerd (started under exec-root) exits with it; kill it if it did not.
    for p in "$dir"/docker/exec/containerd/containerd.pid; do
      [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
    done
  fi
  # Whatever is still mounted under $dir (overlay layers, shm, netns), deepest first.
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  # Network state dockerd leaves behind, and netavark (buildah's RUN network) too.
  for l in docker0 podman0 cni-podman0; do
    if ! grep -qx "$l" "$dir/links.before" 2>/dev/null && ip -o link show "$l" >/dev/null 2>&1; then ip link delete "$l"; fi
  done
  for table in filter nat; do
    for c in $(iptables -t "$table" -S 2>/dev/null | sed -n 's/^-N //p' | grep '^DOCKER\|^NETAVARK\|^CNI-' || true); do
      grep -qx "$c" "$dir/chains.before" 2>/dev/null && continue
      # Delete the rules jumping to it (in any chain) before the chain itself.
      iptables -t "$table" -S | grep -- "-j $c\$\|-j $c " | grep -v "^-N" | sed 's/^-A/-D/' | while read -r rule; do
        eval "iptables -t $table $rule" || true
      done
      iptables -t "$table" -F "$c" 2>/dev/null || true
    done
    for c in $(iptables -t "$table" -S 2>/dev/null | sed -n 's/^-N //p' | grep '^DOCKER\|^NETAVARK\|^CNI-' || true); do
      grep -qx "$c" "$dir/chains.before" 2>/dev/null || iptables -t "$table" -X "$c" 2>/dev/null || true
    done
  done
  # The MASQUERADE rule for docker0's subnet (only if ip-masq was on).
  iptables -t nat -S POSTROUTING 2>/dev/null | grep -- '! -o docker0 -j MASQUERADE' | sed 's/^-A/-D/' | while read -r rule; do
    eval "iptables -t nat $rule" || true
  done
  [ -s "$dir/forward-policy.before" ] && iptables -P FORWARD "$(cat "$dir/forward-policy.before")"
  [ -s "$dir/ip_forward.before" ] && cat "$dir/ip_forward.before" > /proc/sys/net/ipv4/ip_forward
  rm -rf "$dir"
  echo "peers stopped; $dir removed"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) cat "$dir/env" ;;
  *) echo "usage: bench/peers.sh start|stop|env" >&2; exit 2 ;;
esac
