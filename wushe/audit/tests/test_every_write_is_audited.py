"""Every service write leaves an AuditEvent in the same transaction."""

from __future__ import annotations

import pytest

from wushe.accounts import services as accounts
from wushe.audit.models import AuditEvent
from wushe.core.errors import ValidationFailed
from wushe.people import services as people
from wushe.regions import services as regions


def actions() -> list[str]:
    return list(AuditEvent.objects.unscoped().order_by("id").values_list("action", flat=True))


def test_each_service_write_records_its_event(root, district, street, community_a, staff_a):
    before = len(actions())
    regions.region_update(actor=root, region=community_a, population=9000)
    site = regions.site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社工室")
    p = people.person_create(actor=staff_a, region=community_a, name="张三")
    people.person_update(actor=staff_a, person=p, name="张三丰")
    c = people.consent_give(actor=staff_a, person=p, purpose="service", scope_text="社区服务")
    people.consent_withdraw(actor=staff_a, consent=c)
    grant = accounts.grant_add(actor=root, user=staff_a, role="social_worker", region=community_a)
    accounts.grant_revoke(actor=root, grant=grant)
    raw, token = accounts.token_create(actor=staff_a)
    accounts.token_revoke(actor=staff_a, token=token)
    got = actions()[before:]
    assert got == [
        "regions.region.updated", "regions.site.created", "people.person.created",
        "people.person.updated", "people.consent.given", "people.consent.withdrawn",
        "accounts.grant.created", "accounts.grant.revoked", "accounts.token.created",
        "accounts.token.revoked",
    ]
    ev = AuditEvent.objects.unscoped().get(action="regions.region.updated")
    assert ev.data == {"population": {"old": 8000, "new": 9000}}
    assert ev.region_path == "500107001001"
    assert site.region_path == community_a.path


def test_failed_write_leaves_no_event_and_no_row(root, community_a):
    before = actions()
    with pytest.raises(ValidationFailed):
        regions.site_create(actor=root, region=community_a, kind="sw_station", name="错层社工站")
    with pytest.raises(ValidationFailed):
        regions.region_update(actor=root, region=community_a, population=-5)
    assert actions() == before


# --- every app: entry points are services, and every service audits its writes (#23 item 4) ---

def _services_modules() -> list[str]:
    """Every services module of every app: ``app/services.py`` and ``app/services/*.py``,
    except ``_private`` modules (helpers shared inside the package) and ``__init__``."""
    import pkgutil
    from importlib import import_module

    from django.apps import apps as django_apps

    out = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("wushe.") or config.name == "wushe.core":
            continue  # core.services is the decorator itself
        try:
            package = import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        if not hasattr(package, "__path__"):
            out.append(package.__name__)
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_"):
                out.append(f"{package.__name__}.{info.name}")
    return sorted(out)


def _public_functions(module_name: str) -> list[tuple[str, object]]:
    import inspect
    from importlib import import_module

    module = import_module(module_name)
    return [(name, fn) for name, fn in vars(module).items()
            if not name.startswith("_") and inspect.isfunction(fn)
            and getattr(fn, "__module__", "") == module_name]


def test_every_public_function_of_a_services_module_is_a_service():
    from wushe.core.services import is_service

    modules = _services_modules()
    assert len(modules) > 40, "the walk found almost no services modules"
    helpers = [f"{module}.{name}" for module in modules
               for name, fn in _public_functions(module) if not is_service(fn)]
    assert helpers == [], ("public functions of services modules must be @service entry points; make "
                           f"helpers _private or move them out of the services module: {helpers}")


def test_a_service_that_writes_without_auditing_fails_and_writes_nothing(community_a):
    from wushe.core.services import UnauditedWrite, service
    from wushe.regions.models import Region

    @service
    def rename_silently(region: Region) -> None:
        Region.objects.unscoped(reason="test").filter(pk=region.pk).update(name="无痕改名")

    with pytest.raises(UnauditedWrite, match="regions_region"):
        rename_silently(community_a)
    assert Region.objects.unscoped(reason="test").get(pk=community_a.pk).name != "无痕改名"


def test_a_nested_service_counts_for_the_outer_one(root, community_a):
    from wushe.core.services import service

    @service
    def outer(region) -> None:
        regions.region_update(actor=root, region=region, population=9100)  # audits
        type(region).objects.unscoped(reason="test").filter(pk=region.pk).update(population=9200)

    outer(community_a)  # one audited write covers the transaction: no UnauditedWrite
    assert type(community_a).objects.unscoped(reason="test").get(pk=community_a.pk).population == 9200
