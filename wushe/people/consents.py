"""The consent rules and write, inside the caller's transaction and under its permission.

``people.services.consent_give`` checks consents.manage and calls it; services of other apps
that have already checked their own permission over the person (a team leader registering a
volunteer: volunteers.manage) call it inside their own service. It writes the consent's audit
event itself.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import ValidationFailed
from wushe.core.text import clean_text
from wushe.people.models import Consent, ConsentPurpose, Person

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def consent_record(
    *, actor: Actor, person: Person, purpose: str, scope_text: str, sensitive: bool = False,
    guardian: Person | None = None, guardian_relation: str = "", given_at: dt.datetime | None = None,
    guardian_field: str = "guardian", via: str = "",
) -> Consent:
    """The consent rules and write, inside the caller's transaction.

    For services that have already checked their own permission over the person (a team
    leader registering a volunteer: volunteers.manage, not consents.manage); everyone else
    calls ``consent_give``.
    """
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed("同意用途无效", "Unknown consent purpose", field="purpose")
    scope_text = clean_text(scope_text, field="scope", label_zh="使用范围", label_en="Scope of use",
                            max_length=300, required=True)
    given_at = given_at or timezone.now()
    age = person.age(timezone.localtime(given_at).date())
    if age is not None and age < settings.WUSHE_GUARDIAN_CONSENT_AGE:
        if guardian is None:
            raise ValidationFailed(
                "不满14周岁者的同意须由监护人作出", "Consent for a child under 14 must come from a guardian",
                code="guardian_required", field=guardian_field,
            )
        guardian_age = guardian.age()
        if guardian.pk == person.pk or (guardian_age is not None and guardian_age < 18):
            raise ValidationFailed("监护人须为成年人", "The guardian must be an adult",
                                   code="guardian_invalid", field=guardian_field)
        guardian_relation = clean_text(guardian_relation, field="guardian_relation",
                                       label_zh="监护关系", label_en="Guardian relation",
                                       max_length=20, required=True)
    consent = Consent.objects.create(
        person=person, purpose=purpose, scope=scope_text, sensitive=sensitive, guardian=guardian,
        guardian_relation=guardian_relation if guardian else "", given_at=given_at,
        recorded_by=user_or_none(actor),
        region_path=person.region_path,
    )
    data = {"person": person.pk, "purpose": purpose, "sensitive": sensitive,
            "guardian": guardian.pk if guardian else None}
    if via:
        data["by"] = via
    audit.record(actor=actor, action=Action.CONSENT_GIVEN, target=consent,
                 label=person.masked_name, data=data)
    return consent
