"""Pages of the needs app: thin views over selectors (reads) and services (writes)."""
