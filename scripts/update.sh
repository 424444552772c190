#!/usr/bin/env bash
# The one command a server administrator runs to install or update a deployment
# (README, "Deploying"). From the checkout, as root or as the service user:
#
#   ./scripts/update.sh [--env FILE] [--no-pull] [--no-restart]
#
# It reads the environment file (default /etc/ubdt/ubdt.env), fetches the new release
# (git pull --ff-only, when this is a git checkout with an upstream and --no-pull is not
# given), installs the pinned dependencies, migrates, compiles the catalogues, collects
# static files, runs Django's deployment checks and restarts the services that exist.
# Any failing step stops it before the restart, so the running version keeps serving.
set -euo pipefail
cd "$(dirname "$0")/.."
env_file=/etc/ubdt/ubdt.env
pull=1
restart=1
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_file=$2; shift 2 ;;
    --no-pull) pull=0; shift ;;
    --no-restart) restart=0; shift ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ ! -r "$env_file" ]; then
  echo "Environment file $env_file not found: copy deploy/ubdt.env.example there and fill it in." >&2
  exit 1
fi
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production}

if [ "$pull" = 1 ] && git rev-parse --abbrev-ref '@{u}' >/dev/null 2>&1; then
  git pull --ff-only
fi
./scripts/install.sh
PY=.venv/bin/python
$PY manage.py migrate --no-input
$PY manage.py compilemessages --ignore=.venv >/dev/null
$PY manage.py collectstatic --no-input >/dev/null
$PY manage.py check --deploy --fail-level WARNING
if [ "$restart" = 1 ] && command -v systemctl >/dev/null; then
  for unit in ubdt-web ubdt-worker; do
    if systemctl cat "$unit" >/dev/null 2>&1; then
      systemctl restart "$unit"
      echo "restarted $unit"
    fi
  done
fi
echo "update complete"
