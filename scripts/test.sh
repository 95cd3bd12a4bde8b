#!/usr/bin/env bash
# Command 2: install what is needed and run the whole test suite (lint, types, Python tests, UI tests).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"

echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
# The browser-playback test of a smart-rendered scene drives chromium through the frontend's playwright-core.
echo "== npm ci"; npm --prefix frontend ci --loglevel=error --fund=false --audit=false
echo "== pytest"; .venv/bin/pytest -n "${TEST_WORKERS:-2}" --dist loadgroup "$@"
echo "== web UI"; NPM_CI_DONE=1 ./scripts/test_frontend.sh
