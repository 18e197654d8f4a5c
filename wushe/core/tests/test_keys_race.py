"""Processes starting together on a new data directory end with one set of keys: the key file
is published with an exclusive link, and the losers read the winner's file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from wushe.core.keys import KEYS_FILE, load_or_create_keys, publish_keys

RACE = """
import sys, json
from pathlib import Path
from wushe.core.keys import load_or_create_keys
print(json.dumps(load_or_create_keys(Path(sys.argv[1]))))
"""


def test_a_second_creator_reads_the_first_ones_keys(tmp_path: Path) -> None:
    assert publish_keys(tmp_path / KEYS_FILE, {"secret_key": "first"})
    assert not publish_keys(tmp_path / KEYS_FILE, {"secret_key": "second"})
    assert load_or_create_keys(tmp_path) == {"secret_key": "first"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEYS_FILE]  # no temporary file left
    assert (tmp_path / KEYS_FILE).stat().st_mode & 0o777 == 0o600


def test_eight_processes_starting_together_share_one_set_of_keys(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(tmp_path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(8)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err[-1000:] for _, err in outs]
    seen = {out.strip() for out, _ in outs}
    assert len(seen) == 1
    assert json.loads(seen.pop()) == json.loads((tmp_path / KEYS_FILE).read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEYS_FILE]
