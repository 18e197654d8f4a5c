"""Open311 GeoReport v2 against a live test server: the ``georeport`` client (by others, no
POST) reads the services and a request created through the POST endpoint, in JSON and XML;
hostile input is refused in GeoReport's error shape and writes nothing; no GET answer carries
the resident's name, phone or text.

The server is Django's LiveServerThread on the test's own database connection (the test's
transaction, so the append-only audit table needs no flush, and SQLite and PostgreSQL both
work): requests come one at a time from this thread, and the server leaves the connection
open after each (it belongs to the test).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.core import signals
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from georeport import GeoReport

from wushe.audit.models import AuditEvent
from wushe.needs.categories import CATEGORIES, Channel
from wushe.needs.models import Need
from wushe.regions.models import Region

PHONE = "13800138000"
TEXT = "楼道灯坏了三天,晚上老人下楼很危险"


class _KeepConnection(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        pass  # the test's connection, inside the test's transaction


class _Thread(LiveServerThread):
    server_class = _KeepConnection


@pytest.fixture
def server(db: Any, community_a: Region, community_b: Region) -> Iterator[str]:
    cache.clear()  # the per-address limits start from zero
    conn = connections["default"]
    conn.inc_thread_sharing()
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    thread = _Thread("127.0.0.1", _StaticFilesHandler, connections_override={"default": conn})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)
        conn.dec_thread_sharing()


def post(base: str, fmt: str = "json", headers: dict[str, str] | None = None,
         **fields: str) -> requests.Response:
    form = {"jurisdiction_id": "500107000000", "service_code": "environment",
            "description": TEXT, "first_name": "小明", "last_name": "王", "phone": PHONE,
            "email": "wang@example.com", "attribute[consent]": "true",
            "attribute[community]": "500107001001", "lat": "29.5", "long": "106.5"}
    form.update(fields)
    form = {k: v for k, v in form.items() if v is not None and v != "<omit>"}
    return requests.post(f"{base}/open311/v2/requests.{fmt}", data=form, headers=headers,
                         timeout=10)


def assert_georeport_error(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == status
    zh, _, en = body[0]["description"].partition(" / ")
    assert zh and en and any("\u4e00" <= ch <= "\u9fff" for ch in zh), body
    return str(body[0]["description"])


def test_client_reads_the_services_in_json_and_xml(server: str) -> None:
    for fmt in ("json", "xml"):
        client = GeoReport(f"{server}/open311/v2", jurisdiction="500107000000",
                           output_format=fmt)
        services = client.get_service_list()
        assert [s["service_code"] for s in services] == list(CATEGORIES)
        legal = next(s for s in services if s["service_code"] == "legal_aid")
        assert legal["service_name"] == "法律援助"
        assert str(legal["metadata"]).lower() == "true" and legal["type"] == "realtime"
        definition = client.get_service_definition("legal_aid")
        attrs = definition["attributes"]
        attrs = attrs["attribute"] if fmt == "xml" else attrs
        consent = next(a for a in attrs if a["code"] == "consent")
        assert str(consent["required"]).lower() == "true"
        assert consent["datatype"] == "singlevaluelist"
        community = next(a for a in attrs if a["code"] == "community")
        values = community["values"]["value"] if fmt == "xml" else community["values"]
        assert {v["key"] for v in values} == {"500107001001", "500107001002"}
    xml = requests.get(f"{server}/open311/v2/services.xml", timeout=10)
    assert xml.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert xml.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<services><service>')


def test_service_names_in_english_by_locale_or_accept_language(server: str) -> None:
    url = f"{server}/open311/v2/services.json"
    assert requests.get(url, timeout=10).json()[1]["service_name"] == "法律援助"
    assert requests.get(url, params={"locale": "en"},
                        timeout=10).json()[1]["service_name"] == "Legal aid"
    assert requests.get(url, headers={"Accept-Language": "en-US,en;q=0.9"},
                        timeout=10).json()[1]["service_name"] == "Legal aid"


def test_discovery_names_the_endpoint_and_formats(server: str) -> None:
    body = requests.get(f"{server}/open311/discovery.json", timeout=10).json()
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == f"{server}/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    xml = requests.get(f"{server}/open311/discovery.xml", timeout=10)
    assert b"<endpoints><endpoint><specification>" in xml.content
    assert b"<formats><format>application/json</format><format>text/xml</format>" in xml.content


def test_post_goes_through_intake_and_the_client_reads_it_back(server: str) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    response = post(server, headers=key)
    assert response.status_code == 201, response.text
    [answer] = response.json()
    assert answer["account_id"] is None and answer["service_notice"]
    code = answer["service_request_id"]
    need = Need.objects.unscoped().get(tracking_code=code)
    assert need.channel == Channel.ONLINE and need.consent_at is not None
    assert need.contact_name == "王小明" and need.contact_phone == PHONE
    assert need.description == TEXT and need.community.code == "500107001001"
    assert AuditEvent.objects.unscoped().filter(action="needs.need.submitted").count() == 1
    # A retry with the same key answers the first request (200) and writes nothing more.
    again = post(server, headers=key)
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == code
    assert Need.objects.unscoped().count() == 1

    texts = []
    for fmt in ("json", "xml"):
        client = GeoReport(f"{server}/open311/v2", jurisdiction="500107000000",
                           output_format=fmt)
        one = client.get_service_request(code)
        assert one["service_request_id"] == code and one["status"] == "open"
        assert one["status_notes"] == "待受理" and one["agency_responsible"] == "杨坪社区"
        assert one["service_name"] == "环境卫生" and one["expected_datetime"]
        many = client.get_service_requests(service_request_id=code)
        many = many if isinstance(many, list) else [many]
        assert [r["service_request_id"] for r in many] == [code]
        listed = client.get_service_requests(service_code="environment", status="open")
        listed = listed if isinstance(listed, list) else [listed]
        assert code in [r["service_request_id"] for r in listed]
        closed = requests.get(f"{server}/open311/v2/requests.{fmt}",
                              params={"status": "closed"}, timeout=10)
        # An empty XML list is <service_requests />, which the client cannot index.
        assert closed.json() == [] if fmt == "json" else b"<service_requests />" in closed.content
        for path in (f"requests/{code}.{fmt}", f"requests.{fmt}"):
            texts.append(requests.get(f"{server}/open311/v2/{path}", timeout=10).text)
    for text in texts:  # no personal data in any answer
        for secret in (PHONE, "138", "王小明", "小明", "example.com", TEXT[:6]):
            assert secret not in text


def test_xml_post_answers_in_xml(server: str) -> None:
    response = post(server, fmt="xml")
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert b"<service_requests><request><service_request_id>" in response.content
    bad = post(server, fmt="xml", jurisdiction_id="110101000000")
    assert bad.status_code == 400
    assert bad.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<errors><error>'
                                  b"<code>400</code><description>")


def test_community_resolved_from_the_address(server: str) -> None:
    response = post(server, **{"attribute[community]": "<omit>",
                               "address_string": "杨家坪街道西郊社区5栋"})
    assert response.status_code == 201, response.text
    need = Need.objects.unscoped().get(tracking_code=response.json()[0]["service_request_id"])
    assert need.community.code == "500107001002"


@pytest.mark.parametrize(("fields", "needle"), [
    ({"jurisdiction_id": "110101000000"}, "jurisdiction_id"),
    ({"jurisdiction_id": "５００１０７０００００٠"}, "region code"),
    ({"attribute[consent]": "<omit>"}, "attribute[consent]=true"),
    ({"attribute[consent]": "false"}, "attribute[consent]=true"),
    ({"phone": "١٣٨٠٠١٣٨٠٠٠"}, "phone"),
    ({"description": "很" * 2001}, "Description"),
    ({"service_code": "pothole"}, "service_code"),
    ({"attribute[community]": "500107001099"}, "attribute[community]"),
    ({"attribute[community]": "<omit>", "address_string": "某某路1号"}, "attribute[community]"),
    ({"lat": "nan"}, "lat"),
    ({"email": "not an email"}, "email"),
    ({"first_name": "<script>"}, "Name"),
])
def test_hostile_post_is_refused_and_writes_nothing(server: str, fields: dict[str, str],
                                                    needle: str) -> None:
    audits = AuditEvent.objects.unscoped().count()
    description = assert_georeport_error(post(server, **fields), 400)
    assert needle in description
    assert Need.objects.unscoped().count() == 0
    assert AuditEvent.objects.unscoped().count() == audits


def test_intake_rate_limit_holds_for_open311(server: str, settings: Any) -> None:
    settings.WUSHE_NEEDS_INTAKE_RATE = "1/h"
    assert post(server).status_code == 201
    assert_georeport_error(post(server, description="另一件事:路灯不亮"), 429)
    assert Need.objects.unscoped().count() == 1


@pytest.mark.parametrize("params", [
    {"page_size": "-1"}, {"page_size": "1000000000"}, {"page_size": "0"}, {"page": "-3"},
    {"page_size": "１０"}, {"status": "pending"}, {"service_code": "pothole"},
    {"start_date": "yesterday"}, {"start_date": "2026-01-01T00:00:00Z",
                                  "end_date": "2026-12-01T00:00:00Z"},
    {"service_request_id": ",".join(["ABCD-EFGH-JKLM"] * 51)},
    {"jurisdiction_id": "500108000000"},
])
def test_hostile_search_is_refused(server: str, params: dict[str, str]) -> None:
    response = requests.get(f"{server}/open311/v2/requests.json", params=params, timeout=10)
    assert_georeport_error(response, 400)


def test_only_publicly_submitted_needs_are_shown(server: str) -> None:
    code = post(server).json()[0]["service_request_id"]
    Need.objects.unscoped().filter(tracking_code=code).update(channel=Channel.HOTLINE)
    hotline = requests.get(f"{server}/open311/v2/requests/{code}.json", timeout=10)
    missing = requests.get(f"{server}/open311/v2/requests/ABCD-EFGH-JKLM.json", timeout=10)
    assert_georeport_error(hotline, 404)
    assert hotline.json() == missing.json()
    assert requests.get(f"{server}/open311/v2/requests.json", timeout=10).json() == []


def test_other_methods_and_paths_answer_in_the_georeport_shape(server: str) -> None:
    response = requests.delete(f"{server}/open311/v2/requests.json", timeout=10)
    assert_georeport_error(response, 405)
    assert response.headers["Allow"] == "GET, POST"
    assert_georeport_error(requests.post(f"{server}/open311/v2/services.json", timeout=10), 405)
    assert_georeport_error(requests.get(f"{server}/open311/v2/nothing.json", timeout=10), 404)
    assert_georeport_error(requests.get(f"{server}/open311/v2/services/pothole.json",
                                        timeout=10), 404)
