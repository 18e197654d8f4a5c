"""Recording a capacity assessment over the seven areas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.services import service
from wushe.orgs import access, cleaning
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import AREAS, CapacityAssessment, SocialOrganization
from wushe.orgs.models.capacity import AREA_TEXT

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _clean_scores(scores: dict[str, object]) -> dict[str, Decimal]:
    out = {}
    for key, _label in AREAS:
        zh, en = AREA_TEXT[key]
        value = cleaning.decimal(scores.get(key), key, f"{zh}得分", f"{en} score",
                                 minimum=Decimal(0),
                                 maximum=Decimal(100), places=1, required=True)
        assert value is not None
        out[key] = value
    return out


@service
def assessment_record(*, actor: Actor, org: SocialOrganization, assessed_on: object,
                      assessor: object, scores: dict[str, object],
                      evidence: object = "") -> CapacityAssessment:
    access.require_manage(actor, org)
    values = _clean_scores(scores)
    assessment = CapacityAssessment.objects.create(
        org=org, region_path=org.region_path,
        assessed_on=cleaning.date(assessed_on, "assessed_on", "评估日期", "Assessment date")
        or dt.date.today(),
        assessor=cleaning.text(assessor, "assessor", "评估人", "Assessor", 100, required=True),
        evidence=cleaning.text(evidence, "evidence", "佐证材料", "Evidence", 3000),
        by=user_or_none(actor), **values)
    audit.record(actor=actor, action=OrgAction.ASSESSMENT_RECORDED, target=org, label=org.name,
                 data={"assessment": assessment.pk, "assessed_on": str(assessment.assessed_on),
                       **{k: str(v) for k, v in values.items()}})
    return assessment
