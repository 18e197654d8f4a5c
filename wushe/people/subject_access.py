"""A person's data on request (《个人信息保护法》 art. 45): everything wushe holds about one
person, across every app, as one workbook and one JSON file.

The collection is a registry. Each app declares, in its ``subject.py`` module (found by
``autodiscover``), the functions that turn a person into sheets::

    @subject_access.collector("volunteers.volunteer", _("Volunteer record"))
    def volunteer(person: Person) -> Sheet: ...

A collector receives a person the requester may export (permission ``people.subject_access``
over the person's region, checked before and again in the worker) and returns the person's rows
only, unmasked: the copy is for the person. A sheet may name the objects it read (``refs``) so
the access log lists who viewed their unmasked data through them too.

The request states its purpose (one of ``Purpose`` plus free text), is audited
(``people.person.data_exported``) and runs as a page job (core/progress.py) in the worker; the
ID number is never in a URL, a job's state, a file name or a log line (the job names the person
by internal id). The files expire after ``WUSHE_SUBJECT_ACCESS_DAYS``: the periodic job
``people.subject_access_expire`` deletes them and the download then answers 410.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core import progress
from wushe.core.crypto import blind_index
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed, WusheError
from wushe.core.excel import workbook_bytes
from wushe.core.ids import normalize_id_number
from wushe.core.jobs import JobResult, periodic
from wushe.core.scoping import scopes_disabled
from wushe.core.text import clean_text
from wushe.people.models import Person

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PERM = "people.subject_access"
JOB_KIND = "subject_access"
FILE_STEM = "personal-data"
FORMATS = ("xlsx", "json")
DETAIL_MIN_LENGTH = 4


class Purpose(models.TextChoices):
    """Why a copy is made: the person's own right, or someone acting for them."""

    SUBJECT = "subject", _("The person's own request (PIPL art. 45)")
    GUARDIAN = "guardian", _("A guardian's request for a minor or a ward")
    NEXT_OF_KIN = "next_of_kin", _("A close relative's request for a deceased person (PIPL art. 49)")
    TRANSFER = "transfer", _("Transfer to another processor at the person's request")


class Expired(WusheError):  # noqa: N818  (the answer's name, like NotFound)
    status = 410
    code = "expired"

    def __init__(self) -> None:
        super().__init__("文件已过期并已删除,请重新申请", "The files have expired and were deleted; "
                         "make a new request")


# --- the registry ------------------------------------------------------------------------------

@dataclass
class Sheet:
    """One kind of record about the person: field names (JSON keys), their labels (the
    workbook's header row) and the rows, in the same order."""

    key: str
    title: Any
    fields: list[str]
    labels: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (model label, pk) read


Collector = Callable[[Person], Sheet | None]


@dataclass(frozen=True)
class Registered:
    key: str
    title: Any
    collect: Collector
    order: int


COLLECTORS: dict[str, Registered] = {}
ACCESS_LOG_ORDER = 1000  # the access log comes last: it reads every sheet's refs


def collector(key: str, title: Any, *, order: int = 100) -> Callable[[Collector], Collector]:
    """Register ``fn(person) -> Sheet`` under ``key`` (unique, ``app.thing``)."""
    def deco(fn: Collector) -> Collector:
        COLLECTORS[key] = Registered(key, title, fn, order)
        return fn

    return deco


_discovered: list[bool] = []


def discover() -> None:
    if not _discovered:
        autodiscover_modules("subject")
        _discovered.append(True)


def model_sheet(key: str, title: Any, queryset: Iterable[models.Model] | models.QuerySet[Any],
                fields: Sequence[str], *, model: type[models.Model] | None = None,
                extra: Sequence[tuple[str, Any, Callable[[Any], Any]]] = ()) -> Sheet:
    """A sheet of a model's rows: ``fields`` read from each row (choices as their label,
    relations as their text), labelled by the fields' verbose names; ``extra`` adds computed
    columns (name, label, fn(row))."""
    model = model or getattr(queryset, "model", None)
    assert model is not None
    meta = model._meta
    labels: list[Any] = [getattr(meta.get_field(f), "verbose_name", f) for f in fields]
    sheet = Sheet(key, title, [*fields, *(e[0] for e in extra)], [*labels, *(e[1] for e in extra)])
    for obj in queryset:
        row: list[Any] = []
        for name in fields:
            f = meta.get_field(name)
            if getattr(f, "choices", None):
                row.append(getattr(obj, f"get_{name}_display")())
            elif f.is_relation:
                related = getattr(obj, name)
                row.append(str(related) if related is not None else None)
            else:
                row.append(getattr(obj, name))
        row.extend(fn(obj) for _n, _l, fn in extra)
        sheet.rows.append(row)
        sheet.refs.append((meta.label_lower, str(obj.pk)))
    return sheet


