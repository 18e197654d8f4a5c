"""Writes of the KPI dictionary: a district admin proposes a version frozen from the current
KPI declarations; a second district admin approves it. Both audited in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Max
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import PermissionDenied, ValidationFailed
from wushe.core.services import service
from wushe.definitions import dictionary
from wushe.definitions.audit_codes import DefinitionAction
from wushe.definitions.models import DictionaryVersion, VersionState
from wushe.definitions.selectors import VIEW, version_get
from wushe.regions.models import RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MANAGE = "rules.manage"  # district admins: those who set the local rules sign the definitions


@service
def version_propose(*, actor: Actor, region: Any) -> DictionaryVersion:
    """A draft version of ``region``'s (a district) dictionary from the declarations as they
    are now. A draft awaiting approval with other content is withdrawn; the same content
    twice, or the content of the approved version, is refused."""
    scope.require_region(actor, MANAGE, region.path)
    if region.level != RegionLevel.DISTRICT:
        raise ValidationFailed("统计口径由区级制定", "The KPI dictionary is kept by the district",
                               code="not_district", field="region")
    items, digest = dictionary.current()
    versions = DictionaryVersion.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().filter(region=region)
    approved = versions.filter(state=VersionState.APPROVED).order_by("-number").first()
    if approved is not None and approved.content_hash == digest:
        raise ValidationFailed("统计口径与已批准的版本相同,无需新版本",
                               "The definitions are those of the approved version; no new "
                               "version is needed", code="unchanged")
    withdrawn = []
    for draft in versions.filter(state=VersionState.DRAFT):
        if draft.content_hash == digest:
            raise ValidationFailed(f"内容相同的第{draft.number}版正在等待批准",
                                   f"Version {draft.number} with the same content awaits "
                                   "approval", code="pending")
        draft.state = VersionState.WITHDRAWN
        draft.save(update_fields=["state", "updated_at"])
        withdrawn.append(draft.number)
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DictionaryVersion.objects.create(
        region=region, region_path=region.path, number=number, entries=items,
        content_hash=digest, proposed_by=signed_in(actor))
    audit.record(actor=actor, action=DefinitionAction.VERSION_PROPOSED, target=version,
                 label=f"v{number}", region_path=version.region_path,
                 data={"number": number, "content_hash": digest, "entries": len(items),
                       "withdrawn": withdrawn})
    return version


@service
def version_approve(*, actor: Actor, version: DictionaryVersion) -> DictionaryVersion:
    """Approve a draft: by a district admin who did not propose it (four eyes). The version
    approved before it is superseded."""
    scope.require(actor, MANAGE, version, view_perm=VIEW)
    version = DictionaryVersion.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=version.pk)
    if version.state != VersionState.DRAFT:
        raise ValidationFailed("该版本不在待批准状态", "This version is not awaiting approval",
                               code="state")
    if version.proposed_by_id == actor.pk:
        raise PermissionDenied("提出者不能批准自己提出的统计口径版本",
                               "The proposer cannot approve their own version",
                               code="four_eyes")
    superseded = list(DictionaryVersion.objects.unscoped(reason="service: scope.require checked the actor").filter(
        region_id=version.region_id, state=VersionState.APPROVED).values_list("number", flat=True))
    DictionaryVersion.objects.unscoped(reason="service: scope.require checked the actor").filter(
        region_id=version.region_id, state=VersionState.APPROVED).update(
        state=VersionState.SUPERSEDED, updated_at=timezone.now())
    version.state = VersionState.APPROVED
    version.approved_by = signed_in(actor)
    version.approved_at = timezone.now()
    version.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    audit.record(actor=actor, action=DefinitionAction.VERSION_APPROVED, target=version,
                 label=f"v{version.number}", region_path=version.region_path,
                 data={"number": version.number, "content_hash": version.content_hash,
                       "superseded": superseded})
    return version


@service
def version_exported(*, actor: Actor, version: DictionaryVersion, fmt: str) -> None:
    """An export of a version (xlsx or PDF) is an audited act, like the other exports."""
    version_get(actor=actor, version_id=version.pk)  # the reader's own scope: NotFound outside
    audit.record(actor=actor, action=DefinitionAction.VERSION_EXPORTED, target=version,
                 label=f"v{version.number}", region_path=version.region_path,
                 data={"format": fmt})
