"""Grouping a need into a common problem (共性问题, issue #19: "老年人、困难群体服务等5000余件共性问题"):
staff who handle a need put it in one of the common-problem groups, or take it out ("")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.audit import recorder as audit
from wushe.core.errors import ValidationFailed
from wushe.core.services import service
from wushe.needs import access, perms
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.models import CommonProblem, Need
from wushe.needs.services._common import lock

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def need_group_common_problem(*, actor: Actor, need: Need, problem: object) -> Need:
    value = str(problem or "").strip()
    if value and value not in CommonProblem.values:
        raise ValidationFailed("共性问题类别无效", "Unknown common problem", field="common_problem")
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need)
    old = need.common_problem
    if old == value:
        return need
    need.common_problem = value
    need.save(update_fields=["common_problem", "updated_at"])
    audit.record(actor=actor, action=NeedsAction.NEED_GROUPED, target=need,
                 label=need.tracking_code, data={"from": old, "to": value})
    return need
