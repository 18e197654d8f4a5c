"""Zip bombs through the roster import API: refused on the request (400, bilingual), before a
job runs or a byte is decompressed; no job directory, no volunteer, no person left behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.test import Client

from wushe.core.tests.bombs import big_cell_xlsx, many_rows_xlsx
from wushe.people.models import Person
from wushe.volunteers.models import Volunteer
from wushe.volunteers.tests.factories import VWorld
from wushe.volunteers.tests.test_api import bearer


@pytest.mark.parametrize("make", [big_cell_xlsx, many_rows_xlsx], ids=["200MB_cell", "300k_rows"])
def test_a_zip_bomb_is_refused_at_once_and_writes_nothing(vw: VWorld, inline_jobs: Path,
                                                          tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    bomb = make(tmp_path / "bomb.xlsx")
    people, volunteers = Person.objects.unscoped().count(), Volunteer.objects.unscoped().count()
    jobs_before = set(inline_jobs.iterdir())
    auth = bearer("street")
    started = time.perf_counter()
    with bomb.open("rb") as fh:
        response = Client().post("/api/v1/volunteers/import", {"file": fh}, **auth)
    assert time.perf_counter() - started < 3.0  # decompressing would take longer, and 200 MB
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "upload_too_expanded" and body["field"] == "file"
    assert body["message"]["zh"] and body["message"]["en"]
    assert Person.objects.unscoped().count() == people
    assert Volunteer.objects.unscoped().count() == volunteers
    assert set(inline_jobs.iterdir()) - jobs_before == set()
    leftovers = [p for p in inline_jobs.rglob("*") if p.is_file() and p != bomb]
    assert leftovers == []
