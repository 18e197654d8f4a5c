"""The audit page reads as words: labels, object names (masked), fields with old → new values,
business areas by name, in Chinese and in English; objects resolved in bulk per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.audit.models import AuditEvent
from wushe.regions.models import Region
from wushe.web.tests.factories import World, build_world, id_number


def _get(client: Client, lang: str, url: str, params: dict[str, str] | None = None) -> str:
    """The page in ``lang`` (the language cookie, as the language switcher sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url, params or {})
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def _rows(html: str) -> str:
    return html.split('data-testid="audit-table"', 1)[1]


def _visible(html: str) -> str:
    """The table without the collapsed raw details."""
    import re

    return re.sub(r"<details.*?</details>", "", _rows(html), flags=re.S)


def test_actions_by_label_in_both_languages(world: World) -> None:
    client = world.client("auditor")
    zh = _visible(_get(client, "zh-hans", "/audit/", {"family": "people"}))
    en = _visible(_get(client, "en", "/audit/", {"family": "people"}))
    assert "登记人员" in zh and "Person registered" not in zh
    assert "Person registered" in en
    for html in (zh, en):
        assert "people.person.created" not in html  # the code only behind "details"
    raw = _rows(_get(client, "en", "/audit/", {"family": "people"}))
    assert "people.person.created" in raw and "<details" in raw


def test_persons_by_masked_name_never_by_id_number(world: World) -> None:
    html = _visible(world.client("auditor").get("/audit/", {"family": "people"}).content.decode())
    assert "陈*海" in html and "刘*郊" in html
    assert "陈大海" not in html and "刘西郊" not in html
    assert id_number(seq="123") not in html and id_number(seq="789") not in html


def test_fields_with_old_and_new_values_by_verbose_name(world: World) -> None:
    region = Region.objects.unscoped().get(pk=world.community_a.pk)
    audit.record(actor=world.root, action=Action.REGION_UPDATED, target=region,
                 data={"name": {"old": "杨坪社区", "new": "杨家坪社区"},
                       "population": {"old": 8000, "new": 8200}})
    client = world.client("auditor")
    en = _visible(_get(client, "en", "/audit/", {"action": "regions.region.updated"}))
    name_label = str(Region._meta.get_field("population").verbose_name)
    assert "Region updated" in en
    assert "杨坪社区 <span" in en and "杨家坪社区" in en
    assert "8000 <span" in en and "8200" in en
    assert f"{name_label}:" in en
    assert "&quot;old&quot;" not in en  # raw JSON only behind details


def test_object_gone_falls_back_to_verbose_name_and_number(world: World) -> None:
    AuditEvent.objects.create(action="people.person.updated", target_type="people.person",
                              target_id="987654", region_path=world.community_a.path)
    en = _visible(_get(world.client("auditor"), "en", "/audit/",
                       {"action": "people.person.updated"}))
    assert "person #987654" in en


def test_business_area_filter_in_the_users_language(world: World) -> None:
    client = world.client("auditor")
    en = _get(client, "en", "/audit/")
    assert '<option value="needs">Needs and the linkage</option>' in en
    assert '<option value="people">People</option>' in en
    assert '<option value="needs">needs</option>' not in en
    zh = _get(client, "zh-hans", "/audit/")
    assert '<option value="accounts">账号</option>' in zh


def test_names_resolved_in_bulk_not_per_row(world: World, settings: Any) -> None:
    # Both pages hold only these events (two objects): a query per row would show as a
    # difference of 16.
    client = world.client("auditor")
    for n in range(12):
        audit.record(actor=world.root, action=Action.SITE_UPDATED, target=world.site_a,
                     data={"n": n})
        audit.record(actor=world.root, action=Action.PERSON_UPDATED, target=world.people["a1"],
                     data={"n": n})
    client.get("/audit/")  # the first request of a session counts its badges once
    counts = []
    for size in (4, 20):
        settings.WUSHE_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/audit/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
