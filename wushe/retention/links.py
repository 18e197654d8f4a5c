"""Which persons are still kept: a record not anonymised yet still names them. Read by the
dry-run report, the retention run and an erasure on request."""

from __future__ import annotations

from typing import Any

from django.db import models

from wushe.retention.models import Anonymisation
from wushe.retention.registry import KINDS, unscoped

PERSON_KIND = "people.person"
# Records that stay tied to the anonymised person without naming them (the consent given).
NON_BLOCKING = {"people.consent"}


def person_model() -> Any:
    from wushe.people.models import Person

    return Person


def kept_links(person_ids: set[int]) -> set[int]:
    """Of ``person_ids``, those still referenced by a record that is not anonymised: an open
    need, an active care profile, a volunteer, a donor, a worker … (every relation to Person,
    so a new app's link keeps the person until its own kind says otherwise)."""
    Person = person_model()
    kind_of_model = {kind.model(): kind for kind in KINDS.values()}
    kept: set[int] = set()
    ids = list(person_ids)
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        model: type[models.Model] = rel.related_model  # type: ignore[assignment]
        if model._meta.label_lower in NON_BLOCKING or model is Person:
            continue
        fk = rel.field.attname  # type: ignore[union-attr]
        qs = unscoped(model._base_manager.filter(**{f"{fk}__in": ids}))
        kind = kind_of_model.get(model)
        if kind is not None:
            qs = qs.exclude(pk__in=kind.done_ids())
        kept |= set(qs.values_list(fk, flat=True))
    return kept


def persons_due(candidates: set[int] | None = None) -> set[int]:
    """Persons with an anonymised record, none kept any more, not yet anonymised themselves."""
    if candidates is None:
        candidates = {pk for pk in Anonymisation.objects.exclude(kind=PERSON_KIND)
                      .filter(person_id__isnull=False)
                      .values_list("person_id", flat=True).distinct() if pk is not None}
    candidates -= set(Anonymisation.objects.filter(kind=PERSON_KIND, object_id__in=candidates)
                      .values_list("object_id", flat=True))
    return candidates - kept_links(candidates) if candidates else set()
