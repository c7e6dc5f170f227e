#!/usr/bin/env bash
# One command: set everything up and serve Styringsrommet on http://127.0.0.1:5000 (SQLite).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup
export FLASK_APP=governance
echo "==> Migrating the database"
.venv/bin/flask db upgrade
if [ ! -f instance/.demo-loaded ]; then
  echo "==> Loading demo data (first run)"
  .venv/bin/flask demo load
  touch instance/.demo-loaded
fi
echo "==> Styringsrommet runs on http://127.0.0.1:5000 (stop with Ctrl+C)"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
