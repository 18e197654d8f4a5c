"""The demo keeps working under PIPL Art. 21 (#22 item 4): every demo organisation that can
receive needs has an entrusted-processing agreement in force, so a demo need with contact
details is dispatched to one; the eliminated and suspended have none to rely on anyway."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from wushe.accounts.models import User
from wushe.demo.build import BuildSummary, build_demo
from wushe.needs import services as needs
from wushe.needs.linkage import get
from wushe.needs.models import Need
from wushe.needs.workflow import State
from wushe.orgs.linkage import ACTIVE
from wushe.orgs.models import ProcessingAgreement, SocialOrganization
from wushe.orgs.selectors import orgs_with_agreement


@pytest.fixture
def built(db: Any, tmp_path: Path) -> BuildSummary:
    return build_demo(profile="small", seed=2026, out_dir=tmp_path)


def test_demo_organisations_that_receive_needs_have_an_agreement(built: BuildSummary) -> None:
    today = timezone.localdate()
    live = list(SocialOrganization.objects.unscoped().filter(status__in=ACTIVE)
                .values_list("pk", flat=True))
    assert live and orgs_with_agreement(live, today) == set(live)
    assert ProcessingAgreement.objects.unscoped().count() >= len(live)
    # a resident's need with contact details goes to one of them (the dispatch check passes)
    need = (Need.objects.unscoped().filter(state=State.SUBMITTED).exclude(contact_phone="")
            .first())
    assert need is not None
    staff = User.objects.get(username="district_admin")
    need = needs.need_accept(actor=staff, need=need)
    provider = get("organisation")
    assert provider is not None
    candidates = provider.suggest(need, limit=5)
    assert candidates
    done = needs.need_dispatch(actor=staff, need=need, assignments=[
        needs.AssignmentSpec("organisation", candidates[0].object_id, "lead")])
    assert done.state == State.DISPATCHED
