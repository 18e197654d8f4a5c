"""The roles of DESIGN.md §1 and what each may do. The single source for permission codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator (区民政局)")
    STREET_STAFF = "street_staff", _("Street staff (镇街社工站/民政办)")
    COMMUNITY_STAFF = "community_staff", _("Community staff (社区两委/社工室)")
    SOCIAL_WORKER = "social_worker", _("Social worker (社工)")
    ORG_STAFF = "org_staff", _("Social-organisation staff (社会组织)")
    TEAM_LEADER = "team_leader", _("Volunteer team leader (志愿服务队长)")
    VOLUNTEER = "volunteer", _("Volunteer (志愿者)")
    FUND_MANAGER = "fund_manager", _("Fund manager (慈善会/基金管委会)")
    EVALUATOR = "evaluator", _("Evaluator (第三方评估)")
    AUDITOR = "auditor", _("Auditor (审计/纪检)")
    # 三员分立 (等保 2.0 level 3): no account may hold two of these three, see ADMIN_ROLES.
    SYSTEM_ADMIN = "system_admin", _("System administrator (系统管理员)")
    SECURITY_ADMIN = "security_admin", _("Security administrator (安全管理员)")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator (审计管理员)")


_STAFF = {
    "regions.view", "sites.view", "people.view", "people.create", "people.update",
    "people.unmask", "consents.manage",
}
_READ = {"regions.view", "sites.view"}
# Read access to every capability (auditors, district admins).
_VIEW_ALL = {"volunteers.view", "orgs.view", "workforce.view", "charity.view", "needs.view",
             "residents.view", "projects.view", "supervision.view", "evaluation.view",
             "reports.view", "complexes.view"}
# Community complexes (社区综合体): revenue reports entered by street or community staff,
# approved by the street.
_COMPLEXES_LOCAL = {"complexes.view", "complexes.report"}
# Projects (purchase of services), supervision and four-party evaluation, and the figures.
_PROJECTS_LOCAL = {"projects.view", "projects.design", "supervision.view", "supervision.manage",
                   "evaluation.view", "evaluation.score", "reports.view", "reports.export"}
# Managing a street's or community's volunteers, organisations, workers and funds.
_MANAGE_LOCAL = {"volunteers.view", "volunteers.manage", "volunteers.confirm",
                 "volunteers.certify", "orgs.view", "orgs.manage", "workforce.view",
                 "workforce.manage", "workforce.adjust", "charity.view", "charity.manage"}

# Needs (点单, problem lists, the window) and the residents in care behind them.
_NEEDS_LOCAL = {"needs.view", "needs.intake", "needs.handle", "needs.dispatch", "needs.import",
                "needs.supervise", "ideas.decide", "residents.view", "residents.manage", "residents.minors",
                "residents.unmask"}

# Permission codes by role. A grant gives its permissions inside its region subtree only.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset(
        _STAFF | _VIEW_ALL | _MANAGE_LOCAL | _NEEDS_LOCAL
        | {"regions.manage", "sites.manage", "audit.view", "accounts.manage", "orgs.rate",
           "rules.manage",
           "charity.approve", "notifications.outbox",
           "people.subject_access"}  # a person's data on request (PIPL Art. 45)
        | _PROJECTS_LOCAL | {"projects.manage", "projects.pay", "evaluation.manage"}
    ),
    Role.STREET_STAFF: frozenset(_STAFF | _MANAGE_LOCAL | _NEEDS_LOCAL | _PROJECTS_LOCAL
                                 | {"sites.manage"} | _COMPLEXES_LOCAL | {"complexes.approve"}),
    Role.COMMUNITY_STAFF: frozenset(
        _STAFF | _NEEDS_LOCAL | {"volunteers.view", "volunteers.manage", "orgs.view",
                                 "workforce.view", "workforce.adjust", "charity.view", "projects.view",
                                 "supervision.view", "reports.view"} | _COMPLEXES_LOCAL
    ),
    Role.SOCIAL_WORKER: frozenset(_READ | {"people.view", "volunteers.view", "needs.view",
                                           "residents.view", "projects.view", "supervision.view",
                                           "supervision.manage"}),
    Role.ORG_STAFF: frozenset(_READ),
    Role.TEAM_LEADER: frozenset(_READ | {"people.view", "needs.view", "residents.view"}),
    Role.VOLUNTEER: frozenset({"regions.view"}),
    Role.FUND_MANAGER: frozenset(_READ | {"charity.view"}),
    Role.EVALUATOR: frozenset(_READ | {"projects.view", "evaluation.view", "evaluation.score"}),
    Role.AUDITOR: frozenset(_READ | _VIEW_ALL | {"people.view", "audit.view", "needs.view",
                                                 "residents.view"}),
    # Accounts and settings, no business data.
    Role.SYSTEM_ADMIN: frozenset({"regions.view", "accounts.manage", "accounts.disable"}),
    # Grants and the security policy (second factors, locks), no business data.
    Role.SECURITY_ADMIN: frozenset({"regions.view", "grants.manage", "security.manage"}),
    # The audit log and the personal-data access log, read-only.
    Role.AUDIT_ADMIN: frozenset({"regions.view", "audit.view", "audit.admin_view"}),
}

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Permissions an object grant gives over its object (and, for a team, the team's subtree):
# an org_staff over its organisation, a team_leader over its team, a fund_manager over its fund.
OBJECT_PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    Role.ORG_STAFF: ("org", frozenset({"orgs.view", "orgs.edit", "projects.view"})),
    Role.TEAM_LEADER: ("team", frozenset({"volunteers.view", "volunteers.manage",
                                          "volunteers.confirm", "volunteers.certify"})),
    Role.FUND_MANAGER: ("fund", frozenset({"charity.view", "charity.manage",
                                           "charity.approve"})),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values(),
                                   *(perms for _kind, perms in OBJECT_PERMISSIONS.values()))

# What each administrator may do in the back office (django.contrib.admin), as Django's model
# permissions: the system administrator keeps accounts, the security administrator grants,
# tokens and locks, the audit administrator reads the logs. None of them sees business data.
ADMIN_MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset({"accounts.view_user", "accounts.add_user",
                                  "accounts.change_user"}),
    Role.SECURITY_ADMIN: frozenset({"accounts.view_user", "accounts.view_rolegrant",
                                    "accounts.add_rolegrant", "accounts.delete_rolegrant",
                                    "accounts.view_apitoken", "accounts.change_apitoken"}),
    Role.AUDIT_ADMIN: frozenset({"audit.view_auditevent", "audit.view_piiaccess"}),
}
