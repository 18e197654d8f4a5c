"""Registering volunteers: a Person plus a number, skills, interests; guardians under 14."""

from __future__ import annotations

import secrets

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.people.models import Consent, Person
from wushe.people.services import person_create
from wushe.volunteers import services
from wushe.volunteers.models import Membership, Team, Volunteer
from wushe.volunteers.numbers import (
    NUMBER_RANDOM,
    is_volunteer_number,
    number_check_char,
    volunteer_number,
    volunteer_numbers,
)
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
    assert v.number.startswith("ZY500107") and len(v.number) == 19
    # random, not the row id padded (a one-digit pk may well appear among 11 random characters)
    assert is_volunteer_number(v.number) and v.number[8:].lstrip("0") != str(v.pk)
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


def test_numbers_are_unique_random_and_carry_a_check_character(vw: VWorld) -> None:
    """A number on a public certificate must not tell how many volunteers there are or when
    one joined: consecutive registrations get unrelated numbers (a serial differed by one)."""
    made = [services.volunteer_register(actor=vw.users["staff_a"], region=vw.community_a,
                                        data=_reg(f"36{i}")) for i in range(4)]
    numbers = list(Volunteer.objects.unscoped().order_by("pk").values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(is_volunteer_number(n) for n in numbers[-4:])
    for a, b in zip(made, made[1:], strict=False):
        differing = sum(x != y for x, y in zip(a.number[8:18], b.number[8:18], strict=True))
        assert differing >= 3, (a.number, b.number)


def test_the_check_character_catches_a_typo_and_a_swap() -> None:
    for _ in range(200):
        number = volunteer_number("500107")
        assert is_volunteer_number(number)
        i = secrets.randbelow(10) + 8
        typo = number[:i] + next(c for c in NUMBER_RANDOM if c != number[i]) + number[i + 1:]
        assert not is_volunteer_number(typo)
        if number[i] != number[i + 1] and i + 1 < 18:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
            assert not is_volunteer_number(swapped)


def test_fresh_numbers_skip_one_already_taken(vw: VWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """A drawn number that already exists is drawn again (one query per batch, not per row)."""
    taken = Volunteer.objects.unscoped().order_by("pk").first()
    assert taken is not None
    taken_number = "ZY500107" + "2" * 10 + number_check_char("500107" + "2" * 10)
    Volunteer.objects.unscoped().filter(pk=taken.pk).update(number=taken_number)
    real = secrets.token_bytes
    draws = iter([b"\x00" * 26])  # byte 0 is "2": the first draw is the taken number
    monkeypatch.setattr(secrets, "token_bytes", lambda n: next(draws, None) or real(n))
    fresh = volunteer_numbers("500107", 1)
    assert len(fresh) == 1 and fresh[0] != taken_number and is_volunteer_number(fresh[0])


def test_the_migration_renumbers_serial_numbers(vw: VWorld) -> None:
    import importlib

    from django.apps import apps

    from wushe.core.scoping import scopes_disabled

    migration = importlib.import_module(
        "wushe.volunteers.migrations.0003_volunteer_numbers_random")
    Volunteer.objects.unscoped().update(number=Concat(Value("OLD"), Cast("id", CharField())))
    with scopes_disabled():
        migration.renumber(apps, None)
    numbers = list(Volunteer.objects.unscoped().values_list("number", flat=True))
    assert numbers and all(is_volunteer_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


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
