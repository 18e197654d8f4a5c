"""Audit action codes: a closed list, ``app.model.verb``, declared once.

Services pass a member of ``Action``; a typo is an AttributeError at import or first call and
a mypy error, never a silently new code. Later apps add their members here.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    # accounts
    USER_CREATED = "accounts.user.created"
    USER_LOGIN = "accounts.user.login"
    USER_LOGIN_FAILED = "accounts.user.login_failed"
    USER_LOCKED = "accounts.user.locked"
    USER_LOGOUT = "accounts.user.logout"
    USER_PASSWORD_CHANGED = "accounts.user.password_changed"
    GRANT_CREATED = "accounts.grant.created"
    GRANT_REVOKED = "accounts.grant.revoked"
    TOKEN_CREATED = "accounts.token.created"
    TOKEN_REVOKED = "accounts.token.revoked"
    # regions
    REGION_CREATED = "regions.region.created"
    REGION_UPDATED = "regions.region.updated"
    SITE_CREATED = "regions.site.created"
    SITE_UPDATED = "regions.site.updated"
    # people
    PERSON_CREATED = "people.person.created"
    PERSON_UPDATED = "people.person.updated"
    PERSON_UNMASKED = "people.person.unmasked"
    PERSON_DUPLICATE_SUSPECTED = "people.person.duplicate_suspected"
    PERSON_IMPORTED = "people.person.imported"
    CONSENT_GIVEN = "people.consent.given"
    CONSENT_WITHDRAWN = "people.consent.withdrawn"
    # audit
    AUDIT_EXPORTED = "audit.event.exported"
    # core
    PII_REENCRYPTED = "core.pii.reencrypted"

    @property
    def family(self) -> str:
        return self.value.split(".", 1)[0]


FAMILIES = sorted({a.family for a in Action})
