"""Audit action codes of the policy library."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class PolicyAction(StrEnum):
    DOCUMENT_ADDED = "policies.document.added"
    DOCUMENT_REPEALED = "policies.document.repealed"
    DOCUMENTS_EXPORTED = "policies.document.exported"


register(PolicyAction)
