"""Funds, committees, donors, the ledger and disclosures."""

from typing import Any

from django.http import HttpRequest
from ninja import Status

from wushe.accounts import scope
from wushe.charity import figures, selectors, services
from wushe.charity.api.routers import router
from wushe.charity.api.schemas import (
    DisclosureIn,
    DisclosureOut,
    DonorIn,
    DonorOut,
    DonorSearchIn,
    EntryOut,
    FundDetailOut,
    FundIn,
    FundMemberIn,
    FundMemberOut,
    FundOut,
    FundPatch,
    FundStatusIn,
    VerifyOut,
)
from wushe.charity.forms import query_allowed_in_url
from wushe.core.apitypes import Id
from wushe.core.errors import PermissionDenied, ValidationFailed
from wushe.core.paging import paginate
from wushe.core.scoping import scopes_disabled
from wushe.regions.selectors import region_get
from wushe.web import privatesearch


def _with_money(funds: list[Any]) -> list[Any]:
    money = figures.totals([f.pk for f in funds])
    for f in funds:
        f.money = money.get(f.pk, figures.Totals())
    return funds


def _detail(fund: Any) -> Any:
    _with_money([fund])
    fund.current_committee = selectors.committee(fund=fund)
    fund.problems = [{"zh": zh, "en": en}
                               for zh, en in selectors.committee_problems(fund)]
    return fund


@router.get("/funds", response=list[FundOut])
@paginate
def fund_list(request: HttpRequest, q: str = "", kind: str = "", status: str = "",
              region: str = "") -> Any:
    qs = selectors.fund_list(actor=request.user, filters=selectors.FundFilters(
        q=q, kind=kind, status=status, region_code=region))
    return _LazyMoney(qs)


class _LazyMoney:
    """A queryset whose page gets its totals in one query after pagination slices it."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __len__(self) -> int:
        return int(self.qs.count())

    def count(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: Any) -> Any:
        return _with_money(list(self.qs[item]))


@router.post("/funds", response={201: FundDetailOut})
def fund_create(request: HttpRequest, body: FundIn) -> Status[Any]:
    region = region_get(actor=request.user, code=body.region_code)
    data = body.model_dump(exclude={"region_code", "parent_org_id"})
    parent = None
    if body.parent_org_id is not None:
        from wushe.orgs.models import SocialOrganization

        parent = scope.get_or_404(SocialOrganization.objects, request.user, "orgs.view",
                                  pk=body.parent_org_id)
    fund = services.fund_create(actor=request.user, region=region, parent_org=parent, **data)
    return Status(201, _detail(fund))


@router.get("/funds/{fund_id}", response=FundDetailOut)
def fund_detail(request: HttpRequest, fund_id: Id) -> Any:
    return _detail(selectors.fund_get(actor=request.user, fund_id=fund_id))


@router.patch("/funds/{fund_id}", response=FundDetailOut)
def fund_update(request: HttpRequest, fund_id: Id, body: FundPatch) -> Any:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return _detail(services.fund_update(actor=request.user, fund=fund,
                                        **body.model_dump(exclude_unset=True)))


@router.post("/funds/{fund_id}/status", response=FundDetailOut)
def fund_status(request: HttpRequest, fund_id: Id, body: FundStatusIn) -> Any:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return _detail(services.fund_set_status(actor=request.user, fund=fund, status=body.status,
                                            reason=body.reason))


@router.post("/funds/{fund_id}/committee", response={201: FundMemberOut})
def committee_add(request: HttpRequest, fund_id: Id, body: FundMemberIn) -> Status[Any]:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return Status(201, services.committee_member_add(actor=request.user, fund=fund,
                                                     **body.model_dump()))


@router.delete("/committee/{member_id}", response={204: None})
def committee_remove(request: HttpRequest, member_id: Id) -> Status[None]:
    member = selectors.member_get(actor=request.user, member_id=member_id)
    services.committee_member_remove(actor=request.user, member=member)
    return Status(204, None)


@router.get("/funds/{fund_id}/entries", response=list[EntryOut])
@paginate
def entry_list(request: HttpRequest, fund_id: Id) -> Any:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return selectors.entry_list(actor=request.user, fund=fund)


@router.get("/funds/{fund_id}/disclosures", response=list[DisclosureOut])
def disclosure_list(request: HttpRequest, fund_id: Id) -> Any:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return list(selectors.disclosure_list(actor=request.user, fund=fund))


@router.post("/funds/{fund_id}/disclosures", response={201: DisclosureOut})
def disclosure_publish(request: HttpRequest, fund_id: Id, body: DisclosureIn) -> Status[Any]:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return Status(201, services.disclosure_publish(actor=request.user, fund=fund, kind=body.kind,
                                                   period_start=body.period_start,
                                                   note=body.note))


DONOR_SEARCH_PATH = "/api/v1/charity/donors/search"


class DonorNameInUrl(ValidationFailed):
    """A GET whose query string carries a donor's name (maybe a person's): POST the search."""

    code = "name_in_url"

    def __init__(self) -> None:
        super().__init__(f"姓名不能放在网址中,请改用 POST {DONOR_SEARCH_PATH} 并在请求正文中提交",
                         f"A name must not be in the URL: POST it to {DONOR_SEARCH_PATH} in the "
                         "request body instead", field="q")


@router.get("/donors", response=list[DonorOut])
@paginate
def donor_list(request: HttpRequest, q: str = "", kind: str = "") -> Any:
    """By kind; ``q`` only as a unified social credit code. Anything else is refused (400
    ``identifier_in_url`` for an ID number or a phone, ``name_in_url`` otherwise): it would
    land in access logs, use ``POST /donors/search`` (#22)."""
    if not query_allowed_in_url(q):
        privatesearch.refuse_identifier_in_query(request, "q", search_path=DONOR_SEARCH_PATH)
        raise DonorNameInUrl
    return selectors.donor_list(actor=request.user,
                                filters=selectors.DonorFilters(q=q, kind=kind))


@router.post("/donors/search", response=list[DonorOut])
@paginate
def donor_search(request: HttpRequest, body: DonorSearchIn) -> Any:
    """The same list, the search in the body: a full name or a credit code (exact)."""
    return selectors.donor_list(actor=request.user,
                                filters=selectors.DonorFilters(q=body.q, kind=body.kind))


@router.post("/donors", response={201: DonorOut})
def donor_create(request: HttpRequest, body: DonorIn) -> Status[Any]:
    region = region_get(actor=request.user, code=body.region_code)
    person = None
    if body.person_id:
        from wushe.people.selectors import person_get

        person = person_get(actor=request.user, person_id=body.person_id)
    data = body.model_dump(exclude={"region_code", "person_id"})
    return Status(201, services.donor_create(actor=request.user, region=region, person=person,
                                             **data))


@router.get("/donors/{donor_id}", response=DonorOut)
def donor_detail(request: HttpRequest, donor_id: Id) -> Any:
    return selectors.donor_get(actor=request.user, donor_id=donor_id)


@router.get("/ledger/verify", response=VerifyOut)
def ledger_verify(request: HttpRequest) -> Any:
    """Recompute the whole chain and the balances (auditors and district admins)."""
    if not scope.has_perm(request.user, "audit.view"):
        raise PermissionDenied()
    from wushe.charity.verify import verify

    with scopes_disabled():
        return verify().as_dict()
