#!/usr/bin/env bash
# manage.py with the deployment's environment file loaded, for administrators:
#   sudo -u ubdt ./scripts/manage.sh createsuperuser
#   sudo -u ubdt ./scripts/manage.sh verify_audit --head … --count …
# UBDT_ENV_FILE names another environment file (default /etc/ubdt/ubdt.env).
set -euo pipefail
cd "$(dirname "$0")/.."
env_file=${UBDT_ENV_FILE:-/etc/ubdt/ubdt.env}
if [ ! -r "$env_file" ]; then
  echo "Environment file $env_file not readable: see deploy/ubdt.env.example." >&2
  exit 1
fi
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
exec .venv/bin/python manage.py "$@"
