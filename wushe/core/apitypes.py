"""Bounded integers for the API's paths, queries and bodies.

A bare ``int`` accepts 2**64, which the database cannot hold: SQLite raises OverflowError
and PostgreSQL a DataError, and the caller gets a 500. Every integer the API takes is one of
these types instead, so an out-of-range number is a 422 with the field named, before any
code of ours runs, and the bounds appear in the OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

#: The largest primary key either database can store (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: The largest offset: far beyond any table, and offset + limit still fits in 64 bits.
MAX_OFFSET = 2**62
#: The largest value of a small number (a count, a score, a capacity, a number of days).
MAX_SMALL = 2**31 - 1

#: A database id: a row's primary key.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: Where a page starts.
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
#: A count, a score, a capacity, a number of days: what a 32-bit integer column holds. Its
#: sign is left to the service, whose message says what the number means.
SmallInt = Annotated[int, Field(ge=-MAX_SMALL - 1, le=MAX_SMALL)]
#: A calendar year that Python's dates can hold (the services check the sensible range).
Year = Annotated[int, Field(ge=1, le=9999)]
