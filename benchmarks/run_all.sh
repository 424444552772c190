#!/usr/bin/env bash
# Runs the benchmarks (my_work, throughput, audit, audit_inspector) on SQLite (a temporary file database)
# and on PostgreSQL.
#
#   ./benchmarks/run_all.sh                     # PostgreSQL at the default URL below
#   PG_URL=postgres://u:p@host:5432/db ./benchmarks/run_all.sh
#   PG_URL= ./benchmarks/run_all.sh             # SQLite only
#
# Each benchmark creates and removes its own database (SQLite: /tmp/bench-*.sqlite3;
# PostgreSQL: ubdt_bench_my_work / ubdt_bench_throughput / ubdt_bench_audit(_inspector), next to the
# database in the URL, so the user needs CREATEDB). Extra arguments go to the scripts'
# environment, e.g. BENCH_ARGS_MY_WORK="--tasks 2000" BENCH_ARGS_THROUGHPUT="--plans 100"
# BENCH_ARGS_AUDIT="--events 100000" BENCH_ARGS_AUDIT_INSPECTOR="--events 100000" (both
# build 1,000,000 events by default: about 1.5–2 min each on PostgreSQL on a 2-CPU machine,
# longer on SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
PG_URL=${PG_URL-postgres://ubdt:ubdt@127.0.0.1:5432/ubdt}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}
read -r -a my_work_args <<<"${BENCH_ARGS_MY_WORK:-}"
read -r -a throughput_args <<<"${BENCH_ARGS_THROUGHPUT:-}"
read -r -a audit_args <<<"${BENCH_ARGS_AUDIT:-}"
read -r -a inspector_args <<<"${BENCH_ARGS_AUDIT_INSPECTOR:-}"

run() {
  local label=$1 url=$2
  echo "=== ${label}"
  if [ -n "$url" ]; then
    DATABASE_URL=$url "$PY" benchmarks/my_work.py "${my_work_args[@]}"
    echo
    DATABASE_URL=$url "$PY" benchmarks/throughput.py "${throughput_args[@]}"
    echo
    DATABASE_URL=$url "$PY" benchmarks/audit.py "${audit_args[@]}"
    echo
    DATABASE_URL=$url "$PY" benchmarks/audit_inspector.py "${inspector_args[@]}"
  else
    env -u DATABASE_URL "$PY" benchmarks/my_work.py "${my_work_args[@]}"
    echo
    env -u DATABASE_URL "$PY" benchmarks/throughput.py "${throughput_args[@]}"
    echo
    env -u DATABASE_URL "$PY" benchmarks/audit.py "${audit_args[@]}"
    echo
    env -u DATABASE_URL "$PY" benchmarks/audit_inspector.py "${inspector_args[@]}"
  fi
  echo
}

run "SQLite" ""
if [ -n "$PG_URL" ]; then
  if command -v pg_isready >/dev/null && ! pg_isready -q -d "$PG_URL"; then
    echo "PostgreSQL at $PG_URL does not answer; start it (pg_ctlcluster 15 main start)" >&2
    exit 1
  fi
  run "PostgreSQL" "$PG_URL"
fi
