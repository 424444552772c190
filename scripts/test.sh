#!/usr/bin/env bash
# Runs the whole test suite, browser tests included, on SQLite; with DATABASE_URL set to
# a PostgreSQL URL (a user allowed to create databases), on PostgreSQL, including the
# tests that need real parallel connections. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
# Tests marked "postgres" are deselected on SQLite by tests/conftest.py.
exec .venv/bin/python -m pytest "$@"
