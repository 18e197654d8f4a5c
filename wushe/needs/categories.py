"""The stable vocabularies of a need: category, channel, target group, urgency.

Category codes are part of the public API (``POST /api/v1/public/needs``) and of Excel
imports: they never change once published. Each category is of one kind — a consultation, a
request for help, or a complaint — and the kind gives its default deadline (needs/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint or dispute")


@dataclass(frozen=True)
class Category:
    code: str
    zh: str
    en: str
    kind: str
    label: object  # lazy, for the UI

    def name(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


CATEGORIES: dict[str, Category] = {c.code: c for c in (
    Category("temporary_relief", "临时救助", "Temporary relief", Kind.HELP,
             _("Temporary relief")),
    Category("legal_aid", "法律援助", "Legal aid", Kind.HELP, _("Legal aid")),
    Category("counselling", "心理疏导", "Psychological counselling", Kind.HELP,
             _("Psychological counselling")),
    Category("elderly_care", "养老服务", "Elderly care", Kind.HELP, _("Elderly care")),
    Category("child_care", "儿童关爱", "Child care and protection", Kind.HELP,
             _("Child care and protection")),
    Category("disability_support", "助残服务", "Disability support", Kind.HELP,
             _("Disability support")),
    Category("medical_help", "就医帮扶", "Help with medical care", Kind.HELP,
             _("Help with medical care")),
    Category("employment", "就业帮扶", "Employment help", Kind.HELP, _("Employment help")),
    Category("policy", "政策咨询", "Policy consultation", Kind.CONSULTATION,
             _("Policy consultation")),
    Category("environment", "环境卫生", "Environment and sanitation", Kind.COMPLAINT,
             _("Environment and sanitation")),
    Category("property", "物业管理", "Property management", Kind.COMPLAINT,
             _("Property management")),
    Category("dispute", "矛盾纠纷", "Dispute", Kind.COMPLAINT, _("Dispute")),
    Category("other", "其他", "Other", Kind.CONSULTATION, _("Other")),
)}


def category_choices() -> list[tuple[str, object]]:
    return [(c.code, c.label) for c in CATEGORIES.values()]


def parse_category(raw: object) -> str:
    """A code, or (from a spreadsheet) the Chinese or English name; refuses anything else."""
    text = to_half_width(str(raw or "")).strip()
    if text in CATEGORIES:
        return text
    for c in CATEGORIES.values():
        if text in (c.zh, c.en) or text.lower() == c.en.lower():
            return c.code
    raise ValidationFailed(f"诉求类别「{text[:20]}」不存在", f"Unknown need category {text[:20]!r}",
                           code="unknown_category", field="category")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online request (点单)")
    OFFLINE = "offline", _("Offline problem list (问题清单)")
    WINDOW = "window", _("Service window (窗口)")
    HOTLINE = "hotline", _("Hotline (热线)")
    GRID = "grid", _("Grid worker report (网格)")


class NeedGroup(models.TextChoices):
    """一老一小一困, or none of them."""

    GENERAL = "general", _("General")
    ELDERLY = "elderly", _("Elderly (一老)")
    MINOR = "minor", _("Minor (一小)")
    HARDSHIP = "hardship", _("Hardship (一困)")


GROUP_NAMES = {"general": ("一般", "General"), "elderly": ("老年人", "Elderly"),
               "minor": ("未成年人", "Minor"), "hardship": ("困难群体", "Hardship")}


def parse_group(raw: object) -> str:
    text = to_half_width(str(raw or "")).strip()
    if not text:
        return NeedGroup.GENERAL
    if text in NeedGroup.values:
        return text
    aliases = {"一老": "elderly", "一小": "minor", "一困": "hardship", "无": "general"}
    if text in aliases:
        return aliases[text]
    for code, (zh, en) in GROUP_NAMES.items():
        if text in (zh, en) or text.lower() == en.lower():
            return code
    raise ValidationFailed(f"对象类别「{text[:20]}」不存在", f"Unknown target group {text[:20]!r}",
                           field="target_group")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (same day)")


def parse_urgency(raw: object) -> str:
    text = to_half_width(str(raw or "")).strip().lower()
    if text in ("", "normal", "一般", "普通", "否"):
        return Urgency.NORMAL
    if text in ("urgent", "紧急", "急", "是"):
        return Urgency.URGENT
    raise ValidationFailed("紧急程度应为「一般」或「紧急」", "Urgency is either normal or urgent",
                           field="urgency")
