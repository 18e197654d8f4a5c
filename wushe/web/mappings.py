"""Column mappings an account chose by hand on the import page, remembered per importer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import NotFound
from wushe.core.excel import IMPORTERS
from wushe.core.services import service
from wushe.web.models import ImportMapping

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def remembered(*, actor: Actor, kind: str) -> dict[str, str]:
    """The actor's own mapping for ``kind`` (empty when none)."""
    if not getattr(actor, "pk", None):
        return {}
    found = ImportMapping.objects.filter(user=signed_in(actor), kind=kind).first()
    return dict(found.mapping) if found else {}


@service
def mapping_remember(*, actor: Actor, kind: str, mapping: dict[str, str]) -> ImportMapping:
    """Keep ``mapping`` (already checked against the sheet) for the actor's next imports."""
    if kind not in IMPORTERS:
        raise NotFound()
    IMPORTERS[kind](actor).check_permission()
    kept = {k: v for k, v in mapping.items() if v}
    saved, _created = ImportMapping.objects.update_or_create(
        user=signed_in(actor), kind=kind, defaults={"mapping": kept})
    audit.record(actor=actor, action=Action.IMPORT_MAPPING_SAVED, region_path="",
                 data={"kind": kind, "fields": sorted(kept)})
    return saved


@service
def mapping_forget(*, actor: Actor, kind: str) -> None:
    """Drop the actor's mapping for ``kind``: the synonyms alone apply again."""
    deleted, _rows = ImportMapping.objects.filter(user=signed_in(actor), kind=kind).delete()
    if deleted:
        audit.record(actor=actor, action=Action.IMPORT_MAPPING_CLEARED, region_path="",
                     data={"kind": kind})
