#!/bin/sh
# Builder benchmark (root, after `npm run build`):
#   1. the demo Dockerfile (examples/hello): cold (--no-cache: every layer made again) and
#      warm (no change: all cached), through `slipway build` and through the stock docker CLI
#      (DOCKER_BUILDKIT=0 docker build, a ~25 ms client) against the Slipway service
#   2. layer creation: COPY of 10,000 small files and of one 500 MB file (--no-cache builds),
#      against `tar c | gzip -1 | sha256sum` of the same data
#   With dockerd, podman and buildah installed (apt-get install -y docker.io podman buildah), the
#   demo run also times, in the same hyperfine run, dockerd 20.10's classic builder
#   (DOCKER_BUILDKIT=0) and BuildKit (DOCKER_BUILDKIT=1, Debian's /usr/bin/docker: the 28.x client
#   has no buildx) and `buildah bud --layers`, from the same base image (bench/peers.sh). Peers
#   already started by the caller (SLIPWAY_PEERS_DIR with an env file) are used and left running;
#   otherwise they are started under the temp dir and stopped at the end.
# Everything lives in a temp dir (own SLIPWAY_ROOT/SOCKET), removed at the end.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/build.sh needs root" >&2; exit 1; }
[ -f "$repo/dist/cli.js" ] || { echo "run npm run build first" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "busybox-static is missing: apt-get install busybox-static" >&2; exit 1; }

