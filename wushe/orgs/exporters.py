"""Excel exports of organisation lists. The export is itself an audited act."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db import transaction

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import PermissionDenied
from wushe.core.excel import workbook_bytes
from wushe.orgs import selectors
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import Category, LegalForm, OrgStatus, SocialOrganization

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# The import template's headers first, so an export can be corrected and imported elsewhere;
# the person in charge is masked and the phone left out (an export leaves the platform).
HEADERS = ["名称", "状态", "类别", "统一社会信用代码", "组织形式", "登记日期", "备案号", "备案日期",
           "地区代码", "地区", "负责人", "活动场所", "活动区域", "活动资金(元)", "当前等级"]


def _rows(orgs: Iterable[SocialOrganization]) -> Iterator[list[Any]]:
    status = dict(OrgStatus.choices)
    category = dict(Category.choices)
    legal = dict(LegalForm.choices)
    for o in orgs:
        grade = getattr(o, "current_grade", None)
        yield [o.name, str(status.get(o.status, o.status)),
               str(category.get(o.category, "")) if o.category else "", o.credit_code or "",
               str(legal.get(o.legal_form, "")) if o.legal_form else "",
               o.registered_on, o.filing_number or "", o.filed_on, o.region.code, o.region.name,
               o.masked_person_in_charge, o.venue, o.activity_area,
               float(o.funds) if o.funds is not None else None, f"{grade}A" if grade else ""]


def org_export(*, actor: Actor, filters: selectors.OrgFilters) -> bytes:
    if not scope.has_perm(actor, "orgs.view"):
        raise PermissionDenied()
    orgs = selectors.org_list(actor=actor, filters=filters)
    content = workbook_bytes([("社会组织", HEADERS, _rows(orgs.iterator(chunk_size=2000)))])
    with transaction.atomic():
        paths = scope.paths(actor, "orgs.view")
        audit.record(actor=actor, action=OrgAction.ORG_EXPORTED,
                     region_path=paths[0] if len(paths) == 1 else "",
                     data={"filters": {k: v for k, v in vars(filters).items() if v}})
    return content
