"""The back office shows charity records read-only, with individual donors masked."""

from __future__ import annotations

import pytest
from django.test import Client

from wushe.accounts.tests.otp_helpers import verify_session
from wushe.charity.models import Disbursement, Donation, LedgerEntry


@pytest.fixture
def su(root) -> Client:
    c = Client()
    c.force_login(root, backend="wushe.accounts.backends.LockoutBackend")
    verify_session(c, root)  # the back office asks for a second factor
    return c


def test_changelists_and_pages_open_read_only(su, funded, individual, give, admin, manager):
    give(funded, individual, "300")
    for model in ("fund", "donor", "donation", "disbursement", "ledgerentry"):
        r = su.get(f"/admin/charity/{model}/")
        assert r.status_code == 200, model
        assert "王小明" not in r.content.decode() and "13912345678" not in r.content.decode()
    donation = Donation.objects.unscoped().first()
    assert su.get(f"/admin/charity/donation/{donation.pk}/change/").status_code == 200
    assert su.get(f"/admin/charity/ledgerentry/{LedgerEntry.objects.unscoped().first().pk}/"
                  "change/").status_code == 200
    assert su.get("/admin/charity/donation/add/").status_code == 403
    assert not Disbursement.objects.unscoped().exists()
