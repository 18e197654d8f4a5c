#!/usr/bin/env bash
# The seed comparison (issue #19): builds the seed-scale demo (300,000 persons, --profile seed)
# into a throwaway data directory and compares every figure the seed text states with its KPI
# (wushe/reports/tests/test_seed_figures.py, read through `wushe stats --json`), printing the
# table. Exits non-zero when a figure misses its tolerance or the build fails. About 90 s of
# build on an idle machine, several minutes on a busy one.
#
#   scripts/seed-figures.sh            # needs the venv (`make setup` first)
#   KEEP=1 scripts/seed-figures.sh     # keep the data directory (its path is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$PWD/.venv/bin"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wushe-seed-figures.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; fi
mkdir "$WORK/data"

# The demo and `wushe stats` run on SQLite in the throwaway directory: DATABASE_URL must not
# point them at another database.
unset DATABASE_URL

started=$(date +%s)
if ! WUSHE_DATA_DIR="$WORK/data" DJANGO_SETTINGS_MODULE=config.settings.base \
    "$VENV/wushe" demo --profile seed --no-serve >"$WORK/build.log" 2>&1; then
  echo "seed figures: the seed-scale demo failed to build:" >&2
  tail -40 "$WORK/build.log" >&2
  exit 1
fi
echo "seed figures: demo built in $(( $(date +%s) - started ))s${KEEP:+ in $WORK/data}"

WUSHE_SEED_DATA_DIR="$WORK/data" "$VENV/pytest" wushe/reports/tests/test_seed_figures.py \
  -q -s -p no:randomly -p no:cacheprovider
