"""Person roster import (.xlsx) on the shared pipeline of core/excel.py."""

from __future__ import annotations

from typing import Any

from wushe.accounts import scope
from wushe.audit import services as audit
from wushe.audit.codes import Action
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.excel import Column, Importer, ImportResult, register
from wushe.core.ids import birth_date_from_id, gender_from_id, to_half_width
from wushe.people.models import Person
from wushe.people.services import clean_person_fields
from wushe.regions.models import Region, RegionLevel


@register
class PersonImporter(Importer):
    kind = "people"
    title_zh = "人员名单"
    title_en = "Person roster"
    columns = [
        Column("name", "姓名", "Name", required=True, example="张三"),
        Column("id_number", "身份证号", "ID number", example="11010519491231002X"),
        Column("phone", "手机号", "Phone", example="13912345678"),
        Column("address", "住址", "Address", example="杨家坪街道某社区1栋"),
        Column("community", "社区代码", "Community code", required=True, example="500107001001"),
    ]

    def __init__(self, actor: Any) -> None:
        super().__init__(actor)
        self.regions: dict[str, Region | None] = {}
        self.seen: set[str] = set()

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, "people.create"):
            raise NotFound()

    def _region(self, code: object) -> Region:
        key = to_half_width(str(code or "")).strip()
        if key.endswith(".0"):  # a code typed as a number in Excel (12 digits survive)
            key = key[:-2]
        if key not in self.regions:
            region = Region.objects.unscoped().filter(code=key).first()
            ok = (region is not None and region.level in (RegionLevel.COMMUNITY, RegionLevel.GRID)
                  and (self.actor is None or scope.covers(self.actor, "people.create", region.path)))
            self.regions[key] = region if ok else None
        region = self.regions[key]
        if region is None:  # unknown and out of scope look the same
            raise ValidationFailed(f"社区代码 {key} 不存在或不在您的管辖范围",
                                   f"Community code {key} does not exist or is outside your area",
                                   field="community")
        return region

    def parse(self, row: dict[str, Any], rownum: int) -> Person:
        values = clean_person_fields(name=row.get("name"), id_number=row.get("id_number"),
                               phone=row.get("phone"), address=row.get("address"))
        region = self._region(row.get("community"))
        person = Person(region=region, region_path=region.path, **values)
        if person.id_number:
            bidx = blind_index(person.id_number)
            if bidx in self.seen:
                raise Conflict("该身份证号在本文件中重复", "This ID number appears twice in the file",
                               field="id_number")
            self.seen.add(bidx)
            visible = (Person.objects.unscoped() if self.actor is None
                       else scope.visible(Person.objects, self.actor, "people.view"))
            if visible.filter(id_number_bidx=bidx).exists():
                raise Conflict("该身份证号已登记", "This ID number is already registered",
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
        paths = sorted({r.path for r in self.regions.values() if r is not None})
        audit.record(actor=self.actor, action=Action.PERSON_IMPORTED,
                     region_path=paths[0] if len(paths) == 1 else (paths[0][:6] if paths else ""),
                     data={"rows": result.imported, "communities": paths[:50]})
