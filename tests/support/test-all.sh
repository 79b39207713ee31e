#!/usr/bin/env bash
# `npm test`: every check of the project, setting up what it needs first (npm packages, Chromium,
# PostgreSQL server binaries). With CI=true a missing browser or database fails the run; otherwise
# the run says loudly which suites it skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
ci=${CI:-}
is_ci() { [ "$ci" = "true" ] || [ "$ci" = "1" ]; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
skipped=()

step "npm packages"
stamp=node_modules/.jiexu-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; exit 1; }
  touch "$stamp"
else
  echo "node_modules is up to date with package-lock.json"
fi

can_apt() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq && apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

step "Chromium (/usr/bin/chromium)"
if [ ! -x /usr/bin/chromium ]; then
  if can_apt; then
    echo "installing Debian's chromium: apt-get update && apt-get install -y chromium"
    apt_install chromium || echo "apt-get install chromium failed"
  fi
fi
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version
else
  echo "Chromium is missing. Install it as root with: apt-get update && apt-get install -y chromium"
  if is_ci; then echo "CI=true: a missing browser fails the run"; exit 1; fi
  skipped+=("e2e (no /usr/bin/chromium)")
fi

step "PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin)"
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && can_apt; then
  echo "installing postgresql-15: apt-get install -y postgresql-15"
  apt_install postgresql-15 || echo "apt-get install postgresql-15 failed"
fi
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  /usr/lib/postgresql/15/bin/postgres --version
else
  echo "PostgreSQL 15 server binaries are missing. Install them as root with: apt-get update && apt-get install -y postgresql-15"
  if is_ci; then echo "CI=true: a missing database fails the run"; exit 1; fi
  skipped+=("server tests on PostgreSQL (no /usr/lib/postgresql/15/bin)")
fi

status=0
results=tests/.results
rm -rf "$results" && mkdir -p "$results"

step "type check"
npm run --silent typecheck && echo "type check: ok" || { echo "type check FAILED"; status=1; }

step "lint"
npm run --silent lint && echo "lint: ok" || { echo "lint FAILED"; status=1; }

step "unit, client and server tests (vitest: domain, client, server)"
npx vitest run --project domain --project client --project server \
  --reporter=default --reporter=json --outputFile.json="$results/units.json" || status=1

step "browser end-to-end tests (vitest: e2e, real Chromium)"
if [ -x /usr/bin/chromium ]; then
  npx vitest run --project e2e \
    --reporter=default --reporter=json --outputFile.json="$results/e2e.json" || status=1
fi

step "summary"
node tests/support/summarize-results.mjs "$results" || status=1
if [ ${#skipped[@]} -gt 0 ]; then
  printf '\n\033[1;33m!!! SKIPPED SUITES (not run on this machine):\033[0m\n'
  for s in "${skipped[@]}"; do printf '\033[1;33m!!!   %s\033[0m\n' "$s"; done
fi
[ $status -eq 0 ] && echo "ALL CHECKS PASSED" || echo "SOME CHECKS FAILED"
exit $status
