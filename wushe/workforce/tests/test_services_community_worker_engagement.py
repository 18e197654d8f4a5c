"""A community worker's engagement (hired, or elected with role and term) and linked account:
set on the edit form, service and roster import; the adjustment path follows it."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, PermissionDenied, ValidationFailed
from wushe.core.excel import run_import
from wushe.orgs.tests.conftest import OrgWorld
from wushe.people.models import Person
from wushe.web.tests.factories import id_number
from wushe.workforce import services
from wushe.workforce.importers import CommunityWorkerImporter
from wushe.workforce.models import Adjustment, AdjustmentState, CommunityWorker, Engagement
from wushe.workforce.tests.conftest import community_worker_values
from wushe.workforce.tests.test_importers import xlsx

pytestmark = pytest.mark.django_db


def _hire(ow: OrgWorld, person: Person) -> CommunityWorker:
    return services.community_worker_create(actor=ow.users["admin"], person=person,
                                            community=ow.community_a,
                                            **community_worker_values())


def _update(ow: OrgWorld, worker: CommunityWorker, actor: str = "street",
            **values: object) -> CommunityWorker:
    base: dict[str, object] = {"community": ow.community_a, "education": worker.education,
                               "hired_on": worker.hired_on, "status": worker.status}
    return services.community_worker_update(actor=ow.users[actor], worker=worker,
                                            **{**base, **values})


def test_set_elected_with_role_and_default_term(ow: OrgWorld, persons: dict) -> None:
    worker = _update(ow, _hire(ow, persons["a1"]), engagement="elected",
                     elected_role="director", term_start="2021-06-01")
    worker.refresh_from_db()
    assert (worker.engagement, worker.elected_role) == (Engagement.ELECTED, "director")
    assert (worker.term_start, worker.term_end) == (dt.date(2021, 6, 1), dt.date(2026, 5, 31))
    event = AuditEvent.objects.unscoped().get(action="workforce.communityworker.updated",
                                              target_id=str(worker.pk))
    assert event.data["engagement"] == {"old": "hired", "new": "elected"}


def test_elected_needs_role_and_an_ordered_term(ow: OrgWorld, persons: dict) -> None:
    worker = _hire(ow, persons["a1"])
    with pytest.raises(ValidationFailed) as role:
        _update(ow, worker, engagement="elected", term_start="2021-06-01")
    assert role.value.field == "elected_role"
    with pytest.raises(ValidationFailed) as order:
        _update(ow, worker, engagement="elected", elected_role="member",
                term_start="2021-06-01", term_end="2020-01-01")
    assert order.value.code == "term_order"
    with pytest.raises(ValidationFailed):
        _update(ow, worker, engagement="appointed")
    worker = CommunityWorker.objects.unscoped().get(pk=worker.pk)
    assert (worker.engagement, worker.elected_role, worker.term_start) == ("hired", "", None)


def test_back_to_hired_clears_role_and_term(ow: OrgWorld, persons: dict) -> None:
    worker = _update(ow, _hire(ow, persons["a1"]), engagement="elected",
                     elected_role="member", term_start="2021-06-01")
    worker = _update(ow, worker, engagement="hired", elected_role="member",
                     term_start="2021-06-01")
    worker.refresh_from_db()
    assert (worker.engagement, worker.elected_role, worker.term_start) == ("hired", "", None)


def test_link_an_account_of_the_community_only(ow: OrgWorld, persons: dict, make_user) -> None:
    own = make_user("community_staff", ow.community_a, "worker_own")
    make_user("community_staff", ow.community_c, "worker_other")
    worker = _hire(ow, persons["a1"])
    for name in ("worker_other", "nobody_here"):  # another community's reads like missing
        with pytest.raises(ValidationFailed) as exc:
            _update(ow, worker, account=name)
        assert exc.value.code == "account_unknown"
        assert "worker_other" not in exc.value.en
    worker = _update(ow, worker, account="worker_own")
    assert CommunityWorker.objects.unscoped().get(pk=worker.pk).account_id == own.pk
    second = _hire(ow, persons["a2"])
    with pytest.raises(Conflict):
        _update(ow, second, account="worker_own")
    _update(ow, worker, account="")
    assert CommunityWorker.objects.unscoped().get(pk=worker.pk).account_id is None


def test_engagement_cannot_change_during_an_adjustment(ow: OrgWorld, persons: dict) -> None:
    worker = _hire(ow, persons["a1"])
    services.appraisal_record(actor=ow.users["street"], worker=worker, year=2024,
                              result="incompetent")
    with pytest.raises(Conflict) as exc:
        _update(ow, worker, engagement="elected", elected_role="member",
                term_start="2021-06-01")
    assert exc.value.code == "adjustment_open"


def test_elected_member_adjustment_records_the_lawful_procedure(ow: OrgWorld,
                                                               persons: dict) -> None:
    worker = _update(ow, _hire(ow, persons["a1"]), engagement="elected",
                     elected_role="member", term_start="2021-06-01")
    appraisal = services.appraisal_record(actor=ow.users["street"], worker=worker, year=2024,
                                          result="incompetent")
    adjustment = Adjustment.objects.unscoped().get(appraisal=appraisal)
    assert adjustment.engagement == Engagement.ELECTED
    with pytest.raises(Conflict):
        services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                    kind="dismissal", reason="不称职")
    services.adjustment_record_procedure(actor=ow.users["staff_a"], adjustment=adjustment,
                                         kind="resignation", procedure_on="2024-12-01",
                                         minutes="辞职书")
    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.RECORDED


def test_hired_worker_adjustment_needs_the_street(ow: OrgWorld, persons: dict) -> None:
    worker = _hire(ow, persons["a1"])
    appraisal = services.appraisal_record(actor=ow.users["street"], worker=worker, year=2024,
                                          result="incompetent")
    adjustment = Adjustment.objects.unscoped().get(appraisal=appraisal)
    services.adjustment_propose(actor=ow.users["street"], adjustment=adjustment,
                                kind="dismissal", reason="不称职")
    with pytest.raises(PermissionDenied):
        services.adjustment_approve(actor=ow.users["staff_a"], adjustment=adjustment)
    with pytest.raises(Conflict):
        services.adjustment_record_procedure(actor=ow.users["staff_a"], adjustment=adjustment,
                                             kind="resignation", procedure_on="2024-12-01",
                                             minutes="辞职书")


def test_edit_page_sets_an_elected_member(ow: OrgWorld, persons: dict) -> None:
    worker = _hire(ow, persons["a1"])
    client = ow.client("street")
    url = f"/workforce/community-workers/{worker.pk}/edit"
    form = {"community": ow.community_a.code, "education": "bachelor",
            "hired_on": "2019-06-01", "status": "active", "engagement": "elected",
            "elected_role": "", "term_start": "2021-06-01", "term_end": "", "account": ""}
    assert client.post(url, form).status_code == 400  # no role
    assert client.post(url, {**form, "elected_role": "secretary"}).status_code == 302
    worker.refresh_from_db()
    assert (worker.engagement, worker.elected_role) == ("elected", "secretary")
    html = client.get(f"/workforce/community-workers/{worker.pk}/").content.decode()
    assert "2021" in html


def test_import_reads_the_optional_engagement_columns(ow: OrgWorld, persons: dict) -> None:
    rows = [["陈晓", persons["a1"].id_number, "", "", ow.community_a.code, "3", "4", "本科",
             "2018-03-01", "", "选举", "书记", "2021-06-01"],
            ["新同事", id_number(birth="19880808", seq="902"), "", ow.community_a.code,
             ow.community_a.code, "3", "", "大专", "2010-01-01"]]
    result = run_import("community-workers", xlsx(CommunityWorkerImporter, rows),
                        actor=ow.users["street"])
    assert result.ok and result.imported == 2, result.as_dict()
    elected = CommunityWorker.objects.unscoped().get(person=persons["a1"])
    assert (elected.engagement, elected.elected_role, elected.term_end) == (
        "elected", "secretary", dt.date(2026, 5, 31))
    hired = CommunityWorker.objects.unscoped().exclude(pk=elected.pk).get()
    assert (hired.engagement, hired.elected_role) == ("hired", "")


def test_import_refuses_an_elected_row_without_a_role(ow: OrgWorld, persons: dict) -> None:
    rows = [["陈晓", persons["a1"].id_number, "", "", ow.community_a.code, "3", "4", "本科",
             "2018-03-01", "", "选举", "", "2021-06-01"]]
    result = run_import("community-workers", xlsx(CommunityWorkerImporter, rows),
                        actor=ow.users["street"])
    assert not result.ok and result.imported == 0
    assert not CommunityWorker.objects.unscoped().exists()
