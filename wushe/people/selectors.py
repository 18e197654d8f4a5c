"""Reads of people: always scoped, bounded queries, masked unless a service unmasks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.paginator import Page
from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.core.crypto import blind_index
from wushe.core.errors import ValidationFailed
from wushe.core.ids import normalize_id_number, normalize_phone, region_code_text, to_half_width
from wushe.core.paging import deferred_page
from wushe.people.models import Consent, Person
from wushe.people.names import name_index

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PERSON_LIST_FIELDS = ("id", "name", "gender", "birth_date", "id_number", "phone", "region_path",
                      "region__name", "region__code")


@dataclass(frozen=True)
class PersonFilters:
    # An ID number, a phone or a full name: each exact, through its blind index. There is no
    # name-prefix search: names are encrypted and only the whole normalised name is indexed.
    q: str = ""
    region_code: str = ""

    def apply(self, qs: QuerySet[Person]) -> QuerySet[Person]:
        q = to_half_width(self.q).strip()
        if q:
            compact = q.replace(" ", "").upper()
            if len(compact) == 18 and compact[:17].isdigit():
                qs = qs.filter(id_number_bidx=blind_index(normalize_id_number(compact)))
            elif compact.isdigit() and len(compact) >= 10:
                qs = qs.filter(phone_bidx=blind_index(normalize_phone(compact)))
            else:
                qs = qs.filter(name_bidx=name_index(q))
        if self.region_code:
            from wushe.regions.models import Region

            code = region_code_text(self.region_code)
            if not code.isdigit():
                raise ValidationFailed("地区代码无效", "Invalid region code", field="region")
            region = Region.objects.unscoped(reason="reference: the region tree").filter(code=code).only("path").first()
            qs = qs.filter(scope.subtree_q("region_path", region.path)) if region else qs.none()
        return qs


def person_search_check(filters: PersonFilters) -> None:
    """Raise what ``filters.apply`` would refuse (a wrong check digit, a bad region code) without
    reading a row: the page explains a refused search and never keeps it."""
    filters.apply(Person.objects.unscoped(reason="none(): reads no row").none())  # .none(): no query, only the refusals run


# Community by community, then in registration order: exactly the (region_path, id) index,
# so a scoped page never sorts.
PERSON_ORDER = ("region_path", "id")


def person_list(*, actor: Actor, filters: PersonFilters | None = None) -> QuerySet[Person]:
    qs = scope.visible(Person.objects, actor, "people.view")
    qs = (filters or PersonFilters()).apply(qs)
    return qs.select_related("region").only(*PERSON_LIST_FIELDS).order_by(*PERSON_ORDER)


def person_page(*, actor: Actor, filters: PersonFilters | None = None, number: object = 1,
                per_page: int | None = None) -> Page:
    """One page of the masked person list: ids from the index, then 25 rows by key."""
    qs = person_list(actor=actor, filters=filters)
    return deferred_page(qs, number, per_page or settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())


def person_get(*, actor: Actor, person_id: int) -> Person:
    return scope.get_or_404(Person.objects.select_related("region"), actor, "people.view",
                            pk=person_id)


def person_lookup(*, actor: Actor, id_number: str) -> Person | None:
    """Exact lookup by ID number through the blind index, inside the actor's scope."""
    bidx = blind_index(normalize_id_number(id_number))
    return (scope.visible(Person.objects, actor, "people.view")
            .filter(id_number_bidx=bidx).select_related("region").first())


def consent_list(*, actor: Actor, person: Person) -> QuerySet[Consent]:
    return (scope.visible(Consent.objects, actor, "people.view")
            .filter(person=person).select_related("guardian").order_by("-given_at"))


def consent_get(*, actor: Actor, consent_id: int) -> Consent:
    return scope.get_or_404(Consent.objects.select_related("person"), actor, "people.view",
                            pk=consent_id)