tmp=$(mktemp -d /tmp/slipway-bench-build-XXXXXX)
export SLIPWAY_ROOT="$tmp/state" SLIPWAY_SOCKET="$tmp/slipway.sock" DOCKER_HOST="unix://$tmp/slipway.sock" DOCKER_BUILDKIT=0 DOCKER_CONFIG="$tmp/docker"
# The CLI as users run it: bin/slipway (it spares Node 20 the NODE_EXTRA_CA_CERTS parse at
# start-up, ~50 ms where that variable names a full CA bundle; see bench/run-exec.sh).
S="$repo/bin/slipway"
own_peers=
cleanup() {
  $S service stop >/dev/null 2>&1 || true
  [ -z "$own_peers" ] || "$repo/bench/peers.sh" stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

peers=
if [ -n "${SLIPWAY_PEERS_DIR:-}" ] && [ -f "$SLIPWAY_PEERS_DIR/env" ]; then
  peers=$SLIPWAY_PEERS_DIR
elif command -v dockerd >/dev/null && command -v podman >/dev/null && command -v buildah >/dev/null; then
  # Outside $tmp: podman refuses a runroot longer than 50 characters. `peers.sh stop` removes it.
  export SLIPWAY_PEERS_DIR="$(mktemp -d /tmp/peers-XXXXXX)"
  own_peers=1
  "$repo/bench/peers.sh" start >/dev/null
  peers=$SLIPWAY_PEERS_DIR
else
  echo "dockerd/podman/buildah not installed: Slipway only" >&2
fi

# The demo's base image: busybox-static + applet links + /etc.
r="$tmp/rootfs"
mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root"
cp /bin/busybox "$r/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\n' > "$r/etc/group"
tar -C "$r" --numeric-owner -cf "$tmp/base.tar" .
$S service start >/dev/null
$S import --change 'CMD ["/bin/sh"]' "$tmp/base.tar" slipway/busybox:demo >/dev/null
hello="$repo/examples/hello"
$S build -q -t bench/hello "$hello" >/dev/null

# The peers' rows: each tool builds the same tag from the same Dockerfile and base image.
set --
if [ -n "$peers" ]; then
  . "$peers/env"
  classic="env DOCKER_BUILDKIT=0 DOCKER_CONFIG=$PEER_DOCKER_CONFIG $PEER_DOCKER build -q"
  bk="env DOCKER_BUILDKIT=1 DOCKER_CONFIG=$PEER_DOCKER_CONFIG $PEER_DOCKER build -q"
  bud="$PEER_BUILDAH bud --layers --pull=false -q"
  $classic -t bench/hello "$hello" >/dev/null
  $bk -t bench/hello "$hello" >/dev/null
  $bud -t bench/hello "$hello" >/dev/null
  set -- \
    -n 'docker classic builder (cold, --no-cache)' "$classic --no-cache -t bench/hello $hello" \
    -n 'docker classic builder (warm, all cached)' "$classic -t bench/hello $hello" \
    -n 'docker BuildKit (cold, --no-cache)' "$bk --no-cache -t bench/hello $hello" \
    -n 'docker BuildKit (warm, all cached)' "$bk -t bench/hello $hello" \
    -n 'buildah bud --layers (cold, --no-cache)' "$bud --no-cache -t bench/hello $hello" \
    -n 'buildah bud --layers (warm, all cached)' "$bud -t bench/hello $hello"
fi

echo "== demo Dockerfile (examples/hello) =="
hyperfine -N --warmup 1 --runs 10 --export-json "$tmp/demo.json" \
  -n 'slipway build (cold, --no-cache)' "$S build -q --no-cache -t bench/hello $hello" \
  -n 'slipway build (warm, all cached)' "$S build -q -t bench/hello $hello" \
  -n 'docker CLI -> slipway (cold, --no-cache)' "docker build -q --no-cache -t bench/hello $hello" \
  -n 'docker CLI -> slipway (warm, all cached)' "docker build -q -t bench/hello $hello" \
  "$@"

echo "== layer creation =="
small="$tmp/small"; big="$tmp/big"
mkdir -p "$small/files" "$big"
node -e '
const fs = require("fs"); const dir = process.argv[1];
for (let i = 0; i < 10000; i++) { const d = `${dir}/d${i % 100}`; if (i < 100) fs.mkdirSync(d); fs.writeFileSync(`${d}/f${i}.txt`, `file ${i} `.repeat(1 + (i % 50))); }
' "$small/files"
head -c 500000000 /dev/urandom > "$big/blob.bin"
printf 'FROM slipway/busybox:demo\nCOPY files/ /files/\n' > "$small/Dockerfile"
printf 'FROM slipway/busybox:demo\nCOPY blob.bin /blob.bin\n' > "$big/Dockerfile"
hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/small.json" \
  -n 'COPY 10,000 small files (slipway build --no-cache)' "$S build -q --no-cache -t bench/small $small" \
  -n 'tar c | gzip -1 | sha256sum (10,000 small files)' "sh -c 'tar -C $small -c files | gzip -1 | sha256sum'"
hyperfine -N --warmup 1 --runs 3 --export-json "$tmp/big.json" \
  -n 'COPY one 500 MB file (slipway build --no-cache)' "$S build -q --no-cache -t bench/big $big" \
  -n 'tar c | gzip -1 | sha256sum (one 500 MB file)' "sh -c 'tar -C $big -c blob.bin | gzip -1 | sha256sum'"

echo "== summary (medians) =="
node -e '
const fs = require("fs");
for (const f of process.argv.slice(1)) {
  const r = JSON.parse(fs.readFileSync(f, "utf8")).results;
  for (const x of r) console.log(`${(x.median * 1000).toFixed(0).padStart(7)} ms  ${x.command}`);
  const bk = (w) => r.find((x) => x.command.startsWith(`docker BuildKit (${w}`));
  for (const w of ["cold", "warm"]) {
    const s = r.find((x) => x.command.startsWith(`slipway build (${w}`)), b = bk(w);
    if (s && b) console.log(`          slipway / BuildKit (${w}): ${(s.median / b.median).toFixed(2)} (target ${w === "cold" ? "<= 1.5" : "<= 1.0"})`);
  }
  if (r.length === 2) console.log(`          ratio ${(r[1].median / r[0].median).toFixed(2)} (second / first; >= 0.70 means the first reaches 70% of its throughput)`);
}
' "$tmp/demo.json" "$tmp/small.json" "$tmp/big.json"
