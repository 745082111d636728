#!/bin/sh
# Builder benchmark (root, after `npm run build`):
#   1. the demo Dockerfile (examples/hello): cold (--no-cache: every layer made again) and
#      warm (no change: all cached), through `slipway build` and through the stock docker CLI
#      (DOCKER_BUILDKIT=0 docker build, a ~25 ms client) against the Slipway service
#   2. layer creation: COPY of 10,000 small files and of one 500 MB file (--no-cache builds),
#      against `tar c | gzip -1 | sha256sum` of the same data
# docker/buildah are not installed here, so the side-by-side with them is not run.
# Everything lives in a temp dir (own SLIPWAY_ROOT/SOCKET), removed at the end.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/build.sh needs root" >&2; exit 1; }
[ -f "$repo/dist/cli.js" ] || { echo "run npm run build first" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "busybox-static is missing: apt-get install busybox-static" >&2; exit 1; }

tmp=$(mktemp -d /tmp/slipway-bench-build-XXXXXX)
export SLIPWAY_ROOT="$tmp/state" SLIPWAY_SOCKET="$tmp/slipway.sock" DOCKER_HOST="unix://$tmp/slipway.sock" DOCKER_BUILDKIT=0 DOCKER_CONFIG="$tmp/docker"
S="node $repo/dist/cli.js"
cleanup() {
  $S service stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

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

echo "== demo Dockerfile (examples/hello) =="
hyperfine -N --warmup 1 --runs 10 --export-json "$tmp/demo.json" \
  -n 'slipway build (cold, --no-cache)' "$S build -q --no-cache -t bench/hello $hello" \
  -n 'slipway build (warm, all cached)' "$S build -q -t bench/hello $hello" \
  -n 'docker CLI -> slipway (cold, --no-cache)' "docker build -q --no-cache -t bench/hello $hello" \
  -n 'docker CLI -> slipway (warm, all cached)' "docker build -q -t bench/hello $hello"

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
  if (r.length === 2) console.log(`          ratio ${(r[1].median / r[0].median).toFixed(2)} (second / first; >= 0.70 means the first reaches 70% of its throughput)`);
}
' "$tmp/demo.json" "$tmp/small.json" "$tmp/big.json"
