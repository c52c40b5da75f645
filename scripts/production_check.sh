#!/usr/bin/env bash
# Deploy the register the way docs/configuration.md says, on a fresh PostgreSQL database, serve it
# with gunicorn over HTTPS (a throwaway certificate) with every production setting on, and check it
# answers (scripts/smoke_test.py). Usage: scripts/production_check.sh [postgres URL of a server]
set -euo pipefail
cd "$(dirname "$0")/.."

server_url=${1:-postgres://postgres@127.0.0.1:5432/test}
database=dsr_production_check
port=${PRODUCTION_CHECK_PORT:-8443}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$server_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql "$server_url" -qc "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"

# The production environment: nothing switched off, nothing from `make run`.
unset DEBUG SECURE_SSL_REDIRECT SECURE_COOKIES SECURE_HSTS_SECONDS DJANGO_ALLOW_ASYNC_UNSAFE
export DATABASE_URL="${server_url%/*}/$database"
export SECRET_KEY=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")
export AUDIT_KEY=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")
export ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT="$work/static" DOCUMENTS_ROOT="$work/documents"
export AUDIT_CHECKPOINTS=file AUDIT_CHECKPOINT_DIR="$work/audit_checkpoints"

echo "== the production commands of docs/configuration.md =="
.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/python manage.py check --deploy --fail-level WARNING
.venv/bin/python manage.py seed_demo >/dev/null

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

.venv/bin/python manage.py db_worker >"$work/worker.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn -c config/gunicorn.conf.py --bind "127.0.0.1:$port" --workers 2 \
  --certfile "$work/cert.pem" --keyfile "$work/key.pem" >"$work/gunicorn.log" 2>&1 &
pids+=($!)

for _ in $(seq 60); do
  if curl -sf --cacert "$work/cert.pem" "https://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  sleep 1
done

echo "== gunicorn with the production settings on PostgreSQL =="
if ! .venv/bin/python scripts/smoke_test.py "https://127.0.0.1:$port" --ca-file "$work/cert.pem" \
  --username coordinator --password dsr-demo; then
  echo "-- gunicorn's log --"; tail -50 "$work/gunicorn.log"
  echo "-- the worker's log --"; tail -20 "$work/worker.log"
  exit 1
fi
