"""The push task (django.tasks): send one status update to the platform. The argument is the
update's id as a string; safe to run twice (push.push_one claims the row first)."""

from __future__ import annotations

from django.tasks import task


@task()
def push(update_id: str) -> str:
    from wushe.hotline.push import push_one

    return push_one(int(update_id))
