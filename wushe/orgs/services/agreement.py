"""Entrusted-processing agreements (PIPL Art. 21) on record: recorded by those who manage the
organisation, with the signed document, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core import uploads
from wushe.core.errors import ValidationFailed
from wushe.core.services import service
from wushe.orgs import access, cleaning
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import AgreementPurpose, ProcessingAgreement, SocialOrganization

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# A signed agreement scanned to PDF or photographed: 10 MB is plenty (core/uploads.py caps it
# before and while it is read, and types it by its first bytes).
MAX_DOCUMENT_BYTES = uploads.MAX_DOCUMENT_BYTES
MAX_YEARS = 10  # an agreement longer than this is a typo


def _read_document(upload: IO[bytes] | None) -> tuple[bytes, str]:
    """The upload's bytes and type, capped before and while reading; a refusal otherwise."""
    return uploads.read_capped(upload, types=uploads.SCANS, max_bytes=MAX_DOCUMENT_BYTES,
                               noun_zh="协议文件", noun_en="The document",
                               required_zh="请上传签署的协议文件",
                               required_en="Attach the signed agreement")


def _purposes(values: object) -> list[str]:
    items = [values] if isinstance(values, str) else list(values or []) \
        if isinstance(values, Iterable) else []
    chosen = []
    for v in items:
        if str(v) not in AgreementPurpose.values:
            raise ValidationFailed("处理目的无效", "Unknown purpose", code="choice",
                                   field="purposes")
        if str(v) not in chosen:
            chosen.append(str(v))
    if not chosen:
        raise ValidationFailed("请至少选择一项处理目的", "Choose at least one purpose",
                               code="required", field="purposes")
    return [p for p in AgreementPurpose.values if p in chosen]


def _name(upload: Any) -> str:
    raw = str(getattr(upload, "name", "") or "document").replace("\\", "/").rsplit("/", 1)[-1]
    return cleaning.text(raw, "document", "文件名", "File name", 120) or "document"


@service
def agreement_record(*, actor: Actor, org: SocialOrganization, starts_on: object,
                     ends_on: object, purposes: object, document: IO[bytes] | None
                     ) -> ProcessingAgreement:
    """Put an entrusted-processing agreement with ``org`` on record (PIPL Art. 21)."""
    access.require_manage(actor, org)
    start = cleaning.date(starts_on, "starts_on", "生效日期", "Start date", required=True,
                          not_future=False)
    end = cleaning.date(ends_on, "ends_on", "截止日期", "End date", required=True,
                        not_future=False)
    assert start is not None and end is not None
    if end < start:
        raise ValidationFailed("截止日期不能早于生效日期", "The end date cannot be before the start date",
                               code="date_range", field="ends_on")
    if end > start + dt.timedelta(days=366 * MAX_YEARS):
        raise ValidationFailed(f"协议期限不能超过{MAX_YEARS}年",
                               f"An agreement runs for {MAX_YEARS} years at most",
                               code="date_range", field="ends_on")
    chosen = _purposes(purposes)
    data, kind = _read_document(document)
    agreement = ProcessingAgreement.objects.create(
        org=org, region_path=org.region_path, starts_on=start, ends_on=end, purposes=chosen,
        document=data, document_name=_name(document), document_type=kind,
        document_size=len(data), document_sha256=hashlib.sha256(data).hexdigest(),
        recorded_by=user_or_none(actor))
    audit.record(actor=actor, action=OrgAction.AGREEMENT_RECORDED, target=agreement,
                 label=org.name, data={"org": org.pk, "starts_on": start.isoformat(),
                                       "ends_on": end.isoformat(), "purposes": chosen,
                                       "document_sha256": agreement.document_sha256,
                                       "document_size": agreement.document_size})
    return agreement


@service
def agreement_document_read(*, actor: Actor, agreement: ProcessingAgreement) -> bytes:
    """The signed document, for those who manage the organisation (the read is audited)."""
    access.require_manage(actor, agreement.org)
    audit.record(actor=actor, action=OrgAction.AGREEMENT_DOCUMENT_READ, target=agreement,
                 label=agreement.org.name, data={"org": agreement.org_id})
    return bytes(agreement.document)
