#!/usr/bin/env bash
# `npm test`: every check of the project, setting up what it needs first (npm packages, Chromium,
# the CJK font and poppler the print test reads its PDF with, PostgreSQL server binaries). With
# CI=true a missing browser, font or database fails the run; otherwise the run says loudly which
# suites it skipped. The summary gives each step's time.
set -uo pipefail
cd "$(dirname "$0")/../.."
ci=${CI:-}
is_ci() { [ "$ci" = "true" ] || [ "$ci" = "1" ]; }
skipped=()

step_names=()
step_seconds=()
current_step=
step_started=0
finish_step() {
  if [ -n "$current_step" ]; then
    step_names+=("$current_step")
    step_seconds+=($((SECONDS - step_started)))
  fi
  current_step=
}
step() {
  finish_step
  current_step=$*
  step_started=$SECONDS
  printf '\n\033[1m== %s\033[0m\n' "$*"
}

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
# Installs Debian package $1 when `$2` (a test command) fails, as root; says what it does.
ensure_package() {
  local package=$1 present=$2
  if ! eval "$present" && can_apt; then
    echo "installing Debian's $package: apt-get update && apt-get install -y $package"
    apt_install "$package" || echo "apt-get install $package failed"
  fi
  eval "$present"
}

step "Chromium (/usr/bin/chromium)"
if ensure_package chromium '[ -x /usr/bin/chromium ]'; then
  /usr/bin/chromium --version
else
  echo "Chromium is missing. Install it as root with: apt-get update && apt-get install -y chromium"
  if is_ci; then echo "CI=true: a missing browser fails the run"; exit 1; fi
  skipped+=("e2e (no /usr/bin/chromium)")
fi

# The printed form is Chinese: without a CJK font Chromium draws missing glyphs into the PDF. The
# app's font stack names Noto Sans CJK SC; poppler renders the printed page and lists its fonts.
step "print: Noto Sans CJK SC font, poppler-utils (pdftoppm, pdffonts)"
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && fc-list ':lang=zh-cn' family | grep -q 'Noto Sans CJK SC'; }
has_poppler() { command -v pdftoppm >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; }
print_ready=1
if ensure_package fonts-noto-cjk has_cjk_font; then
  fc-match -f 'CJK font: %{family[0]} (%{file})\n' 'Noto Sans CJK SC:lang=zh-cn'
else
  echo "The font Noto Sans CJK SC is missing. Install it as root with: apt-get update && apt-get install -y fonts-noto-cjk"
  print_ready=
fi
if ensure_package poppler-utils has_poppler; then
  pdftoppm -v 2>&1 | head -1
else
  echo "poppler's pdftoppm and pdffonts are missing. Install them as root with: apt-get update && apt-get install -y poppler-utils"
  print_ready=
fi
if [ -z "$print_ready" ]; then
  if is_ci; then echo "CI=true: a missing font or PDF tool fails the run"; exit 1; fi
  skipped+=("e2e print test (no Noto Sans CJK SC font or no poppler-utils)")
fi

step "PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin)"
if ensure_package postgresql-15 '[ -x /usr/lib/postgresql/15/bin/initdb ]'; then
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
else
  echo "skipped: no /usr/bin/chromium"
fi
finish_step

printf '\n\033[1m== summary\033[0m\n'
total=0
for i in "${!step_names[@]}"; do
  printf '%6ss  %s\n' "${step_seconds[$i]}" "${step_names[$i]}"
  total=$((total + step_seconds[i]))
done
printf '%6ss  all steps\n\n' "$total"
node tests/support/summarize-results.mjs "$results" || status=1
if [ ${#skipped[@]} -gt 0 ]; then
  printf '\n\033[1;33m!!! SKIPPED SUITES (not run on this machine):\033[0m\n'
  for s in "${skipped[@]}"; do printf '\033[1;33m!!!   %s\033[0m\n' "$s"; done
fi
[ $status -eq 0 ] && echo "ALL CHECKS PASSED" || echo "SOME CHECKS FAILED"
exit $status
