#!/usr/bin/env bash
# Command 1: install what is needed and start the studio (API + UI + worker) on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .

if [ -f frontend/package.json ]; then
  if [ ! -f frontend/dist/index.html ] || [ -n "$(find frontend/src frontend/package.json -newer frontend/dist/index.html -print -quit)" ]; then
    echo "building the web UI…"
    npm --prefix frontend ci --no-audit --no-fund --loglevel=error
    npm --prefix frontend run build --silent
  fi
fi

exec .venv/bin/anime-studio serve "$@"
