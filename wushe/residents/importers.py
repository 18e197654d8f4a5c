"""Care rosters and hardship ledgers a community already keeps in spreadsheets, imported on the
shared pipeline of core/excel.py.

* ``care-profiles`` (关爱对象名册): one row per resident and target group. The resident is found
  by ID number among the people the actor sees (the name must match) or registered in the
  row's community; the profile follows the rules of ``services.profile_create`` (tags of the
  group only, the minors rule, encrypted situation and guardian text). A resident who already
  has an open profile in the group is skipped with a notice, so a rerun adds nothing.
* ``ledger-entries`` (特殊困难群体台账): one row per resident on a ledger named in the row. The
  resident must already have an open care profile the actor sees (in the row's community when
  one is given); the rules of ``services.ledger_add`` apply; a resident already on the ledger
  is skipped with a notice.

Each import writes in batches (bulk_create) and leaves one audit event; the log holds counts
and ids, never the sensitive text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.crypto import blind_index
from wushe.core.dates import read_day
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import (
    Column,
    Importer,
    ImportResult,
    RowSkipped,
    audit_region,
    register,
)
from wushe.core.ids import (
    birth_date_from_id,
    gender_from_id,
    normalize_id_number,
    normalize_phone,
)
from wushe.core.lookup import code_text, name_text, one
from wushe.core.text import clean_person_name, clean_text
from wushe.needs import perms
from wushe.people.importers import COMMUNITY_WORDS as PERSON_COMMUNITY_WORDS
from wushe.people.importers import ID_WORDS, PHONE_WORDS, visible_persons
from wushe.people.importers import NAME_WORDS as PERSON_NAME_WORDS
from wushe.people.models import Person
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import Region, RegionLevel
from wushe.residents.audit_codes import ResidentsAction
from wushe.residents.models import (
    CareProfile,
    Ledger,
    LedgerEntry,
    ProfileStatus,
    RiskLevel,
    TargetGroup,
)
from wushe.residents.selectors import visible_profiles
from wushe.residents.services import _clean_tags

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

PEOPLE_CREATE = "people.create"

# --- the words rosters use ------------------------------------------------------------------

# A person's columns use the people roster's words (people/importers.py), plus these.
NAME_WORDS = (*PERSON_NAME_WORDS, "老人姓名", "儿童姓名", "对象姓名")
COMMUNITY_WORDS = (*PERSON_COMMUNITY_WORDS, "社区代码")
GROUP_WORDS = ("类别", "人员类别", "对象类型", "关爱类别")

GROUP_WORDS_BY_VALUE: dict[str, tuple[str, ...]] = {
    TargetGroup.ELDERLY: ("一老", "老年人", "老人", "老年", "elder"),
    TargetGroup.MINOR: ("一小", "儿童", "未成年人", "少年儿童", "child", "children"),
    TargetGroup.HARDSHIP: ("一困", "困难群众", "困难群体", "困难人员", "困难家庭", "困难"),
}
GROUPS = {word: str(group) for group, words in GROUP_WORDS_BY_VALUE.items()
          for word in (str(group), *words)}
GROUP_LABELS: dict[str, tuple[str, str]] = {TargetGroup.ELDERLY: ("一老", "elderly"), TargetGroup.MINOR: ("一小", "minor"),
                TargetGroup.HARDSHIP: ("一困", "hardship")}

# What a roster writes for each sub-tag (CARE_TAGS keys are accepted as written, too).
TAG_WORDS: dict[str, tuple[str, ...]] = {
    "empty_nest": ("空巢", "空巢老人", "empty-nest"),
    "living_alone": ("独居", "独居老人", "living-alone"),
    "advanced_age": ("高龄", "高龄老人", "80岁以上", "advanced-age"),
    "disabled_elderly": ("失能", "半失能", "失能老人", "半失能老人", "失能半失能"),
    "left_behind": ("留守儿童", "留守", "left-behind"),
    "in_distress": ("困境儿童", "困境", "in-distress"),
    "unsupported": ("孤儿", "事实无人抚养", "事实无人抚养儿童", "无人抚养"),
    "dibao": ("低保", "低保户", "低保对象", "城乡低保", "最低生活保障"),
    "tekun": ("特困", "特困人员", "特困供养", "特困供养人员", "五保", "五保户"),
    "low_income": ("低收入", "低收入家庭", "低收入人口", "low-income"),
    "serious_illness": ("大病", "重病", "重大疾病", "大病患者", "serious-illness"),
    "disability": ("残疾", "残疾人", "残障", "disabled"),
}
TAGS = {word: key for key, words in TAG_WORDS.items()
        for word in (key, *(unicodedata.normalize("NFKC", w).lower() for w in words))}
_TAG_SEPARATORS = re.compile(r"[、,/;|\s]+")

RISKS = {
    "高": RiskLevel.HIGH, "高风险": RiskLevel.HIGH, "high": RiskLevel.HIGH,
    "中": RiskLevel.MEDIUM, "中风险": RiskLevel.MEDIUM, "中等": RiskLevel.MEDIUM,
    "medium": RiskLevel.MEDIUM,
    "低": RiskLevel.LOW, "低风险": RiskLevel.LOW, "一般": RiskLevel.LOW, "low": RiskLevel.LOW,
}
_BRACKETED = re.compile(r"[(\[【]([^)\]】]*)[)\]】]")


def _word(raw: object) -> str:
    """A label as compared: half-width, lower-case, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw or ""))).lower()


