"""Benchmark of the notification engine: ``notifications_per_second``.

Measured in a child process on the cached seed demo database (``python -m
wushe.notifications.bench --iterations N``): N notifications to the demo's accounts, each with
SMS on (a phone in its preference), made by ``notify_accounts`` and sent one by one through
``deliver_one`` (claim, resolve and decrypt the phone, audit the unmask, per-phone quota, the
file backend, the attempt row, the final state): what one worker does per message. Everything
runs in a transaction rolled back at the end, and the file outbox goes to a temporary
directory, so the demo database is left as it was.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

from wushe.core.figures import bench


def measure(*, iterations: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import transaction

    from wushe.accounts.models import User
    from wushe.notifications.delivery import deliver_one
    from wushe.notifications.models import Delivery, DeliveryState, Preference
    from wushe.notifications.send import notify_accounts

    n = max(1, iterations)
    users = list(User.objects.filter(is_active=True).order_by("pk")[:50])
    settings.WUSHE_SMS_PER_PHONE_PER_DAY = 10 ** 9  # the cap is not what is measured
    settings.WUSHE_SMS_BACKEND = "file"
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings.DATA_DIR = tmp
        with transaction.atomic():
            for i, user in enumerate(users):
                Preference.objects.update_or_create(user=user, defaults={
                    "sms": True, "email": False, "chat": False, "quiet_hours": False,
                    "digest": False, "phone": f"139{i:08d}"})
            started = time.perf_counter()
            ids: list[int] = []
            for i in range(n):
                user = users[i % len(users)]
                notify_accounts(users=[user], kind="bench.item", key=f"bench:{i}",
                                title="bench", link="/inbox/", urgent=True)
            ids = list(Delivery.objects.filter(key__startswith="bench:")
                       .values_list("pk", flat=True))
            made = time.perf_counter()
            for pk in ids:
                deliver_one(pk)
            done = time.perf_counter()
            sent = Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count()
            transaction.set_rollback(True)
    figures["notifications_count"] = n
    figures["notifications_sent"] = sent
    figures["notifications_per_second"] = round(n / (done - started), 1)
    figures["notifications_send_per_second"] = round(len(ids) / max(done - made, 1e-9), 1)
    return figures


KEYS = ("notifications_count", "notifications_sent", "notifications_per_second",
        "notifications_send_per_second")


@bench("notifications")
def notifications_bench(options: dict[str, Any]) -> dict[str, Any]:
    import json
    import subprocess  # noqa: S404 (runs this project's own module)
    import sys

    from wushe.demo.bench import base_scale, demo_data_dir, smoke_count, subprocess_env

    scale = base_scale(options)
    data_dir = demo_data_dir(options, scale)
    n = smoke_count(options, 500, 50)
    options["progress"](f"notifications: {n} messages through the file backend in {data_dir}")
    argv = [sys.executable, "-m", "wushe.notifications.bench", "--iterations", str(n)]
    done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"notifications probe failed in {data_dir}: {done.stderr[-2000:]}")
    figures = json.loads(done.stdout)
    return {key: figures[key] for key in KEYS}


def main() -> None:
    from wushe.demo.bench import probe_main

    probe_main(measure, "Send N notifications through the file backend on this database", 500)


if __name__ == "__main__":
    main()
