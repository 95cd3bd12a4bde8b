#!/usr/bin/env bash
# Frontend checks: npm ci, API-client staleness, unit tests (Vitest), type-checked build, browser tests (Playwright).
# Browser tests drive Debian's chromium (/usr/bin/chromium); without it they are skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # never download a browser
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# The schema export and the e2e studio need the Python package (scripts/test.sh installs it too).
if [ ! -x .venv/bin/anime-studio ]; then
  PYTHON=${PYTHON:-python3}
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
fi

step() { printf '\n== %s\n' "$1"; }
timed() { local start=$SECONDS; "$@"; printf -- '-- %s: %ss\n' "$*" $((SECONDS - start)); }

if [ -z "${NPM_CI_DONE:-}" ]; then
  step "npm ci"
  timed npm --prefix frontend ci --loglevel=error
fi

step "API client is current"
timed scripts/check_api_client.sh

step "unit tests (vitest)"
timed npm --prefix frontend test --silent

step "build (vue-tsc + vite)"
timed npm --prefix frontend run build --silent

step "browser tests (playwright)"
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  timed npm --prefix frontend run e2e --silent
else
  cat >&2 <<'WARN'
################################################################################
#  WARNING: /usr/bin/chromium is missing, so the browser tests were SKIPPED.   #
#  Install it with:  apt-get install -y chromium   (never a downloaded browser) #
################################################################################
WARN
fi
