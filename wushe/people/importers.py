"""Person roster import (.xlsx) on the shared pipeline of core/excel.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, NotFound
from wushe.core.excel import (
    Column,
    Importer,
    ImportResult,
    RowSkipped,
    audit_region,
    register,
)
from wushe.core.ids import birth_date_from_id, gender_from_id
from wushe.people.models import Person
from wushe.people.validation import clean_person_fields
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

# The words rosters use for a person's columns (shared by every roster of persons).
NAME_WORDS = ("名字", "姓 名", "人员姓名", "居民姓名")
ID_WORDS = ("身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "身份证", "身份证件号码",
            "证件号")
PHONE_WORDS = ("联系电话", "手机号码", "手机", "电话", "电话号码", "联系方式", "移动电话")
COMMUNITY_WORDS = ("所属社区", "社区", "社区名称", "村(社区)", "村社区", "社区(村)", "所在社区")


def visible_persons(actor: MaybeActor) -> QuerySet[Person]:
    """The persons an importer may find an ID number among: the actor's (all for the system)."""
    if actor is None:
        return Person.objects.unscoped(reason="system: no actor, the whole district")
    return scope.visible(Person.objects, actor, "people.view")


@register
class PersonImporter(Importer):
    kind = "people"
    title_zh = "人员名单"
    title_en = "Person roster"
    columns = [
        Column("name", "姓名", "Name", required=True, example="张三", aliases=NAME_WORDS),
        Column("id_number", "身份证号", "ID number", example="11010519491231002X",
               aliases=ID_WORDS),
        Column("phone", "手机号", "Phone", example="13912345678", aliases=PHONE_WORDS),
        Column("address", "住址", "Address", example="杨家坪街道某社区1栋",
               aliases=("家庭住址", "居住地址", "现住址", "地址", "住所")),
        Column("community", "社区代码", "Community code", required=True, example="500107001001",
               aliases=COMMUNITY_WORDS),
    ]

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.regions = RegionLookup(actor, "people.create",
                                    (RegionLevel.COMMUNITY, RegionLevel.GRID), "community")
        self.seen: set[str] = set()

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, "people.create"):
            raise NotFound()

    def parse(self, row: dict[str, Any], rownum: int) -> Person:
        values = clean_person_fields(name=row.get("name"), id_number=row.get("id_number"),
                               phone=row.get("phone"), address=row.get("address"))
        region = self.regions.get(row.get("community"))
        person = Person(region=region, region_path=region.path, **values)
        if person.id_number:
            bidx = blind_index(person.id_number)
            if bidx in self.seen:
                raise Conflict("该身份证号在本文件中重复", "This ID number appears twice in the file",
                               field="id_number")
            self.seen.add(bidx)
            visible = visible_persons(self.actor)
            if visible.filter(id_number_bidx=bidx).exists():
                raise RowSkipped("该身份证号已登记,未重复导入",
                                 "This ID number is already registered; not imported again",
                                 field="id_number")
            person.id_number_bidx = bidx
            person.birth_date = birth_date_from_id(person.id_number)
            person.gender = gender_from_id(person.id_number)
        if person.phone:
            person.phone_bidx = blind_index(person.phone)
        return person

    def write(self, rows: list[Person]) -> int:
        return len(Person.objects.bulk_create(rows, batch_size=1000))

    def finish(self, result: ImportResult) -> None:
        paths = self.regions.paths()
        audit.record(actor=self.actor, action=Action.PERSON_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "communities": paths[:50]})
