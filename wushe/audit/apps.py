from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "wushe.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from wushe.core import reencrypt

        reencrypt.on_done("audit", record_reencrypted)


def record_reencrypted(summary: dict[str, Any]) -> None:
    """The audit event of ``wushe reencrypt`` (core's hook: core imports no app)."""
    from wushe.audit import recorder
    from wushe.audit.codes import Action

    recorder.record(actor=None, action=Action.PII_REENCRYPTED, data=summary)
