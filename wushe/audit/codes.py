"""Audit action codes: closed lists of ``app.model.verb``, one StrEnum per app.

Services pass an enum member; a typo is an AttributeError at import or first call and a mypy
error, never a silently new code. The foundation apps share ``Action`` below; every later app
declares its own enum in ``<app>/audit_codes.py`` and registers it with ``register``.
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
    USER_SIGNED_OUT_EVERYWHERE = "accounts.user.signed_out_everywhere"
    USER_DISABLED = "accounts.user.disabled"
    GRANT_CREATED = "accounts.grant.created"
    GRANT_REVOKED = "accounts.grant.revoked"
    TOKEN_CREATED = "accounts.token.created"
    TOKEN_REVOKED = "accounts.token.revoked"
    OTP_ENROL_STARTED = "accounts.otp.enrol_started"
    OTP_ENROLLED = "accounts.otp.enrolled"
    OTP_VERIFIED = "accounts.otp.verified"
    OTP_FAILED = "accounts.otp.failed"
    OTP_RECOVERY_USED = "accounts.otp.recovery_used"
    OTP_RESET = "accounts.otp.reset"
    OIDC_LINKED = "accounts.oidc.linked"
    OIDC_UNLINKED = "accounts.oidc.unlinked"
    # regions
    REGION_CREATED = "regions.region.created"
    REGION_UPDATED = "regions.region.updated"
    SITE_CREATED = "regions.site.created"
    SITE_UPDATED = "regions.site.updated"
    RULE_SET = "regions.rule.set"
    RULE_CLEARED = "regions.rule.cleared"
    # people
    PERSON_CREATED = "people.person.created"
    PERSON_UPDATED = "people.person.updated"
    PERSON_UNMASKED = "people.person.unmasked"
    PERSON_DATA_EXPORTED = "people.person.data_exported"  # a copy on request (PIPL Art. 45)
    PERSON_DUPLICATE_SUSPECTED = "people.person.duplicate_suspected"
    PERSON_IMPORTED = "people.person.imported"
    CONSENT_GIVEN = "people.consent.given"
    CONSENT_WITHDRAWN = "people.consent.withdrawn"
    # audit
    AUDIT_EXPORTED = "audit.event.exported"
    AUDIT_ARCHIVED = "audit.event.archived"
    # core
    PII_REENCRYPTED = "core.pii.reencrypted"
    # retention (wushe/retention)
    RECORDS_ANONYMISED = "retention.record.anonymised"
    PERSON_ERASED = "retention.person.erased"
    # web
    IMPORT_MAPPING_SAVED = "web.import_mapping.saved"
    IMPORT_MAPPING_CLEARED = "web.import_mapping.cleared"

    @property
    def family(self) -> str:
        return self.value.split(".", 1)[0]


ENUMS: list[type[StrEnum]] = [Action]


def register(enum: type[StrEnum]) -> type[StrEnum]:
    """Declare an app's action codes; each must be ``<app>.<model>.<verb>``."""
    for member in enum:
        if member.value.count(".") != 2:
            raise ValueError(f"audit code {member.value!r} is not app.model.verb")
    if enum not in ENUMS:
        ENUMS.append(enum)
    return enum


def is_action(value: object) -> bool:
    return any(isinstance(value, enum) for enum in ENUMS)


def families() -> list[str]:
    return sorted({m.value.split(".", 1)[0] for enum in ENUMS for m in enum})


def all_codes() -> list[str]:
    return sorted(m.value for enum in ENUMS for m in enum)
