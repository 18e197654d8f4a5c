"""Target groups of a project (服务对象). The first four match needs.NeedGroup, so a project's
groups line up with the demand menu's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.core.errors import ValidationFailed

TARGET_GROUPS: dict[str, tuple[str, str]] = {
    "elderly": ("老年人", "Elderly"),
    "minor": ("未成年人", "Minors"),
    "hardship": ("困难群体", "People in hardship"),
    "general": ("社区居民", "Residents"),
    "disabled": ("残疾人", "People with disabilities"),
    "family": ("家庭", "Families"),
}
CHOICES = [
    ("elderly", _("Elderly")), ("minor", _("Minors")), ("hardship", _("People in hardship")),
    ("general", _("Community residents")), ("disabled", _("People with disabilities")),
    ("family", _("Families")),
]


def encode(groups: list[str] | tuple[str, ...] | str) -> str:
    """["elderly", "minor"] → "|elderly|minor|" (refusing unknown codes)."""
    items = [g.strip() for g in (groups.replace("|", ",").split(",") if isinstance(groups, str)
                                 else groups) if g and g.strip()]
    for g in items:
        if g not in TARGET_GROUPS:
            raise ValidationFailed(f"服务对象「{g[:20]}」不存在", f"Unknown target group {g[:20]!r}",
                                   field="target_groups")
    unique = [g for g in TARGET_GROUPS if g in items]
    return f"|{'|'.join(unique)}|" if unique else ""


def names_zh(encoded: str) -> str:
    return "、".join(TARGET_GROUPS[g][0] for g in encoded.split("|") if g in TARGET_GROUPS)
