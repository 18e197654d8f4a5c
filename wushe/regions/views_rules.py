"""Local rules page: every rule with its default and source, and the overrides per region."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.regions import rules, selectors, services
from wushe.regions.models import RegionLevel
from wushe.regions.rules import RULES, Rule
from wushe.web.forms import PageForm, set_choices
from wushe.web.pages import Submitted, render_page, submit


def _label(rule: Rule) -> str:
    return rule.label()


class RuleForm(PageForm):
    key = forms.ChoiceField(label=gettext_lazy("Rule"))
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    value = forms.CharField(label=gettext_lazy("Value"), max_length=200,
                            help_text=gettext_lazy("Lists are separated by commas."))

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "key", [(r.key, _label(r)) for r in sorted(RULES.values(),
                                                                     key=lambda r: r.key)])
        set_choices(self, "region", [(r.code, r.name) for r in regions])


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, "regions.view"):
        raise NotFound()
    can_manage = scope.has_perm(actor, "rules.manage")
    regions = [r for r in selectors.region_list(actor=actor).filter(
        level__in=(RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY))
        .only("code", "name", "path", "level") if scope.covers(actor, "rules.manage", r.path)]
    form = RuleForm(request.POST or None, regions=regions,
                    initial={"key": request.GET.get("key", "")})
    outcome = Submitted(False)
    if request.method == "POST":
        if not can_manage:
            raise NotFound()
        outcome = submit(form, lambda d: services.rule_set(
            actor=actor, region=selectors.region_get(actor=actor, code=d["region"]),
            key=d["key"], raw=d["value"]))
        if outcome.done:
            messages.success(request, _("The rule has been set for the region."))
            return redirect("regions:rules")
    overrides: dict[str, list[Any]] = {}
    for o in selectors.rule_overrides(actor=actor):
        o.shown = (RULES[o.key].shown(RULES[o.key].from_json(o.value)) if o.key in RULES  # type: ignore[attr-defined]
                   else str(o.value))
        overrides.setdefault(o.key, []).append(o)
    docs = rules.documents(actor=actor, keys={r.doc for r in RULES.values() if r.doc})
    rows = [{"rule": r, "label": _label(r), "default": r.shown(r.base()),
             "document": docs.get(r.doc), "source": r.source,
             "overrides": overrides.get(r.key, [])} for r in sorted(RULES.values(),
                                                                    key=lambda r: r.key)]
    return render_page(request, "regions/rules.html", {
        "rows": rows, "form": form if can_manage else None, "can_manage": can_manage,
    }, status=outcome.status)


@login_required
@require_POST
def rule_clear(request: HttpRequest, code: str, key: str) -> HttpResponse:
    actor = request.user
    region = selectors.region_get(actor=actor, code=code)
    services.rule_clear(actor=actor, region=region, key=key)
    messages.success(request, _("The region now follows the rule above it."))
    return redirect("regions:rules")
