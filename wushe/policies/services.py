"""Writes of the policy library: a district admin adds a document (with its file, capped and
typed by its first bytes) or marks it repealed; each write audited in the same transaction."""

from __future__ import annotations

import hashlib
from typing import IO, TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.policies.audit_codes import PolicyAction
from wushe.policies.files import read_file
from wushe.policies.models import PolicyDocument
from wushe.policies.selectors import VIEW

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MANAGE = "rules.manage"  # those who set the local rules keep the documents they come from


def _file_name(upload: Any) -> str:
    raw = str(getattr(upload, "name", "") or "document").replace("\\", "/").rsplit("/", 1)[-1]
    return cleaning.text(raw, "file", "文件名", "File name", 120) or "document"


@service
def policy_add(*, actor: Actor, region: Any, title: object, issuer: object, number: object,
               issued_on: object, effective_on: object = None, repealed_on: object = None,
               key: object = "", file: IO[bytes] | None = None) -> PolicyDocument:
    """Put a policy document in the library of ``region``; its file, when given, is capped
    before it is read and must be a PDF, DOCX or OFD by its first bytes."""
    scope.require_region(actor, MANAGE, region.path)
    clean_title = cleaning.text(title, "title", "标题", "Title", 200, required=True)
    clean_issuer = cleaning.text(issuer, "issuer", "发文机关", "Issuer", 100, required=True)
    clean_number = cleaning.text(number, "number", "文号", "Document number", 60)
    clean_key = cleaning.text(key, "key", "引用键", "Citation key", 60).lower()
    if clean_key and not all(c.isascii() and (c.isalnum() or c in "-_") for c in clean_key):
        raise ValidationFailed("引用键只能包含字母、数字、-和_", "A citation key holds letters, "
                               "digits, - and _ only", code="key", field="key")
    issued = cleaning.date(issued_on, "issued_on", "发文日期", "Date issued", required=True)
    effective = cleaning.date(effective_on, "effective_on", "施行日期", "Effective from",
                              not_future=False)
    repealed = cleaning.date(repealed_on, "repealed_on", "废止日期", "Repealed on",
                             not_future=False)
    assert issued is not None
    for later, field, zh, en in ((effective, "effective_on", "施行日期", "effective date"),
                                 (repealed, "repealed_on", "废止日期", "repeal date")):
        if later is not None and later < issued:
            raise ValidationFailed(f"{zh}不能早于发文日期", f"The {en} cannot be before the date "
                                   "issued", code="date_range", field=field)
    if clean_number and PolicyDocument.objects.unscoped(reason="uniqueness check, no row shown").filter(
            region=region, number=clean_number).exists():
        raise ValidationFailed("该文号的文件已在库中", "A document with this number is already in "
                               "the library", code="duplicate", field="number")
    if clean_key and PolicyDocument.objects.unscoped(reason="uniqueness check, no row shown").filter(key=clean_key).exists():
        raise ValidationFailed("该引用键已被使用", "This citation key is already used",
                               code="duplicate", field="key")
    data, kind = read_file(file) if file is not None else (None, "")
    doc = PolicyDocument.objects.create(
        region=region, region_path=region.path, key=clean_key, title=clean_title,
        issuer=clean_issuer, number=clean_number, issued_on=issued, effective_on=effective,
        repealed_on=repealed, file=data, file_name=_file_name(file) if data else "",
        file_type=kind, file_size=len(data or b""),
        file_sha256=hashlib.sha256(data).hexdigest() if data else "",
        added_by=user_or_none(actor))
    audit.record(actor=actor, action=PolicyAction.DOCUMENT_ADDED, target=doc, label=doc.title,
                 region_path=doc.region_path,
                 data={"number": doc.number, "issuer": doc.issuer, "key": doc.key,
                       "issued_on": issued.isoformat(), "file_sha256": doc.file_sha256,
                       "file_size": doc.file_size})
    return doc


@service
def policy_repeal(*, actor: Actor, policy: PolicyDocument, repealed_on: object) -> PolicyDocument:
    scope.require(actor, MANAGE, policy, view_perm=VIEW)
    day = cleaning.date(repealed_on, "repealed_on", "废止日期", "Repealed on", required=True,
                        not_future=False)
    assert day is not None
    if day < policy.issued_on:
        raise ValidationFailed("废止日期不能早于发文日期", "The repeal date cannot be before the "
                               "date issued", code="date_range", field="repealed_on")
    before = policy.repealed_on
    policy.repealed_on = day
    policy.save(update_fields=["repealed_on", "updated_at"])
    audit.record(actor=actor, action=PolicyAction.DOCUMENT_REPEALED, target=policy,
                 label=policy.title, region_path=policy.region_path,
                 data={"old": before.isoformat() if before else None, "new": day.isoformat()})
    return policy


@service
def documents_exported(*, actor: Actor, rows: int) -> None:
    """An export of the policy list is an audited act, like the other exports."""
    if not scope.has_perm(actor, VIEW):
        raise NotFound()
    audit.record(actor=actor, action=PolicyAction.DOCUMENTS_EXPORTED, data={"rows": rows})
