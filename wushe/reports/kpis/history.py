"""What the KPI engine and the reports know of a figure's history before the platform: the
opening balances (wushe/openings) and the approved KPI dictionary version an annual report
cites (wushe/definitions). Those apps build on reports and register here from their
``AppConfig.ready()``, so reports imports neither (issue #23 item 3); an app not installed
leaves the default: no balances, and no approved version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Q

if TYPE_CHECKING:
    from wushe.reports.kpis.base import Kpi


class Opening(Protocol):
    """One approved opening balance: a KPI's total for a region up to a date."""

    @property
    def path(self) -> str: ...

    @property
    def as_of(self) -> dt.date: ...

    @property
    def value(self) -> Decimal: ...


class OpeningsProvider(Protocol):
    """How opening balances enter a cumulative figure (wushe/openings/figures.py)."""

    def accepts(self, kpi: Kpi) -> bool:
        """Whether ``kpi`` may take an opening balance."""
        ...

    def current(self, keys: list[str] | None = ..., within: str = ...
                ) -> Mapping[str, Sequence[Opening]]:
        """The balances in force, by KPI key (those of the subtree of ``within``)."""
        ...

    def before_q(self, kpi: Kpi, balances: Sequence[Opening]) -> Q:
        """The records of ``kpi``'s source already counted in ``balances``."""
        ...

    def plus(self, kpi: Kpi, finished: Any, opening: Decimal) -> Any:
        """A finished figure plus an opening total, in the figure's form."""
        ...

    def lines(self, path: str, lang: str = ...) -> list[dict[str, Any]]:
        """Per figure of the subtree of ``path`` that includes a balance: which part is which
        (the cockpit and the annual report print them)."""
        ...


class NoOpenings:
    """The default: no KPI takes an opening balance."""

    def accepts(self, kpi: Kpi) -> bool:
        return False

    def current(self, keys: list[str] | None = None, within: str = ""
                ) -> Mapping[str, Sequence[Opening]]:
        return {}

    def before_q(self, kpi: Kpi, balances: Sequence[Opening]) -> Q:
        return Q(pk__in=[])

    def plus(self, kpi: Kpi, finished: Any, opening: Decimal) -> Any:
        return finished

    def lines(self, path: str, lang: str = "zh") -> list[dict[str, Any]]:
        return []


# (path, lang) -> the approval text of the version a region's annual report cites, or None
# when no version is approved yet.
Citation = Callable[[str, str], "str | None"]

_OPENINGS: list[OpeningsProvider] = [NoOpenings()]
_CITATION: list[Citation] = []


def register_openings(provider: OpeningsProvider) -> None:
    _OPENINGS[0] = provider


def openings() -> OpeningsProvider:
    return _OPENINGS[0]


def register_dictionary_citation(fn: Citation) -> None:
    _CITATION[:] = [fn]


def dictionary_citation(path: str, lang: str) -> str:
    """The approved KPI dictionary version of the district of ``path``, or that none is
    approved yet."""
    text = _CITATION[0](path, lang) if _CITATION else None
    if text is not None:
        return text
    if lang == "en":
        return "KPI dictionary: no version is approved yet"
    return "统计口径:尚无经批准的版本"
