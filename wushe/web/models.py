"""What the web layer remembers for an account: its own choice of spreadsheet columns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMapping(models.Model):
    """The columns an account mapped by hand for one importer: field key → the header text as
    written (compared through core/headers.normal), applied before the importer's synonyms
    next time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(_("import kind"), max_length=40)
    mapping = models.JSONField(_("column mapping"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="import_mapping_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
