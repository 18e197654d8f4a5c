"""scripts/topology.py (#18 item 6) without its servers: the verdict that decides the exit
status, and the deploy/ files it fills in (a placeholder added to one of them must fail here,
in seconds, rather than minutes into the CI's topology run)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "topology.py"
NGINX = Path("/usr/sbin/nginx")


@pytest.fixture(scope="module")
def topology() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wushe_topology_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def passing(topology: ModuleType) -> dict[str, Any]:
    return {"topology_intake_acknowledged": 0.99, "topology_intake_lost": 0,
            "topology_import_partial_rows": 0, "topology_failover_seconds": 0.6,
            "topology_import_retried_rows": topology.IMPORT_ROWS,
            "topology_replica_read_share": 0.0}


def test_a_run_that_meets_every_target_passes(topology: ModuleType) -> None:
    assert topology.verdict(passing(topology)) == []


@pytest.mark.parametrize(("key", "value"), [
    ("topology_intake_acknowledged", 0.9499),
    ("topology_intake_acknowledged", None),
    ("topology_intake_lost", 1),
    ("topology_import_partial_rows", 5000),
    ("topology_failover_seconds", None),  # the failover never happened
    ("topology_import_retried_rows", 49_999),
    ("topology_import_retried_rows", None),
])
def test_each_missed_target_fails_the_run(topology: ModuleType, key: str, value: Any) -> None:
    result = passing(topology) | {key: value}
    assert topology.verdict(result) == [f"{key} = {value!r}"]


def test_a_missing_figure_fails_its_target(topology: ModuleType) -> None:
    result = passing(topology)
    del result["topology_intake_lost"]
    assert topology.verdict(result) == ["topology_intake_lost = None"]


def test_a_placeholder_left_over_is_refused(topology: ModuleType) -> None:
    assert topology.fill("port @PORT@", {"PORT": "5432"}) == "port 5432"
    with pytest.raises(RuntimeError, match="@TLS_KEY@"):
        topology.fill("listen @PORT@; key @TLS_KEY@;", {"PORT": "443"})


def test_the_primary_settings_of_deploy_are_filled_completely(topology: ModuleType,
                                                               tmp_path: Path) -> None:
    text = topology.deploy_primary_conf(tmp_path / "wal")
    assert "synchronous_commit = on" in text
    assert "'FIRST 1 (standby1)'" in text
    assert f"cp %p {tmp_path}/wal/%f" in text


@pytest.mark.skipif(not (NGINX.exists() and shutil.which("openssl")),
                    reason="nginx or openssl missing")
def test_the_nginx_config_made_from_deploy_is_valid(topology: ModuleType,
                                                    tmp_path: Path) -> None:
    t = topology.Topology(tmp_path)
    conf = t.write_nginx()
    done = subprocess.run([str(NGINX), "-t", "-p", str(conf.parent), "-c", str(conf),  # noqa: S603
                           "-e", str(conf.parent / "error.log")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    public = (conf.parent / "root/deploy/nginx/wushe-public.conf").read_text()
    assert f"listen 127.0.0.1:{t.ports['public']} ssl;" in public
    assert f"server 127.0.0.1:{t.ports['web1']}" in public