def target_group(raw: object, *, required: bool = True) -> str:
    """"一老", "老年人", "elderly", "一老(老年人)" … as the TargetGroup value."""
    text = _word(raw)
    if not text:
        if not required:
            return ""
        raise ValidationFailed("请填写对象类别(一老、一小或一困)",
                               "The target group is missing (elderly, minor or hardship)",
                               code="required", field="target_group")
    inside = _BRACKETED.findall(text)
    for candidate in (text, _BRACKETED.sub("", text), *inside):
        if candidate in GROUPS:
            return GROUPS[candidate]
    raise ValidationFailed(f"对象类别“{raw}”无效,请填写一老、一小或一困",
                           f"Unknown target group “{raw}”: write elderly, minor or hardship",
                           field="target_group")


def tag_keys(raw: object) -> list[str]:
    """"空巢、独居" → ["empty_nest", "living_alone"]; a word not known is kept as written
    (the service's cleaning then refuses it by name)."""
    text = unicodedata.normalize("NFKC", str(raw or "")).lower()
    return [TAGS.get(word, word) for word in _TAG_SEPARATORS.split(text) if word]


def risk_level(raw: object) -> str:
    text = _word(raw)
    if not text:
        return RiskLevel.LOW
    if text in RISKS:
        return RISKS[text]
    raise ValidationFailed(f"风险等级“{raw}”无效,请填写高、中或低",
                           f"Unknown risk level “{raw}”: write high, medium or low",
                           field="risk_level")


def visit_date(raw: object, today: dt.date) -> dt.date | None:
    """A date cell, or text such as 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501."""
    try:
        day = read_day(raw)
    except ValueError:
        day = dt.date.min
    if day is None:
        return None
    if day.year < 1950:
        raise ValidationFailed("走访日期格式不正确(如 2024-05-01)",
                               "The visit date is not valid (e.g. 2024-05-01)",
                               field="last_visit_on")
    if day > today:
        raise ValidationFailed("走访日期不能晚于今天", "The visit date cannot be in the future",
                               field="last_visit_on")
    return day


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _covers(actor: MaybeActor, perm: str, path: str) -> bool:
    return actor is None or scope.covers(actor, perm, path)


PERSON_COLUMNS = [
    Column("name", "姓名", "Name", required=True, example="陈大海", aliases=NAME_WORDS),
    Column("id_number", "身份证号", "ID number", required=True, example="500107194001011235",
           aliases=ID_WORDS),
]


