"""Volunteer roster import (.xlsx) on the shared pipeline of core/excel.py, kind "volunteers".

``parse`` checks one row without touching the database (communities and teams are looked up
once each and cached); ``write`` takes a batch of up to 5,000 rows and does a fixed number of
set-based queries: existing persons and volunteers by blind index, then bulk inserts of
persons, consents, volunteers and memberships. The pipeline runs every batch in one
transaction, so an import is all-or-nothing even when the process is killed halfway.

A row whose ID number is already a volunteer adds that volunteer to the row's team (a roster
of a new squad often lists people who already serve elsewhere).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.crypto import blind_index
from wushe.core.dates import read_day
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import Column, Importer, ImportResult, audit_region, register
from wushe.core.ids import (
    birth_date_from_id,
    gender_from_id,
    normalize_id_number,
    normalize_phone,
)
from wushe.core.lookup import code_text, is_code, name_text, one
from wushe.core.text import clean_person_name, clean_text
from wushe.people.importers import COMMUNITY_WORDS, ID_WORDS, NAME_WORDS, PHONE_WORDS
from wushe.people.models import Consent, ConsentPurpose, Person
from wushe.people.names import name_index
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import Region, RegionLevel
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.bulk import (
    Loader,
    by_index,
    flush_in_order,
    pause_indexes,
    reserve_ids,
    restore_indexes,
)
from wushe.volunteers.guardians import ADULT_AGE, CONSENT_SCOPE
from wushe.volunteers.models import (
    Availability,
    Membership,
    ServiceArea,
    Team,
    Volunteer,
    VolunteerStatus,
)
from wushe.volunteers.numbers import volunteer_numbers
from wushe.volunteers.validation import clean_codes, clean_skills, label_map

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

# A roster this large, against tables not many times larger, is written with the tables'
# plain secondary indexes paused and rebuilt once at the end (SQLite: a sort per index instead
# of keeping nineteen indexes up to date row by row, about half of the insert time). Unique
# indexes and those the import looks rows up by stay.
BULK_ROWS = 20_000
BULK_TABLES = ("people_person", "people_consent", "volunteers_volunteer",
               "volunteers_membership")
BULK_KEEP = ("id_number_bidx", "volunteer_id")


class Guardian(NamedTuple):
    name: str
    id_number: str
    relation: str


class Row(NamedTuple):
    """One clean row; a tuple, since a 250,000-row import holds all of them at once."""

    rownum: int
    name: str
    id_number: str
    phone: str | None
    region: Region
    team: Team | None
    skills: str
    interests: str
    availability: str
    join_date: dt.date
    guardian: Guardian | None


def _age(id_number: str, on: dt.date) -> int:
    born = birth_date_from_id(id_number)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _date(value: Any, today: dt.date) -> dt.date:
    try:
        day = read_day(value) or today
    except ValueError:
        day = dt.date.min
    if dt.date(1950, 1, 1) <= day <= today:
        return day
    raise ValidationFailed("加入日期格式不正确(如 2024-05-01),且不能晚于今天",
                           "The join date is not valid (e.g. 2024-05-01) or is in the future",
                           field="join_date")


@register
class VolunteerImporter(Importer):
    kind = "volunteers"
    title_zh = "志愿者花名册"
    title_en = "Volunteer roster"
    columns = [
        Column("name", "姓名", "Name", required=True, example="张三",
               aliases=(*NAME_WORDS, "志愿者姓名")),
        Column("id_number", "身份证号", "ID number", required=True, example="11010519491231002X",
               aliases=ID_WORDS),
        Column("phone", "手机号", "Phone", example="13912345678", aliases=PHONE_WORDS),
        Column("community", "社区代码", "Community code", required=True, example="500107001001",
               aliases=COMMUNITY_WORDS),
        Column("team", "队伍编码", "Team code", example="000100010001",
               aliases=("服务队", "队伍", "所属队伍", "志愿服务队", "所属服务队", "队伍名称",
                        "小队", "所属小队", "团队")),
        Column("skills", "技能", "Skills", example="急救、心理咨询",
               aliases=("特长", "专业技能", "技能特长")),
        Column("interests", "服务意向", "Service interests", example="助老、上门慰问",
               aliases=("服务意愿", "意向服务", "服务类别", "服务领域")),
        Column("availability", "可服务时间", "Availability", example="周末",
               aliases=("服务时间", "可参与时间", "空闲时间")),
        Column("join_date", "加入日期", "Join date", example="2024-05-01", date=True,
               aliases=("注册日期", "入队日期", "登记日期", "注册时间", "加入时间")),
        Column("guardian_name", "监护人姓名", "Guardian's name", example="",
               aliases=("监护人",)),
        Column("guardian_id_number", "监护人身份证号", "Guardian's ID number", example="",
               aliases=("监护人身份证号码", "监护人证件号码")),
        Column("guardian_relation", "监护关系", "Guardian relation", example="",
               aliases=("与监护人关系", "监护人关系")),
    ]

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        # Communities the actor manages (a row without a team) and, per district, those a
        # team's row may name (the team decides scope there).
        self.regions = RegionLookup(actor, access.MANAGE, (RegionLevel.COMMUNITY,
                                                           RegionLevel.GRID), "community")
        self.in_district: dict[str, RegionLookup] = {}
        self.teams: dict[str, Team | Exception] = {}
        self.team_cells: dict[str, Team | None] = {}
        self.seen: set[str] = set()
        self.memo: dict[tuple[str, Any], Any] = {}  # cleaned value of each repeated cell
        self.today = timezone.localdate()
        self.guardian_age = settings.WUSHE_GUARDIAN_CONSENT_AGE
        self.interest_labels = label_map(ServiceArea.choices)
        self.availability_labels = label_map(Availability.choices)
        self.counts: Counter[str] = Counter()
        self.joined: Counter[int] = Counter()  # new members per team id
        self.paused: list[str] | None = None  # indexes to rebuild at close
        self.paths: set[str] = set()

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, access.MANAGE):
            raise NotFound()

    # --- lookups, once per distinct value ------------------------------------------------

    def _team(self, raw: Any) -> Team | None:
        if raw.__class__ is str and raw in self.team_cells:
            return self.team_cells[raw]  # the same cell again: most rows name a known team
        team = self._team_of(raw)
        if raw.__class__ is str:
            self.team_cells[raw] = team
        return team

    def _team_of(self, raw: Any) -> Team | None:
        key = code_text(raw)
        if not key:
            return None
        if is_code(key) and len(key) % 4:  # a path typed as a number lost its leading zeros
            key = key.zfill(len(key) + 4 - len(key) % 4)
        if key not in self.teams:
            try:
                self.teams[key] = self._find_team(key)
            except ValidationFailed as exc:
                self.teams[key] = exc
        found = self.teams[key]
        if isinstance(found, Exception):
            raise found
        return found

    def _find_team(self, key: str) -> Team:
        teams = Team.objects.unscoped(reason="importer: scope checked row by row").filter(active=True).select_related("parent")
        found = teams.filter(path=key) if is_code(key) else teams.filter(name=name_text(key))
        usable = [t for t in found.order_by("path") if self.actor is None or access.covers(
            self.actor, access.MANAGE, region_path=t.region_path, team_paths=[t.path])]
        if is_code(key) and not usable:
            raise ValidationFailed(f"队伍编码 {key} 不存在或不在您的管理范围",
                                   f"Team code {key} does not exist or is not yours to manage",
                                   field="team")
        return one(key, usable, field="team", label_zh="队伍", label_en="Team",
                   describe=lambda t: f"{t.parent.name if t.parent else ''}{t.name}({t.path})")

    def _region(self, raw: Any, team: Team | None) -> Region:
        # Without a team the actor must manage the community itself; with one, the community
        # must be in the team's district (the team decides who may add to it).
        if team is None:
            return self.regions.get(raw)
        district = team.region_path[:6]
        if district not in self.in_district:
            self.in_district[district] = RegionLookup(
                self.actor, access.MANAGE, (RegionLevel.COMMUNITY, RegionLevel.GRID),
                "community", covers=lambda r: r.path.startswith(district))
        return self.in_district[district].get(raw)

    def _cached(self, column: str, raw: Any, clean: Any) -> Any:
        """Rosters repeat the same few skills, interests and dates: clean each value once.
        (A refused value raises every time, so its row errors stay row by row.)"""
        key = (column, raw if isinstance(raw, str | int | float | None) else str(raw))
        if key not in self.memo:
            self.memo[key] = clean(raw)
        return self.memo[key]

    # --- the pipeline's hooks ---------------------------------------------------------------

    def parse(self, row: dict[str, Any], rownum: int) -> Row:
        name = clean_person_name(row.get("name"))
        idn = normalize_id_number(row.get("id_number"), today=self.today)
        if idn in self.seen:
            raise ValidationFailed("该身份证号在本文件中重复", "This ID number appears twice in the file",
                                   field="id_number")
        phone = normalize_phone(row["phone"]) if row.get("phone") not in (None, "") else None
        team = self._team(row.get("team"))
        region = self._region(row.get("community"), team)
        guardian = None
        if _age(idn, self.today) < self.guardian_age:
            if not row.get("guardian_name") or not row.get("guardian_id_number"):
                raise ValidationFailed("不满14周岁须填写监护人姓名、身份证号和监护关系",
                                       "Under 14: the guardian's name, ID number and relation "
                                       "are required", field="guardian_name")
            gid = normalize_id_number(row.get("guardian_id_number"), today=self.today)
            if gid == idn or _age(gid, self.today) < ADULT_AGE:
                raise ValidationFailed("监护人须为成年人", "The guardian must be an adult",
                                       field="guardian_id_number")
            guardian = Guardian(
                clean_person_name(row.get("guardian_name"), field="guardian_name"), gid,
                clean_text(row.get("guardian_relation"), field="guardian_relation",
                           label_zh="监护关系", label_en="Guardian relation", max_length=20,
                           required=True))
        parsed = Row(
            rownum, name, idn, phone, region, team,
            self._cached("skills", row.get("skills"), clean_skills),
            self._cached("interests", row.get("interests"), lambda v: clean_codes(
                v, self.interest_labels, field="interests", label_zh="服务意向",
                label_en="Service interest")),
            self._cached("availability", row.get("availability"), lambda v: clean_codes(
                v, self.availability_labels, field="availability", label_zh="可服务时间",
                label_en="Availability")),
            self._cached("join_date", row.get("join_date"), lambda v: _date(v, self.today)),
            guardian)
        self.seen.add(idn)
        return parsed

    def _pause(self) -> None:
        if self.paused is not None:
            return
        self.paused = []
        if self.expected_rows >= BULK_ROWS and \
                self.expected_rows * 2 >= Person.objects.unscoped(reason="importer: sizes the bulk path, no row shown").count():
            self.paused = pause_indexes(BULK_TABLES, keep_unique=True, keep_columns=BULK_KEEP)

    def close(self) -> None:
        restore_indexes(self.paused or [], BULK_TABLES)
        self.paused = []

    def write(self, rows: list[Row]) -> int:
        self._pause()
        now = timezone.now()
        actor_id = self.actor.pk if self.actor is not None else None
        persons = self._persons(rows, now)  # ID number -> (person id, its region path)
        # No ORDER BY on these lookups: with the model's default ordering SQLite walks the
        # ordering index over the whole (growing) table instead of 5,000 key lookups.
        existing = dict(Volunteer.objects.unscoped(reason="uniqueness check, no row shown").filter(
            person_id__in=[persons[r.id_number][0] for r in rows]).order_by()
            .values_list("person_id", "pk"))
        fresh = [r for r in rows if persons[r.id_number][0] not in existing]
        consent_ids = reserve_ids(Consent, len(fresh))
        volunteer_ids = reserve_ids(Volunteer, len(fresh))
        consents, volunteers = Loader(Consent, auto_flush=False), Loader(Volunteer, auto_flush=False)
        # Random numbers made in Python, one uniqueness query per district and batch.
        numbers = {district: volunteer_numbers(district, n)
                   for district, n in Counter(r.region.path[:6] for r in fresh).items()}
        volunteer_of = dict(existing)
        for r, cid, vid in zip(fresh, consent_ids, volunteer_ids, strict=True):
            person_id, person_path = persons[r.id_number]
            consents.add(id=cid, created_at=now, updated_at=now, person_id=person_id,
                         purpose=ConsentPurpose.VOLUNTEERING, scope=CONSENT_SCOPE,
                         guardian_id=persons[r.guardian.id_number][0] if r.guardian else None,
                         guardian_relation=r.guardian.relation if r.guardian else "",
                         given_at=now, recorded_by_id=actor_id, region_path=person_path)
            district = r.region.path[:6]
            volunteers.add(id=vid, created_at=now, updated_at=now, person_id=person_id,
                           number=numbers[district].pop(),
                           region_id=r.region.pk, region_path=r.region.path, skills=r.skills,
                           interests=r.interests, availability=r.availability,
                           join_date=r.join_date, status=VolunteerStatus.ACTIVE, consent_id=cid)
            volunteer_of[person_id] = vid
        wanted = {(volunteer_of[persons[r.id_number][0]], r.team) for r in rows if r.team}
        have = set(Membership.objects.unscoped(reason="uniqueness check, no row shown").filter(
            volunteer_id__in=list(existing.values())).order_by().values_list(
            "volunteer_id", "team_id")) if existing else set()
        new_members = [(v, t) for v, t in wanted if (v, t.pk) not in have]
        members = Loader(Membership, auto_flush=False)
        for mid, (v, t) in zip(reserve_ids(Membership, len(new_members)), new_members,
                               strict=True):
            members.add(id=mid, created_at=now, updated_at=now, volunteer_id=v, team_id=t.pk,
                        team_path=t.path, region_path=t.region_path, joined_on=self.today)
        # Parents before children: a deferred foreign key must never wait for its parent.
        flush_in_order(consents, volunteers, members, at=0)
        # Team totals move once per team at the end (finish), not once per team and batch:
        # a roster spread over hundreds of squads would otherwise update each of them 50 times.
        self.joined.update(t.pk for _v, t in new_members)
        old = set(existing.values())
        joined_old = {v for v, _t in new_members if v in old}
        for r in rows:  # a rerun: already a volunteer, and already in the row's team if any
            known = existing.get(persons[r.id_number][0])
            if known is not None and known not in joined_old:
                self.skip(r.rownum, "id_number", "已登记为志愿者" + ("且已在该队伍" if r.team else "")
                          + ",未重复导入", "Already a registered volunteer"
                          + (" in this team" if r.team else "") + "; not imported again")
        self.counts["volunteers"] += len(fresh)
        self.counts["memberships"] += len(new_members)
        self.counts["existing"] += len(rows) - len(fresh)
        self.paths.update(r.region.path for r in rows)
        # Imported: a new volunteer, or an existing one added to the row's team.
        return len(fresh) + len(joined_old)

    def _persons(self, rows: list[Row], now: dt.datetime) -> dict[str, tuple[int, str]]:
        """(id, region path) per ID number (volunteers and guardians): found or created."""
        wanted: dict[str, tuple[str, Row]] = {}
        for r in rows:
            wanted[r.id_number] = (r.name, r)
            if r.guardian and r.guardian.id_number not in wanted:
                wanted[r.guardian.id_number] = (r.guardian.name, r)
        bidx = {idn: blind_index(idn) for idn in wanted}
        found = {b: (pk, name, path) for pk, name, path, b in by_index(
            Person, "id_number_bidx", list(bidx.values()),
            ("id", "name_bidx", "region_path", "id_number_bidx"))}
        out: dict[str, tuple[int, str]] = {}
        new = [idn for idn in wanted if bidx[idn] not in found]
        loader = Loader(Person, auto_flush=False)
        ids = iter(reserve_ids(Person, len(new)))
        for idn, (name, r) in wanted.items():
            hit = found.get(bidx[idn])
            if hit is not None:
                if hit[1] != name_index(name):  # names are encrypted: compare their index
                    raise ValidationFailed(
                        f"第{r.rownum}行:姓名与该身份证号已登记的姓名不一致,请核对后重新导入",
                        f"Row {r.rownum}: the name does not match the one registered with this "
                        "ID number; check it and import again", field="name")
                out[idn] = (hit[0], hit[2])
                continue
            phone = r.phone if idn == r.id_number else None
            pid = next(ids)
            loader.add(id=pid, created_at=now, updated_at=now, name=name,
                       name_bidx=name_index(name), id_number=idn,
                       id_number_bidx=bidx[idn], birth_date=birth_date_from_id(idn),
                       gender=gender_from_id(idn), phone=phone,
                       phone_bidx=blind_index(phone) if phone else None,
                       region_id=r.region.pk, region_path=r.region.path, address="")
            out[idn] = (pid, r.region.path)
        loader.flush()
        return out

    def finish(self, result: ImportResult) -> None:
        for team_id, n in self.joined.items():
            Team.objects.unscoped(reason="importer: scope checked row by row").filter(pk=team_id).update(members=F("members") + n)
        paths = sorted(self.paths)
        region_path = audit_region(paths)
        audit.record(actor=self.actor, action=VolunteerAction.VOLUNTEER_IMPORTED,
                     region_path=region_path,
                     data={"rows": result.total, "volunteers": self.counts["volunteers"],
                           "memberships": self.counts["memberships"],
                           "already_volunteers": self.counts["existing"],
                           "communities": paths[:50]})
