"""Writes of the projects app. Other apps import from here:

- ``project_mark_evaluated(*, actor, project, stage, note="")`` and
  ``project_close(*, actor, project, renewed, note="")`` for wushe.evaluation.
"""

from wushe.projects.services.design import (
    IndicatorSpec,
    indicator_save,
    project_create,
    project_need_detach,
    project_needs_attach,
    project_update,
)
from wushe.projects.services.lifecycle import project_close, project_mark_evaluated, project_start
from wushe.projects.services.payments import payment_make
from wushe.projects.services.purchase import (
    contract_sign,
    procurement_record,
    project_list_add,
    purchase_list_create,
    purchase_list_publish,
)

__all__ = [
    "IndicatorSpec", "contract_sign", "indicator_save", "payment_make",
    "procurement_record", "project_close", "project_create", "project_list_add",
    "project_mark_evaluated", "project_need_detach", "project_needs_attach", "project_start",
    "project_update", "purchase_list_create", "purchase_list_publish",
]
