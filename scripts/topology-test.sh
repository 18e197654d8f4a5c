#!/usr/bin/env bash
# #18 item 6: the deployment topology on one machine (scripts/topology.py says what it does).
# PostgreSQL 15 primary + synchronous standby, Redis, two gunicorn servers behind nginx, a worker
# and the scheduler, all on 127.0.0.1 under one temporary directory; 2,000 public intakes while an
# app server dies and the primary fails over, a 50,000-row import while the worker dies, the
# cockpit read from the standby. Prints one JSON object; exits 1 when a target fails.
# Needs Debian's postgresql (15), redis-server and nginx; run as root (CI) or as a user who may
# run them. Extra arguments go to the driver (--keep keeps the directory and the logs).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
for need in "$PG_BIN/initdb" "$PG_BIN/pg_basebackup" /usr/sbin/nginx /usr/bin/redis-server; do
  if [ ! -x "$need" ]; then echo "topology test: $need is missing" >&2; exit 2; fi
done

WORK="$(mktemp -d /tmp/wushe-topology.XXXXXX)"
cleanup() {
  # The driver stops everything itself; this is for when it could not (killed, crashed).
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true
    done < "$WORK/pids"
  fi
  for cluster in "$WORK"/pg/primary "$WORK"/pg/standby; do
    if [ -f "$cluster/postmaster.pid" ]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$cluster" -m immediate stop >/dev/null 2>&1 ||
        "$PG_BIN/pg_ctl" -D "$cluster" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  if [[ " $* " != *" --keep "* ]]; then rm -rf "$WORK"; fi
}
trap 'cleanup "$@"' EXIT
trap 'exit 130' INT TERM

PG_BIN="$PG_BIN" .venv/bin/python scripts/topology.py --dir "$WORK" "$@"
