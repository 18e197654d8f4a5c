"""API fields name people by display name, never by username (a login identifier)."""

from __future__ import annotations

from wushe.accounts.labels import user_label
from wushe.accounts.models import User
from wushe.charity import services
from wushe.charity.tests.test_views_charity import ID_NUMBER, PHONE, client_for
from wushe.people.services import person_create


def test_disbursement_requested_by_is_the_display_name_not_the_username(
        admin, funded, staff_a, community_a):
    person = person_create(actor=staff_a, region=community_a, name="欧阳娜娜",
                           id_number=ID_NUMBER, phone=PHONE)
    services.disbursement_request(actor=admin, fund=funded, amount="500", purpose="大病救助",
                                  beneficiary_kind="person", person=person)
    api = client_for(admin)
    r = api.get("/api/v1/charity/disbursements")
    assert r.json()["items"][0]["requested_by"] == user_label(admin)
    assert admin.username not in r.content.decode()
    User.objects.filter(pk=admin.pk).update(display_name="王主任")
    r = api.get("/api/v1/charity/disbursements")
    assert r.json()["items"][0]["requested_by"] == "王主任"
    assert admin.username not in r.content.decode()


def _xlsx_text(content: bytes) -> str:
    import html
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as z:  # the cells' text, entities decoded
        return html.unescape("".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))


def test_donation_export_names_the_recorder_by_display_name(admin, funded):
    User.objects.filter(pk=admin.pk).update(display_name="王主任")
    r = client_for(admin).get("/api/v1/charity/donations/export.xlsx")
    assert r.status_code == 200
    text = _xlsx_text(r.content)
    assert "王主任" in text and admin.username not in text
