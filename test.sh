#!/usr/bin/env bash
# One command: set up what the tests need and run the whole suite.
# SQLite always; PostgreSQL too when GOVERNANCE_TEST_POSTGRES_URL is set; browser tests
# in Debian's Chromium (/usr/bin/chromium, or GOVERNANCE_CHROMIUM).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup
exec .venv/bin/python -m pytest "$@"
