"""Periodic job of the notifications: ``notifications.deliver_due`` (every 30 s), the round of
delivery.py (retries due, quiet hours over, the daily digests, sends stuck by a dead worker)."""

from __future__ import annotations

import datetime as dt

from wushe.core.jobs import JobResult, periodic


@periodic("notifications.deliver_due", every=dt.timedelta(seconds=30))
def deliver_due() -> JobResult:
    from wushe.notifications.delivery import deliver_due as round_

    return round_()
