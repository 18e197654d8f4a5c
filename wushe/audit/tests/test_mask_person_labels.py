"""Migration audit 0005 masks the labels of events on persons (#22), leaves other labels and
every other column alone, is re-runnable, and puts the append-only trigger back."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.audit.models import AuditEvent
from wushe.evaluation.audit_codes import EvalAction

migration = importlib.import_module("wushe.audit.migrations.0005_mask_person_labels")


class Editor:
    """What the migration uses of a schema editor (the test runs inside a transaction,
    where SQLite's real schema editor cannot be opened)."""

    connection = connection

    def execute(self, sql: str, params: object = ()) -> None:
        with connection.cursor() as cur:
            cur.execute(sql, params)


def test_person_labels_masked_others_kept_and_log_stays_append_only(root, community_a):
    with transaction.atomic():
        # Events written before the services masked their labels.
        on_person = audit.record(actor=root, action=Action.PERSON_CREATED, target=root,
                                 label="张三丰")
        named = audit.record(actor=root, action=EvalAction.MEMBER_ADDED, label="欧阳娜娜")
        region = audit.record(actor=root, action=Action.REGION_CREATED, target=community_a,
                              label="杨坪社区")
    editor = Editor()
    with transaction.atomic():  # make the first an event on a person (target: a person)
        migration._lift(editor)
        editor.execute("UPDATE audit_auditevent SET target_type = 'people.person' "
                       "WHERE id = %s", [on_person.pk])
        migration._restore(editor)
    for _ in range(2):  # re-runnable
        with transaction.atomic():
            migration.mask_labels(apps, editor)
    labels = dict(AuditEvent.objects.unscoped().values_list("pk", "target_label"))
    assert labels[on_person.pk] == "张*丰"
    assert labels[named.pk] == "欧*娜娜"
    assert labels[region.pk] == "杨坪社区"
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE audit_auditevent SET target_label = 'x'")
