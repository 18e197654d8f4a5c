"""Reads of certificates (scoped, and the public verification by number) and pairings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wushe.core.errors import NotFound
from wushe.core.ids import identifier_text
from wushe.volunteers import access
from wushe.volunteers.models import Certificate, Pairing, PairingStatus, VisitLog, Volunteer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def certificate_list(*, actor: Actor, volunteer: Volunteer | None = None
                     ) -> QuerySet[Certificate]:
    qs = access.visible(Certificate.objects, actor, access.VIEW, self_field="volunteer_id")
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    return qs.select_related("team", "volunteer").order_by("-issued_at", "-id")


def certificate_get(*, actor: Actor, certificate_id: int) -> Certificate:
    found = access.visible(Certificate.objects.select_related("team", "volunteer"), actor,
                           access.VIEW, self_field="volunteer_id") \
        .filter(pk=certificate_id).first()
    if found is None:
        raise NotFound()
    return found


def certificate_verify(*, number: str) -> Certificate:
    """Public: by number only; what is shown is the masked snapshot and the validity."""
    clean = identifier_text(number, what_zh="证明编号", what_en="certificate number",
                            field="number").upper()
    if not clean or len(clean) > 32:
        raise NotFound("证明编号不存在", "No certificate has this number")
    found = Certificate.objects.unscoped(reason="public: a certificate verified by its number").filter(number=clean).first()
    if found is None:
        raise NotFound("证明编号不存在", "No certificate has this number")
    return found


def pairing_list(*, actor: Actor, status: str = PairingStatus.ACTIVE) -> QuerySet[Pairing]:
    qs = access.visible(Pairing.objects, actor, access.VIEW, self_field="volunteer_id")
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("team", "volunteer", "volunteer__person", "person", "region") \
        .order_by("-started_on", "-id")


def pairing_get(*, actor: Actor, pairing_id: int) -> Pairing:
    found = access.visible(
        Pairing.objects.select_related("team", "volunteer", "volunteer__person", "person",
                                       "region"),
        actor, access.VIEW, self_field="volunteer_id").filter(pk=pairing_id).first()
    if found is None:
        raise NotFound()
    return found


def visit_logs(*, actor: Actor, pairing: Pairing) -> QuerySet[VisitLog]:
    return (access.visible(VisitLog.objects, actor, access.VIEW).filter(pairing=pairing)
            | VisitLog.objects.mark_scoped().filter(pairing=pairing,
                                                 pairing__volunteer_id=access.own_volunteer_id(
                                                     actor) or 0)
            ).select_related("visitor", "visitor__person").order_by("-visited_on", "-id")
