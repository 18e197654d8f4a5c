"""Pages of the organisations app (see each module); thin over selectors and services."""
