"""The periodic jobs of the accounts app (run by ``wushe tick``): dormant accounts are disabled
(等保 2.0 asks that unused accounts not stay open). Running it twice changes nothing. (Login
counters need no job: they live in the cache and expire by themselves.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wushe.accounts.services import users_disable_dormant
from wushe.core.jobs import periodic


@periodic("accounts.dormant", every=dt.timedelta(hours=6))
def accounts_dormant() -> dict[str, Any]:
    return {"accounts_disabled": users_disable_dormant()}

