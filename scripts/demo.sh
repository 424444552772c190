#!/usr/bin/env bash
# One command for a newcomer: install, migrate, load the demo data (kept if already
# there) and serve the app at http://127.0.0.1:8000 on the embedded SQLite database, with
# the task queue's worker beside it (huey on its SQLite file: mail delivery and the
# periodic jobs). Ctrl-C stops both. DEMO_SKIP_SETUP=1 skips the install and the demo
# data (tests/scripts/test_demo.py serves an existing database that way).
set -euo pipefail
cd "$(dirname "$0")/.."
skip_setup=${DEMO_SKIP_SETUP:-0}
[ "$skip_setup" = 1 ] || { ./scripts/install.sh && ./scripts/system-packages.sh run; }
export DJANGO_SETTINGS_MODULE=config.settings.dev
PY=.venv/bin/python
$PY manage.py migrate --no-input
[ "$skip_setup" = 1 ] || $PY manage.py load_demo

# Job control puts each in a process group of its own, so stopping a group also stops
# its children (runserver's autoreloader serves from a child process), and Ctrl-C
# reaches this script only, which then stops both in order.
set -m
$PY manage.py run_huey &
worker=$!
$PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}" &
web=$!
set +m

alive() { kill -0 -- "-$1" 2>/dev/null; }
stop() {
  trap - INT TERM EXIT
  # SIGINT: runserver quits, huey finishes the tasks it is running and quits.
  kill -INT -- "-$web" "-$worker" 2>/dev/null || true
  for _ in $(seq 100); do
    alive "$web" || alive "$worker" || return 0
    sleep 0.1
  done
  kill -KILL -- "-$web" "-$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
# Either one ending (a port in use, a crash) ends the demo and stops the other.
wait -n "$web" "$worker" || true
