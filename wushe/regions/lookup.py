"""A community, street or district in a roster, by code or by name, within the actor's scope.

Rosters from street offices name the community ("杨坪社区", "杨坪社区居委会", "杨家坪街道杨坪
社区") rather than give its 12-digit code. A name is matched exactly first, then without the
committee suffix a roster adds (居民委员会, 居委会, 村民委员会 …), then as street name + community
name. Only regions the actor covers are candidates: one is used; none, or several of the same
name in different streets, is a row error that lists them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.core.errors import ValidationFailed, WusheError
from wushe.core.lookup import code_text, is_code, name_text, one
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

# What a roster adds after a community's or village's name, longest first.
_SUFFIX = re.compile(r"(居民委员会|村民委员会|社区居委会|居委会|村委会|委员会)$")
_SEPARATORS = "/／-—·•、|,,"
LABELS: dict[tuple[str, ...], tuple[str, str]] = {  # (zh, en) of a column by its levels
    (RegionLevel.COMMUNITY,): ("社区", "Community"),
    (RegionLevel.COMMUNITY, RegionLevel.GRID): ("社区", "Community"),
    (RegionLevel.STREET,): ("镇街", "Street"),
}


def _base(name: str) -> str:
    stripped = _SUFFIX.sub("", name)
    if stripped != name and not stripped.endswith(("社区", "村")):
        stripped += "社区" if "居" in name[len(stripped):] else "村"
    return stripped


class RegionLookup:
    """Regions of ``levels`` by code or name, each text resolved once.

    ``covers(region)`` decides whether the actor may use the region (default: the actor's
    scope for ``perm`` covers it); an uncovered region reads exactly like an unknown one."""

    def __init__(self, actor: MaybeActor, perm: str, levels: tuple[str, ...], field: str, *,
                 covers: Callable[[Region], bool] | None = None,
                 label: tuple[str, str] | None = None) -> None:
        self.actor, self.perm, self.levels, self.field = actor, perm, levels, field
        self.covers = covers or self._covers
        self.label_zh, self.label_en = label or LABELS.get(levels, ("地区", "Region"))
        self.cache: dict[str, Region | WusheError] = {}
        self.by_raw: dict[object, Region] = {}
        self._streets: list[Region] | None = None

    def _covers(self, region: Region) -> bool:
        return self.actor is None or scope.covers(self.actor, self.perm, region.path)

    def get(self, raw: object) -> Region:
        # Keyed by the cell as read too: a roster repeats a few communities 250,000 times.
        if raw.__class__ not in (str, int, float):
            return self._get(raw)
        found = self.by_raw.get(raw)
        if found is None:
            found = self.by_raw[raw] = self._get(raw)
        return found

    def _get(self, raw: object) -> Region:
        text = code_text(raw)
        if text not in self.cache:
            try:
                self.cache[text] = self._resolve(text)
            except WusheError as exc:
                self.cache[text] = exc
        found = self.cache[text]
        if isinstance(found, WusheError):
            raise found
        return found

    def paths(self) -> list[str]:
        return sorted({r.path for r in self.cache.values() if isinstance(r, Region)})

    # --- resolution --------------------------------------------------------------------

    def _usable(self, regions: Any) -> list[Region]:
        return [r for r in regions if r.level in self.levels and self.covers(r)]

    def _resolve(self, text: str) -> Region:
        if not text:
            raise ValidationFailed(f"请填写{self.label_zh}", f"The {self.label_en.lower()} is "
                                   "missing", field=self.field, code="required")
        if is_code(text):
            found = self._usable(Region.objects.unscoped(reason="reference: the region tree").filter(code=text))
            if not found:  # unknown and out of scope look the same
                raise ValidationFailed(
                    f"{self.label_zh}代码 {text} 不存在或不在您的管辖范围",
                    f"{self.label_en} code {text} does not exist or is outside your area",
                    field=self.field, code="unknown_code")
            return found[0]
        name = name_text(text)
        return one(text, self._by_name(name), describe=self._describe, field=self.field,
                   label_zh=self.label_zh, label_en=self.label_en)

    def _by_name(self, name: str) -> list[Region]:
        exact = self._usable(Region.objects.unscoped(reason="reference: the region tree").filter(name=name).order_by("code"))
        if exact:
            return exact
        base = _base(name)
        if base != name:
            loose = self._usable(Region.objects.unscoped(reason="reference: the region tree").filter(name=base).order_by("code"))
            if loose:
                return loose
        return self._under_street(name)

    def _under_street(self, name: str) -> list[Region]:
        """ "杨家坪街道杨坪社区" or "杨家坪街道/杨坪社区": the community within that street."""
        if self._streets is None:
            self._streets = list(Region.objects.unscoped(reason="reference: the region tree").filter(
                level=RegionLevel.STREET).order_by("-name"))
        for street in self._streets:
            if name.startswith(street.name) and len(name) > len(street.name):
                rest = name[len(street.name):].strip(_SEPARATORS)
                children = Region.objects.unscoped(reason="reference: the region tree").filter(
                    path__startswith=street.path).exclude(pk=street.pk)
                found = self._usable(children.filter(name__in={rest, _base(rest)}))
                if found:
                    return found
        return []

    def _describe(self, region: Region) -> str:
        parent = region.parent.name if region.parent_id else ""  # type: ignore[union-attr]
        return f"{parent}{region.name}({region.code})"
