"""The periodic jobs of the accounts app (run by ``wushe tick``): dormant accounts are disabled
(等保 2.0 asks that unused accounts not stay open), idle login counters are forgotten. Running
them twice changes nothing."""

from __future__ import annotations

from typing import Any

from wushe.accounts.services import login_locks_prune, users_disable_dormant
from wushe.core.jobs import periodic


@periodic("accounts.dormant")
def accounts_dormant() -> dict[str, Any]:
    return {"accounts_disabled": users_disable_dormant()}


@periodic("accounts.login_locks")
def accounts_login_locks() -> dict[str, Any]:
    return {"login_counters_forgotten": login_locks_prune()}
