"""The one type of "who is acting": every service, selector and access function names it.

``Actor`` is built on the concrete user model (``AUTH_USER_MODEL`` is ``accounts.User``), not on
a Protocol, as zulip types ``user_profile: UserProfile``: services store the actor in foreign keys
(``created_by=actor``) and read its fields; a Protocol would have to list all of that and still
would not satisfy a ForeignKey.

But anonymous visitors do flow through: ``request.user`` is ``User | AnonymousUser`` (the
django-stubs type), public pages hand it to selectors, and ``scope`` answers an anonymous actor
with "no grant, no data". So ``Actor`` is exactly that union, the type of ``request.user``, and
every view passes ``actor=request.user`` unchanged. Where a service stores the actor or looks rows
up by it (``created_by=``, ``approver=``), ``signed_in(actor)`` narrows it to the ``User``; an
anonymous actor never gets that far (scope refuses it first), and if it did it would now be a
bilingual "please sign in" instead of a crash. System work (jobs, commands, demo, the audit of a
failed sign-in) has no user at all: the few functions that accept that take ``MaybeActor``
(``Actor | None``).

Both are lazy ``type`` aliases over names imported for type checking only: importing this module
loads no model, so any layer (``core`` included) may import it under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.core.errors import Unauthenticated

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from wushe.accounts.models import User

type Actor = User | AnonymousUser
type MaybeActor = User | AnonymousUser | None

__all__ = ["Actor", "MaybeActor", "signed_in", "user_or_none"]


def signed_in(actor: MaybeActor) -> User:
    """The signed-in ``User`` behind ``actor``; an anonymous or missing actor is refused."""
    from wushe.accounts.models import User

    if isinstance(actor, User):
        return actor
    raise Unauthenticated()


def user_or_none(actor: MaybeActor) -> User | None:
    """What a nullable "by" field records: the signed-in ``User``, or None for system work or an
    anonymous actor (what ``actor if getattr(actor, "pk", None) else None`` said untyped)."""
    from wushe.accounts.models import User

    return actor if isinstance(actor, User) and actor.pk else None
