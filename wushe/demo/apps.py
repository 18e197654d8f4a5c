from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "wushe.demo"
    label = "demo"
    verbose_name = _("Demo district")

    def ready(self) -> None:
        # Benchmarks that need demo databases register here: the generator first (its seed
        # build is what the others measure on), then the people read path.
        from wushe.demo import bench, bench_people  # noqa: F401
