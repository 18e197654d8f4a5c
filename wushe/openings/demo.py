"""Demo step: one opening balance (期初数) waiting for the second district admin.

The district admin proposes, through the service like any real entry (one audit event), the
district's purchased social-work projects up to 31 December before the demo's first project
year, from the civil affairs bureau's annual report. It stays a draft: district_admin_b finds
"opening balance to approve" in the inbox. It is never approved here, since an approved
balance would add to the cumulative figures the seed-text comparison checks.
"""

from __future__ import annotations

import datetime as dt

from wushe.demo.steps import DemoContext, step
from wushe.projects.demo import FIRST_YEAR
from wushe.regions.models import RegionLevel

PROPOSER = "district_admin"
APPROVER = "district_admin_b"  # who finds it in the inbox
KPI = "projects.purchased"  # 累计开展政府购买社工服务项目: an additive flow (a count)
VALUE = 9  # pilot projects bought before the purchase scheme proper began
SOURCE = "区民政局年报"


def as_of() -> dt.date:
    return dt.date(FIRST_YEAR - 1, 12, 31)


@step("openings", order=76)  # after accounts, regions, policies and projects
def build_openings(ctx: DemoContext) -> dict[str, int]:
    from wushe.openings import services

    district = next(r for r in ctx.regions.values() if r.level == RegionLevel.DISTRICT)
    services.opening_propose(actor=ctx.user(PROPOSER), region=district, kpi=KPI,
                             as_of=as_of().isoformat(), value=str(VALUE), source=SOURCE)
    return {"pending_balances": 1}
