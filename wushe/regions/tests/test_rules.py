"""Local rules: default, settings, nearest override up the tree, district admins only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.regions import rules
from wushe.regions.rules import Rule
from wushe.regions.services import rule_clear, rule_set

RATIO = rules.define(Rule("test.ratio", Decimal("18"), "decimal", "每万人配备数", "Per 10,000",
                          "《社区工作者管理办法》", setting="WUSHE_TEST_RATIO",
                          minimum=Decimal("0"), maximum=Decimal("100")))
STARS = rules.define(Rule("test.stars", [100, 300], "int_list", "星级时长", "Star hours", "x"))


def test_default_then_setting(db):
    assert rules.value("test.ratio") == Decimal("18")
    with override_settings(WUSHE_TEST_RATIO=Decimal("20")):
        assert rules.value("test.ratio") == Decimal("20")


def test_nearest_override_up_the_tree(root, district, street, community_a, community_b):
    rule_set(actor=root, region=street, key="test.ratio", raw="19.5")
    rule_set(actor=root, region=community_a, key="test.ratio", raw="25")
    assert rules.value("test.ratio", community_a) == Decimal("25")
    assert rules.value("test.ratio", community_b) == Decimal("19.5")
    assert rules.value("test.ratio", district) == Decimal("18")
    rule_set(actor=root, region=community_a, key="test.stars", raw="50，150")
    assert rules.value("test.stars", community_a.path) == [50, 150]
    rule_clear(actor=root, region=community_a, key="test.ratio")
    assert rules.value("test.ratio", community_a) == Decimal("19.5")
    codes = list(AuditEvent.objects.unscoped().filter(action__startswith="regions.rule")
                 .values_list("action", flat=True))
    assert sorted(codes) == ["regions.rule.cleared", "regions.rule.set", "regions.rule.set",
                             "regions.rule.set"]


def test_bad_values_and_permissions(root, make_user, street, community_a, community_b):
    with pytest.raises(ValidationFailed):
        rule_set(actor=root, region=street, key="test.ratio", raw="-1")
    with pytest.raises(ValidationFailed):
        rule_set(actor=root, region=street, key="test.ratio", raw="abc")
    with pytest.raises(ValidationFailed):
        rule_set(actor=root, region=street, key="no.such", raw="1")
    street_staff = make_user("street_staff", street)
    with pytest.raises(PermissionDenied):
        rule_set(actor=street_staff, region=community_a, key="test.ratio", raw="3")
    staff_a = make_user("community_staff", community_a)
    with pytest.raises(NotFound):
        rule_set(actor=staff_a, region=community_b, key="test.ratio", raw="3")
