#!/usr/bin/env bash
# Builds the chat page (web/) into web/dist, which Maven puts into the jar. Needs Node.js 20+ and npm;
# without them it says so and the server answers / with a page that says how to build it (with
# CI=true a missing Node is an error). Runs `npm ci` only when node_modules is older than the
# lockfile, and the build only when web/dist is older than the page's sources.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
web="$root/web"

missing() {
  if [ "${CI:-}" = "true" ]; then
    echo "reprise: $1; CI needs it to build the chat page" >&2
    exit 1
  fi
  echo "reprise: $1; building without the chat page (/ will say how to build it)" >&2
  exit 0
}

[ -f "$web/package.json" ] || exit 0
# why: the resources step copies web/dist over target/classes/web but never removes a file, so the
# hashed bundles of earlier builds would pile up in the jar.
rm -rf "$root/target/classes/web"
command -v node >/dev/null 2>&1 || missing "Node.js not found"
command -v npm >/dev/null 2>&1 || missing "npm not found"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || missing "Node.js $major is too old (20 or newer needed)"

cd "$web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "reprise: installing the chat page's packages (npm ci in web/) ..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
stamp=dist/index.html
if [ ! -f "$stamp" ] || [ -n "$(find src public index.html package.json package-lock.json \
    vite.config.* tsconfig*.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "reprise: building the chat page (web/dist) ..." >&2
  npm run --silent build >&2
fi
