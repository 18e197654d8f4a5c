"""Pagination that stays fast on large scoped tables (the "deferred join").

Paging the full rows of a 300,000-row street with LIMIT/OFFSET makes the database read and
sort every row. Paging the primary keys instead reads only the (region_path, id) index; the
page's 25 rows are then loaded by key in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.pagination import paginate as ninja_paginate
from ninja.signature.utils import get_typed_signature

from wushe.core.apitypes import MAX_OFFSET


def deferred_page(
    qs: QuerySet[Any], number: object, per_page: int,
    load: Callable[[Sequence[Any]], QuerySet[Any]],
) -> Page[Any]:
    """A Page of ``qs`` (already ordered) whose object_list holds rows from ``load(ids)``."""
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)  # type: ignore[arg-type]  # get_page copes with junk
    ids = list(page.object_list)
    rows = {obj.pk: obj for obj in load(ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


class Mapped(Sequence[Any]):
    """``fn`` applied to a queryset lazily: django-ninja's ``@paginate`` slices it and counts
    it, so only the page's rows are loaded and converted (a list built first would load and
    convert every matching row, then throw all but one page away)."""

    def __init__(self, qs: QuerySet[Any], fn: Callable[[Any], Any]) -> None:
        self.qs, self.fn = qs, fn

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.fn(row) for row in self.qs[index]]
        return self.fn(self.qs[index])


class BoundedLimitOffset(LimitOffsetPagination):
    """django-ninja's limit/offset paging with an upper bound on the offset (ninja's own has
    none, and an offset of 2**64 reached the database as an OverflowError, a 500). The
    default for every ``@paginate``: ``NINJA_PAGINATION_CLASS`` in the settings."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1,
                           le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


View = TypeVar("View", bound=Callable[..., Any])


def paginate(func: View) -> View:
    """``@paginate`` for the API: ninja's decorator with :class:`BoundedLimitOffset`.

    Ninja's wrapper lives in ``ninja.pagination``, so a view's string annotations (``from
    __future__ import annotations``) were resolved there, where only builtins like ``int``
    are defined; the wrapper carries the view's own resolved signature instead, so a
    paginated view can take the bounded types of :mod:`wushe.core.apitypes`.
    """
    view = ninja_paginate(BoundedLimitOffset)(func)
    view.__signature__ = get_typed_signature(func)
    return view  # type: ignore[no-any-return]
