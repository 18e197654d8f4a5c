"""The shape every write takes: one transaction, outside the read-scope safety net.

Services decide permission themselves (``scope.require`` first thing), so inside them the
ScopedManager guard is lifted; an exception anywhere rolls the whole write back, audit
event included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from wushe.core.scoping import scopes_disabled

P = ParamSpec("P")
R = TypeVar("R")


def service(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), scopes_disabled():
            return fn(*args, **kwargs)

    return wrapper
