"""The ledger's hash chain switches from SHA-256 to SM3 at a given entry (issue #22 item 3):
verify checks both sides and names a tampered entry on either."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from wushe.charity import chain, services
from wushe.charity.models import LedgerEntry
from wushe.charity.tests.test_ledger import _drop_triggers
from wushe.charity.verify import verify

SWITCH = 3


@pytest.fixture
def switched(settings, funded, individual, give, admin, manager):
    """Entry 1 (funded) and 2 under SHA-256; 3 and 4 under SM3."""
    settings.WUSHE_LEDGER_SM3_FROM = SWITCH
    give(funded, individual, "250.50")
    d = services.disbursement_request(actor=admin, fund=funded, amount="1200", purpose="住院救助",
                                      beneficiary_kind="project", project_id=3,
                                      beneficiary_label="困难群众助医项目", beneficiary_count=4)
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d, payment_ref="PZ-001")
    services.disbursement_reverse(actor=admin, disbursement=d, reason="重复支付已退回")
    return funded


def test_chain_verifies_across_the_switch(switched, settings):
    entries = list(LedgerEntry.objects.unscoped().order_by("seq"))
    assert len(entries) == 4
    for e in entries:
        postings = [(p.account.fund_id, p.account.code, chain.money(p.debit), chain.money(p.credit))
                    for p in e.postings.unscoped().select_related("account")]
        body = chain.canonical(seq=e.seq, prev_hash=e.prev_hash, fund_id=e.fund_id, kind=e.kind,
                               occurred_at=chain.utc_text(e.occurred_at), ref=e.ref, memo=e.memo,
                               reverses=e.reverses_id, postings=postings)
        algorithm = "sm3" if e.seq >= SWITCH else "sha256"
        assert e.hash == hashlib.new(algorithm, body).hexdigest()
    assert entries[SWITCH - 1].prev_hash == entries[SWITCH - 2].hash  # linked across
    result = verify()
    assert result.ok, result.problems
    assert result.entries == 4 and result.sm3_from == SWITCH
    # Without the switch, verify reads entries 3 and 4 as SHA-256 and says the setting moved.
    settings.WUSHE_LEDGER_SM3_FROM = 0
    moved = verify()
    assert moved.first_broken is not None and moved.first_broken.seq == SWITCH
    assert moved.first_broken.code == "algorithm"


@pytest.mark.parametrize("seq", [2, 4], ids=["sha256-side", "sm3-side"])
def test_verify_names_a_tampered_entry_on_either_side(switched, seq, capsys):
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE charity_ledgerentry SET memo = %s WHERE seq = %s", ["改过的摘要", seq])
    result = verify()
    assert result.first_broken is not None
    assert (result.first_broken.seq, result.first_broken.code) == (seq, "content")
    with pytest.raises(SystemExit):
        call_command("ledger", "verify")
    assert f"#{seq}" in capsys.readouterr().out


def test_append_many_switches_like_post(funded):
    from django.utils import timezone

    with override_settings(WUSHE_LEDGER_SM3_FROM=2):
        chain.append_many([chain.BulkEntry(
            fund_id=funded.pk, region_path=funded.region_path, kind="donation", ref=f"bulk:{i}",
            memo="", occurred_at=timezone.now(),
            lines=(chain.Line(funded.pk, "cash", debit=chain.CENT),
                   chain.Line(funded.pk, "income", credit=chain.CENT))) for i in range(3)])
        assert verify().ok
    assert not verify().ok  # the same rows read without the switch
