"""Registering volunteers: a Person plus a number, skills, interests; guardians under 14."""

from __future__ import annotations

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.people.models import Consent, Person
from wushe.people.services import person_create
from wushe.volunteers import services
from wushe.volunteers.models import Membership, Team, Volunteer
from wushe.volunteers.services import GuardianSpec, Registration
from wushe.volunteers.tests.factories import VWorld, child_idn, idn


def _reg(seq: str, **kw: object) -> Registration:
    base: dict[str, object] = {"name": "钱多多", "phone": "13912345678"}
    base.update(kw)
    if "id_number" not in base:
        base["id_number"] = idn("19850505", seq)
    return Registration(**base)  # type: ignore[arg-type]


def test_registration_makes_person_volunteer_consent_and_membership(vw: VWorld) -> None:
    v = services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    team=vw.squad_a, data=_reg("301", skills="急救;摄影 急救",
                                                               interests="助老,上门慰问",
                                                               availability="weekend"))
    assert v.number.startswith("ZY500107") and len(v.number) == 16
    assert "1985" not in v.number  # never derived from the ID number
    assert v.skill_list == ["急救", "摄影"]
    assert v.interest_list == ["elderly", "visits"]
    assert v.person.region_path == vw.community_a.path and v.person.gender == "M"
    assert v.consent is not None and v.consent.purpose == "volunteering"
    assert Membership.objects.unscoped().filter(volunteer=v, team=vw.squad_a).exists()
    vw.squad_a.refresh_from_db()
    assert vw.squad_a.members == 3
    actions = set(AuditEvent.objects.unscoped().values_list("action", flat=True))
    assert {"people.person.created", "people.consent.given", "volunteers.membership.added",
            "volunteers.volunteer.registered"} <= actions


def test_numbers_are_unique_and_sequential(vw: VWorld) -> None:
    numbers = list(Volunteer.objects.unscoped().order_by("pk").values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert numbers == sorted(numbers)


def test_existing_person_is_reused_not_duplicated(vw: VWorld) -> None:
    person = person_create(actor=vw.users["staff_a"], region=vw.community_a, name="孙居民",
                           id_number=idn("19700707", "555"))
    before = Person.objects.unscoped().count()
    v = services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    data=_reg("x", name="孙居民", id_number=idn("19700707", "555")))
    assert v.person_id == person.pk and Person.objects.unscoped().count() == before
    with pytest.raises(ValidationFailed) as exc:  # same ID number, another name
        services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    data=_reg("x", name="孙别人", id_number=idn("19700707", "555")))
    assert exc.value.code == "name_mismatch"


def test_registering_an_existing_volunteer_into_another_team_adds_a_membership(
        vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    v = services.volunteer_register(actor=vw.users["leader_det_a"], region=vw.community_b,
                                    team=vw.squad_a2,
                                    data=_reg("x", name="王小花", id_number=idn("19900101", "101")))
    assert v.pk == a1.pk
    assert set(Membership.objects.unscoped().filter(volunteer=a1)
               .values_list("team_id", flat=True)) == {vw.squad_a.pk, vw.squad_a2.pk}
    with pytest.raises(Conflict):  # already in both: nothing to add
        services.volunteer_register(actor=vw.users["leader_det_a"], region=vw.community_b,
                                    team=vw.squad_a2,
                                    data=_reg("x", name="王小花",
                                              id_number=idn("19900101", "101")))


def test_child_under_14_needs_a_guardian_consent(vw: VWorld) -> None:
    data = _reg("x", name="陈小雨", id_number=child_idn("411"))
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    team=vw.squad_a, data=data)
    assert exc.value.code == "guardian_required"
    assert not Person.objects.unscoped().filter(name="陈小雨").exists()  # nothing half-written
    with_guardian = _reg("x", name="陈小雨", id_number=child_idn("411"),
                         guardian=GuardianSpec("陈大海", idn("19800303", "777"), "父亲"))
    v = services.volunteer_register(actor=vw.users["leader_a"], region=vw.community_a,
                                    team=vw.squad_a, data=with_guardian)
    consent = Consent.objects.unscoped().get(pk=v.consent_id)
    assert consent.guardian is not None and consent.guardian.name == "陈大海"
    assert consent.guardian_relation == "父亲"


def test_guardian_must_be_an_adult(vw: VWorld) -> None:
    data = _reg("x", name="陈小雨", id_number=child_idn("411"),
                guardian=GuardianSpec("陈小哥", child_idn("412", years=12), "哥哥"))
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    team=vw.squad_a, data=data)
    assert exc.value.code == "guardian_invalid"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("id_number", 5.10107199001011e17, "id_number_float"),
    ("id_number", "500107198505053010", "id_number_checksum"),
    ("name", "<script>alert(1)</script>", "markup"),
    ("interests", "跳伞", None),
    ("phone", "12345", "phone_format"),
])
def test_bad_input_is_refused_and_nothing_is_written(vw: VWorld, field: str, value: object,
                                                     code: str | None) -> None:
    before = (Person.objects.unscoped().count(), Volunteer.objects.unscoped().count())
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    data=_reg("302", **{field: value}))
    if code:
        assert exc.value.code == code
    assert (Person.objects.unscoped().count(), Volunteer.objects.unscoped().count()) == before


def test_full_width_digits_are_normalised(vw: VWorld) -> None:
    full = idn("19850505", "303").translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    v = services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                    data=_reg("x", id_number=full))
    assert v.person.id_number == idn("19850505", "303")


def test_outside_scope_registration_is_not_found(vw: VWorld) -> None:
    with pytest.raises(NotFound):
        services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_c,
                                    data=_reg("304"))
    with pytest.raises(NotFound):
        services.volunteer_register(actor=vw.users["leader_a"], region=vw.community_c,
                                    team=vw.squad_b, data=_reg("305"))


def test_membership_end_and_counts(vw: VWorld) -> None:
    m = Membership.objects.unscoped().get(volunteer=vw.volunteers["a2"], team=vw.squad_a)
    services.membership_end(actor=vw.users["leader_a"], membership=m)
    assert Team.objects.unscoped().get(pk=vw.squad_a.pk).members == 1
    with pytest.raises(Conflict):
        services.membership_end(actor=vw.users["leader_a"], membership=m)


def test_update_profile_and_status(vw: VWorld) -> None:
    v = services.volunteer_update(actor=vw.users["leader_a"], volunteer=vw.volunteers["a1"],
                                  skills="手语", status="suspended")
    assert v.skill_list == ["手语"] and v.status == "suspended"
    with pytest.raises(NotFound):
        services.volunteer_update(actor=vw.users["leader_b"], volunteer=vw.volunteers["a1"],
                                  skills="x")
