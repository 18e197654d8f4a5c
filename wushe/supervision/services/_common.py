"""What the supervision services share: permission codes and input cleaning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.orgs import cleaning

if TYPE_CHECKING:
    pass

MANAGE = "supervision.manage"
VIEW = "supervision.view"
PROJECT_VIEW = "projects.view"
NOTE_MAX = 2000
FINDINGS_MAX = 5000



def note(value: object, field: str, zh: str, en: str, *, required: bool = False,
         max_length: int = NOTE_MAX) -> str:
    return cleaning.text(value, field, zh, en, max_length, required=required)
