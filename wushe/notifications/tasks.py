"""The delivery task (django.tasks), run by ``wushe worker``: send one Delivery.

The argument is the delivery's id as a string: the queue never holds an address or a text.
Safe to run twice (and a retried task never sends twice): ``delivery.deliver`` claims the row
with one conditional UPDATE before it calls the channel.
"""

from __future__ import annotations

from django.tasks import task


@task()
def deliver(delivery_id: str) -> str:
    from wushe.notifications.delivery import deliver_one

    return deliver_one(int(delivery_id))
