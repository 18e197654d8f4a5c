"""Finding or registering the Person behind a worker, inside the actor's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wushe.core.errors import ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_person_name
from wushe.people.models import Person
from wushe.people.selectors import person_lookup
from wushe.people.services import person_create
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _resolve_person(*, actor: Actor, id_number: object, name: object, phone: object = None,
                   residence: Region | None = None) -> Person:
    """The registered person with this ID number in the actor's scope (the name must agree),
    or a new Person registered in ``residence``. A match outside the actor's scope is never
    revealed; person_create flags it for the district to reconcile."""
    clean_name = clean_person_name(name)
    if id_number in (None, ""):
        raise ValidationFailed("请填写身份证号", "The ID number is required", code="required",
                               field="id_number")
    found = person_lookup(actor=actor, id_number=str(id_number))
    if found is not None:
        if found.name != clean_name:
            raise ValidationFailed("姓名与已登记的身份证号不符",
                                   "The name does not match the person registered with this "
                                   "ID number", code="name_mismatch", field="name")
        return found
    if residence is None:
        raise ValidationFailed("该人员尚未登记,请选择其居住社区以便登记",
                               "This person is not registered yet; choose the community they "
                               "live in to register them", code="required", field="residence")
    return person_create(actor=actor, region=residence, name=clean_name, id_number=id_number,
                         phone=phone or None)


@service
def social_worker_register(*, actor: Actor, id_number: object, name: object, phone: object = None,
                           residence: Region | None = None, **values: Any) -> Any:
    """Find or register the person and record them as a social worker, in one transaction:
    a refused worker leaves no new person behind."""
    from wushe.workforce.services.social import social_worker_create

    person = _resolve_person(actor=actor, id_number=id_number, name=name, phone=phone,
                            residence=residence)
    return social_worker_create(actor=actor, person=person, **values)


@service
def community_worker_register(*, actor: Actor, id_number: object, name: object,
                              phone: object = None, residence: Region | None = None,
                              **values: Any) -> Any:
    """As social_worker_register, for a community worker."""
    from wushe.workforce.services.community import community_worker_create

    person = _resolve_person(actor=actor, id_number=id_number, name=name, phone=phone,
                            residence=residence)
    return community_worker_create(actor=actor, person=person, **values)
