#!/usr/bin/env bash
# One command for a newcomer: install, migrate, load the demo data (kept if already
# there) and serve the app at http://127.0.0.1:8000 on the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_demo
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
