#!/bin/sh
# Layer creation vs `tar c | gzip -1 | sha256sum` (see bench/layer.ts). Usage: bench/layer.sh [small-runs] [big-runs]
set -e
cd "$(dirname "$0")/.."
exec npx tsx bench/layer.ts "$@"
