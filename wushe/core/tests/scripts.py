"""Digits of other scripts for identifier tests: one ASCII identifier written four ways."""

from __future__ import annotations

ZWSP = "\u200b"


def in_script(text: str, zero: int) -> str:
    """``text`` with its ASCII digits written from the script whose zero is ``zero``."""
    return "".join(chr(zero + int(c)) if c.isascii() and c.isdigit() else c for c in text)


def arabic_indic(text: str) -> str:
    return in_script(text, 0x0660)


def devanagari(text: str) -> str:
    return in_script(text, 0x0966)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def zero_width(text: str) -> str:
    """A zero-width space in the middle: looks the same, is not the same."""
    return text[: len(text) // 2] + ZWSP + text[len(text) // 2:]


REFUSED = {"arabic_indic": arabic_indic, "devanagari": devanagari, "zero_width": zero_width}
