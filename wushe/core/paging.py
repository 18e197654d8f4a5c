"""Pagination that stays fast on large scoped tables (the "deferred join").

Paging the full rows of a 300,000-row street with LIMIT/OFFSET makes the database read and
sort every row. Paging the primary keys instead reads only the (region_path, id) index; the
page's 25 rows are then loaded by key in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def deferred_page(
    qs: QuerySet[Any], number: object, per_page: int,
    load: Callable[[Sequence[Any]], QuerySet[Any]],
) -> Page:
    """A Page of ``qs`` (already ordered) whose object_list holds rows from ``load(ids)``."""
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)  # type: ignore[arg-type]  # get_page copes with junk
    ids = list(page.object_list)
    rows = {obj.pk: obj for obj in load(ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
