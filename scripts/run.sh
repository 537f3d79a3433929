#!/usr/bin/env bash
# Start CX portal on one machine with the embedded defaults: web (gunicorn), a Celery worker and beat.
# Everything stops together on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DEBUG="${DEBUG:-true}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
# One cache for every web process, so sign-in delays, API throttles and survey-link limits hold across them
# (the per-process default would give each gunicorn worker a budget of its own). Production: Redis.
export CACHE_URL="${CACHE_URL:-filecache://$PWD/var/cache}"
mkdir -p var/log var/cache

$BIN/python manage.py migrate --noinput
$BIN/python manage.py register_schedule >/dev/null
# DEMO_LANGUAGE=de loads the demo company with German texts (same numbers); English by default.
$BIN/python manage.py load_demo --language "${DEMO_LANGUAGE:-en}" >var/log/load_demo.log
head -n 1 var/log/load_demo.log

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "Stopping CX portal…"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# One worker for every queue (production runs one or more per queue: deploy/cxportal-worker@.service).
$BIN/celery -A cxportal worker -Q mail,metrics,voice,webhooks,default --loglevel=INFO --concurrency=2 \
  >var/log/worker.log 2>&1 &
pids+=($!)
$BIN/celery -A cxportal beat --loglevel=INFO --pidfile=var/celerybeat.pid >var/log/beat.log 2>&1 &
pids+=($!)
$BIN/gunicorn cxportal.wsgi --bind "$HOST:$PORT" --workers 2 --timeout 60 --access-logfile - \
  >var/log/web.log 2>&1 &
pids+=($!)

cat <<TXT

  CX portal is running at $SITE_URL/
  (worker, beat and web logs in var/log/; KPIs are recomputed by the worker within a minute)

  Demo logins:
    CX manager                 cx.manager      / demo-cx-2026
    Sales department member    sales.member    / demo-sales-2026
    Customer Service member    service.member  / demo-service-2026
    (department leads: see var/log/load_demo.log)

  API docs: $SITE_URL/api/docs/   ·   Press Ctrl-C to stop.

TXT
# Exit (and stop the others) as soon as one of the three stops.
wait -n "${pids[@]}"
echo "A CX portal process stopped; see var/log/." >&2
exit 1
