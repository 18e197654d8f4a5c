"""Every demo account logs in through the login page and sees only its own scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.accounts.tests.otp_helpers import code_from_secret
from wushe.demo.build import ACCOUNTS_FILE, build_demo


def _path(code: str) -> str:
    """The scope prefix of a 12-digit code: district 6, street 9, community 12 digits."""
    if code[6:] == "000000":
        return code[:6]
    return code[:9] if code[9:] == "000" else code


@pytest.mark.django_db
def test_each_demo_account_sees_only_its_scope(tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)
    accounts = json.loads((tmp_path / ACCOUNTS_FILE).read_text(encoding="utf-8"))
    for account in accounts:
        client = Client()
        response = client.post("/login/", {"username": account["username"],
                                           "password": account["password"]})
        assert response.status_code == 302, account["username"]
        if "totp_secret" in account:  # the second step, with the code an app would show
            assert response["Location"] == "/login/otp/", account["username"]
            code, _step = code_from_secret(account["totp_secret"])
            response = client.post("/login/otp/", {"code": code})
            assert response.status_code == 302 and response["Location"] == "/", account
        assert client.get("/").status_code == 200
        regions = client.get("/api/v1/regions/?limit=500").json()["items"]
        if account["role"] == "superuser":
            assert len(regions) > 200
            continue
        prefix = _path(account["region_code"])
        assert regions and all(r["code"].startswith(prefix) for r in regions), account
        user = User.objects.get(username=account["username"])
        people = client.get("/api/v1/people/?limit=200")
        if scope.has_perm(user, "people.view"):
            items = people.json()["items"]
            assert items, account["username"]
            assert all(p["region_code"].startswith(prefix) for p in items)
            assert all("*" in p["id_number"] for p in items if p["id_number"])
        else:
            assert people.json()["count"] == 0
