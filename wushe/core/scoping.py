"""The safety net under region scope (after pretix's django-scopes).

Region-bound models use ``ScopedManager``. Its querysets refuse to run until a scope has been
applied (``accounts.scope.visible`` marks them) or the caller has explicitly stepped outside
scope: ``qs.unscoped(reason=...)`` for one query (each reason listed in
``core/scope_escapes.txt``), ``scopes_disabled()`` for a block (services,
migrations, the demo generator). A forgotten filter then fails loudly in tests instead of
leaking quietly in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Self, TypeVar, cast

from django.db import models

_disabled: ContextVar[bool] = ContextVar("wushe_scopes_disabled", default=False)


class ScopeError(RuntimeError):
    """A region-bound query ran with no scope applied."""


@contextmanager
def scopes_disabled() -> Iterator[None]:
    token = _disabled.set(True)
    try:
        yield
    finally:
        _disabled.reset(token)


def scopes_are_disabled() -> bool:
    return _disabled.get()


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    _wushe_scoped = False

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]
        clone._wushe_scoped = self._wushe_scoped
        return clone

    def mark_scoped(self) -> Self:
        """Scope applied here: the caller (an access module, a selector, ``accounts.scope``)
        has just filtered this queryset to what the actor may see."""
        clone: Self = self._chain()  # type: ignore[attr-defined]
        clone._wushe_scoped = True
        return clone

    def unscoped(self, reason: str = "") -> Self:
        """A real escape: the caller deliberately reads outside any actor's scope and takes
        responsibility for who sees the result. ``reason`` says why; every reason is listed,
        module by module, in ``wushe/core/scope_escapes.txt`` (checked by
        ``core/tests/test_scope_escapes.py``, which refuses a call with no reason anywhere but in
        tests: a test reads back what it just wrote, and saying so 758 times would add nothing)."""
        return self.mark_scoped()

    def _guard(self) -> None:
        if not self._wushe_scoped and not _disabled.get():
            raise ScopeError(
                f"Query on {self.model.__name__} with no region scope applied; "
                "use accounts.scope.visible(...) or an explicit .unscoped()"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._guard()
        super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self._guard()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        if self._result_cache is None:
            self._guard()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._guard()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._guard()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._guard()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete()


class ScopedManager(models.Manager[_M]):
    """The manager of a region-bound model: every queryset it hands out is a ``ScopedQuerySet``.

    Written out rather than made by ``Manager.from_queryset`` so that ``Model.objects.unscoped(...)``
    and ``.mark_scoped()`` are typed (``ScopedQuerySet[Model]``, not ``Any``)."""

    # What Manager.get_queryset builds (with the manager's router hints); a manager made by
    # ``ScopedManager.from_queryset(SubQuerySet)`` (audit's append-only one) replaces it.
    _queryset_class = ScopedQuerySet

    def get_queryset(self) -> ScopedQuerySet[_M]:
        # ``_queryset_class`` is ScopedQuerySet or a subclass: the stubs only know a QuerySet.
        return cast("ScopedQuerySet[_M]", super().get_queryset())

    def mark_scoped(self) -> ScopedQuerySet[_M]:
        return self.get_queryset().mark_scoped()

    def unscoped(self, reason: str = "") -> ScopedQuerySet[_M]:
        return self.get_queryset().unscoped(reason)
