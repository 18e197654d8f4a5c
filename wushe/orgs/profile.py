"""An organisation's profile: cleaning its fields, the checks a filing or a registration
needs, an unsaved validated organisation, and its filing numbers (the create service and the
importer share them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.ids import normalize_credit_code, normalize_phone
from wushe.core.text import clean_person_name
from wushe.orgs import cleaning
from wushe.orgs.models import Category, LegalForm, OrgStatus, SocialOrganization
from wushe.regions.models import Region, RegionLevel

FILING_LEVELS = (RegionLevel.STREET, RegionLevel.COMMUNITY)
MAX_PARTICIPANTS = 100_000  # residents one community organisation can draw in


def clean_profile(values: dict[str, Any]) -> dict[str, Any]:
    """Clean whichever profile fields are present; raises ValidationFailed on the first bad one."""
    out: dict[str, Any] = {}
    texts = {"name": ("名称", "Name", 200), "venue": ("活动场所", "Venue", 200),
             "activity_area": ("活动区域", "Activity area", 200),
             "funds_source": ("资金来源", "Source of funds", 200),
             "charter": ("章程", "Charter", 5000), "summary": ("服务内容", "Services", 2000)}
    for key, (zh, en, limit) in texts.items():
        if key in values:
            out[key] = cleaning.text(values[key], key, zh, en, limit, required=key == "name")
    if "person_in_charge" in values:
        raw = values["person_in_charge"]
        out["person_in_charge"] = clean_person_name(raw, field="person_in_charge") \
            if raw not in (None, "") else ""
    if "contact_phone" in values:
        raw = values["contact_phone"]
        out["contact_phone"] = normalize_phone(raw) if raw not in (None, "") else None
    if "credit_code" in values:
        raw = values["credit_code"]
        out["credit_code"] = normalize_credit_code(raw) if raw not in (None, "") else None
    if "category" in values:
        out["category"] = cleaning.choice(values["category"], Category, "category", "类别",
                                          "Category", required=False)
    if "legal_form" in values:
        out["legal_form"] = cleaning.choice(values["legal_form"], LegalForm, "legal_form",
                                            "组织形式", "Legal form", required=False)
    if "funds" in values:
        out["funds"] = cleaning.money(values["funds"])
    if "participants" in values:
        out["participants"] = cleaning.integer(values["participants"], "participants",
                                               "吸纳群众人数", "Residents taking part",
                                               minimum=0, maximum=MAX_PARTICIPANTS) or 0
    for key, zh, en in (("registered_on", "登记日期", "Registration date"),
                        ("filed_on", "备案日期", "Filing date"),
                        ("founded_on", "成立日期", "Founding date")):
        if key in values:
            out[key] = cleaning.date(values[key], key, zh, en)
    return out


def require_filing_fields(org: SocialOrganization) -> None:
    missing = [(f, zh, en) for f, zh, en in (
        ("person_in_charge", "负责人", "Person in charge"), ("venue", "活动场所", "Venue"),
        ("activity_area", "活动区域", "Activity area")) if not getattr(org, f)]
    if missing:
        f, zh, en = missing[0]
        raise ValidationFailed(f"备案须填写{zh}", f"A filing needs the {en.lower()}",
                               code="required", field=f)
    if org.region.level not in FILING_LEVELS:
        raise ValidationFailed("社区社会组织须由街道(镇)或社区(村)备案管理",
                               "A community organisation is filed with a street or a community",
                               code="region_level", field="region")


def require_registration(org: SocialOrganization) -> None:
    if not org.credit_code:
        raise ValidationFailed("登记的社会组织须有统一社会信用代码",
                               "A registered organisation needs its unified social credit code",
                               code="required", field="credit_code")
    if not org.registered_on:
        raise ValidationFailed("请填写登记日期", "The registration date is required",
                               code="required", field="registered_on")


def require_category(org: SocialOrganization) -> None:
    if not org.category:
        raise ValidationFailed("请选择社会组织类别", "Choose the organisation's category",
                               code="required", field="category")


def prepare_org(*, region: Region, status: str, values: dict[str, Any]) -> SocialOrganization:
    """An unsaved, validated organisation (also used by the importer). No filing number yet."""
    if status not in (OrgStatus.INCUBATING, OrgStatus.FILED, OrgStatus.REGISTERED):
        raise ValidationFailed("新建社会组织的状态须为孵化中、已备案或已登记",
                               "A new organisation is incubating, filed or registered",
                               code="status", field="status")
    cleaned = clean_profile({"name": values.get("name"), **values})
    org = SocialOrganization(region=region, region_path=region.path, status=status, **cleaned)
    if status == OrgStatus.REGISTERED:
        require_registration(org)
    if status == OrgStatus.FILED:
        require_filing_fields(org)
        org.filed_on = org.filed_on or dt.date.today()
    if status in (OrgStatus.REGISTERED, OrgStatus.INCUBATING):
        require_category(org)
    return org


def check_credit_code_free(code: str | None, exclude_pk: int | None = None) -> None:
    # Credit codes are public registry data: saying one is taken leaks nothing personal.
    if not code:
        return
    taken = SocialOrganization.objects.unscoped(reason="uniqueness check, no row shown").filter(credit_code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict("该统一社会信用代码已登记", "This credit code is already registered",
                       code="duplicate_credit_code", field="credit_code")


def filing_numbers(street_path: str, year: int, count: int) -> list[str]:
    """The next ``count`` 备案号 of a street and year: BA<street code>-<year>-<sequence>."""
    prefix = f"BA{street_path}-{year}-"
    last = (SocialOrganization.objects.unscoped(reason="uniqueness check, no row shown").filter(filing_number__startswith=prefix)
            .order_by("-filing_number").values_list("filing_number", flat=True).first())
    start = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return [f"{prefix}{n:04d}" for n in range(start, start + count)]
