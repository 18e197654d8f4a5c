"""Awarding a rating (评估等级), after the eligibility rules of orgs/ratings.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.services import service
from wushe.orgs import access, cleaning, ratings
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import Rating, SocialOrganization
from wushe.regions import rules

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def rating_award(*, actor: Actor, org: SocialOrganization, score: object, awarded_on: object = None,
                 note: object = "") -> Rating:
    access.require_rate(actor, org)
    day = cleaning.date(awarded_on, "awarded_on", "评定日期", "Date awarded") or dt.date.today()
    value = cleaning.decimal(score, "score", "评估得分", "Score", minimum=Decimal(0),
                             maximum=ratings.MAX_SCORE, places=1, required=True)
    assert value is not None
    ratings.check_eligibility(org, day).refuse()
    grade = ratings.grade_for_score(value, ratings.cutoffs_for(org.region_path))
    years = int(rules.value("orgs.rating_validity_years", org.region_path))
    # The new grade replaces the current one from its first day.
    Rating.objects.filter(org=org, valid_until__gte=day).update(
        valid_until=day - dt.timedelta(days=1), ended_reason="superseded")
    rating = Rating.objects.create(
        org=org, region_path=org.region_path, grade=grade, score=value, awarded_on=day,
        valid_until=ratings.validity_end(day, years),
        note=cleaning.text(note, "note", "备注", "Note", 300),
        by=user_or_none(actor))
    audit.record(actor=actor, action=OrgAction.RATING_AWARDED, target=org, label=org.name,
                 data={"grade": f"{grade}A", "score": str(value), "awarded_on": str(day),
                       "valid_until": str(rating.valid_until)})
    return rating
