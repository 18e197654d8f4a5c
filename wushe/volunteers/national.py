"""The national volunteer service record export (全国志愿服务信息系统 import workbook).

One row per confirmed, effective service record (a record replaced by a confirmed correction
is left out, its correction counts) of a team and every team below it, in a period of service
dates. The columns, their order, their headers and their formats come from a mapping file
(``national_columns.json``, or the file named by the ``WUSHE_NATIONAL_VOLUNTEER_COLUMNS``
setting) because the national template changes; the file is validated when it is loaded and
by a system check, and an unknown source or format is named in the error.

ID numbers are unmasked only for someone holding ``people.unmask`` over the volunteer's
community, and only with a stated purpose (a choice and a free text, required for every
export). Every person whose ID number leaves unmasked gets a ``PiiAccess`` row (one bulk
write), and every export one audit event with the filter, the purpose and the counts, never
a number. The export always runs as a page job in the worker (``core/exportjobs.py``): the
file holds personal data, so it is written 0600 in the job's directory and offered to its
starter only, and a district's year (tens of thousands of rows) never holds a web worker.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.audit.models import PiiAccess
from wushe.core import exportjobs
from wushe.core.context import current_ip
from wushe.core.errors import ValidationFailed
from wushe.core.excel import workbook_bytes
from wushe.core.masking import mask_id_number, mask_name
from wushe.core.scoping import scopes_disabled
from wushe.core.text import clean_text
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import RecordStatus, ServiceRecord, Team
from wushe.volunteers.models.teams import SEGMENT

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

EXPORT_NAME = "volunteers.national_record"
DEFAULT_MAPPING = Path(__file__).with_name("national_columns.json")
UNMASK_PERM = "people.unmask"
PURPOSE_MIN_LENGTH = 4
MAX_SPAN_DAYS = 366 * 5  # a period longer than five years is a mistake, not a report
CHUNK = 2000


class MappingInvalid(ValidationFailed):
    code = "national_mapping_invalid"


PURPOSES: dict[str, Any] = {
    "national_upload": _("Upload to the national volunteer service system"),
    "certificate": _("Issue a volunteer service certificate"),
    "inspection": _("Inspection or audit by the civil affairs authority"),
    "other": _("Other (explain below)"),
}


# ---------------------------------------------------------------- the sources a column may name


@dataclass(frozen=True)
class Row:
    record: ServiceRecord
    org_name: str
    id_number: str  # clear or masked, decided before the row is built


def _place(x: Row) -> str:
    r = x.record
    if r.activity_id and r.activity and r.activity.place:
        return r.activity.place
    return r.region.name


def _confirmer(x: Row) -> str:
    u = x.record.decided_by
    return (u.display_name or u.username) if u is not None else ""


# source → (what it is, default format, value of a row)
SOURCES: dict[str, tuple[str, str, Callable[[Row], Any]]] = {
    "volunteer.name": ("name", "text", lambda x: x.record.volunteer.person.name),
    "volunteer.masked_name": ("name, masked", "text",
                              lambda x: mask_name(x.record.volunteer.person.name)),
    "volunteer.id_type": ("ID type (居民身份证)", "text", lambda x: "居民身份证"),
    "volunteer.id_number": ("ID number (masked without people.unmask)", "text",
                            lambda x: x.id_number),
    "volunteer.gender": ("gender", "text",
                         lambda x: str(x.record.volunteer.person.get_gender_display())),
    "volunteer.number": ("volunteer number", "text", lambda x: x.record.volunteer.number),
    "volunteer.community": ("volunteer's community", "text",
                            lambda x: x.record.volunteer.region.name),
    "org.name": ("recording organisation (the team's corps)", "text", lambda x: x.org_name),
    "team.name": ("recording team", "text", lambda x: x.record.team.name),
    "team.code": ("recording team's code", "text", lambda x: x.record.team.path),
    "team.region": ("recording team's region", "text", lambda x: x.record.team.region.name),
    "activity.title": ("activity or project", "text",
                       lambda x: x.record.activity.title if x.record.activity else ""),
    "record.id": ("record number", "text", lambda x: str(x.record.pk)),
    "record.service_date": ("service date", "date", lambda x: x.record.service_date),
    "record.started_at": ("start time", "datetime", lambda x: x.record.started_at),
    "record.ended_at": ("end time", "datetime", lambda x: x.record.ended_at),
    "record.place": ("place (the activity's, else the record's region)", "text", _place),
    "record.content": ("service content", "text", lambda x: x.record.content),
    "record.hours": ("hours", "hours", lambda x: x.record.hours),
    "record.recorded_at": ("recorded at", "datetime", lambda x: x.record.created_at),
    "confirmation.by": ("who confirmed", "text", _confirmer),
    "confirmation.at": ("when confirmed", "datetime", lambda x: x.record.decided_at),
}

_ONE_DECIMAL = Decimal("0.1")


def _fmt_text(value: Any, col: Column) -> Any:
    return "" if value is None else str(value)


def _fmt_date(value: Any, col: Column) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime(col.date_format or "%Y-%m-%d")


def _fmt_hours(value: Any, col: Column) -> Any:
    return Decimal(value).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


FORMATS: dict[str, tuple[set[str], Callable[[Any, Column], Any]]] = {
    # format → (the default formats of the sources it fits, the formatter)
    "text": ({"text", "date", "datetime", "hours"}, _fmt_text),
    "date": ({"date", "datetime"}, _fmt_date),
    "datetime": ({"datetime"}, _fmt_date),
    "hours": ({"hours"}, _fmt_hours),
}
_DEFAULT_DATE = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M"}
_COLUMN_KEYS = {"header", "source", "format", "date_format"}


# ---------------------------------------------------------------------------- the mapping file


@dataclass(frozen=True)
class Column:
    header: str
    source: str
    format: str
    date_format: str = ""

    def value(self, row: Row) -> Any:
        return FORMATS[self.format][1](SOURCES[self.source][2](row), self)


@dataclass(frozen=True)
class Mapping:
    sheet: str
    columns: tuple[Column, ...]


def _invalid(where: str, zh: str, en: str, *, where_en: str = "") -> MappingInvalid:
    return MappingInvalid(f"全国志愿服务记录列配置 {where} 有误:{zh}",
                          f"National volunteer record columns {where_en or where}: {en}")


def mapping_path() -> Path:
    configured = getattr(settings, "WUSHE_NATIONAL_VOLUNTEER_COLUMNS", None)
    return Path(configured) if configured else DEFAULT_MAPPING


def parse_mapping(data: Any, where: str = "") -> Mapping:
    """A Mapping from the file's JSON, or MappingInvalid naming what is wrong and where."""
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list) \
            or not data["columns"]:
        raise _invalid(where, "需要非空的 columns 列表", "a non-empty \"columns\" list is needed")
    sheet = data.get("sheet", "志愿服务记录")
    if not isinstance(sheet, str) or not sheet.strip():
        raise _invalid(where, "sheet 须为文字", "\"sheet\" must be text")
    fmt = data.get("file_format", "xlsx")
    if fmt != "xlsx":
        raise _invalid(where, f"不支持的文件格式 {fmt!r}(仅支持 xlsx)",
                       f"file format {fmt!r} is not supported (xlsx only)")
    columns: list[Column] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["columns"], start=1):
        at = f"{where} 第{n}列"
        at_en = f"column {n}"
        invalid = functools.partial(_invalid, at, where_en=where)
        if not isinstance(raw, dict):
            raise invalid("须为对象", f"{at_en} must be an object")
        unknown = sorted(set(raw) - _COLUMN_KEYS)
        if unknown:
            raise invalid(f"未知的键 {', '.join(unknown)}",
                           f"{at_en} has unknown keys {', '.join(unknown)}")
        header, source = raw.get("header"), raw.get("source")
        if not isinstance(header, str) or not header.strip():
            raise invalid("缺少表头 header", f"{at_en} has no \"header\"")
        if header in seen:
            raise invalid(f"表头 {header} 重复", f"{at_en} repeats the header {header!r}")
        seen.add(header)
        if source not in SOURCES:
            raise invalid(f"未知的数据来源 {source!r}", f"{at_en} names an unknown source "
                           f"{source!r} (known: {', '.join(sorted(SOURCES))})")
        default = SOURCES[source][1]
        fmt_name = raw.get("format", default)
        if fmt_name not in FORMATS:
            raise invalid(f"未知的格式 {fmt_name!r}", f"{at_en} names an unknown format "
                           f"{fmt_name!r} (known: {', '.join(sorted(FORMATS))})")
        if default not in FORMATS[fmt_name][0]:
            raise invalid(f"数据来源 {source} 不能用格式 {fmt_name}",
                           f"{at_en}: source {source} cannot take the format {fmt_name}")
        date_format = raw.get("date_format", _DEFAULT_DATE.get(fmt_name, ""))
        if not isinstance(date_format, str) or (date_format and fmt_name not in _DEFAULT_DATE):
            raise invalid("date_format 仅用于 date/datetime 格式",
                           f"{at_en}: \"date_format\" goes with the date or datetime format only")
        if date_format:
            try:
                dt.datetime(2020, 1, 2, 3, 4).strftime(date_format)
            except ValueError as e:
                raise invalid(f"日期格式 {date_format!r} 无效",
                               f"{at_en}: invalid date format {date_format!r}") from e
        columns.append(Column(header.strip(), source, fmt_name, date_format))
    return Mapping(sheet.strip()[:31], tuple(columns))


