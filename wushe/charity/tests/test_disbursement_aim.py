"""A disbursement's aim (issue #19: 救助 / 慰问困境儿童 / 免费门诊 / 社会工作服务): set through the
service, audited, refused when unknown; the special-fund KPIs count paid payments by aim."""

from __future__ import annotations

import pytest

from wushe.audit.models import AuditEvent
from wushe.charity import services
from wushe.charity.models import Disbursement, Fund
from wushe.core.errors import ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.reports.kpis import Period, compute

pytestmark = pytest.mark.django_db
KEYS = ["charity.special_funds.relief_person_times", "charity.special_funds.children_visited",
        "charity.special_funds.clinic_visits"]


def _ask(admin, fund: Fund, aim: str, count: int = 3) -> Disbursement:
    return services.disbursement_request(actor=admin, fund=fund, amount="100", purpose="救助",
                                         beneficiary_kind="project", beneficiary_label="慰问",
                                         beneficiary_count=count, aim=aim)


def test_paid_payments_count_by_their_aim(funded, admin, manager, district) -> None:
    relief = _ask(admin, funded, "relief", 3)
    clinic = _ask(admin, funded, "clinic", 2)
    _ask(admin, funded, "children", 5)  # requested, never paid: not counted
    other = _ask(admin, funded, "other", 7)
    for d in (relief, clinic, other):
        services.disbursement_approve(actor=manager, disbursement=d)
        services.disbursement_pay(actor=admin, disbursement=d)
    with scopes_disabled():
        assert compute(district.path, Period.all(), KEYS) == {
            KEYS[0]: 3, KEYS[1]: 0, KEYS[2]: 2}
        event = (AuditEvent.objects.filter(target_type__endswith="disbursement",
                                           target_id=str(relief.pk)).order_by("id").first())
    assert event is not None and event.data["aim"] == "relief"


@pytest.mark.parametrize("bad", ["", "RELIEF", "relief;drop", "x" * 40])
def test_an_unknown_aim_is_refused_and_nothing_is_written(funded, admin, bad) -> None:
    with scopes_disabled():
        before = Disbursement.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _ask(admin, funded, bad)
    assert caught.value.field == "aim"
    with scopes_disabled():
        assert Disbursement.objects.count() == before
