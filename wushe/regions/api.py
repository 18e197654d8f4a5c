from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.core.apitypes import SmallInt
from wushe.core.paging import paginate
from wushe.regions import selectors, services
from wushe.regions.coverage import coverage

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    population: int
    households: int


def _region(r: Any) -> dict[str, Any]:
    return {"code": r.code, "name": r.name, "level": r.level, "kind": r.kind,
            "parent_code": r.code_of_parent if hasattr(r, "code_of_parent") else
            (r.parent.code if r.parent_id else None),
            "population": r.population, "households": r.households}


class SiteOut(Schema):
    id: int
    kind: str
    name: str
    region_code: str
    address: str


class SiteIn(Schema):
    region_code: str
    kind: str
    name: str
    address: str = ""


class RegionPatch(Schema):
    name: str | None = None
    population: SmallInt | None = None
    households: SmallInt | None = None


class CoverageOut(Schema):
    code: str
    title: str
    level: str
    total: int
    covered: int
    missing: list[dict[str, str]]


def _site(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "kind": s.kind, "name": s.name, "region_code": s.region.code,
            "address": s.address}


# Literal paths before /{code}: Django tries the patterns in order, and /{code} (GET, PATCH)
# would take POST /sites and answer 405.
@router.post("/sites", response={201: SiteOut})
def site_create(request: HttpRequest, body: SiteIn) -> Status[dict[str, Any]]:
    region = selectors.region_get(actor=request.user, code=body.region_code)
    site = services.site_create(actor=request.user, region=region, kind=body.kind,
                                name=body.name, address=body.address)
    return Status(201, _site(site))


@router.get("/", response=list[RegionOut])
@paginate
def region_list(request: HttpRequest, level: str = "", parent: str = "") -> Any:
    parent_region = selectors.region_get(actor=request.user, code=parent) if parent else None
    qs = selectors.region_list(actor=request.user, level=level, parent=parent_region)
    return [_region(r) for r in qs.select_related("parent")]


@router.get("/{code}", response=RegionOut)
def region_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _region(selectors.region_get(actor=request.user, code=code))


@router.patch("/{code}", response=RegionOut)
def region_update(request: HttpRequest, code: str, body: RegionPatch) -> dict[str, Any]:
    region = selectors.region_get(actor=request.user, code=code)
    return _region(services.region_update(actor=request.user, region=region,
                                          **body.model_dump(exclude_none=True)))


@router.get("/{code}/children", response=list[RegionOut])
def region_children(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    region = selectors.region_get(actor=request.user, code=code)
    return [_region(r) for r in selectors.region_children(actor=request.user, region=region)
            .select_related("parent")]


@router.get("/{code}/coverage", response=list[CoverageOut])
def region_coverage(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    region = selectors.region_get(actor=request.user, code=code)
    return [{"code": r.check.code, "title": str(r.check.title), "level": r.check.level,
             "total": r.total, "covered": r.covered,
             "missing": [{"code": m.code, "name": m.name} for m in r.missing]}
            for r in coverage(actor=request.user, region=region)]


@router.get("/{code}/sites", response=list[SiteOut])
@paginate
def site_list(request: HttpRequest, code: str, kind: str = "") -> Any:
    region = selectors.region_get(actor=request.user, code=code)
    return [_site(s) for s in selectors.site_list(actor=request.user, region=region, kind=kind)]
