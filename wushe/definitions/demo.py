"""Demo step: version 1 of the KPI dictionary (统计口径), frozen from the declarations,
proposed by the district admin and approved by a second district admin (四眼原则), through
the services like any real sign-off (two audit events)."""

from __future__ import annotations

from wushe.demo.steps import DemoContext, step
from wushe.regions.models import RegionLevel

PROPOSER = "district_admin"
APPROVER = "district_admin_b"


@step("definitions", order=75)
def build_definitions(ctx: DemoContext) -> dict[str, int]:
    from wushe.definitions import services

    district = next(r for r in ctx.regions.values() if r.level == RegionLevel.DISTRICT)
    version = services.version_propose(actor=ctx.user(PROPOSER), region=district)
    services.version_approve(actor=ctx.user(APPROVER), version=version)
    return {"versions": 1, "entries": len(version.entries)}
