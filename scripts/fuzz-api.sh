#!/usr/bin/env bash
# API fuzzing (issue #13): schemathesis over every operation of /api/v1/openapi.json, once with a
# district admin's bearer token and once anonymously, against a throwaway SQLite demo district.
# Fails on any server error (5xx), any response that breaks its documented schema, or any
# status the document does not list for the operation.
#
#   scripts/fuzz-api.sh                 # the CI pass: fixed seed, FUZZ_EXAMPLES cases per operation
#   FUZZ_EXAMPLES=50 scripts/fuzz-api.sh
#   FUZZ_CHECKS=not_a_server_error scripts/fuzz-api.sh
#
# Checks: no 5xx (not_a_server_error), every body matches its documented schema
# (response_schema_conformance) and every status answered is documented (status_code_conformance:
# an operation that can answer a new error status says so in wushe/core/openapi.py).
#
# Skipped in the authenticated pass only: POST /auth/token/revoke (it would revoke the token the
# pass runs with, and every later case would test the 401 path instead of the operation).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV="$ROOT/.venv/bin"
SEED="${FUZZ_SEED:-20251205}"
EXAMPLES="${FUZZ_EXAMPLES:-5}"
WORKERS="${FUZZ_WORKERS:-2}"
CHECKS="${FUZZ_CHECKS:-not_a_server_error,response_schema_conformance,status_code_conformance}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wushe-fuzz.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

unset DATABASE_URL
export WUSHE_DATA_DIR="$WORK/data"
export DJANGO_SETTINGS_MODULE=config.settings.base
# The public endpoints' per-address rate limits off, so fuzzing reaches their code, not the 429.
export WUSHE_NEEDS_INTAKE_RATE=0 WUSHE_NEEDS_TRACKING_RATE=0
export WUSHE_EVALUATION_SURVEY_RATE=0 WUSHE_EVALUATION_SURVEY_VIEW_RATE=0
mkdir -p "$WUSHE_DATA_DIR"

echo "-- building the small demo district in $WORK"
if ! "$VENV/wushe" demo --profile small --no-serve >"$WORK/demo.log" 2>&1; then
  cat "$WORK/demo.log"; exit 1
fi

# A district admin's token made through the service (the token endpoint asks that role for a
# second factor), printed once and kept only in this shell.
TOKEN=$("$VENV/wushe" shell -c '
from wushe.accounts.models import User
from wushe.accounts.services import token_create
raw, _ = token_create(actor=User.objects.get(username="district_admin"))
print(raw)' | tail -1)

PORT=$("$VENV/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$VENV/gunicorn" config.wsgi:application -b "127.0.0.1:$PORT" -w 2 --chdir "$ROOT" \
  --timeout 60 --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  if "$VENV/python" -c "import urllib.request as u; u.urlopen('$BASE/api/v1/openapi.json', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 1
done

run() {  # run <label> <phases> [extra schemathesis options...]
  local label=$1 phases=$2; shift 2
  echo "-- schemathesis: $label ($phases; seed $SEED, $EXAMPLES examples per operation)"
  "$VENV/schemathesis" run "$BASE/api/v1/openapi.json" \
    --checks "$CHECKS" \
    --seed "$SEED" --max-examples "$EXAMPLES" --workers "$WORKERS" \
    --phases "$phases" --generation-database none \
    --request-timeout 30 --no-color --suppress-health-check all \
    --report junit --report-junit-path "$WORK/$label.xml" "$@"
}

status=0
# With the token: the coverage phase (boundaries, missing and wrong-typed fields, 2**63 ids,
# every enum value) then random fuzzing. Anonymously every operation but the public ones
# answers 401 at once, so random fuzzing alone is enough there.
run district_admin examples,coverage,fuzzing -H "Authorization: Bearer $TOKEN" \
  --exclude-path /api/v1/auth/token/revoke || status=1
run anonymous examples,fuzzing || status=1

if [ "$status" != 0 ] && grep -q "Internal Server Error" "$WORK/server.log"; then
  echo "-- the server's tracebacks:"
  grep -A60 "Internal Server Error" "$WORK/server.log" | grep -v "^\(Not Found\|Unprocessable\|Unauthorized\)"
fi
exit $status
