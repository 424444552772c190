#!/usr/bin/env bash
# Follows README's "Deploying" steps on a scratch PostgreSQL database and checks the
# result from a browser (tests/browser/test_deploy_smoke.py): the environment file from
# deploy/ubdt.env.example, scripts/update.sh (install, migrate, compilemessages,
# collectstatic, check --deploy), createsuperuser, gunicorn started with the command of
# deploy/ubdt-web.service, the huey worker with the command of deploy/ubdt-worker.service
# against Redis (checked with manage.py queue_check, and a mail through the outbox), and
# nginx with deploy/nginx-ubdt.conf terminating TLS; a second gunicorn on the same
# database and Redis, with the same submission, endorsement, signature and issue sent to
# both at once (tests/deploy: signed with this run's PKCS#12 keys, time-stamped by a
# loopback RFC 3161 authority, verified on /verify/); then a 30-second load run with
# every role at once (scripts/load_smoke.sh), which fails on any error.
# Needs: a PostgreSQL URL whose user may create databases (PG_ADMIN_URL, default
# postgres://ubdt:ubdt@127.0.0.1:5432/postgres), a Redis server (REDIS_URL, default
# redis://127.0.0.1:6379/2), nginx and openssl. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
admin_url=${PG_ADMIN_URL:-postgres://ubdt:ubdt@127.0.0.1:5432/postgres}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379/2}
db=ubdt_deploy_smoke
work=$(mktemp -d /tmp/ubdt-deploy.XXXXXX)
app_port=18001
second_app_port=18002
https_port=18443
http_port=18080
tsa_port=18318
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill "$pid" 2>/dev/null || true
  done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
db_url=${admin_url%/*}/$db

# 1. The environment file, from the template an administrator copies.
secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret|" \
    -e "s|^DATABASE_URL=.*|DATABASE_URL=$db_url|" \
    -e "s|^ALLOWED_HOSTS=.*|ALLOWED_HOSTS=127.0.0.1|" \
    -e "s|^CSRF_TRUSTED_ORIGINS=.*|CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$https_port|" \
    -e "s|^SITE_URL=.*|SITE_URL=https://127.0.0.1:$https_port|" \
    -e "s|^STATIC_ROOT=.*|STATIC_ROOT=$work/static|" \
    -e "s|^MEDIA_ROOT=.*|MEDIA_ROOT=$work/media|" \
    -e "s|^CACHE_REDIS_URL=.*|CACHE_REDIS_URL=${redis_url%/*}/3|" \
    -e "s|^EMAIL_BACKEND=.*||" \
    -e "s|^GUNICORN_BIND=.*|GUNICORN_BIND=127.0.0.1:$app_port|" \
    -e "s|^GUNICORN_WORKERS=.*|GUNICORN_WORKERS=2|" \
    -e "s|^HUEY_REDIS_URL=.*|HUEY_REDIS_URL=$redis_url|" \
    deploy/ubdt.env.example > "$work/ubdt.env"
echo "EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend" >> "$work/ubdt.env"
# A queue of its own on the shared Redis, so the smoke run never meets another's tasks.
echo "HUEY_NAME=ubdt-smoke-$$" >> "$work/ubdt.env"
# Production refuses the demo keys: a throw-away CA of this run with the Committee's and
# both demo signers' (Minister, Vice-Minister) PKCS#12 keys, and a timestamp authority on loopback
# (tests/signing/helpers.py, tests/signing/tsa_server.py), in place of the template's
# token and TSA.
.venv/bin/python -c 'import pathlib, sys
from tests.signing.helpers import other_pki
work = pathlib.Path(sys.argv[1])
env = other_pki(work / "pki", signers=["botruong", "thutruong"], tsa_dir=work / "tsa")
env["SIGNING_TSA_URL"] = sys.argv[2]
for k, v in env.items(): print(f"{k}={v}")' "$work" "http://127.0.0.1:$tsa_port/tsr" >> "$work/ubdt.env"
if grep -q '^SECRET_KEY=$' "$work/ubdt.env"; then echo "SECRET_KEY not filled" >&2; exit 1; fi

# 2. README's update command: install, migrate, compilemessages, collectstatic, checks.
./scripts/update.sh --env "$work/ubdt.env" --no-pull --no-restart

set -a
# shellcheck disable=SC1091
. "$work/ubdt.env"
set +a
export DEPLOY_ADMIN_USER=quantri.smoke DEPLOY_ADMIN_PASSWORD="smoke-$secret"

# 3. The first administrator (README step 4), then demo data to browse. load_demo
#    refuses production settings, so it runs under the dev settings on this scratch DB,
#    and signs the demo's documents with the demo PKI (the server's PKCS#12 directory
#    holds only the Committee's and the Minister's keys).
DJANGO_SUPERUSER_USERNAME=$DEPLOY_ADMIN_USER DJANGO_SUPERUSER_PASSWORD=$DEPLOY_ADMIN_PASSWORD \
DJANGO_SUPERUSER_EMAIL=quantri.smoke@ubdt.gov.vn UBDT_ENV_FILE="$work/ubdt.env" \
  ./scripts/manage.sh createsuperuser --no-input >/dev/null
SIGNING_BACKEND=demo SIGNING_TSA_URL='' SIGNING_TRUST_ROOTS='' \
  DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py load_demo >/dev/null

# 4. The timestamp authority SIGNING_TSA_URL names (RFC 3161 over HTTP), then gunicorn,
#    with the ExecStart line of the systemd unit (paths made local).
.venv/bin/python -m tests.signing.tsa_server "$work/tsa" "$tsa_port" > "$work/tsa.log" 2>&1 &
pids+=($!)
exec_start=$(sed -n 's/^ExecStart=//p' deploy/ubdt-web.service | sed "s|/srv/ubdt|$root|g")
# shellcheck disable=SC2086
$exec_start > "$work/gunicorn.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$app_port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$app_port/healthz" || { cat "$work/gunicorn.log"; exit 1; }
echo
# A second app server on the same database and Redis (README's multi-server topology).
# shellcheck disable=SC2086
GUNICORN_BIND=127.0.0.1:$second_app_port $exec_start > "$work/gunicorn2.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$second_app_port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$second_app_port/healthz" || { cat "$work/gunicorn2.log"; exit 1; }
echo

# 4b. The worker, with the ExecStart line of its unit, against Redis (README step 5):
#     a worker answers queue_check, and a mail queued by another process is delivered.
worker_start=$(sed -n 's/^ExecStart=//p' deploy/ubdt-worker.service | sed "s|/srv/ubdt|$root|g")
# shellcheck disable=SC2086
$worker_start > "$work/worker.log" 2>&1 &
pids+=($!)
UBDT_ENV_FILE="$work/ubdt.env" ./scripts/manage.sh queue_check --timeout 60 \
  || { cat "$work/worker.log"; exit 1; }
UBDT_ENV_FILE="$work/ubdt.env" ./scripts/manage.sh shell --no-imports -c "
from django.db import transaction
from workflows.notifications import queue_mail
with transaction.atomic():
    queue_mail(key='deploy-smoke:1', to=['quantri.smoke@ubdt.gov.vn'], subject='Smoke', body='…')
"
for _ in $(seq 60); do
  sent=$(UBDT_ENV_FILE="$work/ubdt.env" ./scripts/manage.sh shell --no-imports -c "
from outbox.models import Mail
print(Mail.objects.filter(key='deploy-smoke:1', status='sent').count())")
  [ "$sent" = 1 ] && break
  sleep 0.5
done
[ "$sent" = 1 ] || { echo "the worker did not deliver the outbox mail" >&2; cat "$work/worker.log"; exit 1; }
grep -q "Periodic tasks are enabled" "$work/worker.log" || { cat "$work/worker.log"; exit 1; }
echo "worker: answered queue_check, delivered the outbox mail, runs the schedule"

# 5. nginx with the shipped site, on loopback ports and a self-signed certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
sed -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e '/listen \[::\]/d' \
    -e "s|server 127.0.0.1:8001;|server 127.0.0.1:$app_port;|" \
    -e "s|/etc/ssl/certs/khcntt.ubdt.gov.vn.crt|$work/tls.crt|" \
    -e "s|/etc/ssl/private/khcntt.ubdt.gov.vn.key|$work/tls.key|" \
    -e "s|server_name khcntt.ubdt.gov.vn;|server_name 127.0.0.1;|" \
    deploy/nginx-ubdt.conf > "$work/site.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log $work/nginx-access.log;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $work/site.conf;
}
CONF
nginx -t -q -c "$work/nginx.conf" -p "$work"
nginx -c "$work/nginx.conf" -p "$work"

# 6. The browser's smoke run against https through nginx.
status=0
DEPLOY_URL="https://127.0.0.1:$https_port" DEPLOY_HTTP_URL="http://127.0.0.1:$http_port" \
  DJANGO_SETTINGS_MODULE=config.settings.test \
  .venv/bin/python -m pytest -p no:cacheprovider -q -m deploy tests/browser/test_deploy_smoke.py \
  || status=$?

# 7. Two app servers at once: a session from one works on the other, and the same
#    submission, endorsement, signature (the Minister's key, the TSA above) and issue
#    sent to both at the same moment is taken exactly once; the issued PDF verifies.
if [ $status -eq 0 ]; then
  DEPLOY_URL="https://127.0.0.1:$https_port" DEPLOY_ENV_FILE="$work/ubdt.env" \
    DEPLOY_APP_URLS="http://127.0.0.1:$app_port,http://127.0.0.1:$second_app_port" \
    DJANGO_SETTINGS_MODULE=config.settings.test \
    .venv/bin/python -m pytest -p no:cacheprovider -q -m deploy tests/deploy || status=$?
fi

# 8. A short load run through nginx: every role at once, no error allowed.
if [ $status -eq 0 ]; then
  LOAD_VERIFY_TLS=0 ./scripts/load_smoke.sh "https://127.0.0.1:$https_port" || status=$?
fi
if [ $status -ne 0 ]; then
  echo "--- gunicorn log"; tail -50 "$work/gunicorn.log"
  echo "--- second gunicorn log"; tail -30 "$work/gunicorn2.log"
  echo "--- worker log"; tail -30 "$work/worker.log"
  echo "--- timestamp authority log"; tail -20 "$work/tsa.log"
  echo "--- nginx error log"; tail -20 "$work/nginx-error.log"
fi
exit $status
