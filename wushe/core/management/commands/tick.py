import json
import time

from django.core.management.base import BaseCommand, CommandError

from wushe.core.jobs import JOBS, run_due, status


class Command(BaseCommand):
    help = ("Run every due periodic job once, under its lease (for cron); --all runs every job "
            "/ 运行到期的定时任务")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="run again every SECONDS until stopped")
        parser.add_argument("--only", action="append", default=[], help="run just this job")
        parser.add_argument("--all", action="store_true",
                            help="run every job (or every --only job) whatever its due time")
        parser.add_argument("--status", action="store_true",
                            help="print each job's schedule and last run as JSON, run nothing")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        unknown = set(options["only"]) - set(JOBS)
        if unknown:
            raise CommandError(f"未知任务 / unknown job: {', '.join(sorted(unknown))}")
        if options["status"]:
            self.stdout.write(json.dumps(status(), ensure_ascii=False, indent=2))
            return
        while True:
            results = run_due(only=options["only"] or None, force=options["all"])
            self.stdout.write(json.dumps(results, ensure_ascii=False, sort_keys=True))
            self.stdout.flush()
            if not options["loop"]:
                if any("error" in r for r in results.values()):
                    raise CommandError("a periodic job failed / 有定时任务失败")
                return
            time.sleep(options["loop"])
