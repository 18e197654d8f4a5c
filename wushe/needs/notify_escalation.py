"""An escalated need is told to the level it reached (street or district), urgent: the
``needs.hooks.on_step`` hook on ESCALATE steps. The needs app's, through the notifications
service (the notifications app imports no needs module); the work scan leaves the escalated
item to this hook (``wushe/notifications/scan.py:BY_HOOK``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wushe.accounts import scope
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import ROLE_PERMISSIONS
from wushe.needs import access, hooks, perms
from wushe.needs.models import Need
from wushe.needs.work import _title
from wushe.notifications.scan import ESCALATED, LEVEL_ROLES_REGION
from wushe.notifications.send import absolute_link, notify_accounts


def escalation_recipients(need: Any, level: int) -> list[Any]:
    """Active accounts with a grant at the level's region (street or district) above the need,
    who may supervise it (the same rule as the escalated producer: scope and the minors rule)."""
    region_level = LEVEL_ROLES_REGION.get(level)
    if region_level is None:
        return []
    roles = [r for r, p in ROLE_PERMISSIONS.items() if perms.NEED_SUPERVISE in p]
    paths = [need.region_path[:n] for n in (6, 9, 12, 15) if n <= len(need.region_path)]
    ids = RoleGrant.objects.unscoped(reason="notify: the supervisors the need escalated to").filter(
        role__in=roles, region__level=region_level, region_path__in=paths,
        org=None, team=None, fund=None).values("user_id")
    users = User.objects.filter(pk__in=ids, is_active=True, disabled_at__isnull=True).order_by("pk")
    return [u for u in users
            if scope.covers(u, perms.NEED_SUPERVISE, need.region_path)
            and access.sees_by_region(u, need)]


def announce_escalation(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """needs.hooks.on_step: an ESCALATE step is told to the level it reached, urgent."""
    if action != "escalate":
        return
    need = Need.objects.unscoped(reason="hook: the calling service authorised it").filter(pk=need_id).first()
    if need is None or need.escalation_level not in LEVEL_ROLES_REGION:
        return
    users = escalation_recipients(need, need.escalation_level)
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        title = _("Escalated: %(need)s") % {"need": _title(need)}
        notify_accounts(users=users, kind=ESCALATED, key=f"escalated:{need.pk}:{need.escalation_level}",
                title=title[:200], link=absolute_link(reverse("needs:detail", args=[need.pk])),
                due=need.due_on, urgent=True)


hooks.on_step(announce_escalation)  # registered on import (NeedsConfig.ready)
