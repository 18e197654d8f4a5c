"""Writes of social workers and their training."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.people.models import Person
from wushe.regions.models import Region, Site
from wushe.workforce import validation
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.models import (
    SocialWorker,
    Training,
    TrainingKind,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MANAGE = "workforce.manage"
VIEW = "workforce.view"
MAX_TRAINING_HOURS = Decimal(500)



def _check_certificate_free(number: str | None, exclude_pk: int | None = None) -> None:
    if not number:
        return
    taken = SocialWorker.objects.unscoped(reason="uniqueness check, no row shown").filter(certificate_number=number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict("该证书编号已被登记", "This certificate number is already registered",
                       code="duplicate_certificate", field="certificate_number")


@service
def social_worker_create(*, actor: Actor, person: Person, region: Region | None = None,
                         site: Site | None = None, **values: Any) -> SocialWorker:
    if site is None and region is None:
        raise ValidationFailed("请选择服务站点或工作地区", "Choose the placement site or the region "
                               "of work", code="required", field="region")
    target = site.region if site is not None else region
    assert target is not None
    scope.require_region(actor, MANAGE, target.path)
    worker = validation.prepare_social_worker(person=person, region=region, site=site, values=values)
    if SocialWorker.objects.filter(person=person).exists():
        raise Conflict("该人员已登记为社会工作者", "This person is already a registered social worker",
                       code="duplicate_worker", field="id_number")
    _check_certificate_free(worker.certificate_number)
    worker.save()
    audit.record(actor=actor, action=WorkforceAction.SOCIAL_WORKER_CREATED, target=worker,
                 label=person.masked_name, data=_snapshot(worker))
    return worker


def _snapshot(worker: SocialWorker) -> dict[str, Any]:
    return {"region": worker.region_path, "site": worker.site_id,
            "certificate_level": worker.certificate_level,
            "certificate_number": worker.certificate_number, "employer": worker.employer_id,
            "status": worker.status, "hired_on": str(worker.hired_on or "")}


@service
def social_worker_update(*, actor: Actor, worker: SocialWorker, region: Region | None = None,
                         site: Site | None = None, **values: Any) -> SocialWorker:
    scope.require(actor, MANAGE, worker, view_perm=VIEW)
    fresh = validation.prepare_social_worker(person=worker.person, region=region or worker.region,
                                  site=site, values=values)
    if fresh.region_path != worker.region_path:
        scope.require_region(actor, MANAGE, fresh.region_path)
    _check_certificate_free(fresh.certificate_number, exclude_pk=worker.pk)
    old = _snapshot(worker)
    for f in ("region", "region_path", "site", "certificate_level", "certificate_number",
              "certified_on", "employer", "status", "hired_on"):
        setattr(worker, f, getattr(fresh, f))
    new = _snapshot(worker)
    changes = audit.diff(old, new)
    if changes:
        worker.save()
        audit.record(actor=actor, action=WorkforceAction.SOCIAL_WORKER_UPDATED, target=worker,
                     label=worker.person.masked_name, data=changes)
    return worker


@service
def training_record(*, actor: Actor, worker: SocialWorker, kind: object, title: object,
                    hours: object, on: object, provider: object = "") -> Training:
    scope.require(actor, MANAGE, worker, view_perm=VIEW)
    training = Training.objects.create(
        worker=worker, region_path=worker.region_path,
        kind=cleaning.choice(kind, TrainingKind, "kind", "培训形式", "Kind of training"),
        title=cleaning.text(title, "title", "培训名称", "Title", 150, required=True),
        hours=cleaning.decimal(hours, "hours", "学时", "Hours", minimum=Decimal("0.5"),
                               maximum=MAX_TRAINING_HOURS, places=1, required=True),
        on=cleaning.date(on, "on", "培训日期", "Date", required=True) or dt.date.today(),
        provider=cleaning.text(provider, "provider", "培训机构", "Provider", 150),
        by=user_or_none(actor))
    audit.record(actor=actor, action=WorkforceAction.TRAINING_RECORDED, target=worker,
                 label=worker.person.masked_name,
                 data={"kind": training.kind, "hours": str(training.hours), "on": str(training.on)})
    return training
