#!/usr/bin/env bash
# Installs what the test tiers need, once; `npm test` runs it first so that `npm ci && npm test`
# works on a fresh machine. Idempotent and quick when everything is there.
#   Debian packages: busybox-static (base images), docker-registry (registry tier), skopeo/umoci
#   (third-party checks of our images), hyperfine (benchmarks), socat (raw socket tests),
#   chromium + libkrb5-dev + build-essential + python3 (code-server and its driver), runc/crun
#   (peers and referees), iproute2 (networking), uidmap (rootless), util-linux (script, unshare),
#   attr (getfattr/setfattr: the fallback SpecialFs and test referees), apache2-utils + openssl
#   (htpasswd and certificates for the registry tier's Basic- and token-auth registries), git
#   (ADD <git ref> clones with it; the tests serve repositories with git daemon/http-backend).
#   Then Node 24 + code-server into a cache (test/editor/setup.sh).
# Not root: prints what is missing and goes on; the tiers that need it skip with a reason
# (or fail under CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(busybox-static docker-registry skopeo umoci hyperfine socat chromium libkrb5-dev
  build-essential python3 runc crun iproute2 uidmap util-linux attr apache2-utils openssl podman docker.io git)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "test/setup.sh: missing Debian packages: ${missing[*]} (as root: apt-get install -y ${missing[*]})" >&2
  else
    echo "test/setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

if [[ $(id -u) -eq 0 ]]; then
  test/editor/setup.sh
else
  test/editor/setup.sh || echo "test/setup.sh: editor tests will skip: code-server could not be set up" >&2
fi
