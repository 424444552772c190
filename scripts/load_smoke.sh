#!/usr/bin/env bash
# A short load run (benchmarks/locustfile.py) against a running server: LOAD_USERS people
# (default 20) of every role for LOAD_SECONDS (default 30), failing on any error (a 5xx,
# a refused sign-in, a broken page). Usage: scripts/load_smoke.sh https://127.0.0.1:18443
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: scripts/load_smoke.sh URL}
out=$(mktemp -d /tmp/ubdt-load.XXXXXX)
status=0
LOAD_ACTIONS=${LOAD_ACTIONS:-1} .venv/bin/locust -f benchmarks/locustfile.py --host "$url" --headless --only-summary \
  --users "${LOAD_USERS:-20}" --spawn-rate "${LOAD_SPAWN_RATE:-10}" \
  --run-time "${LOAD_SECONDS:-30}s" --stop-timeout 5 --csv "$out/load" \
  --exit-code-on-error 1 > "$out/locust.log" 2>&1 || status=$?
tail -40 "$out/locust.log"
requests=$(awk -F, '$2=="Aggregated" {print $3}' "$out/load_stats.csv")
failures=$(awk -F, '$2=="Aggregated" {print $4}' "$out/load_stats.csv")
echo "load smoke: ${requests:-0} requests, ${failures:-?} failures"
[ "${requests:-0}" -gt 0 ] || { echo "the load run made no request" >&2; status=1; }
[ "${failures:-1}" = 0 ] || status=1
[ -s "$out/load_failures.csv" ] && [ "$(wc -l < "$out/load_failures.csv")" -gt 1 ] && cat "$out/load_failures.csv"
rm -rf "$out"
exit $status
