"""Periodic job ``hotline.push_due`` (every 30 s): updates due (new, to retry, or stuck)."""

from __future__ import annotations

import datetime as dt

from wushe.core.jobs import JobResult, periodic


@periodic("hotline.push_due", every=dt.timedelta(seconds=30))
def push_due() -> JobResult:
    from wushe.hotline.push import push_due as round_

    return dict(round_())