# Columns never copied: search keys, scope paths, secrets of the machinery, not data about
# the person.
_SKIP_SUFFIXES = ("_bidx", "_hash", "_path")
_SKIP_NAMES = {"token", "idempotency_key"}


def record_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """Every stored field of ``model`` that is data (see _SKIP_*), in declaration order."""
    skip = set(exclude) | _SKIP_NAMES
    return [f.name for f in model._meta.concrete_fields
            if f.name not in skip and not f.name.endswith(_SKIP_SUFFIXES)]


def records_sheet(key: str, title: Any, queryset: models.QuerySet[Any], *,
                  exclude: Iterable[str] = ()) -> Sheet:
    """A sheet of every data field of the rows of ``queryset`` (see ``record_fields``)."""
    return model_sheet(key, title, queryset.order_by("pk"),
                       record_fields(queryset.model, exclude=exclude))


def collect(person: Person) -> list[Sheet]:
    """Every registered sheet for ``person``, then the log of who viewed their unmasked data
    through any object the sheets read."""
    discover()
    sheets: list[Sheet] = []
    with scopes_disabled():
        for reg in sorted(COLLECTORS.values(), key=lambda r: (r.order, r.key)):
            sheet = reg.collect(person)
            if sheet is not None:
                sheets.append(sheet)
        refs = {("people.person", str(person.pk))}
        for sheet in sheets:
            refs.update(sheet.refs)
        sheets.extend(access_log(refs))
    return sheets


def _refs_q(refs: set[tuple[str, str]], type_field: str, id_field: str) -> Q:
    q = Q(pk__in=[])
    by_type: dict[str, list[str]] = {}
    for label, pk in refs:
        by_type.setdefault(label, []).append(pk)
    for label, pks in by_type.items():
        q |= Q(**{type_field: label, f"{id_field}__in": pks})
    return q


def access_log(refs: set[tuple[str, str]]) -> list[Sheet]:
    """Who viewed the person's unmasked data (PII access log, and the audit log's unmask
    events) through any of ``refs``."""
    from wushe.audit.models import AuditEvent, PiiAccess

    views = model_sheet(
        "audit.pii_access", _("Who viewed the unmasked data"),
        PiiAccess.objects.filter(_refs_q(refs, "subject_type", "subject_id")).order_by("at", "id"),
        ["at", "actor_name", "subject_type", "field", "purpose"])
    events = model_sheet(
        "audit.unmask_events", _("Unmask events in the audit log"),
        AuditEvent.objects.filter(_refs_q(refs, "target_type", "target_id"),
                                  action__endswith="unmasked").order_by("at", "id"),
        ["at", "actor_name", "action", "target_type"],
        extra=[("field", _("field"), lambda e: (e.data or {}).get("field", "")),
               ("purpose", _("purpose"), lambda e: (e.data or {}).get("purpose", ""))])
    views.refs, events.refs = [], []
    return [views, events]


# --- the files ---------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    """A value a workbook cell holds: aware datetimes as local time, text for the rest."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (int, float, decimal.Decimal, dt.date, str, bool)):
        return value
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def workbook(sheets: list[Sheet]) -> bytes:
    titles: set[str] = set()

    def title(sheet: Sheet) -> str:
        text = str(sheet.title).translate(str.maketrans("[]:*?/\\", "()-----"))[:28]
        base, n = text, 2
        while text in titles:
            text, n = f"{base[:26]}{n}", n + 1
        titles.add(text)
        return text

    return workbook_bytes((title(s), [str(label) for label in s.labels],
                           ([_cell(v) for v in row] for row in s.rows)) for s in sheets)