def load_mapping(path: Path | None = None) -> Mapping:
    path = path or mapping_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise _invalid(path.name, "文件不存在", "the file does not exist") from e
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _invalid(path.name, "不是有效的 JSON", f"not valid JSON ({e})") from e
    return parse_mapping(data, path.name)


@checks.register("wushe")
def check_mapping(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        load_mapping()
    except MappingInvalid as e:
        return [checks.Error(e.en, hint=f"{mapping_path()} (WUSHE_NATIONAL_VOLUNTEER_COLUMNS)",
                             id="volunteers.E001")]
    return []


# ----------------------------------------------------------------------------- the export


@dataclass(frozen=True)
class NationalParams:
    team_id: int
    date_from: dt.date
    date_to: dt.date
    purpose: str
    purpose_text: str

    def as_json(self) -> dict[str, Any]:
        return {"team_id": self.team_id, "date_from": self.date_from.isoformat(),
                "date_to": self.date_to.isoformat(), "purpose": self.purpose,
                "purpose_text": self.purpose_text}

    @property
    def purpose_stated(self) -> str:
        return f"{self.purpose}: {self.purpose_text}"[:200]


def _date(value: Any, field: str, zh: str, en: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError as e:
        raise ValidationFailed(f"请填写有效的{zh}", f"Give a valid {en}", field=field) from e


def clean_params(raw: dict[str, Any]) -> NationalParams:
    """The export's parameters from a form, the API or a job's JSON; a clear error otherwise."""
    try:
        team_id = int(raw.get("team_id") or 0)
    except (TypeError, ValueError):
        team_id = 0
    if not 0 < team_id < 2**63:
        raise ValidationFailed("请选择队伍", "Choose a team", field="team_id")
    date_from = _date(raw.get("date_from"), "date_from", "开始日期", "start date")
    date_to = _date(raw.get("date_to"), "date_to", "结束日期", "end date")
    if date_to < date_from:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date is before the start date",
                               field="date_to")
    if (date_to - date_from).days > MAX_SPAN_DAYS:
        raise ValidationFailed("导出期间不能超过五年", "The period cannot exceed five years",
                               field="date_to")
    purpose = str(raw.get("purpose") or "")
    if purpose not in PURPOSES:
        raise ValidationFailed("请选择导出用途", "Choose the purpose of the export",
                               code="purpose_required", field="purpose")
    text = clean_text(raw.get("purpose_text"), field="purpose_text", label_zh="用途说明",
                      label_en="Purpose", max_length=150, required=True)
    if len(text) < PURPOSE_MIN_LENGTH:
        raise ValidationFailed("请具体说明导出用途(至少4个字)",
                               "State the purpose of the export (at least 4 characters)",
                               code="purpose_too_short", field="purpose_text")
    return NationalParams(team_id, date_from, date_to, purpose, text)


def _team(actor: Actor, team_id: int) -> Team:
    """The team, if the actor manages it (its whole subtree): NotFound outside scope."""
    from wushe.volunteers.selectors import team_get

    team = team_get(actor=actor, team_id=team_id)  # NotFound outside what the actor sees
    access.require(actor, access.MANAGE, team)  # PermissionDenied: sees, may not export
    return team


@dataclass(frozen=True)
class Started:
    job_id: str
    # ID numbers of the team's region will be in clear (the actor holds people.unmask there);
    # the file's 说明 sheet gives the exact counts.
    unmasked: bool


def national_export_start(*, actor: Actor, raw: dict[str, Any], back: str = "") -> Started:
    """Check the parameters, the purpose and the team's scope, then queue the job."""
    load_mapping()  # a broken mapping is refused before anything is queued
    params = clean_params(raw)
    team = _team(actor, params.team_id)
    job_id = exportjobs.export_start(actor=actor, name=EXPORT_NAME, params=params.as_json(),
                                     back=back)
    return Started(job_id, scope.covers(actor, UNMASK_PERM, team.region_path))


def _records(actor: Actor, team: Team, params: NationalParams) -> Any:
    qs = access.visible(ServiceRecord.objects, actor, access.VIEW)
    return (qs.filter(scope.subtree_q("team_path", team.path),
                      status=RecordStatus.CONFIRMED, superseded_by=None,
                      service_date__gte=params.date_from, service_date__lte=params.date_to)
            .select_related("volunteer", "volunteer__person", "volunteer__region", "team",
                            "team__region", "activity", "region", "decided_by")
            .order_by("volunteer__number", "service_date", "started_at", "id"))


@dataclass
class Built:
    content: bytes
    rows: int
    unmasked_people: int
    masked_people: int


def national_export_build(*, actor: Actor, raw: dict[str, Any]) -> Built:
    """Build the workbook; log every unmasked person and audit the export, in one transaction."""
    mapping = load_mapping()
    params = clean_params(raw)
    team = _team(actor, params.team_id)
    wants_id = any(c.source == "volunteer.id_number" for c in mapping.columns)
    with transaction.atomic():
        records = list(_records(actor, team, params).iterator(chunk_size=CHUNK))
        with scopes_disabled():
            corps = dict(Team.objects.filter(path__in={r.team_path[:SEGMENT] for r in records})
                         .values_list("path", "name"))
        clear: dict[int, Any] = {}  # person id → the person, whose number leaves in clear
        masked: set[int] = set()
        rows: list[list[Any]] = []
        for r in records:
            person = r.volunteer.person
            if wants_id and scope.covers(actor, UNMASK_PERM, person.region_path):
                clear[person.pk] = person
                number = person.id_number or ""
            else:
                masked.add(person.pk)
                number = mask_id_number(person.id_number)
            row = Row(r, corps.get(r.team_path[:SEGMENT], ""), number)
            rows.append([c.value(row) for c in mapping.columns])
        now, ip = timezone.now(), current_ip.get()
        PiiAccess.objects.bulk_create([
            PiiAccess(at=now, actor=signed_in(actor), actor_name=actor.username,
                      subject_type=p._meta.label_lower, subject_id=str(p.pk), field="id_number",
                      purpose=params.purpose_stated, region_path=p.region_path, ip=ip)
            for p in clear.values()], batch_size=CHUNK)
        audit.record(actor=actor, action=VolunteerAction.NATIONAL_EXPORTED, target=team,
                     label=team.name,
                     data={"team": team.pk, "team_code": team.path,
                           "date_from": params.date_from.isoformat(),
                           "date_to": params.date_to.isoformat(),
                           "purpose": params.purpose, "purpose_text": params.purpose_text,
                           "rows": len(rows), "people_unmasked": len(clear),
                           "people_masked": len(masked - set(clear)),
                           "columns": [c.source for c in mapping.columns]})
    masked_n = len(masked - set(clear))
    notes = _notes(team, params, len(rows), len(clear), masked_n, wants_id)
    content = workbook_bytes([(mapping.sheet, [c.header for c in mapping.columns], iter(rows)),
                              ("说明", ["项目", "内容"], notes)])
    return Built(content, len(rows), len(clear), masked_n)


def _notes(team: Team, params: NationalParams, rows: int, clear: int, masked: int,
           wants_id: bool) -> Iterator[list[Any]]:
    yield ["记录队伍(含下级队伍)", f"{team.name}({team.path})"]
    yield ["服务日期", f"{params.date_from.isoformat()} 至 {params.date_to.isoformat()}"]
    yield ["导出用途", f"{PURPOSES[params.purpose]}:{params.purpose_text}"]
    yield ["记录条数", rows]
    if wants_id:
        yield ["证件号码", "全部明文(已记录查看事由)" if not masked else
               "全部已脱敏:无查看身份证号的权限" if not clear else
               f"{masked} 人已脱敏(无权限),{clear} 人明文(已记录查看事由)"]
    yield ["依据", "民政部《志愿服务记录与证明出具办法》(2020):仅导出已确认的志愿服务记录"]


exportjobs.register(exportjobs.Export(
    EXPORT_NAME, lambda actor, params: national_export_build(actor=actor, raw=params).content,
    file_stem="national-volunteer-records", title_zh="全国志愿服务记录导出",
    title_en="National volunteer service records"))
