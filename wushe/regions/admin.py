"""Back office for regions and sites. Writes go through the services (audited, in scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wushe.regions import services
from wushe.regions.models import Region, Site
from wushe.web.adminkit import ScopedAdmin, adopt


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "kind", "population", "households")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    ordering = ("code",)
    fields = ("code", "name", "kind", "parent", "population", "households", "level", "path",
              "created_at", "updated_at")
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        always = ("level", "path", "created_at", "updated_at")
        # Code, kind and parent fix the region's place in the tree: set once, at creation.
        return (*always, "code", "kind", "parent") if obj is not None else always

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # regions are referenced by everything; retire them, never delete

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        if change:
            original = Region.objects.unscoped(reason="admin: the service below checks the actor").get(pk=obj.pk)
            updated = services.region_update(actor=request.user, region=original,
                                             name=obj.name, population=obj.population,
                                             households=obj.households)
            adopt(obj, updated)
        else:
            created = services.region_create(
                actor=request.user, code=obj.code, name=obj.name, kind=obj.kind,
                parent=obj.parent, population=obj.population, households=obj.households)
            adopt(obj, created)


@admin.register(Site)
class SiteAdmin(ScopedAdmin):
    list_display = ("name", "kind", "region", "address", "opened_on", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "address")
    list_select_related = ("region",)
    fields = ("kind", "name", "region", "address", "opened_on", "area_m2", "active",
              "region_path", "created_at", "updated_at")
    readonly_fields = ("region_path", "created_at", "updated_at", "active")
    show_full_result_count = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no site-update service yet: view only once created

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Site, form: Any, change: bool) -> None:
        created = services.site_create(
            actor=request.user, region=obj.region, kind=obj.kind, name=obj.name,
            address=obj.address, opened_on=obj.opened_on, area_m2=obj.area_m2)
        adopt(obj, created)
