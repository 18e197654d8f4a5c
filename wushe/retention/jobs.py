"""The periodic job of retention (run by ``wushe tick`` or the scheduler): once a day it
anonymises what has passed its period. Running it twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wushe.core.jobs import periodic


@periodic("retention.anonymise", every=dt.timedelta(days=1))
def retention_anonymise() -> dict[str, Any]:
    from wushe.retention.run import retention_run

    return retention_run()
