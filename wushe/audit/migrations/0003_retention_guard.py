"""Unapplying the audit migrations would drop the audit tables: refused while any event is
younger than the minimum retention (wushe/audit/retention.py). Applying it changes nothing."""

from django.db import migrations

MIN_RETENTION_DAYS = 180  # wushe.audit.retention.MIN_RETENTION_DAYS, frozen here


def forward(apps, schema_editor):
    pass


def refuse_if_young(apps, schema_editor):
    import datetime as dt

    from django.utils import timezone

    AuditEvent = apps.get_model("audit", "AuditEvent")
    since = timezone.now() - dt.timedelta(days=MIN_RETENTION_DAYS)
    n = AuditEvent._base_manager.filter(at__gte=since).count()  # no scope in a migration
    if n:
        raise RuntimeError(
            f"审计日志中有 {n} 条未满 {MIN_RETENTION_DAYS} 天的记录,不能撤销审计迁移 / "
            f"the audit log holds {n} events younger than {MIN_RETENTION_DAYS} days: "
            "the audit migrations cannot be unapplied")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forward, refuse_if_young)]
