#!/bin/sh
# COPY end to end (issue #4): `slipway build --no-cache` of `FROM scratch` + `COPY . /data`
# against `tar c | gzip -1 | sha256sum` of the same directory, in one hyperfine run:
#   1. 10,000 small files in 100 directories (the same data as bench/layer.ts)
#   2. one 500 MB file from /dev/urandom (skipped with BIG=0)
# The build pays everything a user waits for: the CLI's start, the context walk and content
# hash (cache key), the layer (tar + gzip -1 + both sha256s), the image. Rows for dockerd's
# classic builder and BuildKit are added when bench/peers.sh has been started
# (SLIPWAY_PEERS_DIR with an env file), and a "before" row when SLIPWAY_BEFORE names another
# checkout with its own `npm run build` (its service gets its own state root and socket), and
# a Node 24 row (CLI and the service it starts) when ~/.cache/slipway/node24 has one, as
# bench/run-exec.sh. The CLI is bin/slipway (it spares Node 20 NODE_EXTRA_CA_CERTS at start-up;
# the "before" row gets the same by `env -u`).
# Needs root, `npm run build`, hyperfine. Everything lives
# under one temp dir (own SLIPWAY_ROOT/SOCKET), removed at the end.
#   sh bench/layer-build.sh [RUNS]     (default 10)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
[ "$(id -u)" = 0 ] || { echo "bench/layer-build.sh needs root" >&2; exit 1; }
[ -f "$repo/dist/cli.js" ] || { echo "run npm run build first" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }

tmp=$(mktemp -d /tmp/slipway-bench-copy-XXXXXX)
export SLIPWAY_ROOT="$tmp/state" SLIPWAY_SOCKET="$tmp/slipway.sock"
S="$repo/bin/slipway"
B=
[ -z "${SLIPWAY_BEFORE:-}" ] || B="env -u NODE_EXTRA_CA_CERTS SLIPWAY_ROOT=$tmp/before-state SLIPWAY_SOCKET=$tmp/before.sock node $SLIPWAY_BEFORE/dist/cli.js"
NODE24=${SLIPWAY_CACHE:-$HOME/.cache/slipway}/node24/bin/node
N=
[ ! -x "$NODE24" ] || N="env SLIPWAY_NODE=$NODE24 SLIPWAY_ROOT=$tmp/n24-state SLIPWAY_SOCKET=$tmp/n24.sock $repo/bin/slipway"
cleanup() {
  $S service stop >/dev/null 2>&1 || true
  [ -z "$B" ] || $B service stop >/dev/null 2>&1 || true
  [ -z "$N" ] || $N service stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

small="$tmp/small"; big="$tmp/big"
mkdir -p "$small" "$big"
node -e '
const fs = require("fs"); const dir = process.argv[1];
for (let i = 0; i < 10000; i++) { const d = `${dir}/d${i % 100}`; if (i < 100) fs.mkdirSync(d); fs.writeFileSync(`${d}/f${i}.txt`, `line ${i} `.repeat(5 + (i % 200))); }
' "$small"
printf 'FROM scratch\nCOPY . /data\n' > "$small/Dockerfile"
printf 'FROM scratch\nCOPY . /data\n' > "$big/Dockerfile"
[ "${BIG:-1}" = 0 ] || head -c 500000000 /dev/urandom > "$big/blob.bin"
sync

others() { # $1 = context, $2 = label: the before and peers' rows, when asked for
  [ -z "$B" ] || printf '%s\n' -n "slipway build --no-cache, before ($2)" "$B build -q --no-cache -t bench/copy $1"
  [ -z "$N" ] || printf '%s\n' -n "slipway build --no-cache, Node 24 ($2)" "$N build -q --no-cache -t bench/copy $1"
  [ -n "${SLIPWAY_PEERS_DIR:-}" ] && [ -f "$SLIPWAY_PEERS_DIR/env" ] || return 0
  . "$SLIPWAY_PEERS_DIR/env"
  printf '%s\n' -n "docker classic builder ($2)" "env DOCKER_BUILDKIT=0 DOCKER_CONFIG=$PEER_DOCKER_CONFIG $PEER_DOCKER build -q --no-cache -t bench/copy $1" \
    -n "docker BuildKit ($2)" "env DOCKER_BUILDKIT=1 DOCKER_CONFIG=$PEER_DOCKER_CONFIG $PEER_DOCKER build -q --no-cache -t bench/copy $1"
}

$S service start >/dev/null
[ -z "$B" ] || $B service start >/dev/null
[ -z "$N" ] || $N service start >/dev/null
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for data in small big; do
  ctx="$tmp/$data"
  [ "$data" = small ] && label='10,000 small files' || label='one 500 MB file'
  [ "$data" = big ] && [ "${BIG:-1}" = 0 ] && continue
  n=$runs; [ "$data" = big ] && n=$(( runs < 5 ? runs : 5 ))
  # One build first: the service is warm and the store holds the blob, as for a user's rebuild.
  $S build -q --no-cache -t bench/copy "$ctx" >/dev/null
  [ -z "$B" ] || $B build -q --no-cache -t bench/copy "$ctx" >/dev/null
  [ -z "$N" ] || $N build -q --no-cache -t bench/copy "$ctx" >/dev/null
  set --
  # shellcheck disable=SC2046
  IFS='
' ; set -- $(others "$ctx" "$label"); unset IFS
  hyperfine -N --style basic --warmup 1 --runs "$n" --export-json "$tmp/$data.json" \
    -n "slipway build --no-cache ($label)" "$S build -q --no-cache -t bench/copy $ctx" \
    -n "tar c | gzip -1 | sha256sum ($label)" "sh -c 'tar -C $ctx -cf - . | gzip -1 | sha256sum'" \
    "$@"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== summary (medians; ratio = tar pipeline / slipway: >= 0.70 is the target) =="
for f in "$tmp"/small.json "$tmp"/big.json; do
  [ -f "$f" ] || continue
  node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
for (const x of r) console.log(`${(x.median * 1000).toFixed(0).padStart(7)} ms  (mean CPU ${((x.user + x.system) * 1000).toFixed(0)} ms)  ${x.command}`);
const t = r.find((x) => x.command.startsWith("tar"));
for (const s of r.filter((x) => x !== t)) console.log(`          ratio ${(t.median / s.median).toFixed(2)}  ${s.command}`);
' "$f"
done
