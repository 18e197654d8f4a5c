from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "wushe.evaluation"
    label = "evaluation"
    verbose_name = _("Four-party evaluation")

    def ready(self) -> None:
        # Audit codes, local rules, figures and the demo step register on import; then the
        # payment gate, eligibility check and project panel in the projects app's hooks.
        from wushe.evaluation import (  # noqa: F401
            audit_codes,
            bench,
            demo,
            integration,
            rules,
            stats,
            work,
        )

        integration.register()
        self._navigation()

    def _navigation(self) -> None:
        from wushe.accounts.roles import Role
        from wushe.web import home, navigation

        navigation.register(navigation.NavItem(_("Evaluations"), "evaluation:list",
                                               "evaluation.view"))
        home.add_tasks(Role.EVALUATOR, [(_("My evaluations"), "evaluation:mine")])
        home.add_tasks(Role.STREET_STAFF, [(_("My evaluations"), "evaluation:mine")])
        home.add_tasks(Role.DISTRICT_ADMIN, [(_("Four-party evaluations"), "evaluation:list"),
                                             (_("Excellent organisations"),
                                              "evaluation:excellent")])
