#!/usr/bin/env bash
# The bench as a smoke test (issue #16): every registered block of `wushe bench`, with small
# counts on the small demo database (`--smoke`), in a throwaway data directory. Fails if the
# command fails, if its output is not one JSON object, if a registered block is missing or gave
# no figures, or if any block reports an error. About 2.5 minutes on 2 cores. Not figures: for
# those run `make bench` (see BENCHMARKS.md).
#
#   scripts/bench-smoke.sh              # needs the venv (`make test` or `make setup` first)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$PWD/.venv/bin"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wushe-bench-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/data"

# The bench's own children run on SQLite in their own data directories; DATABASE_URL must not
# leak into the parent either.
export WUSHE_DATA_DIR="$WORK/data"
unset DATABASE_URL
export DJANGO_SETTINGS_MODULE=config.settings.base

started=$(date +%s)
"$VENV/wushe" bench --smoke --profile small --json >"$WORK/bench.json"
echo "bench smoke: $(( $(date +%s) - started ))s"

"$VENV/python" - "$WORK/bench.json" <<'EOF'
import json
import sys

import django

django.setup()
from wushe.core.figures import BENCHES  # noqa: E402

with open(sys.argv[1], encoding="utf-8") as fh:
    figures = json.load(fh)
problems = []
if not isinstance(figures, dict):
    sys.exit("bench smoke: the output is not one JSON object")
blocks = figures.get("bench_blocks", {})
for name in BENCHES:
    if name not in blocks:
        problems.append(f"block {name} did not run")
    elif not blocks[name]:
        problems.append(f"block {name} gave no figures")
problems += [f"{key}: {value}" for key, value in sorted(figures.items())
             if key.startswith("bench_error_")]
if problems:
    sys.exit("bench smoke failed:\n  " + "\n  ".join(problems))
print(f"bench smoke: {len(blocks)} blocks, {len(figures)} figures, no errors")
EOF
