"""Fixtures of the charity tests: users of each role, active funds, donors with money."""

from __future__ import annotations

import itertools
import subprocess
import sys
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.charity import services
from wushe.charity.models import Donation, Donor, Fund
from wushe.core.ids import uscc_check_char
from wushe.regions.models import Region

_codes = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A valid 统一社会信用代码 (registered by 工商, region 500107)."""
    body = f"91500107{(n if n is not None else next(_codes)):09d}"
    return body + uscc_check_char(body)


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite data directory, built once; tests driving subprocesses copy it."""
    from wushe.charity.tests.test_concurrency import _env

    path = tmp_path_factory.mktemp("charity-sqlite")
    subprocess.run([sys.executable, "-m", "wushe.cli", "migrate", "-v0"], env=_env(path, None),
                   check=True)
    return path


@pytest.fixture
def admin(make_user: Callable[..., User], district: Region) -> User:
    return make_user("district_admin", district, "district_admin")


@pytest.fixture
def street_staff(make_user: Callable[..., User], street: Region) -> User:
    return make_user("street_staff", street, "street_staff")


@pytest.fixture
def auditor(make_user: Callable[..., User], district: Region) -> User:
    return make_user("auditor", district, "auditor")


@pytest.fixture
def special(admin: User, district: Region) -> Fund:
    fund = services.fund_create(actor=admin, region=district, name="慈善纾困基金", kind="special",
                                parent_org_name="九龙坡区慈善与公益事业促进会",
                                purpose="帮助遭遇突发困难的群众", target_groups=["hardship"],
                                cap_per_case="5000", second_approval_above="2000")
    return services.fund_set_status(actor=admin, fund=fund, status="active")


def seat_committee(actor: User, fund: Fund, n: int = 5, supervisors: int = 1) -> None:
    names = ["李明", "王芳", "张伟", "刘洋", "陈静", "杨勇", "赵磊"]
    for i in range(n):
        role = "supervisor" if i < supervisors else ("chair" if i == supervisors else "member")
        services.committee_member_add(actor=actor, fund=fund, name=names[i], role=role,
                                      affiliation="社区居委会")


@pytest.fixture
def community_fund(street_staff: User, admin: User, community_a: Region) -> Fund:
    fund = services.fund_create(actor=street_staff, region=community_a, name="杨坪社区阳光基金",
                                kind="community", parent_org_name="杨家坪街道慈善公益服务中心")
    seat_committee(street_staff, fund)
    return services.fund_set_status(actor=admin, fund=fund, status="active")


@pytest.fixture
def manager(make_user: Callable[..., User], district: Region, special: Fund) -> User:
    user = make_user("fund_manager", district, "fund_manager")
    grant_add(actor=None, user=user, role="fund_manager", region=district, fund=special)
    return user


@pytest.fixture
def manager2(make_user: Callable[..., User], district: Region, special: Fund) -> User:
    user = make_user("fund_manager", district, "fund_manager_2")
    grant_add(actor=None, user=user, role="fund_manager", region=district, fund=special)
    return user


@pytest.fixture
def enterprise(admin: User, district: Region) -> Donor:
    return services.donor_create(actor=admin, region=district, kind="enterprise",
                                 name="重庆爱心实业有限公司", credit_code=credit_code())


@pytest.fixture
def individual(admin: User, district: Region) -> Donor:
    return services.donor_create(actor=admin, region=district, kind="person", name="王小明",
                                 phone="13912345678")


@pytest.fixture
def give(admin: User) -> Callable[..., Donation]:
    def give(fund: Fund, donor: Donor, amount: Any = "1000.00", **kw: Any) -> Donation:
        return services.donation_receive(actor=kw.pop("actor", admin), fund=fund, donor=donor,
                                         kind=kw.pop("kind", "cash"), amount=amount,
                                         idempotency_key_value=kw.pop("key", key()), **kw)

    return give


@pytest.fixture
def funded(special: Fund, enterprise: Donor, give: Callable[..., Donation]) -> Fund:
    give(special, enterprise, Decimal("10000.00"))
    return special
