"""Form base: Bootstrap classes on every widget, invalid fields marked for screen readers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy

from wushe.core.apitypes import MAX_ID, MAX_SMALL
from wushe.regions.models import Region, RegionLevel


def bound_integer(name: str, field: forms.IntegerField) -> None:
    """A whole number with no bound of its own gets the database's: an id (``*_id``) what a
    64-bit key holds, any other number what a 32-bit column holds. Unbounded, 2**64 passed the
    form and reached the database as an overflow (a 500) instead of an error by the field."""
    largest = MAX_ID if name.endswith("_id") else MAX_SMALL
    if field.max_value is None:
        field.max_value = largest
        field.validators.append(MaxValueValidator(largest))
        field.widget.attrs.setdefault("max", str(largest))
    if field.min_value is None:
        field.min_value = -largest - 1
        field.validators.append(MinValueValidator(-largest - 1))


class PageForm(forms.Form):
    """A plain form: parses and shows input; the rules live in the services."""

    template_name = "web/form_div.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField):
                bound_integer(name, field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class FilterForm(PageForm):
    """GET filters: an invalid value is reported next to its field, never a server error."""


class ImportForm(PageForm):
    """Every import page's form; the rules live in core/excel.py's pipeline."""

    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx, .xls, .ods or .csv)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Check only (dry run): write nothing"),
                                 required=False, initial=True)
    valid_only = forms.BooleanField(
        label=gettext_lazy("Write the valid rows even if others fail"), required=False)


class ColumnMapForm(PageForm):
    """Which sheet column holds each field: one select per field of the importer, offering
    the header row's cells; the rules (required fields, no column twice) are the pipeline's."""

    def __init__(self, *args: Any, columns: list[Any], headers: list[tuple[str, str]],
                 lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext_lazy("(not in this file)")), *headers]
        for col in columns:
            label = col.en if lang == "en" else col.zh
            self.fields[f"f_{col.key}"] = forms.ChoiceField(
                label=f"{label} *" if col.required else label, choices=choices,
                required=False)
        self.fields["remember"] = forms.BooleanField(
            label=gettext_lazy("Remember this mapping for my next imports"), required=False,
            initial=True)
        for field in self.fields.values():  # added after PageForm styled its own fields
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) \
                else "form-select"
            field.widget.attrs.setdefault("class", css)

    def mapping(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items()
                if name.startswith("f_") and value}


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    """A date as ``<input type=date>``: the value is rendered ISO, because the browser ignores
    a localised one (2026年11月24日 or 2026/11/24) and the field would show blank."""
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


def indent(region: Region) -> str:
    """A region's name indented by its level, for a select of the region tree."""
    depth = {RegionLevel.DISTRICT: 0, RegionLevel.STREET: 1, RegionLevel.COMMUNITY: 2}.get(
        RegionLevel(region.level), 3)
    return "\u3000" * depth + region.name


def blank_first(label: Any, choices: Any) -> list[tuple[str, Any]]:
    """Choices with an empty first option labelled ``label`` ("All …")."""
    return [("", label), *choices]
