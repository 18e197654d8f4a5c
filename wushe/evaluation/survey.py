"""The anonymous survey of service recipients: fixed questions, answers 1–5.

The questions are plain and about the service, never about the person: the page asks for no
name, phone or address and nothing identifying is stored (not even the IP address; the rate
limit counts in the cache only).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wushe.core import ratelimit
from wushe.core.errors import ValidationFailed

QUESTIONS = (
    _("How satisfied are you with the attitude of the service staff?"),
    _("Did the service come when you needed it?"),
    _("Has the service helped you or your family?"),
    _("Would you recommend this service to a neighbour?"),
    _("Overall, how satisfied are you with this project?"),
)
SCALE = ((1, _("Very dissatisfied")), (2, _("Dissatisfied")), (3, _("Neutral")),
         (4, _("Satisfied")), (5, _("Very satisfied")))
# Answers per IP (a community hall's residents may share one address), and page views.
ratelimit.register("evaluation-survey-answer", "WUSHE_EVALUATION_SURVEY_RATE", "20/h")
ratelimit.register("evaluation-survey-view", "WUSHE_EVALUATION_SURVEY_VIEW_RATE", "300/h")


def clean_answers(answers: list[Any]) -> list[int]:
    if not isinstance(answers, list | tuple) or len(answers) != len(QUESTIONS):
        raise ValidationFailed(f"请回答全部{len(QUESTIONS)}个问题",
                               f"Answer all {len(QUESTIONS)} questions", field="answers")
    out = []
    for i, raw in enumerate(answers):
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = 0
        if not 1 <= value <= 5:
            raise ValidationFailed(f"第{i + 1}题须选择1到5分", f"Question {i + 1}: choose 1 to 5",
                                   field=f"q{i + 1}")
        out.append(value)
    return out


def hit(ip: str | None, kind: str = "answer") -> None:
    """Count one request from ``ip`` (in the cache only); refuse once the window's quota is
    used. Rates: the settings WUSHE_EVALUATION_SURVEY_RATE (answers) and
    WUSHE_EVALUATION_SURVEY_VIEW_RATE (views), "N/period" with s/m/h/d, "0" = off."""
    ratelimit.hit(f"evaluation-survey-{kind}", ip)
