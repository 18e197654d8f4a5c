"""Writes of donors: enterprises with a valid credit code, individuals with a masked contact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.charity import access
from wushe.charity.audit_codes import CharityAction
from wushe.charity.models import Donor, DonorKind
from wushe.charity.services._common import short_text
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.ids import normalize_credit_code, normalize_phone
from wushe.core.services import service
from wushe.core.text import clean_person_name
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def donor_create(*, actor: Actor, region: Region, kind: str, name: str = "",
                 credit_code: str | None = None, person: Any = None, contact_name: str = "",
                 phone: str | None = None, anonymous: bool = False, note: str = "") -> Donor:
    """Register a donor where the actor works (region grant, or a fund it manages there)."""
    if not access.region_allows(actor, access.MANAGE, region.path):
        raise NotFound("地区不存在", "Region not found")
    if kind not in DonorKind.values:
        raise ValidationFailed("捐赠人类型无效", "Unknown donor kind", field="kind")
    donor = Donor(kind=kind, region=region, region_path=region.path, anonymous=bool(anonymous),
                  created_by=user_or_none(actor),
                  note=short_text(note, field="note", label_zh="备注", label_en="Note",
                                  max_length=200))
    if kind == DonorKind.ENTERPRISE:
        donor.name = short_text(name, field="name", label_zh="企业名称", label_en="Enterprise name",
                                max_length=200, required=True)
        donor.credit_code = normalize_credit_code(credit_code)
        if Donor.objects.filter(credit_code=donor.credit_code).exists():
            raise Conflict("该统一社会信用代码的企业已登记", "An enterprise with this credit code is registered",
                           field="credit_code")
        donor.contact_name = (clean_person_name(contact_name, field="contact_name")
                              if contact_name else "")
    else:
        if credit_code:
            raise ValidationFailed("个人捐赠人没有统一社会信用代码",
                                   "An individual donor has no credit code", field="credit_code")
        donor.person = person
        donor.name = clean_person_name(person.name if person is not None else name)
    if phone:
        donor.phone = normalize_phone(phone)
        donor.phone_bidx = blind_index(donor.phone)
    donor.save()
    audit.record(actor=actor, action=CharityAction.DONOR_CREATED, target=donor,
                 label=donor.display_name,
                 data={"kind": kind, "region": region.code, "anonymous": donor.anonymous,
                       **({"credit_code": donor.credit_code} if donor.credit_code else {}),
                       **({"person": person.pk} if person is not None else {})})
    return donor


@service
def donor_unmask(*, actor: Actor, donor: Donor, purpose: str) -> str:
    """An individual donor's phone in clear, once, for a stated purpose (recorded)."""
    if not access.region_allows(actor, access.MANAGE, donor.region_path):
        raise NotFound()
    purpose = short_text(purpose, field="purpose", label_zh="查看目的", label_en="Purpose",
                         max_length=200, required=True)
    if len(purpose) < 2:
        raise ValidationFailed("请说明查看目的", "State the purpose", field="purpose")
    audit.pii_access(actor=actor, subject=donor, field="phone", purpose=purpose)
    audit.record(actor=actor, action=CharityAction.DONOR_UNMASKED, target=donor,
                 data={"field": "phone"})
    return donor.phone or ""
