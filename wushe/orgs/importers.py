"""Organisation list import (.xlsx, kind "orgs") on the shared pipeline of core/excel.py:
dry run, per-row errors in both languages, all-or-nothing unless valid-only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.excel import (
    Column,
    Importer,
    ImportResult,
    RowSkipped,
    audit_region,
    register,
)
from wushe.core.ids import to_half_width
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import OrgStatus, SocialOrganization, StatusChange
from wushe.orgs.profile import check_credit_code_free, filing_numbers, prepare_org
from wushe.people.importers import PHONE_WORDS
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

STATUS_WORDS = {"已登记": OrgStatus.REGISTERED, "登记": OrgStatus.REGISTERED,
                "已备案": OrgStatus.FILED, "备案": OrgStatus.FILED,
                "孵化中": OrgStatus.INCUBATING, "孵化": OrgStatus.INCUBATING}
IMPORTABLE = (OrgStatus.REGISTERED, OrgStatus.FILED, OrgStatus.INCUBATING)


@register
class OrgImporter(Importer):
    kind = "orgs"
    title_zh = "社会组织名录"
    title_en = "Social organisation list"
    columns = [
        Column("name", "名称", "Name", required=True, example="杨坪社区舞蹈队",
               aliases=("组织名称", "社会组织名称", "机构名称", "单位名称", "社区社会组织名称")),
        Column("status", "类型", "Kind", required=True, example="已备案",
               aliases=("登记状态", "登记备案", "登记或备案", "状态")),
        Column("region", "地区代码", "Region code", required=True, example="500107001001",
               aliases=("地区", "所属地区", "所属社区", "社区", "所属街道", "镇街", "街道",
                        "所在地区", "所属镇街")),
        Column("category", "类别", "Category", example="公益服务类",
               aliases=("组织类别", "服务类别", "类型类别")),
        Column("credit_code", "统一社会信用代码", "Credit code", example="",
               aliases=("社会信用代码", "信用代码", "统一代码")),
        Column("legal_form", "组织形式", "Legal form", example="", aliases=("登记类型",)),
        Column("registered_on", "登记日期", "Registered on", example="", date=True,
               aliases=("登记时间", "成立登记日期")),
        Column("person_in_charge", "负责人", "Person in charge", example="王秀兰",
               aliases=("负责人姓名", "法定代表人", "法人代表")),
        Column("contact_phone", "联系电话", "Contact phone", example="13800138000",
               aliases=PHONE_WORDS),
        Column("venue", "活动场所", "Venue", example="杨坪社区活动室",
               aliases=("活动地点", "办公场所", "办公地址")),
        Column("activity_area", "活动区域", "Activity area", example="杨坪社区",
               aliases=("服务区域", "服务范围")),
        Column("charter", "章程", "Charter", example="服务邻里,丰富文化生活",
               aliases=("宗旨", "业务范围", "章程要点")),
        Column("funds", "活动资金(元)", "Funds (yuan)", example="3000",
               aliases=("活动资金", "开办资金", "注册资金")),
        Column("funds_source", "资金来源", "Source of funds", example="会员自筹"),
        Column("founded_on", "成立日期", "Founded on", example="2021-05-01", date=True,
               aliases=("成立时间",)),
    ]

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.regions = RegionLookup(actor, "orgs.manage", (
            RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY), "region")
        self.names: set[tuple[str, str]] = set()
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
            self._already(org)
            check_credit_code_free(org.credit_code)
        else:
            self._already(org)
        return org

    def _already(self, org: SocialOrganization) -> None:
        """A rerun adds nothing: the same credit code under the same name, or (for a filed
        organisation, which has none) the same name in the same region."""
        same = SocialOrganization.objects.unscoped(reason="uniqueness check, no row shown").exclude(status=OrgStatus.ELIMINATED)
        if org.credit_code:
            same = same.filter(credit_code=org.credit_code, name=org.name)
        else:
            key = (org.region_path, org.name)
            if key in self.names:
                raise Conflict("同一地区的同名组织在本文件中重复",
                               "This name appears twice in the file for the same region",
                               field="name")
            self.names.add(key)
            same = same.filter(region_path=org.region_path, name=org.name)
        if same.exists():
            raise RowSkipped("该组织已登记,未重复导入",
                             "This organisation is already registered; not imported again",
                             field="credit_code" if org.credit_code else "name")

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
        by = user_or_none(self.actor)
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
