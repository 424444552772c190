#!/usr/bin/env bash
# The server the load test runs against (benchmarks/locustfile.py): gunicorn with the
# shipped deploy/gunicorn.conf.py, the huey worker on Redis, sessions in PostgreSQL and
# the cache in Redis, as README's production topology runs them, on loopback only.
#
#   DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt_load benchmarks/load_server.sh
#
# The settings are the dev ones with DEBUG off, because production settings refuse the
# demo signing keys that the load's signers sign with, and want TLS in front. Everything
# that decides speed is the same: DEBUG off, gunicorn, PostgreSQL, Redis. The database
# must already hold data (manage.py load_demo, or generate_load_data). GUNICORN_WORKERS
# and GUNICORN_THREADS choose the pool (benchmarks/README.md says which was measured);
# LOAD_PORT (default 8001) and LOAD_REDIS_PORT (default 6390) the ports. Stops everything
# it started on Ctrl-C or when gunicorn ends.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to serve}"
port=${LOAD_PORT:-8001}
redis_port=${LOAD_REDIS_PORT:-6390}
redis-cli -p "$redis_port" ping >/dev/null 2>&1 \
  || redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no >/dev/null
export DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost
export CACHE_REDIS_URL=redis://127.0.0.1:$redis_port/1 HUEY_REDIS_URL=redis://127.0.0.1:$redis_port/2
export HUEY_NAME=ubdt-load-$port EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export GUNICORN_BIND=127.0.0.1:$port
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
.venv/bin/python manage.py run_huey --quiet &
pids+=($!)
.venv/bin/gunicorn config.wsgi:application -c deploy/gunicorn.conf.py --access-logfile /dev/null &
pids+=($!)
wait -n "${pids[@]}"
