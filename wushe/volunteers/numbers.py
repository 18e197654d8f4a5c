"""Volunteer numbers (志愿者编号): made, checked and drawn in bulk; certificate numbers."""

from __future__ import annotations

import datetime as dt
import secrets

from wushe.volunteers.models import Volunteer

# 志愿者编号: ZY + district code + 10 random characters + a check character. Random, so a number
# on a public certificate tells nothing about how many volunteers there are or when one joined
# (a serial did), and cannot be guessed; never derived from the ID number or the database id.
# No 0/O, 1/I/L among the random characters: a number read aloud must not be ambiguous.
NUMBER_RANDOM = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER_RANDOM_LENGTH = 10
# The check character: a weighted sum mod 31 (a prime) over the district code's digits and the
# random characters' places in NUMBER_RANDOM, the weights powers of 3 (a primitive root mod 31,
# so all sixteen differ): every single mistyped character and every swap of two different
# neighbours changes the sum, and is caught before any lookup.
_WEIGHTS = tuple(pow(3, i, 31) for i in range(6 + NUMBER_RANDOM_LENGTH))
_RANDOM_VALUE = {ch: i for i, ch in enumerate(NUMBER_RANDOM)}
NUMBER_LENGTH = 2 + 6 + NUMBER_RANDOM_LENGTH + 1
_NUMBER_BATCH = 5_000


# Random bytes to random characters in C: a byte below 248 (31 x 8) is its value mod 31, the
# others are dropped (no bias). A secrets.choice per character took 13 s for 250,000 numbers.
_BYTE_TO_CHAR = bytes(ord(NUMBER_RANDOM[b % 31]) for b in range(248)) + bytes(8)
_BIASED = bytes(range(248, 256))


def number_check_char(body: str) -> str:
    """``body`` is the 6-digit district code and the 10 random characters."""
    total = sum(int(c) * w for c, w in zip(body[:6], _WEIGHTS[:6], strict=True))
    total += sum(_RANDOM_VALUE[c] * w for c, w in zip(body[6:], _WEIGHTS[6:], strict=True))
    return NUMBER_RANDOM[-total % 31]


def _random_parts(count: int) -> list[str]:
    size = NUMBER_RANDOM_LENGTH * count
    chars = b""
    while len(chars) < size:
        chars += secrets.token_bytes(size - len(chars) + 16).translate(_BYTE_TO_CHAR, _BIASED)
    text = chars[:size].decode()
    return [text[i:i + NUMBER_RANDOM_LENGTH] for i in range(0, size, NUMBER_RANDOM_LENGTH)]


def volunteer_number(district: str) -> str:
    """One fresh random number for ``district`` (uniqueness: see ``volunteer_numbers``)."""
    body = district + _random_parts(1)[0]
    return f"ZY{body}{number_check_char(body)}"


def is_volunteer_number(text: str) -> bool:
    """The shape and check character of a (normalised) volunteer number."""
    return (len(text) == NUMBER_LENGTH and text.startswith("ZY") and text[2:8].isdigit()
            and all(c in NUMBER_RANDOM for c in text[8:-1])
            and number_check_char(text[2:-1]) == text[-1])


def volunteer_numbers(district: str, count: int) -> list[str]:
    """``count`` fresh numbers, unique among themselves and against the table: made in Python,
    checked with one query per 5,000 (never one per row), redrawn on the rare collision."""
    made: set[str] = set()
    while len(made) < count:
        bodies = [district + part for part in _random_parts(min(count - len(made),
                                                                 _NUMBER_BATCH))]
        drawn = {f"ZY{body}{number_check_char(body)}" for body in bodies} - made
        taken = set(Volunteer.objects.unscoped(reason="uniqueness check, no row shown").filter(number__in=drawn).order_by()
                    .values_list("number", flat=True))
        made |= drawn - taken
    return list(made)


# No 0/O, 1/I/L: a number read aloud over the phone must not be ambiguous.
_CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def certificate_number(issued: dt.date) -> str:
    """ZYZM + year + 10 random characters: unique and not guessable, so verification by
    number cannot be used to enumerate certificates."""
    return f"ZYZM{issued.year}" + "".join(secrets.choice(_CERTIFICATE_ALPHABET) for _ in range(10))
