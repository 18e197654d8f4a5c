"""三员分立 (#13 item 2): system, security and audit administrators are different accounts, each
does its own work only, the superuser retires once they exist, and the audit administrator
sees what the other two did."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client, override_settings

from wushe.accounts.login import user_authenticate
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import ADMIN_ROLES, Role
from wushe.accounts.services import (
    SuperuserRetired,
    grant_add,
    grant_revoke,
    token_create,
    user_create,
    user_disable,
    user_sign_out_everywhere,
)
from wushe.audit.selectors import audit_event_list
from wushe.conftest import PASSWORD
from wushe.core.errors import Conflict, NotFound, PermissionDenied, WusheError


@pytest.fixture
def admins(make_user, district):
    return {role: make_user(role, district, role) for role in
            (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)}


@pytest.mark.parametrize("first,second", list(itertools.permutations(sorted(ADMIN_ROLES), 2)))
def test_no_account_holds_two_administrator_roles(admins, make_user, district, first, second):
    security = admins[Role.SECURITY_ADMIN]
    user = make_user("street_staff", district, f"u_{first}_{second}")
    grant_add(actor=security, user=user, role=first, region=district)
    with pytest.raises(Conflict) as exc:
        grant_add(actor=security, user=user, role=second, region=district)
    assert exc.value.code == "admin_roles_separated"
    # Not even by the system itself (installation scripts, the demo generator).
    with pytest.raises(Conflict):
        grant_add(actor=None, user=user, role=second, region=district)
    assert set(RoleGrant.objects.unscoped().filter(user=user, role__in=ADMIN_ROLES)
               .values_list("role", flat=True)) == {first}


def test_an_account_cannot_be_created_with_two_administrator_roles(db, district):
    with pytest.raises(Conflict):
        user_create(actor=None, username="both", password=PASSWORD, check_password=False,
                    grants=[(Role.SYSTEM_ADMIN, district), (Role.AUDIT_ADMIN, district)])
    assert not User.objects.filter(username="both").exists()


def test_only_the_security_administrator_grants_administrator_roles(
        admins, make_user, district):
    district_admin = make_user("district_admin", district, "da")
    user = make_user("street_staff", district, "someone")
    for actor in (district_admin, admins[Role.SYSTEM_ADMIN], admins[Role.AUDIT_ADMIN]):
        with pytest.raises((PermissionDenied, NotFound)):
            grant_add(actor=actor, user=user, role=Role.AUDIT_ADMIN, region=district)
    with pytest.raises(PermissionDenied):  # nor to oneself
        grant_add(actor=admins[Role.SECURITY_ADMIN], user=admins[Role.SECURITY_ADMIN],
                  role=Role.AUDIT_ADMIN, region=district)
    assert not RoleGrant.objects.unscoped().filter(user=user, role__in=ADMIN_ROLES).exists()


def test_administrators_reach_the_back_office_by_role_and_see_no_business_data(
        admins, make_user, district):
    system, security, audit_admin = (admins[r] for r in (
        Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN))
    assert all(a.is_staff for a in admins.values())
    assert system.has_perm("accounts.add_user") and not system.has_perm("accounts.add_rolegrant")
    assert security.has_perm("accounts.add_rolegrant") and not security.has_perm(
        "accounts.add_user")
    assert audit_admin.has_perm("audit.view_auditevent")
    assert not audit_admin.has_perm("accounts.change_user")
    assert not any(a.has_perm("people.view_person") for a in admins.values())
    client = Client()
    for admin_user in admins.values():
        raw, _ = token_create(actor=admin_user)
        for url in ("/api/v1/people/", "/api/v1/needs/"):
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert response.status_code in (403, 404) or response.json().get("items") == [], url
    # Losing the role closes the back office.
    grant = RoleGrant.objects.unscoped().get(user=audit_admin, role=Role.AUDIT_ADMIN)
    grant_revoke(actor=security, grant=grant)
    audit_admin.refresh_from_db()
    assert not audit_admin.is_staff


@override_settings(WUSHE_SUPERUSER_INSTALL_ONLY=True)
def test_the_superuser_is_refused_once_the_three_administrators_exist(root, make_user, district):
    assert user_authenticate(username="root", password=PASSWORD, address="10.0.0.1").pk == root.pk
    make_user(Role.SYSTEM_ADMIN, district, "s1")
    make_user(Role.SECURITY_ADMIN, district, "s2")
    assert user_authenticate(username="root", password=PASSWORD, address="10.0.0.1").pk == root.pk
    make_user(Role.AUDIT_ADMIN, district, "s3")
    with pytest.raises(SuperuserRetired) as exc:
        user_authenticate(username="root", password=PASSWORD, address="10.0.0.1")
    assert exc.value.code == "superuser_install_only" and "installation" in exc.value.en
    # A wrong password still answers like any wrong password (nothing about the superuser leaks).
    with pytest.raises(WusheError) as wrong:
        user_authenticate(username="root", password="nope", address="10.0.0.1")
    assert wrong.value.code == "invalid_credentials"


def test_the_audit_administrator_sees_the_other_two_administrators_actions(
        admins, make_user, district, street):
    system, security, audit_admin = (admins[r] for r in (
        Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN))
    newcomer = user_create(actor=system, username="newcomer", password=PASSWORD,
                           check_password=False)
    grant_add(actor=security, user=newcomer, role="street_staff", region=street)
    user_sign_out_everywhere(actor=security, user=newcomer)
    user_disable(actor=system, user=newcomer, reason="调离 / left the post")
    seen = {(e.actor_name, e.action) for e in audit_event_list(actor=audit_admin)}
    assert {("system_admin", "accounts.user.created"),
            ("security_admin", "accounts.grant.created"),
            ("security_admin", "accounts.user.signed_out_everywhere"),
            ("system_admin", "accounts.user.disabled")} <= seen
    # and through the audit API, as the audit administrator reads it
    raw, _ = token_create(actor=audit_admin)
    response = Client().get("/api/v1/audit/events?family=accounts",
                            HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    actions = {item["action"] for item in response.json()["items"]}
    assert {"accounts.user.created", "accounts.grant.created", "accounts.user.disabled"} <= actions
    # The audit administrator only reads: it may not disable or grant.
    with pytest.raises((PermissionDenied, NotFound)):
        user_disable(actor=audit_admin, user=system, reason="x")
