#!/usr/bin/env bash
# Start the portal for development: web + Celery worker + Celery beat, stopped together by Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}
mkdir -p var/log var/run
export DJANGO_SETTINGS_MODULE=portal.settings
# Links in e-mails (invitations, exports, the newsletter's unsubscribe) point at this server.
export SITE_URL=${SITE_URL:-http://127.0.0.1:${PORT}}

# The broker's folders first: loading the demo data already enqueues (no-op) notification jobs.
$BIN/python -c "import django; django.setup(); from portal.celery import ensure_broker_folders; ensure_broker_folders()"
$BIN/python manage.py migrate --no-input -v 0
$BIN/python manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping web, worker and beat…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

$BIN/celery -A portal worker --loglevel=INFO --concurrency=2 --pidfile=var/run/worker.pid \
  >var/log/worker.log 2>&1 &
pids+=($!)
$BIN/celery -A portal beat --loglevel=INFO --pidfile=var/run/beat.pid \
  --schedule=var/celerybeat-schedule >var/log/beat.log 2>&1 &
pids+=($!)
$BIN/python manage.py runserver "127.0.0.1:${PORT}" >var/log/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

broker=$([ -n "${REDIS_URL:-}" ] && echo "Redis" || echo "file system (var/celery)")
database=$([ -n "${DATABASE_URL:-}" ] && echo "PostgreSQL" || echo "SQLite (var/portal.sqlite3)")
cat <<MSG

  Pathways TA Portal is running:  http://127.0.0.1:${PORT}/
  Database: ${database} · Celery broker: ${broker} · logs in var/log/

  Demo logins (password for all: pathways-demo-2026)
    ta-admin@example.org     TA admin            (sets up two-factor authentication on first sign-in)
    coach@example.org        TA coach of Harbor Bay   (two-factor on first sign-in)
    other-coach@example.org  TA coach of other grantees (two-factor on first sign-in)
    state@example.org        State office admin  (two-factor on first sign-in)
    lead@example.org         Lead, Harbor Bay Adult Education Consortium
    staff@example.org        Staff, Harbor Bay Adult Education Consortium
    other-staff@example.org  Staff, Golden Foothills Regional Consortium

  E-mails (invitations, password resets) are printed in var/log/web.log and var/log/worker.log.
  Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "A process stopped; see var/log/." >&2
