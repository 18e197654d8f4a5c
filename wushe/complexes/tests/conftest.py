"""Fixtures of the complexes tests: a complex in community A with its operator's donor record
and the community's active fund (the charity fixtures, reused)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wushe.accounts.models import User
from wushe.charity import services as charity
from wushe.charity.models import Donor, Fund
from wushe.charity.tests.conftest import (  # noqa: F401
    admin,
    community_fund,
    credit_code,
    street_staff,
)
from wushe.complexes import services
from wushe.complexes.models import Complex
from wushe.regions.models import Region
from wushe.regions.services import site_create


@pytest.fixture
def operator_donor(admin: User, district: Region) -> Donor:  # noqa: F811
    return charity.donor_create(actor=admin, region=district, kind="enterprise",
                                name="重庆小花社会企业有限公司", credit_code=credit_code())


@pytest.fixture
def complex_a(street_staff: User, community_a: Region, community_fund: Fund,  # noqa: F811
              operator_donor: Donor) -> Complex:
    site = site_create(actor=street_staff, region=community_a, kind="complex",
                       name="杨坪社区综合体")
    return services.complex_create(actor=street_staff, site=site, brand="小花市集",
                                   operator_name="重庆小花社会企业有限公司",
                                   operator_kind="social_enterprise",
                                   operator_donor=operator_donor)


@pytest.fixture
def community_staff_b(make_user: Callable[..., User], community_b: Region) -> User:
    return make_user("community_staff", community_b, "cstaff_b")


@pytest.fixture
def other_street_staff(make_user: Callable[..., User], street_b: Region) -> User:
    return make_user("street_staff", street_b, "street_staff_b")
