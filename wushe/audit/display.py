"""The audit log as a person reads it: actions by label, objects by name, data as fields.

``describe(events)`` annotates one page of events in bulk: one query per kind of object on the
page and one for the regions, whatever the page size (no query per row). Personal objects
appear by their masked name (a model's ``masked_name``, or its masked ``__str__``), never by an
identifier; an object that is gone appears as its model's verbose name and number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.audit.labels import family_label, label
from wushe.audit.models import AuditEvent
from wushe.core.masking import mask_name

# Data keys that are not fields of the target model, by what they mean.
DATA_LABELS = {
    "assignments": gettext_lazy("Assigned to"),
    "society": gettext_lazy("Society"),
    "role": gettext_lazy("Role"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "state": gettext_lazy("State"),
    "status": gettext_lazy("Status"),
    "note": gettext_lazy("Note"),
    "reason": gettext_lazy("Reason"),
    "count": gettext_lazy("Count"),
    "rows": gettext_lazy("Rows"),
    "filters": gettext_lazy("Filters"),
    "field": gettext_lazy("Field"),
    "purpose": gettext_lazy("Purpose"),
    "before": gettext_lazy("Before"),
    "events": gettext_lazy("Events"),
    "amount": gettext_lazy("Amount"),
    "username": gettext_lazy("User name"),
    "role_name": gettext_lazy("Role"),
    "region": gettext_lazy("Region"),
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "sha256": gettext_lazy("SHA-256"),
}
# Models whose __str__ is a natural person's name and has no masked_name of its own.
PERSON_NAMED = {"accounts.user"}
NAME_KEYS = ("label", "name", "title")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    changed: bool  # an old → new pair; else ``new`` is the one value


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _name(obj: models.Model, target_type: str) -> str:
    masked = getattr(obj, "masked_name", None)
    if isinstance(masked, str) and masked:
        return masked
    if target_type in PERSON_NAMED:
        shown = str(getattr(obj, "display_name", "") or "")
        username = str(getattr(obj, "username", "") or "")
        return f"{mask_name(shown)} ({username})" if shown else username
    return str(obj)


def _objects(events: Sequence[AuditEvent]) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.target_type and e.target_id:
            wanted[e.target_type].add(e.target_id)
    names: dict[tuple[str, str], str] = {}
    for target_type, ids in wanted.items():
        model = _model(target_type)
        if model is None:
            continue
        pk = model._meta.pk
        keys: list[Any] = []
        for raw in ids:
            try:
                keys.append(pk.to_python(raw) if pk is not None else raw)
            except Exception:  # noqa: BLE001, S112 (a malformed id is simply not found)
                continue
        for obj in model._base_manager.filter(pk__in=keys):  # the event is in scope already
            names[(target_type, str(obj.pk))] = _name(obj, target_type)
    return names


def _regions(events: Sequence[AuditEvent]) -> dict[str, str]:
    from wushe.regions.models import Region

    paths = {e.region_path for e in events if e.region_path}
    if not paths:
        return {}
    return dict(Region._base_manager.filter(path__in=paths).values_list("path", "name"))


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        f = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return f if isinstance(f, models.Field) else None


def _value(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and not isinstance(value, (list, dict)):
        display = dict(field.flatchoices).get(value)
        if display is not None:
            return str(display)
    if isinstance(value, dict):
        for k in NAME_KEYS:
            if value.get(k):
                extra = [str(_value(value[r])) for r in ("role",) if value.get(r)]
                return f"{value[k]}" + (f" ({', '.join(extra)})" if extra else "")
        return "; ".join(f"{DATA_LABELS.get(k, k)}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    return str(value)


def fields(event: AuditEvent) -> list[FieldChange]:
    data = event.data if isinstance(event.data, dict) else {"": event.data}
    model = _model(event.target_type) if event.target_type else None
    out = []
    for key, value in data.items():
        f = _field(model, key)
        name = str(f.verbose_name) if f is not None else str(DATA_LABELS.get(key, key))
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            out.append(FieldChange(name, _value(value["old"], f), _value(value["new"], f), True))
        else:
            out.append(FieldChange(name, "", _value(value, f), False))
    return out


def describe(events: Sequence[AuditEvent]) -> None:
    """Annotate each event with ``label``, ``area``, ``object_name``, ``region_name`` and
    ``fields``, in bulk."""
    names = _objects(events)
    regions = _regions(events)
    for e in events:
        e.label = label(e.action)  # type: ignore[attr-defined]
        e.area = family_label(e.action.split(".", 1)[0])  # type: ignore[attr-defined]
        e.object_name = _object_name(e, names)  # type: ignore[attr-defined]
        e.region_name = regions.get(e.region_path, e.region_path)  # type: ignore[attr-defined]
        e.fields = fields(e)  # type: ignore[attr-defined]


def _object_name(e: AuditEvent, names: dict[tuple[str, str], str]) -> str:
    if not e.target_type:
        return ""
    found = names.get((e.target_type, e.target_id))
    if found:
        return found
    model = _model(e.target_type)
    kind = str(model._meta.verbose_name) if model is not None else e.target_type
    return f"{kind} #{e.target_id}" if e.target_id else kind
