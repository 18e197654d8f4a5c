"""The Person behind a volunteer, and the volunteering consent (with a guardian under 14).

A volunteer is a Person of the people app. Registering one looks the person up by the blind
index of the ID number first (the district already holds most residents), and creates the
Person only when none exists, with the same rules as ``people.services.person_create``. The
consent goes through ``people.services.consent_give`` when the actor may record consents; a
team leader (or a leader approving a public self-registration) may not, so the same record is
written here under the same rules and audited with the same code.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.crypto import blind_index
from wushe.core.errors import ValidationFailed
from wushe.core.ids import birth_date_from_id, gender_from_id, normalize_id_number, normalize_phone
from wushe.core.text import clean_person_name
from wushe.people import consents
from wushe.people.models import Consent, ConsentPurpose, Person
from wushe.regions.models import Region
from wushe.volunteers.guardians import ADULT_AGE, CONSENT_SCOPE, GuardianSpec

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def needs_guardian(id_number: str, on: dt.date | None = None) -> bool:
    born = birth_date_from_id(id_number)
    on = on or timezone.localdate()
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age < settings.WUSHE_GUARDIAN_CONSENT_AGE


def person_find_or_create(*, actor: Actor, region: Region, name: object, id_number: object,
                          phone: object = None, field_prefix: str = "") -> Person:
    """The Person with this ID number (any community), or a new one in ``region``."""
    name = clean_person_name(name, field=f"{field_prefix}name")
    try:
        idn = normalize_id_number(id_number)
        tel = normalize_phone(phone) if phone not in (None, "") else None
    except ValidationFailed as exc:
        exc.field = f"{field_prefix}{exc.field}"
        raise
    bidx = blind_index(idn)
    existing = Person.objects.unscoped(reason="uniqueness check, no row shown").filter(id_number_bidx=bidx).first()
    if existing is not None:
        if existing.name != name:
            raise ValidationFailed(
                "姓名与该身份证号已登记的姓名不一致,请核对",
                "The name does not match the one registered with this ID number; check both",
                code="name_mismatch", field=f"{field_prefix}name")
        return existing
    person = Person(region=region, region_path=region.path, name=name, id_number=idn,
                    id_number_bidx=bidx, birth_date=birth_date_from_id(idn),
                    gender=gender_from_id(idn), phone=tel,
                    phone_bidx=blind_index(tel) if tel else None)
    person.save()
    audit.record(actor=actor, action=Action.PERSON_CREATED, target=person,
                 label=person.masked_name,
                 data={"region": region.code, "has_id_number": True, "has_phone": bool(tel),
                       "by": "volunteers"})
    return person


def guardian_person(*, actor: Actor, region: Region, spec: GuardianSpec, child: Person) -> Person:
    guardian = person_find_or_create(actor=actor, region=region, name=spec.name,
                                     id_number=spec.id_number, phone=spec.phone,
                                     field_prefix="guardian_")
    age = guardian.age()
    if guardian.pk == child.pk or (age is not None and age < ADULT_AGE):
        raise ValidationFailed("监护人须为成年人", "The guardian must be an adult",
                               code="guardian_invalid", field="guardian_id_number")
    return guardian


def volunteering_consent(*, actor: Actor, person: Person, given_at: dt.datetime | None = None,
                         guardian: Person | None = None, relation: str = "") -> Consent:
    """The volunteering consent, recorded by the volunteers service that checked its own
    permission (team leaders have volunteers.manage, not consents.manage)."""
    return consents.consent_record(
        actor=actor, person=person, purpose=ConsentPurpose.VOLUNTEERING, scope_text=CONSENT_SCOPE,
        guardian=guardian, guardian_relation=relation, given_at=given_at,
        guardian_field="guardian_name", via="volunteers")
