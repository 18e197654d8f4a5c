"""Back office for accounts. Users are created, grants added and revoked, tokens revoked
through the services (audited); nothing else is edited here."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wushe.accounts import services
from wushe.accounts.models import ApiToken, RoleGrant, User
from wushe.core.errors import WusheError
from wushe.web.adminkit import ScopedAdmin, ScopedInline, adopt


class UserAddForm(UserCreationForm):  # type: ignore[type-arg]  # no runtime generics
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name")


class RoleGrantInline(ScopedInline):
    model = RoleGrant
    fields = ("role", "region", "region_path", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # no runtime generics
    add_form = UserAddForm
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "display_name", "password1", "password2")}),
    )
    fieldsets = (
        (None, {"fields": ("username", "display_name")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "disabled_at", "disabled_reason",
                                   "password_changed_at", "last_login", "date_joined")}),
    )
    list_display = ("username", "display_name", "is_active", "is_superuser", "last_login",
                    "disabled_at")
    list_filter = ("is_active", "is_superuser")
    search_fields = ("username", "display_name")
    inlines = (RoleGrantInline,)
    actions = ("disable", "sign_out_everywhere")

    def has_disable_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser
                    or request.user.has_perm("accounts.change_user"))

    def has_sign_out_everywhere_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser
                    or request.user.has_perm("accounts.change_user")
                    or request.user.has_perm("accounts.change_apitoken"))

    @admin.action(description=_("Disable the selected accounts (sessions, tokens and grants "
                                "end at once)"), permissions=["disable"])
    def disable(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        n = 0
        for user in queryset:
            try:
                services.user_disable(actor=cast(User, request.user), user=user,
                                      reason=str(_("Disabled by an administrator")))
            except WusheError as exc:
                self.message_user(request, f"{user}: {exc.localized()}", messages.ERROR)
            else:
                n += 1
        self.message_user(request, ngettext("%(n)d account disabled.",
                                            "%(n)d accounts disabled.", n) % {"n": n},
                          messages.SUCCESS)

    @admin.action(description=_("Sign the selected accounts out everywhere"),
                  permissions=["sign_out_everywhere"])
    def sign_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        n = 0
        for user in queryset:
            try:
                services.user_sign_out_everywhere(actor=cast(User, request.user), user=user)
            except WusheError as exc:
                self.message_user(request, f"{user}: {exc.localized()}", messages.ERROR)
            else:
                n += 1
        self.message_user(request, ngettext("%(n)d account signed out everywhere.",
                                            "%(n)d accounts signed out everywhere.", n)
                          % {"n": n}, messages.SUCCESS)

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj is not None else ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return [f for fs in self.fieldsets for f in fs[1]["fields"]]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: history refers to users

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {"show_save": False, "show_save_and_continue": False,
                 "show_save_and_add_another": False, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""
                             ) -> HttpResponse:
        # Passwords change through the password_change service (policy, audit), not here.
        raise PermissionDenied

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            return  # every field is read-only on change
        created = services.user_create(
            actor=request.user, username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data.get("display_name", ""))
        adopt(obj, created)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None  # grants are added through the role-grant page (grant_add)


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdmin):
    list_display = ("user", "role", "region", "region_path", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name", "region_path")
    list_select_related = ("user", "region")
    autocomplete_fields = ("user", "region")
    fields = ("user", "role", "region")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a grant is added or revoked, never edited

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        grant = services.grant_add(actor=request.user, user=obj.user, role=obj.role,
                                   region=obj.region)
        adopt(obj, grant)

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        services.grant_revoke(actor=request.user, grant=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        for grant in queryset.select_related("user"):
            services.grant_revoke(actor=request.user, grant=grant)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # no runtime generics
    list_display = ("prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username")
    list_select_related = ("user",)
    fields = ("prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = fields
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser
                    or request.user.has_perm("accounts.change_apitoken"))

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        n = 0
        actor = cast(User, request.user)
        for token in queryset.select_related("user"):
            services.token_revoke(actor=actor, token=token)
            n += 1
        self.message_user(request, ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", n)
                          % {"n": n}, messages.SUCCESS)