# --- care profiles ---------------------------------------------------------------------------

@dataclass
class ProfileRow:
    rownum: int
    profile: CareProfile


@register
class CareProfileImporter(Importer):
    kind = "care-profiles"
    title_zh = "关爱对象名册"
    title_en = "Care roster"
    columns = [
        *PERSON_COLUMNS,
        Column("phone", "手机号", "Phone", example="13800138000", aliases=PHONE_WORDS),
        Column("community", "社区", "Community", required=True, example="杨坪社区",
               aliases=COMMUNITY_WORDS),
        Column("target_group", "对象类别", "Target group", required=True, example="一老",
               aliases=GROUP_WORDS),
        Column("tags", "标签", "Sub-tags", example="空巢、独居",
               aliases=("子类", "困难类型", "特征", "人员标签")),
        Column("risk_level", "风险等级", "Risk level", example="高", aliases=("风险",)),
        Column("details", "情况说明", "Situation", example="独居,患高血压",
               aliases=("基本情况", "备注", "家庭情况")),
        Column("guardian_info", "监护人及联系方式", "Guardian and contact", example="",
               aliases=("监护人", "监护人信息", "监护人及电话")),
        Column("last_visit_on", "最近走访", "Last visit", example="2024-05-01",
               aliases=("走访日期", "最近走访日期", "最后走访日期"), date=True),
    ]

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.communities = RegionLookup(actor, perms.CARE_MANAGE, (RegionLevel.COMMUNITY,),
                                        "community")
        self.today = timezone.localdate()
        self.seen: set[tuple[str, str]] = set()  # (blind index, target group) in this file
        self.new_people: dict[str, Person] = {}  # by blind index: registered by this import
        self.groups: Counter[str] = Counter()
        self.paths: set[str] = set()
        self.minors = 0

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, perms.CARE_MANAGE):
            raise NotFound()

    def _person(self, row: dict[str, Any], name: str, number: str, bidx: str,
                community: Region) -> Person:
        """The person with this ID number the actor sees, or a new one in the community."""
        person = self.new_people.get(bidx)
        if person is None:  # of two records the actor sees, the one in the row's community
            found = list(visible_persons(self.actor).filter(id_number_bidx=bidx).order_by("id"))
            found.sort(key=lambda p: not p.region_path.startswith(community.path))
            person = found[0] if found else None
        if person is not None:
            if person.name != name:
                raise ValidationFailed("姓名与已登记的身份证号不符",
                                       "The name does not match the person registered with this "
                                       "ID number", field="name")
            if not person.region_path.startswith(community.path):
                raise ValidationFailed("该人员登记在其他社区,与所填社区不符",
                                       "This person is registered in another community than the "
                                       "one given", field="community")
            return person
        if not _covers(self.actor, PEOPLE_CREATE, community.path):
            raise ValidationFailed("该人员尚未登记,您无权在此社区登记人员",
                                   "This person is not registered and you may not register "
                                   "people in this community", field="community")
        phone_raw = row.get("phone")
        phone = normalize_phone(code_text(phone_raw)) if phone_raw not in (None, "") else None
        return Person(name=name, id_number=number, id_number_bidx=bidx,
                      birth_date=birth_date_from_id(number), gender=gender_from_id(number),
                      phone=phone, phone_bidx=blind_index(phone) if phone else None,
                      address="", region=community, region_path=community.path)

    def parse(self, row: dict[str, Any], rownum: int) -> ProfileRow:
        name = clean_person_name(row.get("name"))
        number = normalize_id_number(row.get("id_number"))
        group = target_group(row.get("target_group"))
        bidx = blind_index(number)
        if (bidx, group) in self.seen:
            raise ValidationFailed("该身份证号与对象类别在本文件中重复",
                                   "This ID number appears twice in the file for the same "
                                   "target group", code="duplicate_in_file", field="id_number")
        self.seen.add((bidx, group))
        tags = _clean_tags(tag_keys(row.get("tags")), group)
        risk = risk_level(row.get("risk_level"))
        details = clean_text(row.get("details"), field="details", label_zh="情况说明",
                             label_en="Situation", max_length=2000)
        guardian = clean_text(row.get("guardian_info"), field="guardian_info",
                              label_zh="监护人及联系方式", label_en="Guardian and contact",
                              max_length=500)
        visited = visit_date(row.get("last_visit_on"), self.today)
        community = self.communities.get(row.get("community"))
        person = self._person(row, name, number, bidx, community)
        # The minors rule of services.profile_create.
        age = _age(birth_date_from_id(number), dt.date.today())
        if group == TargetGroup.MINOR and age >= settings.WUSHE_MINOR_AGE:
            raise ValidationFailed("该人员已成年,不能建立未成年人关爱档案",
                                   "This person is an adult; a minor's profile cannot be opened",
                                   field="target_group")
        minor = group == TargetGroup.MINOR or age < settings.WUSHE_MINOR_AGE
        if minor and not _covers(self.actor, perms.CARE_MINORS, community.path):
            raise ValidationFailed("您无权建立未成年人的关爱档案",
                                   "You may not open a care profile about a minor",
                                   field="target_group")
        if person.pk is not None and CareProfile.objects.unscoped(reason="uniqueness check, no row shown").filter(
                person=person, target_group=group, status=ProfileStatus.ACTIVE).exists():
            raise RowSkipped("该人员已有此类关爱档案,未重复导入",
                             "This person already has an open care profile in this group; "
                             "not imported again", field="target_group")
        if person.pk is None:
            self.new_people[bidx] = person  # a second group's row uses the same new person
        profile = CareProfile(
            person=person, region=community, region_path=community.path, target_group=group,
            tags=tags, risk_level=risk, is_minor=minor, details=details, guardian_info=guardian,
            last_visit_on=visited,
            created_by=user_or_none(self.actor))
        return ProfileRow(rownum, profile)

    def write(self, rows: list[ProfileRow]) -> int:
        # Opened since the row was read (the pipeline reads a batch before writing it)?
        known = {r.profile.person.pk for r in rows if r.profile.person.pk is not None}
        taken = set(CareProfile.objects.unscoped(reason="uniqueness check, no row shown").filter(
            person_id__in=known, status=ProfileStatus.ACTIVE).values_list(
            "person_id", "target_group")) if known else set()
        keep = []
        for r in rows:
            if (r.profile.person.pk, r.profile.target_group) in taken:
                self.skip(r.rownum, "target_group", "该人员已有此类关爱档案,未重复导入",
                          "This person already has an open care profile in this group; "
                          "not imported again")
            else:
                keep.append(r)
        fresh = {id(r.profile.person): r.profile.person for r in keep
                 if r.profile.person.pk is None}
        if fresh:
            Person.objects.bulk_create(list(fresh.values()), batch_size=1000)
        profiles = [r.profile for r in keep]
        CareProfile.objects.bulk_create(profiles, batch_size=1000)
        for p in profiles:
            self.groups[p.target_group] += 1
            self.paths.add(p.region_path)
            self.minors += p.is_minor
        return len(profiles)

    def finish(self, result: ImportResult) -> None:
        created = [p for p in self.new_people.values() if p.pk is not None]
        if created:
            paths = sorted({p.region_path for p in created})
            audit.record(actor=self.actor, action=Action.PERSON_IMPORTED,
                         region_path=audit_region(paths),
                         data={"rows": len(created), "communities": paths[:50],
                               "by": "residents"})
            # As person_create does: a namesake outside the actor's scope is not revealed to
            # the actor but flagged for the district to reconcile.
            bidxs = [p.id_number_bidx for p in created]
            twins = set(Person.objects.unscoped(reason="uniqueness check, no row shown").filter(id_number_bidx__in=bidxs).exclude(
                pk__in=[p.pk for p in created]).values_list("id_number_bidx", flat=True))
            for p in created:
                if p.id_number_bidx in twins:
                    audit.record(actor=self.actor, action=Action.PERSON_DUPLICATE_SUSPECTED,
                                 target=p, region_path=p.region_path[:6], label=p.masked_name)
        paths = sorted(self.paths)
        audit.record(actor=self.actor, action=ResidentsAction.PROFILE_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "skipped": result.skipped,
                           "groups": dict(self.groups), "minors": self.minors,
                           "new_persons": len(created), "communities": paths[:50]})


