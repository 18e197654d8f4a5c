"""Audit target labels that name a person are masked (#22): the label of an event on a person,
a volunteer application, a care profile, an organisation's member, an individual donor or a
committee member, and of the evaluation committee events that name the member, becomes
``张*``-style (``mask_name``, which leaves a masked label as it is: re-runnable).

The log is append-only (0002's triggers); this one rewrite lifts the UPDATE trigger and puts
it back inside the same transaction, so the log is never writable to anyone else. Only the
label changes; nothing is deleted. Then, on SQLite, VACUUM drops the free pages that still
hold the old labels (on PostgreSQL: ``VACUUM FULL audit_auditevent``, docs/deploy.md).
"""

from django.db import migrations

from wushe.core.migration_ops import drop_append_only, install_append_only

PERSON_TARGETS = ("people.person", "volunteers.volunteerapplication", "residents.careprofile",
                  "orgs.orgmember", "charity.committeemember")
PERSON_ACTIONS = ("evaluation.member.added", "evaluation.member.removed",
                  "evaluation.score.submitted")
TABLE = "audit_auditevent"
BATCH = 2000


def _mask(value):
    # wushe.core.masking.mask_name, frozen here.
    if not value or len(value) == 1:
        return value or ""
    return value[0] + "*" + value[2:]


def _lift(schema_editor):
    drop_append_only(schema_editor, TABLE, ops=("UPDATE",))


def _restore(schema_editor):
    install_append_only(schema_editor, TABLE, ops=("UPDATE",))


def mask_labels(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM charity_donor WHERE kind = %s", ["person"])
        person_donors = {str(r[0]) for r in cur.fetchall()}
    marks = ", ".join(["%s"] * len(PERSON_TARGETS))
    acts = ", ".join(["%s"] * len(PERSON_ACTIONS))
    select = (f"SELECT id, target_type, target_id, target_label FROM {TABLE} "  # noqa: S608
              f"WHERE id > %s AND target_label <> '' AND (target_type IN ({marks}) "
              f"OR target_type = 'charity.donor' OR action IN ({acts})) ORDER BY id LIMIT %s")
    _lift(schema_editor)
    last = 0
    while True:
        with conn.cursor() as cur:
            cur.execute(select, [last, *PERSON_TARGETS, *PERSON_ACTIONS, BATCH])
            rows = cur.fetchall()
        if not rows:
            break
        last = rows[-1][0]
        params = [[_mask(label), pk] for pk, kind, target, label in rows
                  if (kind != "charity.donor" or target in person_donors)
                  and _mask(label) != label]
        if params:
            with conn.cursor() as cur:
                cur.executemany(f"UPDATE {TABLE} SET target_label = %s WHERE id = %s",  # noqa: S608
                                params)
    _restore(schema_editor)


def scrub(apps, schema_editor):
    from wushe.people.names import scrub_free_pages

    scrub_free_pages(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_no_truncate"),
        ("charity", "0001_initial"),
    ]

    operations = [
        # One transaction: the trigger is lifted and restored with the rewrite, or not at all.
        migrations.RunPython(mask_labels, migrations.RunPython.noop, atomic=True,
                             elidable=False),
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False),
    ]
