"""The small demo district, built into the test database by the generator itself."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wushe.accounts import otp
from wushe.accounts.login import user_authenticate
from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.crypto import blind_index
from wushe.core.ids import birth_date_from_id, gender_from_id, normalize_id_number, normalize_phone
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import ACCOUNTS_FILE, BuildSummary, build_demo
from wushe.demo.models import DemoBuild
from wushe.demo.persons import REFERENCE_DATE, person_batches
from wushe.demo.profiles import get_profile
from wushe.demo.spec import DISTRICT_POPULATION, district_spec
from wushe.people.models import Person
from wushe.regions.models import KINDS_BY_LEVEL, LEVEL_ORDER, Region, RegionLevel, path_for

STREETS = ["杨家坪街道", "黄桷坪街道", "谢家湾街道", "石坪桥街道", "石桥铺街道", "中梁山街道",
           "渝州路街道", "二郎街道", "九龙街道"]
TOWNS = ["华岩镇", "含谷镇", "金凤镇", "白市驿镇", "走马镇", "石板镇", "巴福镇", "陶家镇",
         "西彭镇", "铜罐驿镇"]


@pytest.fixture
def built(tmp_path: Path) -> BuildSummary:
    return build_demo(profile="small", seed=2026, out_dir=tmp_path)


@pytest.mark.django_db
def test_district_has_the_nineteen_streets_and_towns_of_jiulongpo(built: BuildSummary) -> None:
    with scopes_disabled():
        district = Region.objects.get(parent=None)
        streets = list(Region.objects.filter(level=RegionLevel.STREET))
    assert (district.code, district.name, district.path) == ("500107000000", "九龙坡区", "500107")
    assert {s.name for s in streets if s.kind == "street"} == set(STREETS)
    assert {s.name for s in streets if s.kind == "town"} == set(TOWNS)
    assert len(streets) == 19
    assert abs(district.population - 1_527_000) <= 1_527_000 * 0.01
    assert sum(s.population for s in streets) == district.population


@pytest.mark.django_db
def test_region_rows_are_what_the_services_would_write(built: BuildSummary) -> None:
    with scopes_disabled():
        regions = list(Region.objects.select_related("parent"))
    communities = [r for r in regions if r.level == RegionLevel.COMMUNITY]
    assert 230 <= len(communities) <= 250
    for r in regions:
        assert r.path == path_for(r.code, r.level)
        assert r.kind in KINDS_BY_LEVEL[RegionLevel(r.level)]
        if r.parent is None:
            assert r.level == RegionLevel.DISTRICT
            continue
        assert LEVEL_ORDER.index(RegionLevel(r.level)) == \
            LEVEL_ORDER.index(RegionLevel(r.parent.level)) + 1
        assert r.path.startswith(r.parent.path)
    for c in communities:
        assert len(c.code) == 12 and c.code.isdigit()
        assert c.code[:9] == c.parent.code[:9]
        number = int(c.code[9:])
        assert (1 <= number <= 199) if c.kind == "community" else (200 <= number <= 399)
        if c.parent.kind == "street":  # urban communities
            assert 4_000 <= c.population <= 20_000
        elif c.kind == "community":  # a town's own communities
            assert 2_500 <= c.population <= 20_000
        else:
            assert 1_000 <= c.population <= 6_000
    by_street: dict[int, int] = {}
    for c in communities:
        by_street[c.parent_id] = by_street.get(c.parent_id, 0) + c.population
    assert all(r.population == by_street[r.pk] for r in regions if r.level == RegionLevel.STREET)
    grids = [r for r in regions if r.level == RegionLevel.GRID]
    assert grids and all(len(g.code) == 15 and g.code[:12] == g.parent.code for g in grids)


@pytest.mark.django_db
def test_accounts_file_lists_every_role_and_each_account_logs_in(
    built: BuildSummary, tmp_path: Path
) -> None:
    rows = json.loads((tmp_path / ACCOUNTS_FILE).read_text(encoding="utf-8"))
    assert built.accounts_file == tmp_path / ACCOUNTS_FILE
    assert {r["role"] for r in rows} == set(Role.values)  # the three administrators, no superuser
    staff = [r for r in rows if r["role"] == Role.COMMUNITY_STAFF]
    assert len(staff) == 2 and staff[0]["region_code"] != staff[1]["region_code"]
    for r in rows:
        user = user_authenticate(username=r["username"], password=r["password"])
        # the accounts that need a second factor are enrolled, their secret on the sheet
        extra = {"totp_secret"} if otp.otp_required(user) else set()
        assert set(r) == {"role", "username", "password", "region_code", "name"} | extra
        if extra:
            device = otp.totp_device(user)
            assert device is not None and otp.secret_base32(device) == r["totp_secret"]
        assert user.is_superuser == (r["role"] == "superuser")
        if r["role"] != "superuser":
            with scopes_disabled():
                # the region grant; apps add object grants (org, team, fund) beside it
                grant = RoleGrant.objects.get(user=user, org=None, team=None, fund=None)
            assert (grant.role, grant.region.code) == (r["role"], r["region_code"])


@pytest.mark.django_db
def test_persons_have_valid_encrypted_and_indexed_identities(built: BuildSummary) -> None:
    with scopes_disabled():
        persons = list(Person.objects.select_related("region"))
    assert len(persons) == built.persons == get_profile("small").persons
    assert len({p.id_number for p in persons}) == len(persons)
    minors = 0
    for p in persons:
        assert normalize_id_number(p.id_number) == p.id_number
        assert normalize_phone(p.phone) == p.phone
        assert p.birth_date == birth_date_from_id(p.id_number)
        assert p.gender == gender_from_id(p.id_number)
        assert p.id_number_bidx == blind_index(p.id_number)
        assert p.phone_bidx == blind_index(p.phone)
        assert p.region.level in (RegionLevel.COMMUNITY, RegionLevel.GRID)
        assert p.region_path == p.region.path
        assert p.address.startswith("九龙坡区")
        minors += p.age(REFERENCE_DATE) < 18  # type: ignore[operator]
    assert 0.10 <= minors / len(persons) <= 0.20
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, address FROM people_person LIMIT 5")
        for raw in cursor.fetchall():
            assert all("$" in value for value in raw)  # <kid>$<base64>, never plaintext


def test_same_seed_gives_the_same_district_and_people() -> None:
    small = get_profile("small")
    one, two = district_spec(profile=small, seed=2026), district_spec(profile=small, seed=2026)
    assert one == two
    assert district_spec(profile=small, seed=7) != one
    assert sum(r.population for r in one.regions if r.level == "community") == DISTRICT_POPULATION
    first = next(person_batches(one, small, 2026, batch=500))
    assert first == next(person_batches(two, small, 2026, batch=500))
    assert first != next(person_batches(one, small, 7, batch=500))


@pytest.mark.django_db
def test_stats_command_reports_the_demo(built: BuildSummary) -> None:
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["regions.streets"] == 19
    assert figures["regions.communities"] == built.regions - 1 - 19 - 4  # 2 x 2 grids
    assert figures["regions.population"] == DISTRICT_POPULATION
    assert figures["sites.sw_station"] == 18
    assert figures["users.community_staff"] == 2
    assert figures["people.persons"] == 2_000


@pytest.mark.django_db
def test_stats_command_refuses_an_unknown_region(built: BuildSummary) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("stats", "--region", "500107999000")
    assert exc.value.returncode == 2


@pytest.mark.django_db
def test_demo_command_builds_once_then_reuses(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    err = io.StringIO()
    call_command("demo", "--profile", "small", "--no-serve", stdout=io.StringIO(), stderr=err)
    assert "built in" in err.getvalue()
    assert (tmp_path / ACCOUNTS_FILE).exists()
    assert DemoBuild.objects.get().status == DemoBuild.Status.COMPLETE
    err = io.StringIO()
    call_command("demo", "--profile", "small", "--no-serve", stdout=io.StringIO(), stderr=err)
    assert "up to date" in err.getvalue()
    assert DemoBuild.objects.count() == 1


@pytest.mark.django_db
def test_demo_command_will_not_erase_data_it_did_not_write(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    with scopes_disabled():
        Region.objects.create(code="500108000000", name="南岸区", level="district",
                              kind="district", path="500108")
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("demo", "--profile", "small", "--no-serve", stdout=io.StringIO(),
                     stderr=io.StringIO())
