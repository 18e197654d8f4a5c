"""Writes of people and consents. Each: permission, validation, write, audit, one transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.ids import birth_date_from_id, gender_from_id
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.people.consents import consent_record
from wushe.people.models import SENSITIVE_FIELDS, Consent, Person
from wushe.people.validation import clean_person_fields
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _check_region(actor: Actor, region: Region, perm: str) -> None:
    scope.require_region(actor, perm, region.path)
    if region.level not in (RegionLevel.COMMUNITY, RegionLevel.GRID):
        raise ValidationFailed(
            "人员须登记到社区(村)或网格", "A person is registered in a community, village or grid",
            code="region_level", field="region",
        )


def _duplicate_in_scope(actor: Actor, bidx: str, exclude_pk: int | None = None) -> Person | None:
    qs = scope.visible(Person.objects, actor, "people.view").filter(id_number_bidx=bidx)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


@service
def person_create(
    *, actor: Actor, region: Region, name: object, id_number: object = None, phone: object = None,
    address: object = "",
) -> Person:
    _check_region(actor, region, "people.create")
    values = clean_person_fields(name=name, id_number=id_number, phone=phone, address=address)
    person = Person(region=region, region_path=region.path, **values)
    if person.id_number:
        person.id_number_bidx = blind_index(person.id_number)
        person.birth_date = birth_date_from_id(person.id_number)
        person.gender = gender_from_id(person.id_number)
        if _duplicate_in_scope(actor, person.id_number_bidx):
            raise Conflict("该身份证号已登记,请勿重复登记", "This ID number is already registered",
                           code="duplicate_person", field="id_number")
    if person.phone:
        person.phone_bidx = blind_index(person.phone)
    person.save()
    # A duplicate outside the actor's scope is not revealed to the actor (that would confirm
    # another community's record exists); it is flagged for the district to reconcile.
    if person.id_number_bidx and Person.objects.unscoped(reason="uniqueness check, no row shown").filter(
        id_number_bidx=person.id_number_bidx
    ).exclude(pk=person.pk).exists():
        audit.record(actor=actor, action=Action.PERSON_DUPLICATE_SUSPECTED, target=person,
                     region_path=region.path[:6], label=person.masked_name)
    audit.record(actor=actor, action=Action.PERSON_CREATED, target=person, label=person.masked_name,
                 data={"region": region.code, "has_id_number": bool(person.id_number),
                       "has_phone": bool(person.phone)})
    return person


@service
def person_update(*, actor: Actor, person: Person, **changes: object) -> Person:
    scope.require(actor, "people.update", person, view_perm="people.view")
    allowed = {"name", "id_number", "phone", "address"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed("不可修改的字段", "Fields that cannot be changed",
                               details=[{"field": f} for f in sorted(unknown)])
    current = {f: getattr(person, f) for f in allowed}
    values = clean_person_fields(**{**current, **changes})
    changed = [f for f in allowed if values[f] != current[f]]
    for f in changed:
        setattr(person, f, values[f])
    if "id_number" in changed:
        person.id_number_bidx = blind_index(person.id_number) if person.id_number else None
        if person.id_number:
            person.birth_date = birth_date_from_id(person.id_number)
            person.gender = gender_from_id(person.id_number)
            if person.id_number_bidx and _duplicate_in_scope(actor, person.id_number_bidx,
                                                             person.pk):
                raise Conflict("该身份证号已登记,请勿重复登记",
                               "This ID number is already registered",
                               code="duplicate_person", field="id_number")
    if "phone" in changed:
        person.phone_bidx = blind_index(person.phone) if person.phone else None
    if changed:
        person.save()
        # Old/new values of sensitive fields are recorded masked: the log must not become a
        # second, unencrypted copy of the personal data.
        audit.record(actor=actor, action=Action.PERSON_UPDATED, target=person,
                     label=person.masked_name,
                     data={f: {"old": _masked(f, current[f]), "new": _masked(f, values[f])}
                           for f in changed})
    return person


def _masked(field: str, value: Any) -> Any:
    from wushe.core import masking

    fn = {"id_number": masking.mask_id_number, "phone": masking.mask_phone,
          "address": masking.mask_address, "name": masking.mask_name}[field]
    return fn(value)


PURPOSE_MIN_LENGTH = 4


@service
def person_unmask(*, actor: Actor, person: Person, field: str, purpose: str) -> str:
    """Return one sensitive field in clear, after a permission check and a stated purpose."""
    scope.require(actor, "people.unmask", person, view_perm="people.view")
    if field not in SENSITIVE_FIELDS:
        raise ValidationFailed("该字段不可查看", "This field cannot be revealed", field="field")
    purpose = clean_text(purpose, field="purpose", label_zh="查看事由", label_en="Purpose",
                         max_length=200, required=True)
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise ValidationFailed("请具体说明查看事由(至少4个字)",
                               "State the purpose of viewing (at least 4 characters)",
                               code="purpose_too_short", field="purpose")
    audit.pii_access(actor=actor, subject=person, field=field, purpose=purpose)
    audit.record(actor=actor, action=Action.PERSON_UNMASKED, target=person,
                 label=person.masked_name, data={"field": field, "purpose": purpose})
    return str(getattr(person, field) or "")


@service
def consent_give(
    *, actor: Actor, person: Person, purpose: str, scope_text: str, sensitive: bool = False,
    guardian: Person | None = None, guardian_relation: str = "", given_at: dt.datetime | None = None,
) -> Consent:
    scope.require(actor, "consents.manage", person, view_perm="people.view")
    if guardian is not None:
        scope.require(actor, "people.view", guardian)
    return consent_record(actor=actor, person=person, purpose=purpose, scope_text=scope_text,
                          sensitive=sensitive, guardian=guardian,
                          guardian_relation=guardian_relation, given_at=given_at)


@service
def consent_withdraw(*, actor: Actor, consent: Consent) -> Consent:
    scope.require(actor, "consents.manage", consent, view_perm="people.view")
    if consent.withdrawn_at is not None:
        raise Conflict("该同意已撤回", "This consent has already been withdrawn",
                       code="already_withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    audit.record(actor=actor, action=Action.CONSENT_WITHDRAWN, target=consent,
                 data={"person": consent.person_id, "purpose": consent.purpose})
    return consent
