"""Writes of regions and sites."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.ids import identifier_text, region_code_text
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import (
    KINDS_BY_LEVEL,
    LEVEL_ORDER,
    SITE_LEVEL,
    Region,
    RegionLevel,
    RegionRule,
    Site,
    SiteKind,
    path_for,
)
from wushe.regions.rules import RULES

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_POPULATION = 5_000_000  # larger than any district; catches typos such as extra zeros


def _count(value: object, field: str, zh: str, en: str) -> int:
    try:
        n = int(identifier_text(value, what_zh=zh, what_en=en.lower(), field=field) or 0)
    except ValueError:
        raise ValidationFailed(f"{zh}须为整数", f"{en} must be a whole number", field=field) from None
    if n < 0 or n > MAX_POPULATION:
        raise ValidationFailed(f"{zh}超出合理范围", f"{en} is out of range", field=field)
    return n


@service
def region_create(
    *, actor: Actor, code: str, name: str, kind: str, parent: Region | None,
    population: object = 0, households: object = 0,
) -> Region:
    code = region_code_text(code, field="code")
    level = next((lv for lv, kinds in KINDS_BY_LEVEL.items() if kind in kinds), None)
    if level is None:
        raise ValidationFailed("地区类型无效", "Unknown region kind", field="kind")
    if parent is None:
        if not scope.is_superuser(actor) or level != RegionLevel.DISTRICT:
            raise ValidationFailed("须指定上级地区", "A parent region is required", field="parent")
    else:
        scope.require(actor, "regions.manage", parent, view_perm="regions.view")
        if LEVEL_ORDER.index(RegionLevel(level)) != LEVEL_ORDER.index(RegionLevel(parent.level)) + 1:
            raise ValidationFailed("下级地区的层级不正确", "The region is not one level below its parent",
                                   field="kind")
    expected_len = 15 if level == RegionLevel.GRID else 12
    if not (code.isdigit() and len(code) == expected_len):
        raise ValidationFailed(
            "地区代码应为12位行政区划代码(网格再加3位)",
            "A region code is the 12-digit admin-division code (a grid adds 3 digits)",
            field="code",
        )
    path = path_for(code, level)
    if parent is not None and not path.startswith(parent.path):
        raise ValidationFailed("地区代码须以上级地区代码开头",
                               "The code must start with the parent's code", field="code")
    if Region.objects.unscoped(reason="uniqueness check, no row shown").filter(code=code).exists():
        raise Conflict("地区代码已存在", "This region code already exists", field="code")
    region = Region.objects.create(
        code=code, path=path, level=level, kind=kind, parent=parent,
        name=clean_text(name, field="name", label_zh="名称", label_en="Name", max_length=60,
                        required=True),
        population=_count(population, "population", "常住人口", "Population"),
        households=_count(households, "households", "户数", "Households"),
    )
    audit.record(actor=actor, action=Action.REGION_CREATED, target=region, label=region.name,
                 data={"code": code, "kind": kind, "population": region.population})
    return region


@service
def region_update(*, actor: Actor, region: Region, name: object = None, population: object = None,
                  households: object = None) -> Region:
    scope.require(actor, "regions.manage", region, view_perm="regions.view")
    old = {"name": region.name, "population": region.population, "households": region.households}
    if name is not None:
        region.name = clean_text(name, field="name", label_zh="名称", label_en="Name",
                                 max_length=60, required=True)
    if population is not None:
        region.population = _count(population, "population", "常住人口", "Population")
    if households is not None:
        region.households = _count(households, "households", "户数", "Households")
    new = {"name": region.name, "population": region.population, "households": region.households}
    changes = audit.diff(old, new)
    if changes:
        region.save()
        audit.record(actor=actor, action=Action.REGION_UPDATED, target=region, label=region.name,
                     data=changes)
    return region


@service
def site_create(
    *, actor: Actor, region: Region, kind: str, name: str, address: str = "",
    opened_on: dt.date | None = None, area_m2: int | None = None,
) -> Site:
    scope.require(actor, "sites.manage", region, view_perm="regions.view")
    if kind not in SiteKind.values:
        raise ValidationFailed("场所类型无效", "Unknown site kind", field="kind")
    tier = SITE_LEVEL.get(SiteKind(kind))
    if tier is not None and region.level != tier:
        raise ValidationFailed(
            "社工站点须设在对应层级:中心在区、社工站在镇街、社工室在社区(村)",
            "Social-work sites sit at their tier: centre in the district, station in a street, "
            "room in a community",
            code="site_tier", field="region",
        )
    site = Site.objects.create(
        region=region, region_path=region.path, kind=kind,
        name=clean_text(name, field="name", label_zh="名称", label_en="Name", max_length=100,
                        required=True),
        address=clean_text(address, field="address", label_zh="地址", label_en="Address",
                           max_length=200),
        opened_on=opened_on, area_m2=area_m2,
    )
    audit.record(actor=actor, action=Action.SITE_CREATED, target=site, label=site.name,
                 data={"kind": kind, "region": region.code})
    return site


@service
def site_update(*, actor: Actor, site: Site, name: object = None, address: object = None,
                active: bool | None = None, area_m2: int | None = None) -> Site:
    scope.require(actor, "sites.manage", site, view_perm="sites.view")
    old = {"name": site.name, "address": site.address, "active": site.active,
           "area_m2": site.area_m2}
    if name is not None:
        site.name = clean_text(name, field="name", label_zh="名称", label_en="Name",
                               max_length=100, required=True)
    if address is not None:
        site.address = clean_text(address, field="address", label_zh="地址", label_en="Address",
                                  max_length=200)
    if active is not None:
        site.active = bool(active)
    if area_m2 is not None:
        if not 0 < int(area_m2) <= 1_000_000:
            raise ValidationFailed("面积超出合理范围", "The floor area is out of range",
                                   field="area_m2")
        site.area_m2 = int(area_m2)
    changes = audit.diff(old, {"name": site.name, "address": site.address,
                               "active": site.active, "area_m2": site.area_m2})
    if changes:
        site.save()
        audit.record(actor=actor, action=Action.SITE_UPDATED, target=site, label=site.name,
                     data=changes)
    return site


@service
def rule_set(*, actor: Actor, region: Region, key: str, raw: Any) -> RegionRule:
    """Override a local rule for a region's subtree (district admins)."""
    scope.require(actor, "rules.manage", region, view_perm="regions.view")
    if key not in RULES:
        raise ValidationFailed("未知的规则", "Unknown rule", field="key")
    rule = RULES[key]
    parsed = rule.parse(raw)
    old = RegionRule.objects.filter(key=key, region=region).first()
    obj, _created = RegionRule.objects.update_or_create(
        key=key, region=region,
        defaults={"region_path": region.path, "value": rule.to_json(parsed)})
    audit.record(actor=actor, action=Action.RULE_SET, target=obj, label=key,
                 data={"key": key, "region": region.code,
                       "old": old.value if old else None, "new": obj.value})
    return obj


@service
def rule_clear(*, actor: Actor, region: Region, key: str) -> None:
    scope.require(actor, "rules.manage", region, view_perm="regions.view")
    old = RegionRule.objects.filter(key=key, region=region).first()
    if old is None:
        return
    audit.record(actor=actor, action=Action.RULE_CLEARED, target=old, label=key,
                 data={"key": key, "region": region.code, "old": old.value})
    RegionRule.objects.filter(pk=old.pk).delete()
