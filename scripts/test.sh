#!/usr/bin/env bash
# Runs the whole test suite, browser tests included, on SQLite; with DATABASE_URL set to
# a PostgreSQL URL (a user allowed to create databases), on PostgreSQL, including the
# tests that need real parallel connections. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
./scripts/system-packages.sh test
# Tests marked "postgres" are deselected on SQLite by tests/conftest.py.
exec .venv/bin/python -m pytest "$@"
