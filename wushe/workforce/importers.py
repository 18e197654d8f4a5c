"""Worker roster imports (.xlsx) on the shared pipeline of core/excel.py: kinds
"social-workers" and "community-workers". A worker's Person is found by ID number in the
actor's scope, or registered (in the community of residence given) when the file is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, NotFound, ValidationFailed, WusheError
from wushe.core.excel import (
    Column,
    Importer,
    ImportResult,
    RowSkipped,
    audit_region,
    register,
)
from wushe.core.ids import normalize_id_number, to_half_width
from wushe.core.lookup import code_text, name_text, one
from wushe.core.text import clean_person_name
from wushe.orgs import access
from wushe.orgs.models import OrgStatus, SocialOrganization
from wushe.people.importers import (
    COMMUNITY_WORDS,
    ID_WORDS,
    NAME_WORDS,
    PHONE_WORDS,
    PersonImporter,
    visible_persons,
)
from wushe.people.models import Person
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import RegionLevel, Site
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.models import CommunityWorker, SocialWorker
from wushe.workforce.validation import (
    PLACEMENT_KINDS,
    engagement_values,
    prepare_community_worker,
    prepare_social_worker,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

MANAGE = "workforce.manage"
PERSON_COLUMNS = [
    Column("name", "姓名", "Name", required=True, example="张三", aliases=NAME_WORDS),
    Column("id_number", "身份证号", "ID number", required=True, example="11010519491231002X",
           aliases=ID_WORDS),
    Column("phone", "手机号", "Phone", example="13912345678", aliases=PHONE_WORDS),
    Column("residence", "居住社区代码", "Community of residence", example="500107001001",
           aliases=("居住社区", "户籍社区", "现居住社区", "居住地社区")),
]


class PersonResolver:
    """Existing persons by blind index (in scope); new ones built by the people importer."""

    def __init__(self, actor: MaybeActor) -> None:
        self.actor = actor
        self.people = PersonImporter(actor)
        self.seen: set[str] = set()
        self.new: list[Person] = []

    def resolve(self, row: dict[str, Any], rownum: int) -> Person:
        name = clean_person_name(row.get("name"))
        number = normalize_id_number(row.get("id_number"))
        bidx = blind_index(number)
        if bidx in self.seen:
            raise Conflict("该身份证号在本文件中重复", "This ID number appears twice in the file",
                           field="id_number")
        self.seen.add(bidx)
        visible = visible_persons(self.actor)
        found = visible.filter(id_number_bidx=bidx).first()
        if found is not None:
            if found.name != name:
                raise ValidationFailed("姓名与已登记的身份证号不符", "The name does not match the "
                                       "person registered with this ID number", field="name")
            return found
        if not row.get("residence"):
            raise ValidationFailed("该人员尚未登记,请填写居住社区代码",
                                   "This person is not registered yet; give the community of "
                                   "residence", field="residence")
        try:
            person = self.people.parse({"name": name, "id_number": number,
                                        "phone": row.get("phone"), "address": "",
                                        "community": row.get("residence")}, rownum)
        except WusheError as exc:
            if exc.field == "community":  # the people importer's column is our residence
                exc.field = "residence"
            raise
        self.new.append(person)
        return person

    def write_new(self, batch: list[Any]) -> None:
        """Save the new persons of this batch before their workers."""
        mine = {id(w.person) for w in batch}
        todo = [p for p in self.new if id(p) in mine and p.pk is None]
        if todo:
            Person.objects.bulk_create(todo, batch_size=1000)

    def audit(self) -> None:
        created = [p for p in self.new if p.pk is not None]
        if created:
            paths = sorted({p.region_path for p in created})
            audit.record(actor=self.actor, action=Action.PERSON_IMPORTED,
                         region_path=audit_region(paths),
                         data={"rows": len(created), "communities": paths[:50], "by": "workforce"})


class _WorkerImporter(Importer):
    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.persons = PersonResolver(actor)
        self.paths: set[str] = set()

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, MANAGE):
            raise NotFound()

    def _in_scope(self, path: str, field: str) -> None:
        if self.actor is not None and not scope.covers(self.actor, MANAGE, path):
            raise ValidationFailed("不在您的管辖范围", "Outside your area", field=field)
        self.paths.add(path)


@register
class SocialWorkerImporter(_WorkerImporter):
    kind = "social-workers"
    title_zh = "社会工作者名单"
    title_en = "Social worker roster"
    columns = [
        *PERSON_COLUMNS,
        Column("certificate_level", "证书等级", "Certificate level", example="社会工作师",
               aliases=("职业资格", "资格等级", "职业水平等级", "证书级别", "持证情况")),
        Column("certificate_number", "证书编号", "Certificate number", example="ZJ2019500100",
               aliases=("证书号", "资格证书编号", "证书号码")),
        Column("certified_on", "取证日期", "Certified on", example="2019-06-30", date=True,
               aliases=("取证时间", "发证日期", "获证日期")),
        Column("employer", "工作单位代码", "Employer code", example="",
               aliases=("工作单位", "所在单位", "用人单位", "所属机构", "单位名称")),
        Column("site", "服务站点", "Placement site", example="杨坪社区社会工作室",
               aliases=("站点", "服务阵地", "所在站点", "驻点")),
        Column("region", "工作地区代码", "Region of work", example="500107001001",
               aliases=("工作地区", "服务地区", "服务社区", "所在社区")),
        Column("status", "状态", "Status", example="在岗", aliases=("在岗状态", "在职状态")),
        Column("hired_on", "入职日期", "Hired on", example="2020-03-01", date=True,
               aliases=("入职时间", "参加工作时间", "聘用日期")),
    ]
    LEVEL_WORDS = {"无": "none", "助理社会工作师": "assistant", "社会工作师": "intermediate",
                   "高级社会工作师": "senior"}
    STATUS_WORDS = {"在岗": "active", "休假": "on_leave", "离职": "left"}

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.regions = RegionLookup(actor, MANAGE, (RegionLevel.DISTRICT, RegionLevel.STREET,
                                                    RegionLevel.COMMUNITY), "region")
        sites = Site.objects.unscoped(reason="importer: scope checked row by row").filter(kind__in=PLACEMENT_KINDS, active=True) \
            if actor is None else scope.visible(Site.objects, actor, "sites.view") \
            .filter(kind__in=PLACEMENT_KINDS, active=True)
        self.sites = {s.name: s for s in sites.select_related("region")}
        self.numbers: set[str] = set()

    def _employer(self, raw: object) -> SocialOrganization | None:
        key = code_text(raw)
        if not key:
            return None
        # As on the page (orgs.selectors.employer_by_code): a credit code is public registry
        # data; a filing number is looked up only within the actor's scope.
        orgs = SocialOrganization.objects.unscoped(reason="importer: scope checked row by row").exclude(status=OrgStatus.ELIMINATED)
        filings = orgs if self.actor is None else access.visible(SocialOrganization, self.actor)
        org = (orgs.filter(credit_code=key.upper()).first()
               or filings.filter(filing_number=key).first())
        if org is not None:
            return org
        # By name: a registered organisation (public registry) or a filed one in scope.
        name = name_text(key)
        found = {o.pk: o for o in [*orgs.filter(name=name, status=OrgStatus.REGISTERED)[:20],
                                   *filings.filter(name=name)[:20]]}
        if not found:
            raise ValidationFailed("未找到该统一社会信用代码、备案号或名称对应的社会组织",
                                   "No organisation has this credit code, filing number or name",
                                   field="employer")
        return one(key, list(found.values()), field="employer", label_zh="工作单位",
                   label_en="Employer", describe=lambda o: f"{o.name}({o.credit_code or o.filing_number})")

    def parse(self, row: dict[str, Any], rownum: int) -> SocialWorker:
        person = self.persons.resolve(row, rownum)
        site = None
        if row.get("site"):
            site = self.sites.get(to_half_width(str(row["site"])).strip())
            if site is None:
                raise ValidationFailed("服务站点不存在或不在您的管辖范围",
                                       "The site does not exist or is outside your area",
                                       field="site")
        region = self.regions.get(row["region"]) if row.get("region") and site is None else None
        level = to_half_width(str(row.get("certificate_level") or "")).strip()
        status = to_half_width(str(row.get("status") or "")).strip()
        worker = prepare_social_worker(person=person, region=region, site=site, values={
            "certificate_level": self.LEVEL_WORDS.get(level, level),
            "certificate_number": row.get("certificate_number"),
            "certified_on": row.get("certified_on"), "employer": self._employer(row.get("employer")),
            "status": self.STATUS_WORDS.get(status, status), "hired_on": row.get("hired_on")})
        self._in_scope(worker.region_path, "site" if site else "region")
        if person.pk and SocialWorker.objects.unscoped(reason="uniqueness check, no row shown").filter(person=person).exists():
            raise RowSkipped("该人员已登记为社会工作者,未重复导入", "This person is already a "
                             "registered social worker; not imported again", field="id_number")
        number = worker.certificate_number
        if number and (number in self.numbers or SocialWorker.objects.unscoped(reason="uniqueness check, no row shown")
                       .filter(certificate_number=number).exists()):
            raise Conflict("该证书编号已被登记", "This certificate number is already registered",
                           field="certificate_number")
        if number:
            self.numbers.add(number)
        return worker

    def write(self, rows: list[SocialWorker]) -> int:
        self.persons.write_new(rows)
        return len(SocialWorker.objects.bulk_create(rows, batch_size=1000))

    def finish(self, result: ImportResult) -> None:
        self.persons.audit()
        paths = sorted(self.paths)
        audit.record(actor=self.actor, action=WorkforceAction.SOCIAL_WORKER_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "regions": paths[:50]})


@register
class CommunityWorkerImporter(_WorkerImporter):
    kind = "community-workers"
    title_zh = "社区工作者名单"
    title_en = "Community worker roster"
    columns = [
        *PERSON_COLUMNS,
        Column("community", "社区代码", "Community code", required=True, example="500107001001",
               aliases=COMMUNITY_WORDS),
        Column("post", "岗位", "Post", required=True, example="3",
               aliases=("岗位类别", "岗位序列", "岗", "职务岗位")),
        Column("grade", "等级", "Grade", example="4", aliases=("岗位等级", "级别", "档级")),
        Column("education", "学历", "Education", example="bachelor",
               aliases=("文化程度", "最高学历")),
        Column("hired_on", "入职日期", "Hired on", required=True, example="2019-06-01",
               date=True, aliases=("入职时间", "参加工作时间", "聘用日期", "任职日期")),
        Column("status", "状态", "Status", example="active", aliases=("在岗状态", "在职状态")),
        # Optional: an elected committee member (选举产生的两委成员), its role and term.
        Column("engagement", "任职方式", "Engagement", example="聘用",
               aliases=("聘用方式", "产生方式")),
        Column("elected_role", "两委职务", "Elected role", example="",
               aliases=("委员会职务", "职务")),
        Column("term_start", "任期开始", "Term starts", example="", date=True,
               aliases=("任期起始", "任职起始日期")),
        Column("term_end", "任期结束", "Term ends", example="", date=True,
               aliases=("任期届满", "任期截止")),
    ]
    ENGAGEMENT_WORDS = {"聘用": "hired", "招聘": "hired", "选举": "elected",
                        "选举产生": "elected", "选任": "elected"}
    ROLE_WORDS = {"书记": "secretary", "主任": "director", "委员": "member",
                  "书记、主任": "secretary", "书记兼主任": "secretary"}
    EDUCATION_WORDS = {"高中": "secondary", "高中及以下": "secondary", "中专": "secondary",
                       "大专": "college", "专科": "college", "本科": "bachelor",
                       "硕士": "postgraduate", "博士": "postgraduate", "研究生": "postgraduate"}

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.communities = RegionLookup(actor, MANAGE, (RegionLevel.COMMUNITY,), "community")

    def parse(self, row: dict[str, Any], rownum: int) -> CommunityWorker:
        person = self.persons.resolve(row, rownum)
        community = self.communities.get(row.get("community"))
        education = to_half_width(str(row.get("education") or "")).strip()
        status = to_half_width(str(row.get("status") or "")).strip()
        post = code_text(row.get("post"))  # 3.0 from Excel is post 3
        worker = prepare_community_worker(person=person, community=community, values={
            "post": post, "grade": code_text(row.get("grade")),
            "education": self.EDUCATION_WORDS.get(education, education),
            "hired_on": row.get("hired_on"),
            "status": SocialWorkerImporter.STATUS_WORDS.get(status, status)})
        engagement = to_half_width(str(row.get("engagement") or "")).strip()
        if engagement:
            role = to_half_width(str(row.get("elected_role") or "")).strip()
            for field, value in engagement_values(
                    worker, self.ENGAGEMENT_WORDS.get(engagement, engagement),
                    self.ROLE_WORDS.get(role, role), row.get("term_start"),
                    row.get("term_end")).items():
                setattr(worker, field, value)
        self._in_scope(community.path, "community")
        if person.pk and CommunityWorker.objects.unscoped(reason="uniqueness check, no row shown").filter(person=person).exists():
            raise RowSkipped("该人员已登记为社区工作者,未重复导入", "This person is already a "
                             "registered community worker; not imported again", field="id_number")
        return worker

    def write(self, rows: list[CommunityWorker]) -> int:
        self.persons.write_new(rows)
        return len(CommunityWorker.objects.bulk_create(rows, batch_size=1000))

    def finish(self, result: ImportResult) -> None:
        self.persons.audit()
        paths = sorted(self.paths)
        audit.record(actor=self.actor, action=WorkforceAction.COMMUNITY_WORKER_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "communities": paths[:50]})
