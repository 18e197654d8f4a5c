"""The ``<id:...>`` path converter: a database id in a page's URL.

Django's ``<int:...>`` matches any number of digits, so ``/needs/99999999999999999999/`` reached
the database with a number it cannot hold (SQLite: OverflowError, a 500). ``<id:...>`` matches at
most 18 digits, every one of which fits a signed 64-bit primary key; a longer number matches no
pattern and is a plain 404, like any other address that does not exist.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register_id_converter() -> None:
    register_converter(IdConverter, "id")
