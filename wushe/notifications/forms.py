"""The preference form: the service (inapp.preference_update) validates the mobile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Email"), required=False)
    sms = forms.BooleanField(label=_("SMS"), required=False)
    chat = forms.BooleanField(label=_("Work chat"), required=False)
    phone = forms.CharField(label=_("Mobile for SMS"), required=False, max_length=40,
                            help_text=_("Leave empty to keep the number shown; 11 digits, "
                                        "a mainland mobile."))
    clear_phone = forms.BooleanField(label=_("Remove the mobile"), required=False)
    quiet_hours = forms.BooleanField(label=_("Quiet hours 22:00–08:00 (urgent messages still "
                                             "come)"), required=False)
    digest = forms.BooleanField(label=_("One daily digest instead of single messages"),
                                required=False)


class OutboxFilterForm(forms.Form):
    state = forms.CharField(required=False, max_length=10)
    channel = forms.CharField(required=False, max_length=8)
