import json
import time

from django.core.management.base import BaseCommand, CommandError

from wushe.core.jobs import JOBS, run_all


class Command(BaseCommand):
    help = "Run every periodic job once (or every N seconds with --loop) / 运行定时任务"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="run again every SECONDS until stopped")
        parser.add_argument("--only", action="append", default=[], help="run just this job")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        unknown = set(options["only"]) - set(JOBS)
        if unknown:
            raise CommandError(f"未知任务 / unknown job: {', '.join(sorted(unknown))}")
        while True:
            results = run_all(options["only"] or None)
            self.stdout.write(json.dumps(results, ensure_ascii=False, sort_keys=True))
            self.stdout.flush()
            if not options["loop"]:
                if any("error" in r for r in results.values()):
                    raise CommandError("a periodic job failed / 有定时任务失败")
                return
            time.sleep(options["loop"])
