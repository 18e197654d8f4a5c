from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "wushe.projects"
    label = "projects"
    verbose_name = _("Service projects")

    def ready(self) -> None:
        # Audit codes, local rules, figures, benchmark and the demo step register on import.
        from wushe.needs import hooks
        from wushe.projects import audit_codes, bench, demo, rules, stats  # noqa: F401
        from wushe.projects.registry import register_ui
        from wushe.projects.selectors import projects_for_need

        register_ui()
        hooks.READS.serving_projects = projects_for_need  # a need's page lists its projects
