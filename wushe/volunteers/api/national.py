"""POST /api/v1/volunteers/national-records/export: the national volunteer service record
export (volunteers/national.py) queued as a page job; poll /api/v1/exports/{id}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from wushe.core import exportjobs
from wushe.core.api import ExportJobOut
from wushe.core.apitypes import Id
from wushe.volunteers import national
from wushe.volunteers.api.base import router


class NationalExportIn(Schema):
    team_id: Id | None = None
    date_from: str = Field("", max_length=10)  # YYYY-MM-DD
    date_to: str = Field("", max_length=10)
    purpose: str = Field("", max_length=30)  # one of national.PURPOSES
    purpose_text: str = Field("", max_length=150)


class NationalExportOut(ExportJobOut):
    # "unmasked": the ID numbers of the team's region are in clear (people.unmask, logged with
    # the purpose); "masked": they are masked. The file's 说明 sheet has the exact counts.
    id_numbers: str


@router.post("/national-records/export", response={202: NationalExportOut})
def national_export(request: HttpRequest, body: NationalExportIn) -> Status[Any]:
    """Queue the national volunteer service record export of a team's subtree and a period;
    fetch the workbook from ``GET /api/v1/exports/{id}/file`` when it is done."""
    started = national.national_export_start(actor=request.user, raw=body.dict())
    state = exportjobs.job_state(actor=request.user, job_id=started.job_id)
    return Status(202, {**state, "id_numbers": "unmasked" if started.unmasked else "masked"})
