#!/usr/bin/env bash
# Fail when frontend/src/api/schema.d.ts no longer matches the backend's OpenAPI schema.
# Fix a failure with: npm --prefix frontend run gen:api
set -euo pipefail
cd "$(dirname "$0")/.."

checked_in=frontend/src/api/schema.d.ts
fresh=$(mktemp --suffix=.d.ts)
trap 'rm -f "$fresh"' EXIT

node frontend/scripts/gen-api.mjs "$fresh" > /dev/null
if ! diff -u "$checked_in" "$fresh" > /dev/null; then
  echo "error: $checked_in is stale; the backend's API changed." >&2
  diff -u "$checked_in" "$fresh" | head -40 >&2 || true
  echo "Run: npm --prefix frontend run gen:api   (and commit the result)" >&2
  exit 1
fi
echo "API client is up to date."
