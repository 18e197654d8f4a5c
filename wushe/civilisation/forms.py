"""Page forms of the civilisation app: parse input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.civilisation.models import PartnerKind, PracticeLevel
from wushe.regions.models import Region, Site
from wushe.web.forms import PageForm, date_field, indent, set_choices


class SiteForm(PageForm):
    level = forms.ChoiceField(label=_("Level"), choices=PracticeLevel.choices)
    region = forms.ChoiceField(label=_("Region"))
    name = forms.CharField(label=_("Name"), max_length=100)
    leader_name = forms.CharField(label=_("Accountable leader (书记)"), max_length=50)
    leader_post = forms.CharField(label=_("Leader's post"), max_length=60, required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", [(r.code, indent(r)) for r in regions])
        self.fields["region"].help_text = _(
            "A centre is at the district, an institute at a street, a station at a community; "
            "it goes under the site of the region above.")


class SiteEditForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    leader_name = forms.CharField(label=_("Accountable leader (书记)"), max_length=50)
    leader_post = forms.CharField(label=_("Leader's post"), max_length=60, required=False)
    others = forms.MultipleChoiceField(label=_("Other names (same place)"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "others", [(str(s.pk), s.name) for s in sites])
        self.fields["others"].help_text = _(
            "三块牌子、一套人马: the party centre or social work room that is the same place.")


class PairingForm(PageForm):
    community = forms.ChoiceField(label=_("Community"))
    partner_kind = forms.ChoiceField(label=_("Partner kind"), choices=PartnerKind.choices)
    partner_name = forms.CharField(label=_("Partner"), max_length=100)
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"), required=False)

    def __init__(self, *args: Any, communities: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "community", [(r.code, indent(r)) for r in communities])


class PairingEditForm(PageForm):
    partner_name = forms.CharField(label=_("Partner"), max_length=100)
    ends_on = date_field(_("Ends on"), required=False)
