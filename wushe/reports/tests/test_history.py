"""reports/kpis/history.py: reports reads the opening balances and the KPI dictionary's
citation through a registry that wushe/openings and wushe/definitions fill at ready()."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.regions.models import Region
from wushe.reports.kpis import KPIS, Period, compute_many, history


@pytest.fixture
def bare(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry as it is when neither openings nor definitions is installed."""
    monkeypatch.setattr(history, "_OPENINGS", [history.NoOpenings()])
    monkeypatch.setattr(history, "_CITATION", [])


def _flow() -> Any:
    from wushe.openings import figures

    return next(k for k in KPIS.values() if figures.accepts(k))


def test_the_installed_apps_register_at_ready() -> None:
    from wushe.definitions import selectors
    from wushe.openings import figures

    assert history.openings() is figures
    assert history._CITATION == [selectors.citation]


@pytest.mark.django_db
def test_without_a_provider_no_kpi_takes_a_balance_and_none_is_looked_up(
        bare: None, district: Region, django_assert_num_queries: Any) -> None:
    kpi = _flow()
    assert not history.openings().accepts(kpi)
    assert history.openings().lines(district.path, "zh") == []
    with django_assert_num_queries(1):  # the source's aggregate only: no balance query
        compute_many([kpi], district.path, Period.all())


@pytest.mark.django_db
def test_with_the_openings_provider_the_cumulative_figure_looks_balances_up(
        district: Region, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):  # the balances, then the source's aggregate
        compute_many([_flow()], district.path, Period.all())


def test_without_a_dictionary_the_citation_says_no_version_is_approved(bare: None) -> None:
    assert history.dictionary_citation("500107", "zh") == "统计口径:尚无经批准的版本"
    assert history.dictionary_citation("500107", "en") == "KPI dictionary: no version is approved yet"


def test_a_registered_citation_is_what_the_report_cites(bare: None) -> None:
    history.register_dictionary_citation(lambda path, lang: f"v1 {path} {lang}")
    assert history.dictionary_citation("500107", "en") == "v1 500107 en"
