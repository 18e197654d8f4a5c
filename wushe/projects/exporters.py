"""Excel export of a purchase list (.xlsx through core.excel.workbook_bytes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.audit import recorder as audit
from wushe.core.excel import workbook_bytes
from wushe.projects import selectors
from wushe.projects.audit_codes import ProjectsAction
from wushe.projects.groups import names_zh
from wushe.projects.models import Domain, PurchaseList, Status

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

HEADERS = ["项目编号 Code", "项目名称 Name", "领域 Domain", "服务地区 Region", "服务对象 Target groups",
           "预算(元) Budget", "撬动资源(元) Leveraged", "状态 Status", "承接组织 Provider",
           "合同金额(元) Contract", "已支付(元) Paid"]


def purchase_list_xlsx(*, actor: Actor, plist: PurchaseList) -> bytes:
    """The batch as a workbook; the caller has ``plist`` from a scoped selector."""
    projects = list(selectors.list_projects(plist))
    burn = selectors.budget_burn_many(projects)
    rows = ([p.code, p.name, str(Domain(p.domain).label), p.region.name, names_zh(p.target_groups),
             p.budget, p.leveraged, str(Status(p.status).label),
             p.provider.name if p.provider else "", burn[p.pk].contract or None,
             burn[p.pk].paid] for p in projects)
    audit.record(actor=actor, action=ProjectsAction.LIST_EXPORTED, target=plist,
                 data={"rows": len(projects)}, label=str(plist))
    return workbook_bytes([(f"{plist.year} {plist.name}", HEADERS, rows)])
