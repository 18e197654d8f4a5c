"""Organisation list import (.xlsx, kind "orgs") on the shared pipeline of core/excel.py:
dry run, per-row errors in both languages, all-or-nothing unless valid-only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from wushe.accounts import scope
from wushe.audit import services as audit
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.excel import Column, Importer, ImportResult, register
from wushe.core.ids import to_half_width
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import OrgStatus, SocialOrganization, StatusChange
from wushe.orgs.services.organisation import check_credit_code_free, filing_numbers, prepare_org
from wushe.regions.models import Region, RegionLevel

STATUS_WORDS = {"已登记": OrgStatus.REGISTERED, "登记": OrgStatus.REGISTERED,
                "已备案": OrgStatus.FILED, "备案": OrgStatus.FILED,
                "孵化中": OrgStatus.INCUBATING, "孵化": OrgStatus.INCUBATING}
IMPORTABLE = (OrgStatus.REGISTERED, OrgStatus.FILED, OrgStatus.INCUBATING)


def region_code(raw: object) -> str:
    key = to_half_width(str(raw or "")).strip()
    return key[:-2] if key.endswith(".0") else key  # a code typed as a number in Excel


class RegionCache:
    """Regions by code, each checked once against the actor's scope for ``perm``."""

    def __init__(self, actor: Any, perm: str, levels: tuple[str, ...], field: str) -> None:
        self.actor, self.perm, self.levels, self.field = actor, perm, levels, field
        self.cache: dict[str, Region | None] = {}

    def get(self, raw: object) -> Region:
        key = region_code(raw)
        if key not in self.cache:
            region = Region.objects.unscoped().filter(code=key).first()
            ok = (region is not None and region.level in self.levels
                  and (self.actor is None or scope.covers(self.actor, self.perm, region.path)))
            self.cache[key] = region if ok else None
        region = self.cache[key]
        if region is None:  # unknown and out of scope look the same
            raise ValidationFailed(f"地区代码 {key} 不存在或不在您的管辖范围",
                                   f"Region code {key} does not exist or is outside your area",
                                   field=self.field)
        return region

    def paths(self) -> list[str]:
        return sorted({r.path for r in self.cache.values() if r is not None})


def audit_region(paths: list[str]) -> str:
    return paths[0] if len(paths) == 1 else (paths[0][:6] if paths else "")


@register
class OrgImporter(Importer):
    kind = "orgs"
    title_zh = "社会组织名录"
    title_en = "Social organisation list"
    columns = [
        Column("name", "名称", "Name", required=True, example="杨坪社区舞蹈队"),
        Column("status", "类型", "Kind", required=True, example="已备案"),
        Column("region", "地区代码", "Region code", required=True, example="500107001001"),
        Column("category", "类别", "Category", example="公益服务类"),
        Column("credit_code", "统一社会信用代码", "Credit code", example=""),
        Column("legal_form", "组织形式", "Legal form", example=""),
        Column("registered_on", "登记日期", "Registered on", example=""),
        Column("person_in_charge", "负责人", "Person in charge", example="王秀兰"),
        Column("contact_phone", "联系电话", "Contact phone", example="13800138000"),
        Column("venue", "活动场所", "Venue", example="杨坪社区活动室"),
        Column("activity_area", "活动区域", "Activity area", example="杨坪社区"),
        Column("charter", "章程", "Charter", example="服务邻里,丰富文化生活"),
        Column("funds", "活动资金(元)", "Funds (yuan)", example="3000"),
        Column("funds_source", "资金来源", "Source of funds", example="会员自筹"),
        Column("founded_on", "成立日期", "Founded on", example="2021-05-01"),
    ]

    def __init__(self, actor: Any) -> None:
        super().__init__(actor)
        self.regions = RegionCache(actor, "orgs.manage", (
            RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY), "region")
        self.codes: set[str] = set()

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, "orgs.manage"):
            raise NotFound()

    def parse(self, row: dict[str, Any], rownum: int) -> SocialOrganization:
        raw = to_half_width(str(row.get("status") or "")).strip()
        status = STATUS_WORDS.get(raw, raw)
        if status not in IMPORTABLE:
            raise ValidationFailed("类型应为“已登记”“已备案”或“孵化中”",
                                   "Kind must be registered, filed or incubating", field="status")
        region = self.regions.get(row.get("region"))
        values = {k: row.get(k) for k in (
            "name", "category", "credit_code", "legal_form", "registered_on", "person_in_charge",
            "contact_phone", "venue", "activity_area", "charter", "funds", "funds_source",
            "founded_on")}
        org = prepare_org(region=region, status=status, values=values)
        if org.credit_code:
            if org.credit_code in self.codes:
                raise Conflict("该统一社会信用代码在本文件中重复",
                               "This credit code appears twice in the file", field="credit_code")
            self.codes.add(org.credit_code)
            check_credit_code_free(org.credit_code)
        return org

    def write(self, rows: list[SocialOrganization]) -> int:
        pending: dict[tuple[str, int], list[SocialOrganization]] = defaultdict(list)
        for org in rows:
            if org.status == OrgStatus.FILED:
                day = org.filed_on or dt.date.today()
                pending[(org.region_path[:9], day.year)].append(org)
        for (street, year), orgs in pending.items():
            for org, number in zip(orgs, filing_numbers(street, year, len(orgs)), strict=True):
                org.filing_number = number
        created = SocialOrganization.objects.bulk_create(rows, batch_size=1000)
        by = self.actor if getattr(self.actor, "pk", None) else None
        today = dt.date.today()
        StatusChange.objects.bulk_create([
            StatusChange(org=o, region_path=o.region_path, from_status="", to_status=o.status,
                         on=today, reason="导入", by=by) for o in created], batch_size=1000)
        return len(created)

    def finish(self, result: ImportResult) -> None:
        paths = self.regions.paths()
        audit.record(actor=self.actor, action=OrgAction.ORG_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "regions": paths[:50]})
