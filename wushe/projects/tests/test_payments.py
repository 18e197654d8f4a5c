"""Payments: a tranche is paid only once its gate stage passed (hooks.stage_passed), never
above what is left of it; every payment is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.projects import hooks, services
from wushe.projects.models import ContractTranche, Payment, Status


def _tranche(project, seq):
    return ContractTranche.objects.unscoped().get(contract__project=project, seq=seq)


def test_signing_tranche_is_paid_without_evaluation(pw, gate):
    project = pw.walk(pw.design(), Status.CONTRACTED, amount="100000")
    pay = services.payment_make(actor=pw.admin, tranche=_tranche(project, 1), amount="30000",
                                reference="ZF001")
    assert pay.amount == Decimal("30000.00") and _tranche(project, 1).paid == Decimal("30000")
    event = AuditEvent.objects.unscoped().get(action="projects.payment.made")
    assert event.data["amount"] == "30000.00" and event.data["tranche"] == 1


@pytest.mark.parametrize(("answer", "code"), [(None, "gate_pending"), (False, "gate_failed")])
def test_gated_tranche_is_blocked(pw, gate, answer, code):
    project = pw.walk(pw.design(), Status.MIDTERM_EVALUATED, amount="100000")
    gate["midterm"] = answer
    with pytest.raises(Conflict) as exc:
        services.payment_make(actor=pw.admin, tranche=_tranche(project, 2), amount="1000")
    assert exc.value.code == code and exc.value.zh and exc.value.en
    assert not Payment.objects.unscoped().filter(project=project).exists()
    assert _tranche(project, 2).paid == 0


def test_gated_tranche_is_paid_once_passed(pw, gate):
    project = pw.walk(pw.design(), Status.MIDTERM_EVALUATED, amount="100000")
    gate["midterm"] = True
    services.payment_make(actor=pw.admin, tranche=_tranche(project, 2), amount="15000")
    services.payment_make(actor=pw.admin, tranche=_tranche(project, 2), amount="25000")
    assert _tranche(project, 2).paid == Decimal("40000")
    with pytest.raises(ValidationFailed):  # nothing left
        services.payment_make(actor=pw.admin, tranche=_tranche(project, 2), amount="0.01")
    with pytest.raises(Conflict):  # the final stage is still pending
        services.payment_make(actor=pw.admin, tranche=_tranche(project, 3), amount="1")


def test_no_gate_registered_means_not_passed(pw):
    saved = list(hooks.GATES)
    hooks.GATES.clear()
    try:
        project = pw.walk(pw.design(), Status.FINAL_EVALUATED)
        with pytest.raises(Conflict) as exc:
            services.payment_make(actor=pw.admin, tranche=_tranche(project, 3), amount="1")
        assert exc.value.code == "gate_pending"
    finally:
        hooks.GATES.extend(saved)


def test_amount_above_the_tranche_is_refused(pw, gate):
    project = pw.walk(pw.design(), Status.CONTRACTED, amount="100000")
    with pytest.raises(ValidationFailed) as exc:
        services.payment_make(actor=pw.admin, tranche=_tranche(project, 1), amount="30000.01")
    assert exc.value.field == "amount"
    assert _tranche(project, 1).paid == 0


@pytest.mark.parametrize("amount", ["-100", "0", "abc", "1e30", "12.345", "<script>1</script>"])
def test_bad_amounts_are_refused(pw, gate, amount):
    project = pw.walk(pw.design(), Status.CONTRACTED, amount="100000")
    with pytest.raises(ValidationFailed):
        services.payment_make(actor=pw.admin, tranche=_tranche(project, 1), amount=amount)
    assert not Payment.objects.unscoped().exists()


def test_full_width_digits_are_read(pw, gate):
    project = pw.walk(pw.design(), Status.CONTRACTED, amount="１０００００")
    pay = services.payment_make(actor=pw.admin, tranche=_tranche(project, 1), amount="３０００.５")
    assert pay.amount == Decimal("3000.50")


def test_only_payers_pay(pw, gate):
    project = pw.walk(pw.design(), Status.CONTRACTED)
    with pytest.raises(PermissionDenied):
        services.payment_make(actor=pw.users["street"], tranche=_tranche(project, 1), amount="1")
    with pytest.raises(NotFound):
        services.payment_make(actor=pw.users["street_b"], tranche=_tranche(project, 1),
                              amount="1")
