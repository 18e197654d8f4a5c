"""Simplified Chinese: Django's own formats, except digits grouped by three with a comma."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