def json_document(person: Person, sheets: list[Sheet], *, purpose: str) -> bytes:
    doc = {
        "generated_at": timezone.localtime().isoformat(),
        "legal_basis": "《中华人民共和国个人信息保护法》第四十五条 / PIPL art. 45",
        "purpose": purpose,
        "person_ref": person.pk,
        "sheets": [{"key": s.key, "title": str(s.title),
                    "labels": dict(zip(s.fields, (str(lb) for lb in s.labels), strict=True)),
                    "rows": [{f: _json_value(v) for f, v in zip(s.fields, row, strict=True)}
                             for row in s.rows]}
                   for s in sheets],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


# --- the request, the job, the download --------------------------------------------------------

def require_perm(actor: Actor) -> None:
    """The page and the service are for holders of the permission; anyone else is refused."""
    if not scope.has_perm(actor, PERM):
        raise PermissionDenied()


def person_find(*, actor: Actor, id_number: object) -> Person:
    """The person with this ID number among those the actor may export; NotFound otherwise
    (missing and out of scope alike)."""
    require_perm(actor)
    bidx = blind_index(normalize_id_number(id_number))
    person = (scope.visible(Person.objects, actor, PERM).filter(id_number_bidx=bidx)
              .select_related("region").first())
    if person is None:
        raise NotFound("您的管辖范围内没有该身份证号的人员",
                       "No person with this ID number in your area", field="id_number")
    return person


def subject_access_start(*, actor: Actor, id_number: object, purpose: object,
                         detail: object) -> str:
    """Check, audit and queue a copy of a person's data; the job's id."""
    require_perm(actor)
    if purpose not in Purpose.values:
        raise ValidationFailed("请选择查阅复制的事由", "Choose the purpose of the copy",
                               code="purpose_required", field="purpose")
    detail = clean_text(detail, field="detail", label_zh="事由说明", label_en="Purpose details",
                        max_length=200, required=True)
    if len(detail) < DETAIL_MIN_LENGTH:
        raise ValidationFailed("请具体说明事由(至少4个字)",
                               "Describe the purpose (at least 4 characters)",
                               code="purpose_too_short", field="detail")
    person = person_find(actor=actor, id_number=id_number)
    with transaction.atomic(), scopes_disabled():
        scope.require(actor, PERM, person)
        job = progress.job_create(
            actor=actor, kind=JOB_KIND, person=person.pk, purpose=str(purpose), detail=detail,
            label=person.masked_name, title={"zh": "个人信息查阅复制", "en": "Copy of personal data"},
            files={}, expires=None)
        audit.record(actor=actor, action=Action.PERSON_DATA_EXPORTED, target=person,
                     label=person.masked_name,
                     data={"purpose": str(purpose), "detail": detail, "job": job.id})
    progress.job_enqueue(job)
    return job.id


def _work(job: progress.Job, actor: Actor) -> dict[str, Any]:
    """In the worker: the permission again, then the sheets, then both files."""
    state = job.state
    with scopes_disabled():
        person = Person.objects.filter(pk=state["person"]).first()
    if person is None or not scope.covers(actor, PERM, person.region_path):
        raise NotFound()
    job.save(phase="collecting", percent=10)
    with override("zh-hans"):
        sheets = collect(person)
        job.save(phase="writing", percent=60)
        stamp = f"{timezone.localdate():%Y%m%d}"
        purpose = f"{Purpose(state['purpose']).label} · {state['detail']}"
        contents = {"xlsx": workbook(sheets),
                    "json": json_document(person, sheets, purpose=purpose)}
    files = {}
    for fmt, content in contents.items():
        name = f"{FILE_STEM}-{stamp}.{fmt}"
        path = job.dir / name
        path.write_bytes(content)
        path.chmod(0o600)  # a full copy of one person's data
        files[fmt] = {"name": name, "size": len(content)}
    expires = time.time() + settings.WUSHE_SUBJECT_ACCESS_DAYS * 86400
    return {"files": files, "expires": expires,
            "counts": {s.key: len(s.rows) for s in sheets}}


progress.register(JOB_KIND, _work, can_retry=lambda job: True)


def job_state(*, actor: Actor, job_id: str) -> dict[str, Any]:
    """The job's state, for the user who started it only; ``expired`` once past its date."""
    require_perm(actor)
    state = progress.job_state(actor=actor, job_id=job_id, kind=JOB_KIND)
    expires = state.get("expires")
    state["expired"] = bool(state.get("expired")) or (
        expires is not None and time.time() >= float(expires))
    if expires is not None:
        state["expires_at"] = dt.datetime.fromtimestamp(float(expires), tz=dt.UTC)
    return state


def job_file(*, actor: Actor, job_id: str, fmt: str) -> tuple[Path, str]:
    """The finished file in ``fmt`` and its name; Expired (410) after its date."""
    if fmt not in FORMATS:
        raise NotFound()
    state = job_state(actor=actor, job_id=job_id)
    if state.get("status") != "done":
        raise NotFound()
    if state["expired"]:
        raise Expired()
    info = (state.get("files") or {}).get(fmt) or {}
    name = str(info.get("name") or "")
    path = progress.job_dir(job_id) / name
    if not name.startswith(FILE_STEM) or "/" in name or not path.is_file():
        raise NotFound()
    return path, name


@periodic("people.subject_access_expire", every=dt.timedelta(hours=1))
def subject_access_expire() -> JobResult:
    """Delete the files of copies past their date (the job's state stays, marked expired, so
    the page says why the download is gone). Idempotent."""
    now, removed = time.time(), 0
    for path in progress.jobs_dir().iterdir():
        state_file = path / "state.json"
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if state.get("kind") != JOB_KIND or state.get("expires") is None:
            continue
        if now < float(state["expires"]) or state.get("expired"):
            continue
        for info in (state.get("files") or {}).values():
            name = str(info.get("name") or "")
            if name.startswith(FILE_STEM) and "/" not in name:
                (path / name).unlink(missing_ok=True)
                removed += 1
        progress.Job(path.name, state).save(expired=True)
    return {"removed": removed}
