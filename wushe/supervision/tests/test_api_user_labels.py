"""The supervisor of a visit appears by display name in the API, never by username."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from wushe.accounts.labels import user_label
from wushe.accounts.models import User
from wushe.supervision.tests.conftest import visit
from wushe.supervision.tests.test_api import API, _post, _record_body

PAST = dt.date.today() - dt.timedelta(days=20)


def test_supervisor_is_the_display_name_not_the_username(sw, make_user):
    supervisor = make_user("street_staff", sw.street, "lee_supervisor_7731")
    client = Client()
    client.force_login(supervisor, backend="wushe.accounts.backends.LockoutBackend")
    v = visit(sw.projects["a"], PAST)
    recorded = _post(client, f"{API}/visits/{v.pk}/record", _record_body())
    assert recorded.status_code == 200
    assert recorded.json()["supervisor"] == user_label(supervisor)
    assert supervisor.username not in recorded.content.decode()
    User.objects.filter(pk=supervisor.pk).update(display_name="李督导")
    shown = client.get(f"{API}/visits/{v.pk}")
    assert shown.json()["supervisor"] == "李督导"
    assert supervisor.username not in shown.content.decode()


def test_records_export_names_the_supervisor_by_display_name(sw, make_user):
    import html
    import io
    import zipfile

    supervisor = make_user("street_staff", sw.street, "lee_supervisor_7731")
    client = Client()
    client.force_login(supervisor, backend="wushe.accounts.backends.LockoutBackend")
    v = visit(sw.projects["a"], PAST)
    assert _post(client, f"{API}/visits/{v.pk}/record", _record_body()).status_code == 200
    job = client.post(f"{API}/records/export")
    assert job.status_code == 202
    export = client.get(f"/api/v1/exports/{job.json()['id']}/file")
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content))) as z:
        text = html.unescape("".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))
    assert user_label(supervisor) in text and supervisor.username not in text
