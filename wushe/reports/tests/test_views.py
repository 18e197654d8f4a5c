"""The cockpit, the big screen, the API, the export and the annual report pages: scope
(another street's region is 404 by page and by API), strict CSP, real files."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from wushe.reports.tests.conftest import login

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_cockpit_shows_charts_data_and_as_of(world: dict[str, Any]) -> None:
    client = login(world["users"]["district"])
    page = client.get("/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    data = json.loads(re.search(r'<script id="cockpit-data" type="application/json">(.*?)'
                                r"</script>", html, re.S).group(1))  # type: ignore[union-attr]
    assert data["region"]["code"] == "500107000000" and data["as_of"]
    ids = {c["id"] for c in data["charts"]}
    assert {"needs-channel", "needs-category", "needs-status", "on-time", "linkage",
            "hours-month", "hours-level", "orgs-category", "orgs-rating", "staffing",
            "funds"} <= ids
    staffing = next(c for c in data["charts"] if c["id"] == "staffing")
    assert staffing["categories"] == ["杨家坪街道", "黄桷坪街道"]
    # Required staff of 杨家坪街道: max(2, ceil(8000·18/10⁴)) + max(2, ceil(6000·18/10⁴)).
    assert staffing["series"][0]["data"][0] == 15 + 11
    # Strict CSP: every script is a file or JSON data, none inline.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "reports/cockpit.js" in html and "vendor/echarts/echarts.min.js" in html
    # The region picker lists the actor's subtree.
    assert 'value="500107001001"' in html


def test_cockpit_api_matches_the_page(world: dict[str, Any]) -> None:
    client = login(world["users"]["street"])
    r = client.get(f"/api/v1/reports/cockpit?region=500107001000&year={YEAR}")
    assert r.status_code == 200
    body = r.json()
    assert body["region"]["code"] == "500107001000" and body["year"] == YEAR
    html = client.get(f"/reports/?region=500107001000&year={YEAR}").content.decode()
    embedded = json.loads(re.search(r'<script id="cockpit-data" type="application/json">'
                                    r"(.*?)</script>", html, re.S).group(1))  # type: ignore[union-attr]
    assert embedded == body
    staffing = next(c for c in body["charts"] if c["id"] == "staffing")
    assert staffing["categories"] == ["杨坪社区", "西郊社区"]


@pytest.mark.parametrize("url", ["/reports/?region=500107002000",
                                 "/reports/screen?region=500107002000",
                                 "/reports/export.xlsx?region=500107002000",
                                 "/reports/annual/?region=500107002000",
                                 "/api/v1/reports/cockpit?region=500107002000",
                                 "/api/v1/reports/figures?region=500107002000",
                                 "/reports/?region=999999999999"])
def test_another_streets_region_is_not_found(world: dict[str, Any], url: str) -> None:
    client = login(world["users"]["street"])
    assert client.get(url).status_code == 404


def test_community_staff_sees_only_its_community(world: dict[str, Any]) -> None:
    client = login(world["users"]["community_a"])
    page = client.get("/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="500107001001"' in html and 'value="500107001002"' not in html
    assert 'data-testid="export-link"' not in html  # reports.view only: no export
    assert client.get("/reports/export.xlsx").status_code == 403
    assert client.get("/reports/?region=500107001002").status_code == 404
    assert client.get("/api/v1/reports/cockpit?region=500107001000").status_code == 404


def test_without_reports_view_the_cockpit_is_refused(world: dict[str, Any]) -> None:
    client = login(world["users"]["volunteer"])
    assert client.get("/reports/").status_code == 403
    assert client.get("/api/v1/reports/cockpit").status_code == 403
    assert Client().get("/reports/ping").status_code == 204  # the bench baseline: no login


def test_bad_year_is_a_clear_error(world: dict[str, Any]) -> None:
    client = login(world["users"]["district"])
    r = client.get("/api/v1/reports/cockpit?year=1900")
    assert r.status_code == 400
    assert "year" in json.dumps(r.json()).lower()


def test_big_screen_is_dark_full_screen(world: dict[str, Any]) -> None:
    client = login(world["users"]["district"])
    html = client.get("/reports/screen").content.decode()
    assert 'class="reports-screen"' in html and 'id="cockpit-data"' in html
    assert 'content="width=1920"' in html


def test_export_opens_with_openpyxl(world: dict[str, Any]) -> None:
    client = login(world["users"]["district"])
    r = client.get(f"/reports/export.xlsx?year={YEAR}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert len(wb.sheetnames) >= 5
    rows = {row[0]: row for row in wb[wb.sheetnames[0]].iter_rows(values_only=True)}
    assert rows["regions.population"][3] == 14_000
    assert "常住人口" in rows["regions.population"][5]  # the definition travels with it


def test_annual_page_previews_and_generates_three_formats(world: dict[str, Any], data_dir: Any,
                                                          inline_jobs: Any) -> None:
    client = login(world["users"]["district"])
    page = client.get(f"/reports/annual/?year={YEAR}&preview=1")
    assert page.status_code == 200
    html = page.content.decode()
    assert "一、创新社区治理体系" in html and "14,000" in html and 'href="#note-1"' in html
    started = client.post("/reports/annual/jobs", {"region": "500107000000", "year": YEAR,
                                                   "lang": "zh"})
    assert started.status_code == 302
    job = client.get(started["Location"])
    assert job.status_code == 200 and 'data-status="done"' in job.content.decode()
    job_id = started["Location"].rstrip("/").rsplit("/", 1)[1]
    for fmt in ("html", "pdf", "docx"):
        r = client.get(f"/reports/annual/jobs/{job_id}/{fmt}")
        assert r.status_code == 200
        assert len(b"".join(r.streaming_content)) > 1000  # type: ignore[attr-defined]
    # The job is its starter's: another user cannot even confirm it exists.
    other = login(world["users"]["street"])
    assert other.get(started["Location"]).status_code == 404
    assert other.get(f"/reports/annual/jobs/{job_id}/pdf").status_code == 404


def test_street_staff_cannot_generate_for_the_district(world: dict[str, Any], data_dir: Any
                                                      ) -> None:
    client = login(world["users"]["street"])
    r = client.post("/reports/annual/jobs", {"region": "500107000000", "year": YEAR})
    assert r.status_code == 404


def _embedded(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>',
                      html, re.S)
    assert found
    return dict(json.loads(found.group(1)))


@pytest.mark.parametrize("url", ["/reports/", "/reports/screen"])
def test_cockpit_and_screen_open_on_this_year_with_a_picker(world: dict[str, Any],
                                                            url: str) -> None:
    html = login(world["users"]["district"]).get(url).content.decode()
    assert _embedded(html)["year"] == YEAR
    assert 'data-testid="cockpit-picker"' in html
    assert f'<option value="{YEAR}" selected>' in html


def test_an_empty_chart_says_which_records_are_missing(world: dict[str, Any]) -> None:
    """The conftest world has no need and no volunteer hour: those charts carry the reason
    the page shows in their place; the staffing chart (posts of the two streets) has data."""
    data = _embedded(login(world["users"]["district"]).get("/reports/").content.decode())
    charts = {c["id"]: c for c in data["charts"]}
    # Chinese first: the reasons are shown in the page's language.
    assert "没有已确认的志愿服务时长" in charts["hours-month"]["empty"]
    assert "没有已确认的志愿服务时长" in charts["hours-level"]["empty"]
    assert "没有收到诉求" in charts["needs-channel"]["empty"]
    assert "没有办结的诉求" in charts["on-time"]["empty"]
    assert charts["staffing"]["empty"] == ""
    assert all(c["empty"] for c in data["charts"] if not any(
        (p.get("value") if isinstance(p, dict) else p) for s in c["series"] for p in s["data"]))


def test_the_picker_shows_a_year_without_rollups_when_it_is_picked(
        world: dict[str, Any]) -> None:
    html = login(world["users"]["district"]).get("/reports/screen?year=2013").content.decode()
    assert _embedded(html)["year"] == 2013
    assert '<option value="2013" selected>' in html