# --- ledger entries --------------------------------------------------------------------------

@dataclass
class EntryRow:
    rownum: int
    entry: LedgerEntry


@register
class LedgerEntryImporter(Importer):
    kind = "ledger-entries"
    title_zh = "特殊困难群体台账"
    title_en = "Hardship ledger"
    columns = [
        Column("ledger", "台账名称", "Ledger", required=True, example="空巢老人台账",
               aliases=("台账", "台账名")),
        *PERSON_COLUMNS,
        Column("community", "社区", "Community", example="杨坪社区", aliases=COMMUNITY_WORDS),
        Column("target_group", "对象类别", "Target group", example="一老", aliases=GROUP_WORDS),
        Column("note", "备注", "Note", example="每周电话问候", aliases=("说明",)),
    ]

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.communities = RegionLookup(actor, perms.CARE_VIEW, (RegionLevel.COMMUNITY,),
                                        "community")
        self._ledgers: list[Ledger] | None = None
        self.by_text: dict[str, Ledger] = {}
        self.listed: dict[int, set[int]] = {}  # ledger id -> profile ids already on it
        self.seen: set[tuple[int, int]] = set()
        self.added: Counter[int] = Counter()
        self.names: dict[int, Ledger] = {}
        self.profiles: list[int] = []

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, perms.CARE_MANAGE):
            raise NotFound()

    def _ledger(self, raw: object) -> Ledger:
        """An open ledger the actor keeps, by its name (one query for the whole file)."""
        text = clean_text(raw, field="ledger", label_zh="台账名称", label_en="Ledger",
                          max_length=100, required=True)
        if text not in self.by_text:
            if self._ledgers is None:
                qs = (Ledger.objects.unscoped(reason="system: no actor, the whole district") if self.actor is None
                      else scope.visible(Ledger.objects, self.actor, perms.CARE_MANAGE))
                self._ledgers = list(qs.filter(active=True).select_related("region")
                                     .order_by("region_path", "name"))
            wanted = name_text(text)
            found = [lg for lg in self._ledgers if name_text(lg.name) == wanted]
            self.by_text[text] = one(text, found, describe=lambda lg: f"{lg.region.name}·{lg.name}",
                                     field="ledger", label_zh="台账", label_en="Ledger")
        ledger = self.by_text[text]
        if ledger.pk not in self.listed:
            self.listed[ledger.pk] = set(LedgerEntry.objects.unscoped(reason="uniqueness check, no row shown").filter(
                ledger=ledger).values_list("profile_id", flat=True))
        return ledger

    def _profile(self, row: dict[str, Any], ledger: Ledger) -> CareProfile:
        name = clean_person_name(row.get("name"))
        bidx = blind_index(normalize_id_number(row.get("id_number")))
        group = target_group(row.get("target_group"), required=False)
        qs = (CareProfile.objects.unscoped(reason="system: no actor, the whole district") if self.actor is None
              else visible_profiles(self.actor))
        qs = qs.filter(person__id_number_bidx=bidx, status=ProfileStatus.ACTIVE)
        if row.get("community") not in (None, ""):
            qs = qs.filter(region=self.communities.get(row.get("community")))
        found = list(qs.select_related("person").order_by("id"))
        if not found:
            raise ValidationFailed("该人员没有您可见的在册关爱档案(或不在所填社区),请先建立关爱档案",
                                   "This person has no open care profile you can see (in the "
                                   "community given); open one first", code="no_profile",
                                   field="id_number")
        if found[0].person.name != name:
            raise ValidationFailed("姓名与已登记的身份证号不符",
                                   "The name does not match the person registered with this "
                                   "ID number", field="name")
        if group and ledger.target_group and group != ledger.target_group:
            raise ValidationFailed("对象类别与台账不符", "The resident's group does not match the "
                                   "ledger", field="target_group")
        group = group or ledger.target_group
        if group:
            found = [p for p in found if p.target_group == group]
            if not found:
                raise ValidationFailed("该人员没有此类别的在册关爱档案",
                                       "This person has no open care profile in this group",
                                       code="no_profile", field="target_group")
        if len(found) > 1:
            labels = "、".join(GROUP_LABELS[p.target_group][0] for p in found)
            labels_en = ", ".join(GROUP_LABELS[p.target_group][1] for p in found)
            raise ValidationFailed(f"该人员有多份在册档案({labels}),请填写对象类别",
                                   f"This person has several open profiles ({labels_en}); give "
                                   "the target group", field="target_group")
        return found[0]

    def parse(self, row: dict[str, Any], rownum: int) -> EntryRow:
        ledger = self._ledger(row.get("ledger"))
        profile = self._profile(row, ledger)
        # The rules of services.ledger_add.
        if not profile.region_path.startswith(ledger.region_path):
            raise ValidationFailed("该对象不在台账所属地区", "The resident is outside the ledger's "
                                   "region", field="community")
        note = clean_text(row.get("note"), field="note", label_zh="备注", label_en="Note",
                          max_length=200)
        if profile.pk in self.listed[ledger.pk]:
            raise RowSkipped("该对象已在台账中,未重复导入",
                             "The resident is already on this ledger; not imported again",
                             field="id_number")
        if (ledger.pk, profile.pk) in self.seen:
            raise ValidationFailed("该人员在本文件中重复列入同一台账",
                                   "This person appears twice in the file for the same ledger",
                                   code="duplicate_in_file", field="id_number")
        self.seen.add((ledger.pk, profile.pk))
        entry = LedgerEntry(ledger=ledger, profile=profile, region_path=profile.region_path,
                            note=note,
                            added_by=user_or_none(self.actor))
        return EntryRow(rownum, entry)

    def write(self, rows: list[EntryRow]) -> int:
        pairs = {(r.entry.ledger_id, r.entry.profile_id) for r in rows}
        taken = set(LedgerEntry.objects.unscoped(reason="uniqueness check, no row shown").filter(
            ledger_id__in={p[0] for p in pairs}, profile_id__in={p[1] for p in pairs})
            .values_list("ledger_id", "profile_id"))
        keep = []
        for r in rows:
            if (r.entry.ledger_id, r.entry.profile_id) in taken:
                self.skip(r.rownum, "id_number", "该对象已在台账中,未重复导入",
                          "The resident is already on this ledger; not imported again")
            else:
                keep.append(r.entry)
        LedgerEntry.objects.bulk_create(keep, batch_size=1000)
        for e in keep:
            self.added[e.ledger_id] += 1
            self.names[e.ledger_id] = e.ledger
            self.profiles.append(e.profile_id)
        return len(keep)

    def finish(self, result: ImportResult) -> None:
        ledgers = [self.names[pk] for pk in sorted(self.added)]
        single = ledgers[0] if len(ledgers) == 1 else None
        audit.record(
            actor=self.actor, action=ResidentsAction.LEDGER_IMPORTED, target=single,
            region_path=None if single else audit_region(sorted({lg.region_path
                                                                  for lg in ledgers})),
            label="、".join(lg.name for lg in ledgers)[:200],
            data={"rows": result.imported, "skipped": result.skipped,
                  "ledgers": {str(pk): n for pk, n in sorted(self.added.items())},
                  "profiles": sorted(self.profiles)[:1000]})

