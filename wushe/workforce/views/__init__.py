"""Pages of the workforce app (see each module); thin over selectors and services."""
