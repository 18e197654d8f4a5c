"""Shared pieces of the back office (django.contrib.admin): scope and read-mostly.

Region-bound models use a ScopedManager whose queries refuse to run unscoped, so every
ModelAdmin here applies ``accounts.scope.visible`` to its own queryset and to the choices of
its foreign keys. Writes, where the admin allows them, still go through services; the model
form's own uniqueness and constraint checks are skipped because the service makes them
(inside scope) and because they would query the scoped managers unscoped.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from wushe.accounts import scope
from wushe.core.errors import WusheError
from wushe.core.scoping import ScopedQuerySet

# The permission that lets an actor see rows of each region-bound model.
VIEW_PERMS = {
    "regions.region": "regions.view",
    "regions.site": "sites.view",
    "people.person": "people.view",
    "people.consent": "people.view",
    "accounts.rolegrant": "grants.manage",
    "audit.auditevent": "audit.view",
    "audit.piiaccess": "audit.view",
}


def view_perm(model: type[models.Model]) -> str:
    """The permission to see a model's rows: listed above, else its app's "<app>.view"."""
    from wushe.accounts.roles import ALL_PERMISSIONS

    label = model._meta.label_lower
    if label in VIEW_PERMS:
        return VIEW_PERMS[label]
    app_view = f"{model._meta.app_label}.view"
    return app_view if app_view in ALL_PERMISSIONS else "audit.view"


def scoped(qs: models.QuerySet[Any] | models.Manager[Any], request: HttpRequest,
           perm: str | None = None) -> models.QuerySet[Any]:
    queryset = qs.all() if isinstance(qs, models.Manager) else qs
    if not isinstance(queryset, ScopedQuerySet):
        return queryset
    return scope.visible(queryset, request.user, perm or view_perm(queryset.model))


class ServiceModelForm(forms.ModelForm):
    """Parses admin input; the service validates, including uniqueness, inside scope."""

    def validate_unique(self) -> None:
        return None

    def validate_constraints(self) -> None:
        return None


class ScopedAdmin(admin.ModelAdmin):
    form = ServiceModelForm

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scoped(super().get_queryset(request), request, view_perm(self.model))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if "queryset" not in kwargs:
            qs = related._default_manager.all()
            if isinstance(qs, ScopedQuerySet):
                kwargs["queryset"] = scoped(qs, request, view_perm(related))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: dict[str, Any] | None = None
                        ) -> HttpResponse:
        # A refusal from a service (raised in save_model) rolls the admin's transaction back
        # and comes back as a message on the same page, never as a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WusheError as exc:
            self.message_user(request, exc.localized(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(ScopedAdmin):
    """View only: the records are written by services (or are append-only history)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedInline(admin.TabularInline):
    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scoped(super().get_queryset(request), request, view_perm(self.model))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if "queryset" not in kwargs:
            qs = related._default_manager.all()
            if isinstance(qs, ScopedQuerySet):
                kwargs["queryset"] = scoped(qs, request, view_perm(related))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def adopt(obj: models.Model, created: models.Model) -> None:
    """Make the admin's unsaved instance stand for the row a service created."""
    for field in created._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding = False
    obj._state.db = created._state.db
