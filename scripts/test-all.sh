#!/usr/bin/env bash
# `pnpm test`: every test of the project — lint, the API's unit and integration tests (real
# PostgreSQL: embedded unless DATABASE_URL is set), the golden rule scenarios, the apps' tests,
# and the browser tests in Chromium against the built system.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
echo "== build"; pnpm -s build
echo "== lint"; pnpm -s lint
echo "== unit and integration tests"; pnpm -s test:unit
echo "== golden rule scenarios"; pnpm -s replay packages/api/src/rules/golden
echo "== browser tests"; pnpm -s test:browser
echo "All test suites passed."
