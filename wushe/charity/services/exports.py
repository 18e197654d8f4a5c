"""Exports of donations and disbursements: an export is itself an audited act."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.charity import exporters, selectors
from wushe.charity.audit_codes import CharityAction
from wushe.core.errors import PermissionDenied
from wushe.core.services import service

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _home(actor: Actor) -> str:
    paths = scope.paths(actor, "charity.view")
    return paths[0] if paths else ""


def _filters(filters: Any) -> dict[str, str]:
    return {k: str(v) for k, v in vars(filters).items() if v} if filters else {}


@service
def donations_export(*, actor: Actor, filters: selectors.DonationFilters | None = None) -> bytes:
    if not scope.has_perm(actor, "charity.view"):
        raise PermissionDenied()
    rows = selectors.donation_list(actor=actor, filters=filters)
    content = exporters.donations_xlsx(rows.iterator(chunk_size=2000))
    audit.record(actor=actor, action=CharityAction.DONATIONS_EXPORTED, region_path=_home(actor),
                 data={"filters": _filters(filters)})
    return content


@service
def disbursements_export(*, actor: Actor,
                         filters: selectors.DisbursementFilters | None = None) -> bytes:
    if not scope.has_perm(actor, "charity.view"):
        raise PermissionDenied()
    rows = selectors.disbursement_list(actor=actor, filters=filters)
    content = exporters.disbursements_xlsx(rows.iterator(chunk_size=2000))
    audit.record(actor=actor, action=CharityAction.DISBURSEMENTS_EXPORTED,
                 region_path=_home(actor), data={"filters": _filters(filters)})
    return content
